package dev.tollgate.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.decision.DecisionPolicy;
import dev.tollgate.judge.CheckVerdict;
import dev.tollgate.judge.StepVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fact about a deployment, as it goes on the event bus (the {@code detail} of an EventBridge
 * event; schema in {@code docs/events.schema.json}). {@code eventId} is the same for the same fact
 * however often a retried function publishes it, so a consumer de-duplicates on it. Every type
 * carries the same correlation: {@code deploymentId}, {@code service} and {@code executionArn} (the
 * last completed from the invocation by {@link DeploymentEvents#all}). Ids, weights, verdicts and
 * reasons only: never a secret value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentEvent(
        int schemaVersion,
        Type type,
        String eventId,
        String deploymentId,
        String service,
        String executionArn,
        Instant time,
        Integer stepIndex,
        Integer stepCount,
        Integer canaryWeight,
        String verdict,
        String action,
        String decidedBy,
        String reason,
        List<Check> checks,
        String status,
        RollbackReason rollbackReason,
        Long timeToDecisionSeconds,
        Long durationSeconds,
        ReleaseFact release) {

    public static final int SCHEMA_VERSION = 1;

    /** Every fact but a release's carries no {@code release}. */
    public DeploymentEvent(
            int schemaVersion,
            Type type,
            String eventId,
            String deploymentId,
            String service,
            String executionArn,
            Instant time,
            Integer stepIndex,
            Integer stepCount,
            Integer canaryWeight,
            String verdict,
            String action,
            String decidedBy,
            String reason,
            List<Check> checks,
            String status,
            RollbackReason rollbackReason,
            Long timeToDecisionSeconds,
            Long durationSeconds) {
        this(
                schemaVersion,
                type,
                eventId,
                deploymentId,
                service,
                executionArn,
                time,
                stepIndex,
                stepCount,
                canaryWeight,
                verdict,
                action,
                decidedBy,
                reason,
                checks,
                status,
                rollbackReason,
                timeToDecisionSeconds,
                durationSeconds,
                null);
    }

    /** The closed set of facts; {@link #detailType()} is the EventBridge {@code detail-type}. */
    public enum Type {
        STARTED("Deployment Started"),
        STEP_SHIFTED("Deployment Step Shifted"),
        STEP_VERDICT("Deployment Step Verdict"),
        AWAITING_APPROVAL("Deployment Awaiting Approval"),
        SMOKE_TESTED("Deployment Smoke Tested"),
        PROMOTED("Deployment Promoted"),
        ROLLED_BACK("Deployment Rolled Back"),
        FAILED("Deployment Failed"),
        DRY_RUN("Deployment Dry Run"),
        WATCHING_AFTER_PROMOTION("Deployment Watching After Promotion"),
        ROLLED_BACK_AFTER_PROMOTION("Deployment Rolled Back After Promotion"),
        WAVE_STARTED("Release Wave Started"),
        WAVE_PROMOTED("Release Wave Promoted"),
        RELEASE_HALTED("Release Halted"),
        RELEASE_PROMOTED("Release Promoted");

        private final String detailType;

        Type(String detailType) {
            this.detailType = detailType;
        }

        public String detailType() {
            return detailType;
        }
    }

    /** Why traffic went back to the old version: the judge's verdict, a human, or a failure on the way. */
    public enum RollbackReason {
        VERDICT,
        OPERATOR,
        FAILURE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A release's fact: its wave (absent for the release's own end), how many waves it has, its policy on a failure,
     * and each target the fact is about with its region and status. The event's {@code deploymentId} is the release's id.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReleaseFact(
            String releaseId, Integer wave, int waveCount, String onFailure, List<TargetFact> targets) {}

    /** A target of a release as the fact finds it: PROMOTED, NOT_PROMOTED, ROLLED_BACK, KEPT, ... */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetFact(String deploymentId, String region, String status, String reason) {}

    /**
     * A release's fact ({@code WAVE_STARTED}, {@code WAVE_PROMOTED}, {@code RELEASE_HALTED}, {@code RELEASE_PROMOTED}):
     * correlated by the release's id as {@code deploymentId}, its service and its parent execution.
     */
    public static DeploymentEvent release(
            Type type,
            String service,
            String executionArn,
            Instant time,
            String status,
            String reason,
            ReleaseFact release,
            Instant startedAt) {
        Long duration = type == Type.RELEASE_HALTED || type == Type.RELEASE_PROMOTED
                ? Math.max(0, Duration.between(startedAt, time).toSeconds())
                : null;
        // A halt is told twice, HALTING and then HALTED: two facts, two ids.
        String eventId = release.releaseId() + ":" + type.name().toLowerCase(java.util.Locale.ROOT)
                + (release.wave() == null ? "" : ":" + release.wave())
                + (type == Type.RELEASE_HALTED ? ":" + status.toLowerCase(java.util.Locale.ROOT) : "");
        return new DeploymentEvent(
                SCHEMA_VERSION,
                type,
                eventId,
                release.releaseId(),
                service,
                executionArn,
                time,
                null,
                null,
                null,
                null,
                null,
                null,
                reason,
                null,
                status,
                null,
                null,
                duration,
                release);
    }

    /** One check of a verdict with the numbers behind it (non-finite numbers left out: JSON has none). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(
            String name,
            String kind,
            String verdict,
            String reason,
            Map<String, Double> numbers,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean dryRun) {

        static Check of(CheckVerdict check) {
            Map<String, Double> finite = new LinkedHashMap<>();
            check.numbers().entrySet().stream()
                    .filter(entry -> entry.getValue() != null && Double.isFinite(entry.getValue()))
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(entry -> finite.put(entry.getKey(), entry.getValue()));
            return new Check(
                    check.name(),
                    check.kind() == null ? null : check.kind().name(),
                    check.verdict() == null ? null : check.verdict().name(),
                    check.reason(),
                    finite,
                    check.dryRun());
        }
    }

    public static DeploymentEvent started(String deploymentId, String service, String executionArn, Instant time) {
        return of(Type.STARTED, deploymentId + ":started", deploymentId, service, executionArn, time);
    }

    public static DeploymentEvent stepShifted(
            String deploymentId, String service, Instant time, int stepIndex, int stepCount, int canaryWeight) {
        return new DeploymentEvent(
                SCHEMA_VERSION,
                Type.STEP_SHIFTED,
                deploymentId + ":shifted:" + stepIndex,
                deploymentId,
                service,
                null,
                time,
                stepIndex,
                stepCount,
                canaryWeight,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /**
     * One analysis tick's verdict and the decision taken on it. {@code stepStartedAt} gives the
     * time to decision when the decision ends the step's bake (anything but {@code CONTINUE_BAKING}).
     */
    public static DeploymentEvent stepVerdict(
            String deploymentId,
            String service,
            Instant time,
            int stepIndex,
            int stepCount,
            int canaryWeight,
            StepVerdict verdict,
            String action,
            String decidedBy,
            String reason,
            Instant stepStartedAt) {
        Long timeToDecision = "CONTINUE_BAKING".equals(action) || stepStartedAt == null
                ? null
                : Math.max(0, Duration.between(stepStartedAt, time).toSeconds());
        String tick = verdict.analysedAt() == null
                ? String.valueOf(time.toEpochMilli())
                : String.valueOf(verdict.analysedAt().toEpochMilli());
        return new DeploymentEvent(
                SCHEMA_VERSION,
                Type.STEP_VERDICT,
                deploymentId + ":verdict:" + stepIndex + ":" + tick,
                deploymentId,
                service,
                null,
                time,
                stepIndex,
                stepCount,
                canaryWeight,
                verdict.verdict().name(),
                action,
                decidedBy,
                reason,
                verdict.checks().stream().map(Check::of).toList(),
                null,
                null,
                timeToDecision,
                null);
    }

    /** The smoke test of the canary at 0 %, before the first step: its verdict (PASS or FAIL) and what it saw. */
    public static DeploymentEvent smokeTested(
            String deploymentId, String service, Instant time, boolean passed, String reason) {
        return new DeploymentEvent(
                SCHEMA_VERSION,
                Type.SMOKE_TESTED,
                deploymentId + ":smoke-tested",
                deploymentId,
                service,
                null,
                time,
                null,
                null,
                0,
                passed ? "PASS" : "FAIL",
                null,
                null,
                reason,
                null,
                null,
                null,
                null,
                null);
    }

    /**
     * One tick of the post-promotion watch: the new version at 100 % judged against the old version's
     * history, and what the watch does next ({@code CONTINUE_WATCHING}, {@code WATCH_PASSED}, {@code ROLLBACK}).
     * {@code timeToDecisionSeconds} is how long the new version had been watched.
     */
    public static DeploymentEvent watchVerdict(
            String deploymentId,
            String service,
            Instant time,
            StepVerdict verdict,
            String action,
            String decidedBy,
            String reason,
            long watchedSeconds) {
        String tick = String.valueOf((verdict.analysedAt() == null ? time : verdict.analysedAt()).toEpochMilli());
        return new DeploymentEvent(
                SCHEMA_VERSION,
                Type.WATCHING_AFTER_PROMOTION,
                deploymentId + ":watch:" + tick,
                deploymentId,
                service,
                null,
                time,
                null,
                null,
                100,
                verdict.verdict().name(),
                action,
                decidedBy,
                reason,
                verdict.checks().stream().map(Check::of).toList(),
                null,
                null,
                watchedSeconds,
                null);
    }

    /**
     * The watch decided to send all traffic back to the old version, still warm, after the promotion
     * ({@code Deployment Rolled Back} follows once the target shows it).
     */
    public static DeploymentEvent rolledBackAfterPromotion(
            String deploymentId, String service, Instant time, String reason, String decidedBy, long watchedSeconds) {
        RollbackReason why = DecisionPolicy.JUDGE.equals(decidedBy) ? RollbackReason.VERDICT : RollbackReason.OPERATOR;
        return new DeploymentEvent(
                SCHEMA_VERSION,
                Type.ROLLED_BACK_AFTER_PROMOTION,
                deploymentId + ":rolled-back-after-promotion",
                deploymentId,
                service,
                null,
                time,
                null,
                null,
                100,
                null,
                "ROLLBACK",
                decidedBy,
                reason,
                null,
                null,
                why,
                watchedSeconds,
                null);
    }

    public static DeploymentEvent awaitingApproval(
            String deploymentId, String service, Instant time, int nextStepIndex, String reason) {
        return new DeploymentEvent(
                SCHEMA_VERSION,
                Type.AWAITING_APPROVAL,
                deploymentId + ":awaiting-approval:" + nextStepIndex,
                deploymentId,
                service,
                null,
                time,
                nextStepIndex,
                null,
                null,
                null,
                null,
                null,
                reason,
                null,
                null,
                null,
                null,
                null);
    }

    /**
     * The outcome: {@code PROMOTED}, {@code ROLLED_BACK} (with why), a failure ({@code FAILED}:
     * rolled back after a failure; {@code MANUAL_INTERVENTION_REQUIRED}: the rollback itself failed)
     * or {@code DRY_RUN} (a migration dry run: nothing deployed, the reason lists what would be applied).
     */
    public static DeploymentEvent finished(
            String deploymentId,
            String service,
            Instant time,
            String status,
            String reason,
            RollbackReason rollbackReason,
            int canaryWeight,
            Instant startedAt) {
        Type type = switch (status) {
            case "PROMOTED" -> Type.PROMOTED;
            case "ROLLED_BACK" -> Type.ROLLED_BACK;
            case "DRY_RUN" -> Type.DRY_RUN;
            default -> Type.FAILED;
        };
        Long duration = startedAt == null
                ? null
                : Math.max(0, Duration.between(startedAt, time).toSeconds());
        return new DeploymentEvent(
                SCHEMA_VERSION,
                type,
                deploymentId + ":" + status.toLowerCase(java.util.Locale.ROOT),
                deploymentId,
                service,
                null,
                time,
                null,
                null,
                canaryWeight < 0 ? null : canaryWeight,
                null,
                null,
                null,
                reason,
                null,
                status,
                rollbackReason,
                null,
                duration);
    }

    private static DeploymentEvent of(
            Type type, String eventId, String deploymentId, String service, String executionArn, Instant time) {
        return new DeploymentEvent(
                SCHEMA_VERSION,
                type,
                eventId,
                deploymentId,
                service,
                executionArn,
                time,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** This event with what the invocation knows and the fact's publisher may not: the execution's ARN, the service. */
    public DeploymentEvent withCorrelation(String knownExecutionArn, String knownService) {
        return new DeploymentEvent(
                schemaVersion,
                type,
                eventId,
                deploymentId,
                service != null ? service : knownService,
                executionArn != null ? executionArn : knownExecutionArn,
                time,
                stepIndex,
                stepCount,
                canaryWeight,
                verdict,
                action,
                decidedBy,
                reason,
                checks,
                status,
                rollbackReason,
                timeToDecisionSeconds,
                durationSeconds,
                release);
    }
}
