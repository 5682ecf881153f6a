package dev.tollgate.spec;

import dev.tollgate.json.Nullable;
import java.util.List;
import java.util.function.Function;

/**
 * A validated release rolled out in waves: the parent state machine's input after {@code ValidateRelease}.
 * Each target carries the complete, normalised deployment spec its child execution of the single-target
 * state machine runs, so the parent never composes or defaults anything itself.
 */
public record ReleaseSpec(
        String releaseId, List<Wave> waves, int bakeBetweenWavesSeconds, OnFailure onFailure, OnLockHeld onLockHeld) {

    public ReleaseSpec {
        waves = List.copyOf(waves);
        onLockHeld = onLockHeld == null ? OnLockHeld.FAIL : onLockHeld;
    }

    /** A release that fails a target whose service's lock is held. */
    public ReleaseSpec(String releaseId, List<Wave> waves, int bakeBetweenWavesSeconds, OnFailure onFailure) {
        this(releaseId, waves, bakeBetweenWavesSeconds, onFailure, OnLockHeld.FAIL);
    }

    /**
     * What a target does when another deployment holds its service's lock where it runs: never deploy
     * twice. {@code FAIL} fails the target (and so its wave); {@code WAIT} checks the lock every
     * {@link #LOCK_CHECK_SECONDS} seconds, {@link #LOCK_CHECKS} times at most, then fails.
     */
    public enum OnLockHeld {
        FAIL,
        WAIT
    }

    public static final int LOCK_CHECK_SECONDS = 60;
    public static final int LOCK_CHECKS = 15;

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
     * One target of a wave: the region it lives in, the IAM role to assume there (another account), the
     * deployment spec of its child execution, whose {@code deploymentId} is {@code <releaseId>-w<wave>-<target>},
     * and once {@code ValidateRelease} has named it, its service's lock.
     */
    public record WaveTarget(
            String region,
            @Nullable String roleArn,
            DeploymentSpec spec,
            @Nullable String serviceLock) {

        public WaveTarget(String region, @Nullable String roleArn, DeploymentSpec spec) {
            this(region, roleArn, spec, null);
        }

        /** This target with the name of its service's lock where it runs ({@code ServiceLock}), which needs Tollgate's home. */
        public WaveTarget withServiceLock(String lock) {
            return new WaveTarget(region, roleArn, spec, lock);
        }
    }

    /** This release with each target's lock named by {@code lockOf}. */
    public ReleaseSpec withServiceLocks(Function<DeploymentSpec, String> lockOf) {
        return new ReleaseSpec(
                releaseId,
                waves.stream()
                        .map(wave -> new Wave(
                                wave.wave(),
                                wave.targets().stream()
                                        .map(target -> target.withServiceLock(lockOf.apply(target.spec())))
                                        .toList(),
                                wave.bakeAfterSeconds()))
                        .toList(),
                bakeBetweenWavesSeconds,
                onFailure,
                onLockHeld);
    }

    /** Every target of every wave. */
    public List<WaveTarget> targets() {
        return waves.stream().flatMap(wave -> wave.targets().stream()).toList();
    }
}
