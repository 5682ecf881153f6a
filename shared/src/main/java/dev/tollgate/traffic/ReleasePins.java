package dev.tollgate.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import dev.tollgate.spec.DeploymentSpec;
import java.util.Iterator;
import java.util.Map;

/**
 * Pins the release into the spec once the canary is deployed: metric dimensions written with a
 * placeholder ({@code {canaryVersion}}, {@code {canaryTargetGroup}}, ...) get the value the plan
 * resolved, so the judge reads the right series although the version number or the live side
 * was unknown when the spec was written.
 */
public final class ReleasePins {

    private ReleasePins() {
    }

    public static DeploymentSpec pin(DeploymentSpec spec, Map<String, String> releaseNames) {
        ObjectNode tree = Json.MAPPER.valueToTree(spec);
        JsonNode analysis = tree.path("analysis");
        boolean changed = substitute(analysis, releaseNames);
        for (JsonNode metric : analysis.path("metrics")) {
            changed |= substitute(metric, releaseNames);
        }
        return changed ? Json.convert(tree, DeploymentSpec.class) : spec;
    }

    private static boolean substitute(JsonNode node, Map<String, String> names) {
        boolean changed = false;
        for (String side : new String[] {"canaryDimensions", "baselineDimensions"}) {
            if (!(node.get(side) instanceof ObjectNode dimensions)) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = dimensions.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> dimension = fields.next();
                String value = dimension.getValue().asText();
                String pinned = value;
                for (Map.Entry<String, String> name : names.entrySet()) {
                    pinned = pinned.replace("{" + name.getKey() + "}", name.getValue());
                }
                if (!pinned.equals(value)) {
                    dimension.setValue(Json.MAPPER.getNodeFactory().textNode(pinned));
                    changed = true;
                }
            }
        }
        return changed;
    }
}
