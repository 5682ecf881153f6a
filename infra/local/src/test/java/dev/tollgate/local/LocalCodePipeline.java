package dev.tollgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Plays CodePipeline against the local stack, as the Lambda invoke action does: creates a job in
 * moto's job store (the launcher's test route), invokes the bridge function with the job event built
 * from GetJobDetails, reads how the job was answered, and for an answer with a continuation token
 * creates the next job carrying it, until the action succeeds or fails.
 */
final class LocalCodePipeline {

    static final String BRIDGE = "PipelineBridgeFunction";
    static final String ARTIFACT_BUCKET = "codepipeline-us-east-1-artifacts";

    private final LocalStack stack;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final java.util.Map<String, ObjectNode> createdJobs = new java.util.concurrent.ConcurrentHashMap<>();

    LocalCodePipeline(LocalStack stack) {
        this.stack = stack;
    }

    /** How a job was answered: every answer CodePipeline got, in order (refused ones too), and the job's status. */
    record JobRecord(String jobId, String status, List<JsonNode> answers) {
        JsonNode accepted() {
            return answers.stream()
                    .filter(answer -> answer.path("accepted").asBoolean())
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** The whole action: every job of it, first call and continuations. */
    record ActionRun(List<JobRecord> jobs) {
        JobRecord last() {
            return jobs.get(jobs.size() - 1);
        }
    }

    /** A job's data as CodePipeline builds it for a Lambda invoke action. */
    static ObjectNode jobData(String userParameters, String artifactKey) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        ObjectNode configuration = data.putObject("actionConfiguration").putObject("configuration");
        configuration.put("FunctionName", BRIDGE);
        if (userParameters != null) {
            configuration.put("UserParameters", userParameters);
        }
        ArrayNode inputs = data.putArray("inputArtifacts");
        if (artifactKey != null) {
            ObjectNode artifact = inputs.addObject();
            artifact.put("name", "BuildOutput");
            ObjectNode location = artifact.putObject("location");
            location.put("type", "S3");
            location.putObject("s3Location").put("bucketName", ARTIFACT_BUCKET).put("objectKey", artifactKey);
        }
        data.putArray("outputArtifacts");
        data.putObject("artifactCredentials")
                .put("accessKeyId", "local-artifact-key-id")
                .put("secretAccessKey", "local")
                .put("sessionToken", "local-session");
        return data;
    }

    String createJob(ObjectNode data) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("accountId", LocalStack.ACCOUNT);
        body.set("data", data);
        String jobId = Json.tree(send(HttpRequest.newBuilder(moto("/moto-api/tollgate/codepipeline/jobs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                        .build()))
                .path("id")
                .asText();
        createdJobs.put(jobId, data.deepCopy());
        return jobId;
    }

    JobRecord job(String jobId) {
        JsonNode view = Json.tree(send(HttpRequest.newBuilder(moto("/moto-api/tollgate/codepipeline/jobs?id=" + jobId))
                .GET()
                .build()));
        List<JsonNode> answers = new ArrayList<>();
        view.path("answers").forEach(answers::add);
        return new JobRecord(jobId, view.path("status").asText(), answers);
    }

    /** The event CodePipeline sends the function: the job as GetJobDetails knows it, with the data it was created with. */
    String event(String jobId) {
        try (CodePipelineClient codePipeline = stack.clients().build(CodePipelineClient.builder())) {
            var details = codePipeline.getJobDetails(get -> get.jobId(jobId)).jobDetails();
            ObjectNode job = Json.MAPPER.createObjectNode();
            job.put("id", details.id());
            job.put("accountId", details.accountId());
            job.set("data", createdJobs.get(jobId));
            ObjectNode event = Json.MAPPER.createObjectNode();
            event.set("CodePipeline.job", job);
            return Json.write(event);
        }
    }

    /** Invokes the bridge as CodePipeline does, through the local Lambda endpoint; answers the function's response. */
    JsonNode invoke(String jobId) {
        return Json.tree(send(HttpRequest.newBuilder(
                        URI.create(stack.lambdaEndpoint().uri() + "/2015-03-31/functions/" + BRIDGE + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString(event(jobId)))
                .build()));
    }

    /** Runs the action to its end: first job, then a continuation job every {@code pause} while the answer says in progress. */
    ActionRun run(ObjectNode firstJobData, Duration pause, Duration timeout) throws InterruptedException {
        List<JobRecord> jobs = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        ObjectNode data = firstJobData;
        while (true) {
            String jobId = createJob(data);
            invoke(jobId);
            JobRecord record = job(jobId);
            jobs.add(record);
            JsonNode answer = record.accepted();
            String token = answer.path("continuationToken").asText(null);
            if (!"Succeeded".equals(record.status())
                    || token == null
                    || token.isEmpty()
                    || System.nanoTime() > deadline) {
                return new ActionRun(jobs);
            }
            Thread.sleep(pause.toMillis());
            data = firstJobData.deepCopy();
            data.put("continuationToken", token);
        }
    }

    /** Uploads a zip holding {@code path} with {@code content} as an input artifact; answers its object key. */
    String uploadArtifact(String key, String path, String content) {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            zip.putNextEntry(new ZipEntry(path));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (S3Client s3 = stack.clients().build(S3Client.builder().forcePathStyle(true))) {
            if (!s3.listBuckets().buckets().stream()
                    .anyMatch(bucket -> bucket.name().equals(ARTIFACT_BUCKET))) {
                s3.createBucket(create -> create.bucket(ARTIFACT_BUCKET));
            }
            s3.putObject(put -> put.bucket(ARTIFACT_BUCKET).key(key), RequestBody.fromBytes(zipped.toByteArray()));
        }
        return key;
    }

    private URI moto(String path) {
        return URI.create(stack.moto().endpoint() + path);
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(
                        request.uri() + " answered HTTP " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
