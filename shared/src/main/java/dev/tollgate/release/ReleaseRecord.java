package dev.tollgate.release;

import dev.tollgate.json.Nullable;
import dev.tollgate.spec.ReleaseSpec;
import dev.tollgate.spec.ReleaseSpec.OnFailure;
import dev.tollgate.spec.ReleaseSpec.OnLockHeld;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a release has done so far, kept beside the deployments' records: each wave and each target's outcome,
 * why it halted, who asked it to stop. {@code tollgate status RELEASE-ID} reads it; the release function writes it.
 */
public record ReleaseRecord(
        String releaseId,
        String executionArn,
        Status status,
        OnFailure onFailure,
        OnLockHeld onLockHeld,
        List<WaveState> waves,
        @Nullable String reason,
        @Nullable String abortedBy,
        Instant startedAt,
        @Nullable Instant endedAt,
        int endChecks) {

    public ReleaseRecord {
        waves = List.copyOf(waves);
    }

    /** RUNNING until a wave fails or it is aborted (HALTING, rolling back per the policy), then PROMOTED or HALTED. */
    public enum Status {
        RUNNING,
        HALTING,
        PROMOTED,
        HALTED;

        public boolean finished() {
            return this == PROMOTED || this == HALTED;
        }
    }

    public enum WaveStatus {
        PENDING,
        RUNNING,
        PROMOTED,
        FAILED,
        ROLLING_BACK,
        ROLLED_BACK,
        KEPT
    }

    /**
     * PROMOTED: at 100 % with its rollback window open until the release ends; NOT_PROMOTED: it ended without a
     * promotion (rolled back, refused, failed); CLOSING: its window closed by the release, its execution retiring the
     * old version; KEPT: ended at the new version (the release succeeded, or STOP kept an earlier wave); ROLLED_BACK:
     * sent back by the release; ROLLBACK_UNCONFIRMED: asked to go back, not seen ended.
     */
    public enum TargetStatus {
        PENDING,
        RUNNING,
        PROMOTED,
        NOT_PROMOTED,
        ROLLING_BACK,
        ROLLED_BACK,
        ROLLBACK_UNCONFIRMED,
        CLOSING,
        KEPT
    }

    public record WaveState(int wave, WaveStatus status, List<TargetState> targets, int rollbackChecks) {
        public WaveState {
            targets = List.copyOf(targets);
        }

        WaveState with(WaveStatus newStatus) {
            return new WaveState(wave, newStatus, targets, rollbackChecks);
        }

        WaveState withTargets(UnaryOperator<TargetState> change) {
            return new WaveState(wave, status, targets.stream().map(change).toList(), rollbackChecks);
        }

        WaveState checkedRollback() {
            return new WaveState(wave, status, targets, rollbackChecks + 1);
        }
    }

    public record TargetState(
            String deploymentId,
            String service,
            String serviceLock,
            String region,
            TargetStatus status,
            @Nullable String reason,
            int lockChecks) {

        TargetState with(TargetStatus newStatus, @Nullable String why) {
            return new TargetState(
                    deploymentId, service, serviceLock, region, newStatus, why == null ? reason : why, lockChecks);
        }

        TargetState checkedLock() {
            return new TargetState(deploymentId, service, serviceLock, region, status, reason, lockChecks + 1);
        }
    }

    /** A release about to start its first wave: every target pending. */
    public static ReleaseRecord opened(ReleaseSpec release, String executionArn, Instant now, String homeRegion) {
        List<WaveState> waves = new ArrayList<>();
        for (ReleaseSpec.Wave wave : release.waves()) {
            waves.add(new WaveState(
                    wave.wave(),
                    WaveStatus.PENDING,
                    wave.targets().stream()
                            .map(target -> new TargetState(
                                    target.spec().deploymentId(),
                                    target.spec().service(),
                                    target.serviceLock() == null ? target.spec().service() : target.serviceLock(),
                                    target.region() == null ? homeRegion : target.region(),
                                    TargetStatus.PENDING,
                                    null,
                                    0))
                            .toList(),
                    0));
        }
        return new ReleaseRecord(
                release.releaseId(),
                executionArn,
                Status.RUNNING,
                release.onFailure(),
                release.onLockHeld(),
                waves,
                null,
                null,
                now,
                null,
                0);
    }

    public WaveState wave(int number) {
        return waves.stream()
                .filter(wave -> wave.wave() == number)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("release " + releaseId + " has no wave " + number));
    }

    ReleaseRecord withWave(int number, UnaryOperator<WaveState> change) {
        return new ReleaseRecord(
                releaseId,
                executionArn,
                status,
                onFailure,
                onLockHeld,
                waves.stream()
                        .map(wave -> wave.wave() == number ? change.apply(wave) : wave)
                        .toList(),
                reason,
                abortedBy,
                startedAt,
                endedAt,
                endChecks);
    }

    ReleaseRecord withTarget(String deploymentId, UnaryOperator<TargetState> change) {
        return new ReleaseRecord(
                releaseId,
                executionArn,
                status,
                onFailure,
                onLockHeld,
                waves.stream()
                        .map(wave -> wave.withTargets(
                                target -> target.deploymentId().equals(deploymentId) ? change.apply(target) : target))
                        .toList(),
                reason,
                abortedBy,
                startedAt,
                endedAt,
                endChecks);
    }

    ReleaseRecord with(Status newStatus, @Nullable String why, @Nullable Instant ended) {
        return new ReleaseRecord(
                releaseId,
                executionArn,
                newStatus,
                onFailure,
                onLockHeld,
                waves,
                why == null ? reason : why,
                abortedBy,
                startedAt,
                ended == null ? endedAt : ended,
                endChecks);
    }

    ReleaseRecord abortedBy(String who, String why) {
        return new ReleaseRecord(
                releaseId,
                executionArn,
                status,
                onFailure,
                onLockHeld,
                waves,
                reason == null ? why : reason,
                who,
                startedAt,
                endedAt,
                endChecks);
    }

    ReleaseRecord checkedEnd() {
        return new ReleaseRecord(
                releaseId,
                executionArn,
                status,
                onFailure,
                onLockHeld,
                waves,
                reason,
                abortedBy,
                startedAt,
                endedAt,
                endChecks + 1);
    }

    public List<TargetState> targets() {
        return waves.stream().flatMap(wave -> wave.targets().stream()).toList();
    }
}
