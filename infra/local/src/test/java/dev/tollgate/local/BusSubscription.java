package dev.tollgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.events.EventBridgeDeploymentEvents;
import dev.tollgate.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A consumer of the deployment events of one service, as a team would subscribe on AWS: a rule on
 * the bus matching the service, delivering to its own SQS queue. What arrives is what a consumer
 * receives, envelope and all.
 */
final class BusSubscription {

    private final SqsClient sqs;
    private final String queueUrl;
    private final List<JsonNode> received = new ArrayList<>();

    private BusSubscription(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    static BusSubscription toService(LocalStack stack, String service) {
        SqsClient sqs = stack.clients().build(SqsClient.builder());
        String queueUrl =
                sqs.createQueue(create -> create.queueName("events-" + service)).queueUrl();
        String queueArn = "arn:aws:sqs:" + LocalStack.REGION + ":" + LocalStack.ACCOUNT + ":events-" + service;
        try (EventBridgeClient events = stack.clients().build(EventBridgeClient.builder())) {
            events.putRule(rule -> rule.name("deployments-of-" + service)
                    .eventBusName(LocalStack.EVENT_BUS_NAME)
                    .eventPattern("{\"source\": [\"" + EventBridgeDeploymentEvents.SOURCE
                            + "\"], \"detail\": {\"service\": [\"" + service + "\"]}}"));
            events.putTargets(targets -> targets.rule("deployments-of-" + service)
                    .eventBusName(LocalStack.EVENT_BUS_NAME)
                    .targets(target -> target.id("queue").arn(queueArn)));
        }
        return new BusSubscription(sqs, queueUrl);
    }

    /**
     * Every event received, oldest first, once the one of {@code lastDetailType} (the outcome) has arrived and
     * the queue is drained; waits up to ten seconds.
     */
    List<JsonNode> eventsThrough(String lastDetailType) throws InterruptedException {
        boolean drained = false;
        for (int attempt = 0; attempt < 40 && !(drained && arrived(lastDetailType)); attempt++) {
            var messages = sqs.receiveMessage(
                            receive -> receive.queueUrl(queueUrl).maxNumberOfMessages(10))
                    .messages();
            for (var message : messages) {
                received.add(Json.tree(message.body()));
                sqs.deleteMessage(delete -> delete.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
            drained = messages.isEmpty();
            if (drained && !arrived(lastDetailType)) {
                Thread.sleep(250);
            }
        }
        List<JsonNode> sorted = new ArrayList<>(received);
        sorted.sort(
                Comparator.comparing(event -> event.path("detail").path("time").asText()));
        return sorted;
    }

    private boolean arrived(String detailType) {
        return received.stream()
                .anyMatch(event -> detailType.equals(event.path("detail-type").asText()));
    }
}
