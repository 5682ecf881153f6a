package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MotoServerTest {

    private static final Path RESOURCES =
            RepositoryFiles.root().resolve("infra/local/src/main/resources/dev/tollgate/local");

    @Test
    void shipsEveryPythonFileOfTheLauncherAndItsPackage() throws IOException {
        TreeSet<String> onDisk = new TreeSet<>();
        onDisk.add("moto_launcher.py");
        try (Stream<Path> files = Files.walk(RESOURCES.resolve("moto_ext"))) {
            files.filter(file -> file.toString().endsWith(".py"))
                    .filter(file -> !file.toString().contains("__pycache__"))
                    .forEach(file ->
                            onDisk.add(RESOURCES.relativize(file).toString().replace('\\', '/')));
        }

        assertEquals(
                onDisk,
                new TreeSet<>(MotoServer.LAUNCHER_FILES),
                "MotoServer.LAUNCHER_FILES must list every file of the launcher's package");
    }

    @Test
    void copiesTheLauncherAndItsPackageAsTheyAreOnTheClassPath(@TempDir Path workDirectory) throws IOException {
        MotoServer.copyLauncherFiles(workDirectory);

        for (String file : MotoServer.LAUNCHER_FILES) {
            assertEquals(
                    Files.readString(RESOURCES.resolve(file)), Files.readString(workDirectory.resolve(file)), file);
        }
        List<String> modules;
        try (Stream<Path> copied = Files.list(workDirectory.resolve("moto_ext"))) {
            modules = copied.map(path -> path.getFileName().toString()).sorted().toList();
        }
        assertEquals(MotoServer.LAUNCHER_FILES.size() - 1, modules.size(), modules.toString());
    }
}
