package dev.tollgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The tools the project did not write that check it: AWS's SAM translator and cfn-lint (python, on the
 * machine like moto), and from npm (pinned in infra/checks/package-lock.json, installed by
 * infra/setup/test-tools.sh, which {@code ./mvnw verify} runs first) asl-validator and IAM evaluated from
 * AWS's Service Authorization Reference. Missing, a check fails and says how to install it: a check that
 * did not run did not pass.
 */
final class ThirdPartyTools {

    /** What a tool printed and how it ended. */
    record Run(int exitCode, String output) {}

    private static JsonNode translated;

    private ThirdPartyTools() {}

    static Path checks() {
        return RepositoryFiles.root().resolve("infra/checks");
    }

    /** template.yaml as CloudFormation receives it after {@code sam package}: the SAM transform done by AWS's translator. */
    static synchronized JsonNode translatedTemplate() {
        if (translated == null) {
            Run run = run(
                    List.of(
                            python(),
                            checks().resolve("sam_translate.py").toString(),
                            RepositoryFiles.template().toString()),
                    null);
            if (run.exitCode() != 0) {
                throw new AssertionError("the SAM translator refused template.yaml:\n" + run.output());
            }
            translated = Json.tree(run.output());
        }
        return translated;
    }

    /** A plain CloudFormation template (no transform) as JSON, short-form tags as the intrinsic functions they stand for. */
    static JsonNode parsedTemplate(Path template) {
        Run run = run(
                List.of(python(), checks().resolve("sam_translate.py").toString(), "--parse-only", template.toString()),
                null);
        if (run.exitCode() != 0) {
            throw new AssertionError("cannot read " + template + ":\n" + run.output());
        }
        return Json.tree(run.output());
    }

    /** Writes the translated template where cfn-lint and a person can read it. */
    static Path translatedTemplateFile() throws IOException {
        Path file = RepositoryFiles.root().resolve("infra/local/target/checks/template.translated.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(translatedTemplate()));
        return file;
    }

    static Run cfnLint(Path template, String... options) {
        List<String> command = new ArrayList<>(List.of("cfn-lint"));
        command.addAll(List.of(options));
        command.add("--");
        command.add(template.toString());
        return run(command, null);
    }

    /** npm's asl-validator on a definition file. */
    static Run aslValidator(Path definition) {
        return run(
                List.of(
                        "node",
                        nodeModule("asl-validator/dist/bin/asl-validator.js").toString(),
                        "--json-path",
                        definition.toString()),
                null);
    }

    /** infra/checks/iam.mjs in one of its modes: JSON in, JSON out. */
    static JsonNode iam(String mode, Object input) {
        nodeModule("@cloud-copilot/iam-simulate/package.json");
        Run run = run(List.of("node", checks().resolve("iam.mjs").toString(), mode), Json.write(input));
        if (run.exitCode() != 0) {
            throw new AssertionError("node infra/checks/iam.mjs " + mode + " failed:\n" + run.output());
        }
        return Json.tree(run.output());
    }

    private static Path nodeModule(String path) {
        Path module = checks().resolve("node_modules").resolve(path);
        if (!Files.exists(module)) {
            throw new AssertionError(
                    module + " is missing: the npm tools of the checks are installed by infra/setup/test-tools.sh "
                            + "(./mvnw verify runs it first; by hand: (cd infra/checks && npm ci))");
        }
        return module;
    }

    static String python() {
        String configured = System.getenv("TOLLGATE_PYTHON");
        return configured == null || configured.isBlank() ? "python3" : configured;
    }

    static Run run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(RepositoryFiles.root().toFile())
                    .start();
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 5 minutes");
            }
            String out = new String(stdout.join(), StandardCharsets.UTF_8);
            String err = new String(stderr.join(), StandardCharsets.UTF_8);
            return new Run(process.exitValue(), process.exitValue() == 0 ? out : out + err);
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot run " + command.get(0) + " (" + e.getMessage() + "): infra/setup/test-tools.sh installs "
                            + "what the checks need (./mvnw verify runs it first)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(java.io.InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
