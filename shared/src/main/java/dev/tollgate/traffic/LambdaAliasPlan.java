package dev.tollgate.traffic;

import java.util.LinkedHashMap;
import java.util.Map;

/** A LAMBDA_ALIAS release: the version the alias serves (baseline) and the published version weighted in beside it. */
public record LambdaAliasPlan(
        String deploymentId, String functionName, String alias, String baselineVersion, String canaryVersion)
        implements ReleasePlan {

    @Override
    public Map<String, String> releaseNames() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("baselineVersion", baselineVersion);
        if (canaryVersion != null) {
            names.put("canaryVersion", canaryVersion);
        }
        return names;
    }

    public LambdaAliasPlan withCanaryVersion(String version) {
        return new LambdaAliasPlan(deploymentId, functionName, alias, baselineVersion, version);
    }
}
