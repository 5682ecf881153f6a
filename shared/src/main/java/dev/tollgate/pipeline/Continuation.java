package dev.tollgate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.json.Json;

/**
 * What the bridge needs to find its deployment again when CodePipeline calls back: the
 * continuation token is this record as JSON (well under CodePipeline's 2048 characters).
 */
record Continuation(String executionArn, String deploymentId) {

    String token() {
        ObjectNode token = Json.MAPPER.createObjectNode();
        token.put("executionArn", executionArn);
        token.put("deploymentId", deploymentId);
        return Json.write(token);
    }

    static Continuation parse(String token) {
        JsonNode node = Json.tree(token);
        if (!node.hasNonNull("executionArn")) {
            throw new BadRequestException("the continuation token names no execution");
        }
        return new Continuation(
                node.get("executionArn").asText(), node.path("deploymentId").asText(null));
    }
}
