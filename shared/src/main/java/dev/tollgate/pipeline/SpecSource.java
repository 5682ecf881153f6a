package dev.tollgate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.errors.PipelineConfigurationException;
import dev.tollgate.json.Json;
import dev.tollgate.pipeline.PipelineJob.InputArtifact;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Finds the deployment spec a job asks for. UserParameters is JSON: either the spec itself, or a
 * reference to a file in an input artifact, {@code {"specFile": "deploy/tollgate.json"}}, with
 * optionally {@code "artifact"} (which input artifact; default the first) and {@code "deploymentId"}
 * (replaces the file's id, e.g. {@code "checkout-#{codepipeline.PipelineExecutionId}"}).
 */
public final class SpecSource {

    public static final String SPEC_FILE = "specFile";
    /**
     * CodePipeline holds an action's configuration values to 1,000 characters each
     * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html), UserParameters
     * included: an inline spec longer than that cannot be in a pipeline at all, and belongs in a file.
     */
    public static final int MAX_USER_PARAMETERS_CHARACTERS = 1_000;

    private static final Set<String> REFERENCE_FIELDS = Set.of(SPEC_FILE, "artifact", "deploymentId");

    private final ArtifactStore artifacts;

    public SpecSource(ArtifactStore artifacts) {
        this.artifacts = artifacts;
    }

    /** The spec as JSON, not yet validated; a job set up wrong throws {@link PipelineConfigurationException}. */
    public JsonNode read(PipelineJob job) {
        String parameters = job.userParameters();
        if (parameters == null || parameters.isBlank()) {
            throw new PipelineConfigurationException("UserParameters is empty: give the deployment spec as JSON, or "
                    + "{\"specFile\": \"<path in the input artifact>\"}");
        }
        int characters = parameters.codePointCount(0, parameters.length());
        if (characters > MAX_USER_PARAMETERS_CHARACTERS) {
            throw new PipelineConfigurationException(
                    String.format(
                                    java.util.Locale.ROOT,
                                    "UserParameters is %,d characters long, "
                                            + "and CodePipeline allows %,d in an action's configuration value",
                                    characters,
                                    MAX_USER_PARAMETERS_CHARACTERS)
                            + ": put the spec in a file of the input "
                            + "artifact and name it instead, {\"specFile\": \"deploy/tollgate-spec.json\"} (see docs/pipeline.md)");
        }
        JsonNode node = json(parameters, "UserParameters");
        if (!node.isObject()) {
            throw new PipelineConfigurationException("UserParameters must be a JSON object (the deployment spec, or "
                    + "{\"specFile\": ...}), found " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!node.has(SPEC_FILE)) {
            return node;
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!REFERENCE_FIELDS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new PipelineConfigurationException("UserParameters names a specFile and also has " + unknown
                    + "; with specFile only \"artifact\" and \"deploymentId\" are allowed");
        }
        String path = node.path(SPEC_FILE).asText("");
        if (path.isBlank()) {
            throw new PipelineConfigurationException("UserParameters.specFile is empty");
        }
        InputArtifact artifact = artifact(job, node.path("artifact").asText(null));
        String text = artifacts
                .readFile(artifact, job.credentials(), path)
                .orElseThrow(() -> new PipelineConfigurationException(
                        "the input artifact " + artifact.name() + " has no file " + path));
        JsonNode spec = json(text, path + " in the input artifact " + artifact.name());
        if (node.hasNonNull("deploymentId") && spec.isObject()) {
            ((ObjectNode) spec).put("deploymentId", node.get("deploymentId").asText());
        }
        return spec;
    }

    private static InputArtifact artifact(PipelineJob job, String name) {
        if (job.inputArtifacts().isEmpty()) {
            throw new PipelineConfigurationException(
                    "UserParameters names a specFile but the action has no input artifact");
        }
        if (name == null) {
            return job.inputArtifacts().get(0);
        }
        return job.inputArtifacts().stream()
                .filter(artifact -> name.equals(artifact.name()))
                .findFirst()
                .orElseThrow(() -> new PipelineConfigurationException("no input artifact named " + name
                        + "; the action has "
                        + job.inputArtifacts().stream().map(InputArtifact::name).toList()));
    }

    private static JsonNode json(String text, String what) {
        try {
            return Json.tree(text);
        } catch (BadRequestException notJson) {
            throw new PipelineConfigurationException(what + " is not JSON: " + notJson.getMessage());
        }
    }
}
