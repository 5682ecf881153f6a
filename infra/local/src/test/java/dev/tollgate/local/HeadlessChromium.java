package dev.tollgate.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real browser for the tests: Debian's {@code chromium} (installed by infra/setup/test-tools.sh, which
 * {@code ./mvnw verify} runs first), headless,
 * with a fresh profile and nothing that reaches the network on its own. Missing, it fails the test
 * with how to install it rather than skipping: a report nobody saw drawn is not tested.
 */
final class HeadlessChromium {

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    static HeadlessChromium find() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("TOLLGATE_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.addAll(List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"));
        for (String candidate : candidates) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return new HeadlessChromium(path);
            }
        }
        throw new AssertionError(
                "no Chromium found (looked for " + candidates + "): the rollout report is tested in a real "
                        + "browser. Install Debian's package with `apt-get install -y chromium` (infra/setup/test-tools.sh does), or set TOLLGATE_CHROMIUM.");
    }

    /** The page's DOM after its scripts ran. */
    String dumpDom(Path page, Path workDirectory) throws IOException, InterruptedException {
        Path dom = workDirectory.resolve("dom.html");
        run(workDirectory, dom, "--dump-dom", page.toUri().toString());
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    /** A PNG of the page at {@code width} x {@code height}. */
    void screenshot(Path page, Path png, int width, int height, Path workDirectory)
            throws IOException, InterruptedException {
        run(
                workDirectory,
                workDirectory.resolve("screenshot.log"),
                "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath(),
                page.toUri().toString());
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError(
                    "chromium wrote no screenshot: " + Files.readString(workDirectory.resolve("screenshot.log")));
        }
    }

    private void run(Path workDirectory, Path stdout, String... arguments) throws IOException, InterruptedException {
        Files.createDirectories(workDirectory);
        Path profile = Files.createTempDirectory(workDirectory, "profile");
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                "--user-data-dir=" + profile.toAbsolutePath()));
        command.addAll(List.of(arguments));
        Process chromium = new ProcessBuilder(command)
                .directory(workDirectory.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(workDirectory.resolve("chromium-stderr.log").toFile())
                .start();
        if (!chromium.waitFor(90, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90 s: " + command);
        }
        if (chromium.exitValue() != 0) {
            throw new AssertionError("chromium exited " + chromium.exitValue() + ": "
                    + Files.readString(workDirectory.resolve("chromium-stderr.log")));
        }
    }
}
