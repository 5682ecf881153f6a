package dev.tollgate.decision;

import dev.tollgate.judge.StepVerdict;
import dev.tollgate.judge.Verdict;
import dev.tollgate.spec.AnalysisSpec.InconclusivePolicy;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.StepSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a verdict into the next action (DESIGN section 5): a FAIL rolls back at once; a PASS
 * moves on only after the bake time and the minimum sample; an undecided step bakes on until
 * {@code maxBakeSeconds}, then the spec's {@code onInconclusive} applies. An operator's abort or
 * promotion overrides the judge.
 */
public final class DecisionPolicy {

    public static final String JUDGE = "judge";

    public Decision decide(
            DeploymentSpec spec,
            StepProgress progress,
            StepVerdict verdict,
            Optional<OperatorRequest> operatorRequest,
            Instant now) {
        int stepIndex = progress.stepIndex();
        StepSpec step = spec.step(stepIndex);
        if (operatorRequest.isPresent()) {
            OperatorRequest request = operatorRequest.get();
            String why = request.reason() == null || request.reason().isBlank() ? "" : ": " + request.reason();
            return switch (request.kind()) {
                case ABORT ->
                    new Decision(
                            Action.ROLLBACK,
                            "aborted by " + request.requestedBy() + why,
                            stepIndex,
                            request.requestedBy());
                case PROMOTE ->
                    new Decision(
                            Action.PROMOTE,
                            "promoted by " + request.requestedBy() + why,
                            spec.promotionStepIndex(),
                            request.requestedBy());
            };
        }
        if (verdict.verdict() == Verdict.FAIL) {
            return new Decision(
                    Action.ROLLBACK,
                    "step " + stepNumber(spec, stepIndex) + " failed: " + verdict.reason(),
                    stepIndex,
                    JUDGE);
        }
        long elapsed = progress.elapsedSeconds(now);
        if (elapsed < step.bakeSeconds()) {
            return new Decision(
                    Action.CONTINUE_BAKING,
                    "baking " + elapsed + "s of " + step.bakeSeconds() + "s; " + describe(verdict),
                    stepIndex,
                    JUDGE);
        }
        if (verdict.verdict() == Verdict.PASS && verdict.minimumSampleReached()) {
            return passed(spec, stepIndex, step, verdict);
        }
        if (elapsed < step.maxBakeSeconds()) {
            return new Decision(
                    Action.CONTINUE_BAKING,
                    "bake time over but undecided, baking on up to " + step.maxBakeSeconds() + "s: " + verdict.reason(),
                    stepIndex,
                    JUDGE);
        }
        String undecided =
                "step " + stepNumber(spec, stepIndex) + " undecided after " + elapsed + "s: " + verdict.reason();
        return spec.analysis().onInconclusive() == InconclusivePolicy.ROLLBACK
                ? new Decision(Action.ROLLBACK, undecided, stepIndex, JUDGE)
                : new Decision(
                        Action.AWAIT_APPROVAL,
                        undecided + "; paused for a human decision",
                        stepIndex + 1,
                        JUDGE,
                        afterApproval(spec, stepIndex + 1));
    }

    private static Decision passed(DeploymentSpec spec, int stepIndex, StepSpec step, StepVerdict verdict) {
        int nextStepIndex = stepIndex + 1;
        String passed = "step " + stepNumber(spec, stepIndex) + " passed: " + verdict.reason();
        if (step.approval()) {
            return new Decision(
                    Action.AWAIT_APPROVAL,
                    passed + "; waiting for approval",
                    nextStepIndex,
                    JUDGE,
                    afterApproval(spec, nextStepIndex));
        }
        return new Decision(afterApproval(spec, nextStepIndex), passed, nextStepIndex, JUDGE);
    }

    private static Action afterApproval(DeploymentSpec spec, int nextStepIndex) {
        return nextStepIndex == spec.promotionStepIndex() ? Action.PROMOTE : Action.NEXT_STEP;
    }

    private static String describe(StepVerdict verdict) {
        return verdict.verdict() + " so far: " + verdict.reason();
    }

    static String stepNumber(DeploymentSpec spec, int stepIndex) {
        return (stepIndex + 1) + "/" + spec.steps().size() + " ("
                + spec.step(stepIndex).weight() + " %)";
    }
}
