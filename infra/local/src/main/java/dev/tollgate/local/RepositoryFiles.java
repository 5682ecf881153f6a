package dev.tollgate.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's own files (template.yaml, the ASL) from wherever the local stack runs. */
public final class RepositoryFiles {

    private RepositoryFiles() {}

    /** $TOLLGATE_HOME if set, else the nearest directory at or above the working directory that holds template.yaml. */
    public static Path root() {
        String home = System.getenv("TOLLGATE_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))
                    && Files.isDirectory(dir.resolve("infra/statemachine"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Tollgate repository (template.yaml) above "
                + Path.of("").toAbsolutePath() + "; run from the repository or set TOLLGATE_HOME");
    }

    public static Path template() {
        return root().resolve("template.yaml");
    }

    public static Path stateMachineDefinition() {
        return root().resolve("infra/statemachine/deployment.asl.json");
    }

    /** The release state machine's definition: waves of targets, each a child execution of the deployment state machine. */
    public static Path releaseStateMachineDefinition() {
        return root().resolve("infra/statemachine/release.asl.json");
    }
}
