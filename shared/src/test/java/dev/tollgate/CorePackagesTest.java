package dev.tollgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The pure core (spec, judge, decision, json, errors) is plain Java: it imports only the JDK, Jackson and itself, never
 * an AWS SDK type or an adapter package, so it stays testable without AWS and can become a module of its own. The one
 * exception is named: {@code errors.AwsErrors} maps the SDK's exceptions onto Tollgate's.
 */
class CorePackagesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/tollgate");
    private static final Set<String> CORE = Set.of("spec", "judge", "decision", "json", "errors");
    private static final Set<String> ADAPTERS_OF_THE_CORE = Set.of("errors/AwsErrors.java");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);

    @Test
    void theCoreImportsOnlyTheJdkJacksonAndItself() {
        List<String> problems = new ArrayList<>();
        for (String pkg : CORE) {
            for (Path file : javaFiles(SOURCES.resolve(pkg))) {
                String name = pkg + "/" + file.getFileName();
                if (ADAPTERS_OF_THE_CORE.contains(name)) {
                    continue;
                }
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
