package dev.tollgate.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Reads a {@link DeploymentSpec} only through {@link SpecValidator}: every function re-checks the
 * spec it is handed (a normalised spec validates to itself), so no hand-made or corrupted event
 * can reach a service with a spec that breaks a rule.
 */
public final class ValidatingSpecDeserializer extends JsonDeserializer<DeploymentSpec> {

    @Override
    public DeploymentSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonNode tree = parser.readValueAsTree();
        return new SpecValidator().validate(tree);
    }
}
