package dev.tollgate.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import dev.tollgate.spec.DeploymentSpec;
import java.util.List;
import java.util.Map;

/**
 * Pins the release into the spec once the canary is deployed: metric dimensions written with a
 * placeholder ({@code {canaryVersion}}, {@code {canaryTargetGroup}}, ...) get the value the plan
 * resolved, so the judge reads the right series although the version number or the live side
 * was unknown when the spec was written.
 */
public final class ReleasePins {

    private ReleasePins() {}

    public static DeploymentSpec pin(DeploymentSpec spec, Map<String, String> releaseNames) {
        ObjectNode tree = Json.MAPPER.valueToTree(spec);
        JsonNode analysis = tree.path("analysis");
        boolean changed = substitute(analysis, releaseNames);
        for (JsonNode metric : analysis.path("metrics")) {
            changed |= substitute(metric, releaseNames);
        }
        return changed ? Json.convert(tree, DeploymentSpec.class) : spec;
    }

    private static boolean substitute(JsonNode node, Map<String, String> releaseNames) {
        boolean changed = false;
        for (String side : new String[] {"canaryDimensions", "baselineDimensions"}) {
            if (!(node.get(side) instanceof ObjectNode dimensions)) {
                continue;
            }
            // A snapshot of the names: the loop replaces values in the node it reads.
            List<String> names =
                    dimensions.properties().stream().map(Map.Entry::getKey).toList();
            for (String dimension : names) {
                String value = dimensions.get(dimension).asText();
                String pinned = value;
                for (Map.Entry<String, String> name : releaseNames.entrySet()) {
                    pinned = pinned.replace("{" + name.getKey() + "}", name.getValue());
                }
                if (!pinned.equals(value)) {
                    dimensions.put(dimension, pinned);
                    changed = true;
                }
            }
        }
        return changed;
    }
}
