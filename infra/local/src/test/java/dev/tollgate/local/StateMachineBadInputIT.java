package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.json.Json;
import dev.tollgate.ops.HistoryReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Broken specs started on the real state machine: every one must fail at ValidateRequest with the
 * InvalidSpec error and no stack trace, having locked nothing, recorded nothing and moved nothing.
 */
class StateMachineBadInputIT {

    private static final int SPECS = 40;

    @Test
    void brokenSpecsFailAtValidationWithoutAnySideEffect() throws Exception {
        LocalStack stack = SharedLocalStack.get();
        EcsAlbFixture fixture = EcsAlbFixture.create(stack, "fuzz-sm");
        Random random = new Random(2026);
        SfnClient sfn = stack.sfn();
        List<String> executions = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        for (int i = 0; i < SPECS; i++) {
            ObjectNode spec = DemoSpecs.ecsAlb("fuzz-sm-" + i, fixture, "fuzz-sm-alarm");
            descriptions.add(breakSpec(spec, random));
            String name = "fuzz-sm-" + i;
            executions.add(sfn.startExecution(start -> start.stateMachineArn(stack.stateMachineArn())
                            .name(name)
                            .input(Json.write(spec)))
                    .executionArn());
        }
        DynamoDeploymentStore store =
                new DynamoDeploymentStore(stack.clients().build(DynamoDbClient.builder()), LocalStack.TABLE_NAME);
        for (int i = 0; i < SPECS; i++) {
            DescribeExecutionResponse execution = await(sfn, executions.get(i));
            String context = descriptions.get(i) + " -> " + execution.error() + " " + execution.cause();
            assertEquals(ExecutionStatus.FAILED, execution.status(), context);
            assertEquals("dev.tollgate.errors.InvalidSpecException", execution.error(), context);
            assertTrue(HistoryReport.errorMessage(execution.cause()).startsWith("invalid deployment spec, "), context);
            assertFalse(execution.cause().contains("\"stackTrace\":[\""), context);
            assertTrue(store.find("fuzz-sm-" + i).isEmpty(), "no record: " + context);
        }
        assertTrue(store.lockHolder("fuzz-sm").isEmpty());
        System.out.println("broken specs started on the state machine: " + SPECS);
    }

    private static DescribeExecutionResponse await(SfnClient sfn, String executionArn) throws InterruptedException {
        for (int attempt = 0; attempt < 300; attempt++) {
            DescribeExecutionResponse execution = sfn.describeExecution(d -> d.executionArn(executionArn));
            if (execution.status() != ExecutionStatus.RUNNING) {
                return execution;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(executionArn + " still running");
    }

    /** One to three faults a user could make, each of which breaks a rule; returns what was done. */
    private static String breakSpec(ObjectNode spec, Random random) {
        List<String> done = new ArrayList<>();
        int faults = 1 + random.nextInt(3);
        for (int i = 0; i < faults; i++) {
            ArrayNode steps = (ArrayNode) spec.path("steps");
            ObjectNode analysis = (ObjectNode) spec.path("analysis");
            ObjectNode target = (ObjectNode) spec.path("target");
            int fault = steps.size() == 0 ? random.nextInt(2) * 3 : random.nextInt(10);
            switch (fault) {
                case 0 -> {
                    spec.remove("service");
                    done.add("no service");
                }
                case 1 -> {
                    ((ObjectNode) steps.get(0)).put("weight", 0);
                    done.add("weight 0");
                }
                case 2 -> {
                    ((ObjectNode) steps.get(steps.size() - 1)).put("weight", 90);
                    done.add("last weight 90");
                }
                case 3 -> {
                    target.put("listenerArn", "arn:aws:elasticloadbalancing:nowhere");
                    done.add("bad listener ARN");
                }
                case 4 -> {
                    analysis.put("periodSeconds", 7);
                    done.add("period 7");
                }
                case 5 -> {
                    ((ObjectNode) analysis.path("metrics").get(0)).put("tolerance", "ten percent");
                    done.add("tolerance string");
                }
                case 6 -> {
                    spec.put("deploymentId", "has spaces " + random.nextInt());
                    done.add("id with spaces");
                }
                case 7 -> {
                    ((ObjectNode) steps.get(0)).put("bakeSecond", 30);
                    done.add("typo bakeSecond");
                }
                case 8 -> {
                    target.put("type", "KUBERNETES");
                    done.add("unknown target type");
                }
                default -> {
                    spec.set("steps", Json.MAPPER.createArrayNode());
                    done.add("no steps");
                }
            }
        }
        return String.join(", ", done);
    }
}
