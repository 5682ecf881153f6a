package dev.tollgate.spec;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.tollgate.json.Nullable;
import java.util.List;

/**
 * A validated, normalised deployment request: the state machine's input after {@code ValidateRequest}.
 * Every default is filled in, so no later step needs to know them. {@code region} and {@code roleArn}
 * place the target in another region or account than Tollgate's own (absent: the function's own).
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
        boolean override,
        @Nullable AfterPromotionSpec afterPromotion,
        @Nullable SmokeTestSpec smokeTest,
        @Nullable String region,
        @Nullable String roleArn) {

    public DeploymentSpec {
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        steps = List.copyOf(steps);
    }

    /** A spec whose target is in Tollgate's own region and account. */
    public DeploymentSpec(
            String deploymentId,
            String service,
            Target target,
            List<SecretRef> secrets,
            MigrationSpec migrations,
            List<StepSpec> steps,
            AnalysisSpec analysis,
            boolean override,
            @Nullable AfterPromotionSpec afterPromotion,
            @Nullable SmokeTestSpec smokeTest) {
        this(
                deploymentId,
                service,
                target,
                secrets,
                migrations,
                steps,
                analysis,
                override,
                afterPromotion,
                smokeTest,
                null,
                null);
    }

    /** A spec with nothing after the promotion. */
    public DeploymentSpec(
            String deploymentId,
            String service,
            Target target,
            List<SecretRef> secrets,
            MigrationSpec migrations,
            List<StepSpec> steps,
            AnalysisSpec analysis,
            boolean override) {
        this(deploymentId, service, target, secrets, migrations, steps, analysis, override, null, null, null, null);
    }

    /** A spec without a smoke test. */
    public DeploymentSpec(
            String deploymentId,
            String service,
            Target target,
            List<SecretRef> secrets,
            MigrationSpec migrations,
            List<StepSpec> steps,
            AnalysisSpec analysis,
            boolean override,
            AfterPromotionSpec afterPromotion) {
        this(
                deploymentId,
                service,
                target,
                secrets,
                migrations,
                steps,
                analysis,
                override,
                afterPromotion,
                null,
                null,
                null);
    }

    public StepSpec step(int stepIndex) {
        return steps.get(stepIndex);
    }

    /** How long the old version stays able to serve after the promotion; 0 when the spec keeps no rollback window. */
    public int rollbackWindowSeconds() {
        return afterPromotion == null ? 0 : afterPromotion.rollbackWindowSeconds();
    }

    /** How long the new version is judged at 100 % after the promotion; 0 when the spec keeps no watch. */
    public int watchSeconds() {
        return afterPromotion == null ? 0 : afterPromotion.watchSeconds();
    }

    /** The index of the final, 100 % step: reaching it is the promotion. */
    public int promotionStepIndex() {
        return steps.size() - 1;
    }
}
