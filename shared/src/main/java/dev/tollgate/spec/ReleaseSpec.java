package dev.tollgate.spec;

import dev.tollgate.json.Nullable;
import java.util.List;

/**
 * A validated release rolled out in waves: the parent state machine's input after {@code ValidateRelease}.
 * Each target carries the complete, normalised deployment spec its child execution of the single-target
 * state machine runs, so the parent never composes or defaults anything itself.
 */
public record ReleaseSpec(String releaseId, List<Wave> waves, int bakeBetweenWavesSeconds, OnFailure onFailure) {

    public ReleaseSpec {
        waves = List.copyOf(waves);
    }

    /** What a failed wave does to the waves before it; the failed wave itself is always rolled back. */
    public enum OnFailure {
        /** Every wave already promoted is rolled back too, the latest first. */
        ROLLBACK_ALL,
        /** Earlier waves keep the release; nothing after the failed wave starts. */
        STOP
    }

    /**
     * One wave: its 1-based number, its targets (deployed in parallel) and how long the parent waits
     * after it before the next wave starts (0 after the last).
     */
    public record Wave(int wave, List<WaveTarget> targets, int bakeAfterSeconds) {
        public Wave {
            targets = List.copyOf(targets);
        }
    }

    /**
     * One target of a wave: the region it lives in, the IAM role to assume there (another account), and the
     * deployment spec of its child execution, whose {@code deploymentId} is {@code <releaseId>-w<wave>-<target>}.
     */
    public record WaveTarget(String region, @Nullable String roleArn, DeploymentSpec spec) {
    }

    /** Every target of every wave. */
    public List<WaveTarget> targets() {
        return waves.stream().flatMap(wave -> wave.targets().stream()).toList();
    }
}
