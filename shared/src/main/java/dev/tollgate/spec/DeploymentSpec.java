package dev.tollgate.spec;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/**
 * A validated, normalised deployment request: the state machine's input after {@code ValidateRequest}.
 * Every default is filled in, so no later step needs to know them.
 */
@JsonDeserialize(using = ValidatingSpecDeserializer.class)
public record DeploymentSpec(
        String deploymentId,
        String service,
        Target target,
        List<SecretRef> secrets,
        MigrationSpec migrations,
        List<StepSpec> steps,
        AnalysisSpec analysis,
        boolean override) {

    public DeploymentSpec {
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        steps = List.copyOf(steps);
    }

    public StepSpec step(int stepIndex) {
        return steps.get(stepIndex);
    }

    /** The index of the final, 100 % step: reaching it is the promotion. */
    public int promotionStepIndex() {
        return steps.size() - 1;
    }
}
