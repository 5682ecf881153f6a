package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.fakes.RefusingAwsEndpoint;
import dev.tollgate.priming.Priming;
import dev.tollgate.priming.SampleAnswers;
import dev.tollgate.priming.SampleAnswers.SampleRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * While priming serves a sample, each call gets the answer written down for it (the n-th call its numbered answer),
 * parsed by the SDK like AWS's own; a call with none written gets an empty success and is reported; nothing is sent.
 * The answers used here are in this module's test resources, under {@code answers/answers-test/}.
 */
class SampleAnswersTest {

    private RefusingAwsEndpoint aws;
    private DynamoDbClient dynamo;
    private ElasticLoadBalancingV2Client elb;

    @BeforeEach
    void startAws() {
        aws = new RefusingAwsEndpoint();
        AwsClients clients = new AwsClients(
                new FunctionEnvironment(Map.of("AWS_REGION", "us-east-1", AwsClients.ENDPOINT_URL, aws.url())));
        dynamo = clients.build(DynamoDbClient.builder());
        elb = clients.build(ElasticLoadBalancingV2Client.builder());
    }

    @AfterEach
    void stopAws() {
        aws.close();
    }

    @Test
    void eachCallGetsItsWrittenAnswerInOrderAndAnUnwrittenOneIsReported() {
        AtomicReference<Map<String, AttributeValue>> item = new AtomicReference<>();
        List<Integer> listenerPorts = new ArrayList<>();
        AtomicReference<SampleRun> run = new AtomicReference<>();

        Priming.run(() -> run.set(SampleAnswers.serve("answers-test.json", () -> {
            item.set(dynamo.getItem(get -> get.tableName("deployments")
                            .key(Map.of("pk", AttributeValue.fromS("DEPLOYMENT#answers-test"))))
                    .item());
            for (int call = 0; call < 2; call++) {
                listenerPorts.add(elb.describeListeners(describe -> describe.listenerArns("arn"))
                        .listeners()
                        .get(0)
                        .port());
            }
            return dynamo.deleteTable(delete -> delete.tableName("deployments"));
        })));

        assertEquals("RUNNING", item.get().get("status").s(), "the JSON answer, parsed by the SDK");
        assertEquals(List.of(95, 75), listenerPorts, "the query protocol's numbered answers, one per call");
        assertEquals(
                List.of(
                        "DynamoDB_20120810.GetItem",
                        "elasticloadbalancing.DescribeListeners",
                        "elasticloadbalancing.DescribeListeners"),
                run.get().answered());
        assertEquals(List.of("DynamoDB_20120810.DeleteTable"), run.get().unanswered());
        assertTrue(run.get().ranToItsEnd(), run.get().endedBy());
        assertEquals(0, aws.requestsReceived(), "nothing reached AWS");
    }

    @Test
    void aFailureEndsTheRunAndIsReported() {
        AtomicReference<SampleRun> run = new AtomicReference<>();

        Priming.run(() -> run.set(SampleAnswers.serve("answers-test.json", () -> {
            throw new IllegalStateException("no listener");
        })));

        assertFalse(run.get().ranToItsEnd());
        assertEquals("java.lang.IllegalStateException: no listener", run.get().endedBy());
    }

    @Test
    void outsideASampleEveryCallIsAnsweredEmpty() {
        AtomicReference<Map<String, AttributeValue>> item = new AtomicReference<>();

        Priming.run(() -> item.set(dynamo.getItem(get ->
                        get.tableName("deployments").key(Map.of("pk", AttributeValue.fromS("DEPLOYMENT#answers-test"))))
                .item()));

        assertTrue(item.get().isEmpty(), "no sample is served: an empty success");
        assertNull(SampleRun.NONE.sample());
        assertEquals(0, aws.requestsReceived());
    }
}
