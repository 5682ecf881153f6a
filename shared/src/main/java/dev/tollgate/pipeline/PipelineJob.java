package dev.tollgate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.errors.BadRequestException;
import java.util.ArrayList;
import java.util.List;

/**
 * A CodePipeline job as the Lambda invoke action delivers it
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-invoke-lambda-function.html#actions-invoke-lambda-function-json-event-example):
 * its id, the action's UserParameters, the input artifacts in S3 with the temporary credentials to
 * read them, and the continuation token when CodePipeline calls again for a job that is in progress.
 */
public record PipelineJob(
        String jobId,
        String accountId,
        String userParameters,
        List<InputArtifact> inputArtifacts,
        ArtifactCredentials credentials,
        String continuationToken) {

    public PipelineJob {
        inputArtifacts = inputArtifacts == null ? List.of() : List.copyOf(inputArtifacts);
    }

    /** An input artifact: a zip in the pipeline's artifact bucket. */
    public record InputArtifact(String name, String bucketName, String objectKey) {}

    /** The temporary credentials CodePipeline hands over for the artifact bucket. Never printed. */
    public record ArtifactCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "ArtifactCredentials[redacted]";
        }
    }

    /** Reads {@code {"CodePipeline.job": {...}}}; a job without an id cannot even be answered, so that is a bad request. */
    public static PipelineJob fromEvent(JsonNode event) {
        JsonNode job = event == null ? null : event.get("CodePipeline.job");
        if (job == null || !job.hasNonNull("id") || job.get("id").asText().isBlank()) {
            throw new BadRequestException("not a CodePipeline job event: no \"CodePipeline.job\".id");
        }
        JsonNode data = job.path("data");
        List<InputArtifact> artifacts = new ArrayList<>();
        for (JsonNode artifact : data.path("inputArtifacts")) {
            JsonNode s3 = artifact.path("location").path("s3Location");
            artifacts.add(new InputArtifact(
                    artifact.path("name").asText(null),
                    s3.path("bucketName").asText(null),
                    s3.path("objectKey").asText(null)));
        }
        JsonNode credentials = data.path("artifactCredentials");
        ArtifactCredentials artifactCredentials = credentials.hasNonNull("accessKeyId")
                ? new ArtifactCredentials(
                        credentials.path("accessKeyId").asText(),
                        credentials.path("secretAccessKey").asText(),
                        credentials.path("sessionToken").asText(null))
                : null;
        String continuation = data.path("continuationToken").asText(null);
        return new PipelineJob(
                job.get("id").asText(),
                job.path("accountId").asText(null),
                data.path("actionConfiguration")
                        .path("configuration")
                        .path("UserParameters")
                        .asText(null),
                artifacts,
                artifactCredentials,
                continuation == null || continuation.isBlank() ? null : continuation);
    }
}
