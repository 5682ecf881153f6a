package dev.tollgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core module (spec, judge, decision, json, errors) is plain Java: it imports only the JDK, Jackson and itself,
 * never an AWS SDK type or an adapter package, so it stays testable without AWS. Its POM's enforcer rule keeps the SDK,
 * Powertools and Log4j off its class path; this test keeps its imports to these packages and checks the class path
 * the tests run on.
 */
class CorePackagesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/tollgate");
    private static final Set<String> CORE = Set.of("spec", "judge", "decision", "json", "errors");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);

    @Test
    void theCoreImportsOnlyTheJdkJacksonAndItself() {
        List<String> problems = new ArrayList<>();
        for (String pkg : CORE) {
            for (Path file : javaFiles(SOURCES.resolve(pkg))) {
                String name = pkg + "/" + file.getFileName();
                Matcher imported = IMPORT.matcher(read(file));
                while (imported.find()) {
                    if (!allowed(imported.group(1))) {
                        problems.add(name + " imports " + imported.group(1));
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void noAwsSdkPowertoolsOrLog4jIsOnTheClassPath() {
        for (String absent : List.of(
                "software.amazon.awssdk.core.exception.SdkException",
                "software.amazon.lambda.powertools.logging.Logging",
                "org.apache.logging.log4j.LogManager")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(absent), absent);
        }
    }

    @Test
    void everyCorePackageExists() {
        for (String pkg : CORE) {
            assertTrue(!javaFiles(SOURCES.resolve(pkg)).isEmpty(), pkg);
        }
    }

    private static boolean allowed(String imported) {
        if (imported.startsWith("java.") || imported.startsWith("com.fasterxml.jackson.")) {
            return true;
        }
        return CORE.stream().anyMatch(pkg -> imported.startsWith("dev.tollgate." + pkg + "."));
    }

    private static List<Path> javaFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
