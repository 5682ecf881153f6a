package dev.tollgate.smoke;

import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.traffic.ReleasePlan;

/** Makes the canary reachable for its smoke test without touching the production route, and says where it is. */
public interface TestEndpoints {

    /** Safe to repeat: the test route is set to the canary absolutely, never toggled. */
    TestEndpoint prepare(DeploymentSpec spec, ReleasePlan plan);
}
