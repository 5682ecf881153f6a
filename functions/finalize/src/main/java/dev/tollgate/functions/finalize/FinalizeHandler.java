package dev.tollgate.functions.finalize;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.json.Nullable;
import dev.tollgate.migrations.MigrationProgress;
import dev.tollgate.rollout.FinalizeService;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.AwsTrafficRouters;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Ends the deployment. {@code PROMOTE}: all traffic to the new version. {@code CLOSE_ROLLBACK_WINDOW}:
 * the promotion's rollback window ended unused, so it stands. {@code RETIRE}: after the
 * drain, stops what the old version still runs. {@code ROLLBACK}: all traffic to the old one,
 * canary stopped; {@code cause} says whether a verdict or a failure led here. {@code DRY_RUN}: a
 * migration dry run ends with nothing deployed; {@code migrations} is its report.
 */
public final class FinalizeHandler extends JsonHandler<FinalizeHandler.Request, Object> {

    /** Seconds between polls of a target that finishes a promotion or rollback by itself; the local stack sets 1. */
    public static final String POLL_SECONDS = "CANARY_POLL_SECONDS";

    private final FinalizeService finalizer;

    public FinalizeHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public FinalizeHandler(FunctionEnvironment environment) {
        this(wire(new AwsClients(environment), environment.getInt(POLL_SECONDS, 15)));
    }

    public FinalizeHandler(FinalizeService finalizer) {
        super(Request.class);
        this.finalizer = finalizer;
    }

    private static FinalizeService wire(AwsClients clients, int pollSeconds) {
        DynamoDbClient dynamo = clients.build(DynamoDbClient.builder());
        return new FinalizeService(
                AwsTrafficRouters.control(clients, dynamo, Wiring.clock()),
                new DynamoDeploymentStore(dynamo, clients.environment().require(FunctionEnvironment.TABLE_NAME)),
                Wiring.clock(),
                pollSeconds,
                Wiring.deploymentEvents(clients));
    }

    @Override
    protected String primingEvent() {
        return "finalize-promote.json";
    }

    @Override
    protected Object handle(Request request, Context context) {
        DeploymentSpec spec = required(request.spec(), "spec");
        return switch (required(request.action(), "action")) {
            case PROMOTE -> finalizer.promote(spec, required(request.reason(), "reason"));
            case RETIRE -> finalizer.retireOldVersion(spec);
            case CLOSE_ROLLBACK_WINDOW -> finalizer.closeRollbackWindow(spec);
            case ROLLBACK -> {
                Rollback rollback = required(request.rollback(), "rollback");
                boolean decided = rollback.cause() == RollbackCause.DECISION;
                yield finalizer.rollBack(
                        spec, decided ? decisionReason(rollback) : FailureReport.describe(rollback), decided);
            }
            case MANUAL_INTERVENTION ->
                finalizer.requireManualIntervention(
                        spec, FailureReport.describe(required(request.rollback(), "rollback")));
            case DRY_RUN -> {
                MigrationProgress dryRun = required(request.migrations(), "migrations");
                if (!dryRun.dryRun()) {
                    throw new BadRequestException(
                            "DRY_RUN needs a dry run's migrations; this one applied them (" + dryRun.summary() + ")");
                }
                yield finalizer.finishDryRun(spec, dryRun.summary());
            }
        };
    }

    /** A refused approval gate carries the operator's cause ("aborted by alice: ..."): keep who and why. */
    static String decisionReason(Rollback rollback) {
        String cause = rollback.errorCause();
        return cause == null || cause.isBlank() ? rollback.reason() : rollback.reason() + ": " + cause;
    }

    /**
     * PROMOTE and ROLLBACK end a deployment (a promotion with a rollback window ends at
     * CLOSE_ROLLBACK_WINDOW); RETIRE stops the old version after the drain; MANUAL_INTERVENTION
     * records that a rollback itself failed; DRY_RUN ends a migration dry run.
     */
    public enum FinalAction {
        PROMOTE,
        CLOSE_ROLLBACK_WINDOW,
        RETIRE,
        ROLLBACK,
        MANUAL_INTERVENTION,
        DRY_RUN
    }

    /** Why a rollback happens: the judge's or an operator's decision, or a failure on the way. */
    public enum RollbackCause {
        DECISION,
        FAILURE
    }

    /**
     * What led to the rollback, as the state machine's Describe* states put it: for a failure, the
     * state that failed, the error name and the cause Step Functions caught. A task's Catch writes
     * its failure under its own state's name ({@code $.failures.ShiftTraffic}), which is how the
     * rollback knows where it happened.
     */
    public record Rollback(
            RollbackCause cause,
            @Nullable String reason,
            @Nullable String state,
            @Nullable String error,
            @Nullable String errorCause,
            @Nullable java.util.Map<String, CaughtError> failures) {

        public Rollback(RollbackCause cause, String reason, String state, String error, String errorCause) {
            this(cause, reason, state, error, errorCause, null);
        }

        /** The failure to report: the one named by state, or the (single) one a Catch wrote under its state's name. */
        Rollback located() {
            if (failures == null || failures.isEmpty()) {
                return this;
            }
            java.util.Map.Entry<String, CaughtError> caught =
                    failures.entrySet().iterator().next();
            return new Rollback(
                    cause,
                    reason,
                    caught.getKey(),
                    caught.getValue().error(),
                    caught.getValue().cause(),
                    null);
        }
    }

    /** A failure as a Catch's ResultPath holds it. */
    public record CaughtError(
            @com.fasterxml.jackson.annotation.JsonProperty("Error") @Nullable
            String error,

            @com.fasterxml.jackson.annotation.JsonProperty("Cause") @Nullable
            String cause) {}

    /** {@code migrations} is RunMigrations' output, for DRY_RUN. */
    public record Request(
            FinalAction action,
            DeploymentSpec spec,
            @Nullable String reason,
            @Nullable Rollback rollback,
            @Nullable MigrationProgress migrations) {

        public Request(FinalAction action, DeploymentSpec spec, String reason, Rollback rollback) {
            this(action, spec, reason, rollback, null);
        }
    }
}
