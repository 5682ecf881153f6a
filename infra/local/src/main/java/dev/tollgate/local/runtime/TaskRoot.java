package dev.tollgate.local.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A function's deployment package unpacked as Lambda unpacks it into {@code /var/task} before the runtime starts, and
 * the class path Lambda's Java runtime gives the function's class loader there: the task root itself, then every jar
 * under its {@code lib/} in name order (aws-lambda-java-runtime-interface-client's {@code CustomerClassLoader}). A
 * shaded jar uploaded as the package is read class by class from the unpacked files on Lambda, not from the jar.
 */
public record TaskRoot(Path directory, int files) {

    /** Unpacks {@code deploymentPackage} into {@code directory}, which must not exist yet or be empty. */
    public static TaskRoot unpack(Path deploymentPackage, Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        int files = 0;
        try (ZipFile zip = new ZipFile(deploymentPackage.toFile())) {
            Files.createDirectories(root);
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IllegalArgumentException(
                            deploymentPackage + " has an entry outside its root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                files++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + deploymentPackage + " into " + root, e);
        }
        return new TaskRoot(root, files);
    }

    /** The task root, then its {@code lib/*.jar} in name order. */
    public List<Path> classPath() {
        List<Path> classPath = new ArrayList<>(List.of(directory));
        Path lib = directory.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                jars.filter(jar -> jar.getFileName().toString().endsWith(".jar"))
                        .sorted()
                        .forEach(classPath::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return classPath;
    }
}
