package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tollgate invoke} on every sample under {@code events/} (the state machine's inputs aside),
 * each in its function's own JVM under the runtime interface client, against the local stack's moto
 * with the local stack's names. A sample whose function can act on an empty stack answers with its
 * result; one that names resources the stack does not have (the sample's ECS cluster, listener,
 * secret, pipeline job, CodeDeploy deployment) fails as Lambda reports it, with the error type the
 * state machine would see.
 */
class InvokeCommandIT {

    /** What a sample must produce: a response with these fields, or an error document of this type whose message says this. */
    private record Expected(
            String function, List<String> responseFields, String errorType, String errorMessageContains) {
        static Expected responds(String function, String... fields) {
            return new Expected(function, List.of(fields), null, null);
        }

        static Expected fails(String function, String errorType, String errorMessageContains) {
            return new Expected(function, List.of(), errorType, errorMessageContains);
        }
    }

    private static final String AWS_CALL_FAILED = "dev.tollgate.errors.AwsCallFailedException";
    private static final String NEVER_DEPLOYED = "dev.tollgate.errors.TargetStateConflictException";
    private static final String SECRET_NOT_FOUND = "dev.tollgate.secrets.SecretNotFoundException";

    /** In the order they run: the lock's release after its acquire. */
    private static final Map<String, Expected> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("validate-request.json", Expected.responds("ValidateRequestFunction", "spec"));
        SAMPLES.put(
                "deployment-lock-acquire.json",
                Expected.responds("DeploymentLockFunction", "action", "service", "deploymentId"));
        SAMPLES.put(
                "deployment-lock-release.json",
                Expected.responds("DeploymentLockFunction", "action", "service", "deploymentId"));
        // Fail closed: the stack has no metrics of the sample's live version, so its budget is unknown.
        SAMPLES.put(
                "check-error-budget.json",
                Expected.fails(
                        "CheckErrorBudgetFunction",
                        "dev.tollgate.errors.ErrorBudgetExhaustedException",
                        "its error budget is unknown"));
        SAMPLES.put(
                "fetch-secrets.json",
                Expected.fails("FetchSecretsFunction", SECRET_NOT_FOUND, "'prod/checkout/db' does not exist"));
        SAMPLES.put("run-migrations.json", Expected.responds("RunMigrationsFunction", "mode", "done", "summary"));
        SAMPLES.put(
                "run-migrations-flyway.json",
                Expected.fails("RunMigrationsFunction", SECRET_NOT_FOUND, "does not exist"));
        SAMPLES.put(
                "run-migrations-ecs-task.json",
                Expected.fails("RunMigrationsFunction", AWS_CALL_FAILED, "Unable to describe task definition"));
        SAMPLES.put("deploy-canary.json", Expected.fails("DeployCanaryFunction", AWS_CALL_FAILED, "ListenerNotFound"));
        SAMPLES.put(
                "deploy-canary-check-health.json",
                Expected.fails("DeployCanaryFunction", NEVER_DEPLOYED, "never deployed"));
        SAMPLES.put(
                "deploy-canary-smoke-test.json",
                Expected.fails("DeployCanaryFunction", NEVER_DEPLOYED, "never deployed"));
        SAMPLES.put("shift-traffic.json", Expected.fails("ShiftTrafficFunction", NEVER_DEPLOYED, "never deployed"));
        SAMPLES.put(
                "shift-traffic-watch.json", Expected.fails("ShiftTrafficFunction", NEVER_DEPLOYED, "never deployed"));
        SAMPLES.put("decide.json", Expected.responds("DecideFunction", "action", "reason", "verdict"));
        // A watch tick of a deployment with no record on the stack: no history to compare with, and a watch that ended
        // long ago without evidence of health rolls back (fail closed).
        SAMPLES.put(
                "decide-watch-after-promotion.json",
                Expected.responds("DecideFunction", "action", "reason", "watchedSeconds", "nextTickAt"));
        SAMPLES.put("approval.json", Expected.responds("ApprovalFunction", "deploymentId", "nextStepIndex"));
        // Its deployment (the next release, v43) has no record on the stack: no window can open for it.
        SAMPLES.put(
                "approval-rollback-window.json",
                Expected.fails(
                        "ApprovalFunction",
                        "dev.tollgate.errors.DeploymentNotRunningException",
                        "so it has no rollback window"));
        SAMPLES.put("finalize-promote.json", Expected.fails("FinalizeFunction", NEVER_DEPLOYED, "never deployed"));
        // A rollback of a canary that never got traffic has nothing to move: 100 % old, settled.
        SAMPLES.put(
                "finalize-rollback.json",
                Expected.responds("FinalizeFunction", "status", "canaryPercent", "baselinePercent", "settled"));
        SAMPLES.put(
                "finalize-rollback-after-failure.json",
                Expected.responds("FinalizeFunction", "status", "reason", "settled"));
        // A dry run that deployed nothing ends DRY_RUN: there is nothing on the target to check or move.
        SAMPLES.put(
                "finalize-dry-run.json", Expected.responds("FinalizeFunction", "status", "reason", "canaryPercent"));
        SAMPLES.put("finalize-retire.json", Expected.fails("FinalizeFunction", NEVER_DEPLOYED, "never deployed"));
        // The window's close only ends the record (already ended by the samples above, so the first outcome stands).
        SAMPLES.put(
                "finalize-close-rollback-window.json",
                Expected.responds("FinalizeFunction", "status", "reason", "drainSeconds"));
        // The bridge answers a job that exists only in a real pipeline run.
        SAMPLES.put(
                "pipeline-bridge-first-call.json",
                Expected.fails("PipelineBridgeFunction", AWS_CALL_FAILED, "JobNotFoundException"));
        SAMPLES.put(
                "pipeline-bridge-continuation.json",
                Expected.fails("PipelineBridgeFunction", AWS_CALL_FAILED, "JobNotFoundException"));
        SAMPLES.put(
                "pipeline-bridge-spec-file.json",
                Expected.fails("PipelineBridgeFunction", AWS_CALL_FAILED, "JobNotFoundException"));
        SAMPLES.put(
                "pipeline-bridge-invalid-spec.json",
                Expected.fails("PipelineBridgeFunction", AWS_CALL_FAILED, "JobNotFoundException"));
        SAMPLES.put(
                "codedeploy-hook.json",
                Expected.fails("CodeDeployHookFunction", AWS_CALL_FAILED, "DeploymentDoesNotExistException"));
    }

    /** What one run of the command printed and returned. */
    private record Run(int status, String out, String err) {
        JsonNode document() {
            return Json.tree(out.trim());
        }
    }

    private static Run invoke(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = LocalTollgate.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(arguments);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void everySampleEventGoesThroughItsFunctionInTheRuntimeInterfaceClient() throws Exception {
        LocalStack stack = SharedLocalStack.get();
        Path events = RepositoryFiles.root().resolve("events");
        try (Stream<Path> files = Files.list(events)) {
            TreeSet<String> samples = new TreeSet<>(files.map(
                            file -> file.getFileName().toString())
                    // State machine inputs and wave releases (checked by tollgate validate) are no function's event.
                    .filter(name ->
                            name.endsWith(".json") && !name.startsWith("statemachine-") && !name.startsWith("release-"))
                    .toList());
            assertEquals(samples, new TreeSet<>(SAMPLES.keySet()), "every function sample has its expectation here");
        }
        // Two at a time (the machine has two cores), each function's samples in order.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Map<String, List<String>> byFunction = new LinkedHashMap<>();
        SAMPLES.forEach((sample, expected) -> byFunction
                .computeIfAbsent(expected.function(), function -> new ArrayList<>())
                .add(sample));
        Map<String, Run> runs = new java.util.concurrent.ConcurrentHashMap<>();
        List<CompletableFuture<Void>> work = byFunction.values().stream()
                .map(samples -> CompletableFuture.runAsync(
                        () -> samples.forEach(sample -> runs.put(
                                sample,
                                invoke(
                                        "invoke",
                                        SAMPLES.get(sample).function(),
                                        "-e",
                                        events.resolve(sample).toString(),
                                        "--endpoint-url",
                                        stack.moto().endpoint().toString(),
                                        "--region",
                                        LocalStack.REGION))),
                        pool))
                .toList();
        work.forEach(CompletableFuture::join);
        pool.shutdown();

        List<String> wrong = new ArrayList<>();
        SAMPLES.forEach((sample, expected) -> {
            Run run = runs.get(sample);
            String seen = sample + " -> exit " + run.status() + ": " + run.out().trim();
            JsonNode document;
            try {
                document = run.document();
            } catch (RuntimeException notJson) {
                wrong.add(seen + " (not JSON; stderr " + run.err() + ")");
                return;
            }
            if (expected.errorType() == null) {
                boolean ok =
                        run.status() == 0 && expected.responseFields().stream().allMatch(document::has);
                if (!ok) {
                    wrong.add(seen + " (expected a response with " + expected.responseFields() + ")");
                }
            } else if (run.status() != InvokeCommand.FUNCTION_ERROR
                    || !expected.errorType().equals(document.path("errorType").asText())
                    || !document.path("errorMessage").asText().contains(expected.errorMessageContains())) {
                wrong.add(seen + " (expected " + expected.errorType() + ": ..." + expected.errorMessageContains()
                        + "...)");
            } else if (!run.err().contains("\"type\":\"platform.initStart\"")
                    || !run.err().contains("aws-lambda-java-runtime-interface-client")) {
                wrong.add(seen + " (its log does not show the runtime interface client starting: " + run.err() + ")");
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void aReferenceLeftUnresolvedIsSaidAndEnvVarsOverrideTheTemplate(@TempDir Path folder) throws IOException {
        Path envVars = folder.resolve("env.json");
        Files.writeString(
                envVars,
                "{\"Parameters\": {\"EVENT_BUS_NAME\": \"somewhere-else\"}, "
                        + "\"DeploymentLockFunction\": {\"DEPLOYMENTS_TABLE\": \"no-such-table\"}}");
        String sample = RepositoryFiles.root()
                .resolve("events")
                .resolve("deployment-lock-acquire.json")
                .toString();

        Run offline = invoke(
                "invoke",
                "ValidateRequestFunction",
                "-e",
                RepositoryFiles.root()
                        .resolve("events")
                        .resolve("validate-request.json")
                        .toString(),
                "--region",
                "eu-west-1");
        Run overridden = invoke(
                "invoke",
                "DeploymentLockFunction",
                "-e",
                sample,
                "--env-vars",
                envVars.toString(),
                "--endpoint-url",
                SharedLocalStack.get().moto().endpoint().toString());

        assertEquals(0, offline.status(), offline.out() + offline.err());
        assertTrue(
                offline.err()
                        .contains(
                                "left as the template's logical ids (as SAM does): DEPLOYMENTS_TABLE=DeploymentsTable"),
                offline.err());
        assertEquals(InvokeCommand.FUNCTION_ERROR, overridden.status(), overridden.out());
        assertTrue(
                overridden.document().path("errorMessage").asText().contains("ResourceNotFoundException"),
                overridden.out());
        assertFalse(overridden.err().contains("left as the template's logical ids"), overridden.err());
    }

    @Test
    void anUnknownFunctionIsAUsageError() {
        Run run = invoke("invoke", "NoSuchFunction", "--region", "eu-west-1");

        assertEquals(2, run.status());
        assertTrue(
                run.err().contains("no function NoSuchFunction in template.yaml; functions: ValidateRequestFunction"),
                run.err());
    }
}
