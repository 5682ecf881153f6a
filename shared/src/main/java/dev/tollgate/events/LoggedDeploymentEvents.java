package dev.tollgate.events;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Tells each fact in the function's log at INFO: one line an operator reads, with the invocation's keys. */
public final class LoggedDeploymentEvents implements DeploymentEvents {

    private static final Logger LOG = LogManager.getLogger(LoggedDeploymentEvents.class);

    @Override
    public void publish(DeploymentEvent event) {
        LOG.info("{}: {}", event.type().detailType(), summary(event));
    }

    static String summary(DeploymentEvent event) {
        String step = event.stepIndex() == null
                ? ""
                : "step " + (event.stepIndex() + 1) + (event.stepCount() == null ? "" : "/" + event.stepCount());
        return switch (event.type()) {
            case STARTED -> event.deploymentId() + " of " + event.service();
            case STEP_SHIFTED -> step + ", canary at " + event.canaryWeight() + " %";
            case STEP_VERDICT ->
                step + " " + event.verdict() + " -> " + event.action() + " (" + event.reason() + ")"
                        + (event.timeToDecisionSeconds() == null
                                ? ""
                                : ", decided after " + event.timeToDecisionSeconds() + " s");
            case SMOKE_TESTED -> "smoke test at 0 % " + event.verdict() + ": " + event.reason();
            case WATCHING_AFTER_PROMOTION ->
                "after the promotion, watched " + event.timeToDecisionSeconds() + " s: " + event.verdict() + " -> "
                        + event.action() + " (" + event.reason() + ")";
            case ROLLED_BACK_AFTER_PROMOTION ->
                "after " + event.timeToDecisionSeconds() + " s of watch, by " + event.decidedBy() + ": "
                        + event.reason();
            case AWAITING_APPROVAL -> "before step " + (event.stepIndex() + 1) + ": " + event.reason();
            case PROMOTED, ROLLED_BACK, FAILED, DRY_RUN ->
                event.status()
                        + (event.rollbackReason() == null
                                ? ""
                                : " (" + event.rollbackReason().label() + ")") + ": " + event.reason()
                        + (event.durationSeconds() == null ? "" : ", after " + event.durationSeconds() + " s");
            case WAVE_STARTED, WAVE_PROMOTED, RELEASE_HALTED, RELEASE_PROMOTED ->
                "release " + event.deploymentId() + " " + event.status() + ": " + event.reason();
        };
    }
}
