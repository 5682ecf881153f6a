package dev.tollgate.traffic;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.aws.AwsErrors;
import dev.tollgate.errors.DeploymentNotRunningException;
import dev.tollgate.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The traffic record in the deployments table, as two attributes of the deployment's item
 * ({@code pk = DEPLOYMENT#id}): {@code traffic}, the {@link TrafficRecord} as JSON, and
 * {@code lifecycleHooks}, a string set of parked CodeDeploy hook executions. Every write requires
 * the item to exist, so nothing is written for a deployment that never took its lock.
 */
public final class DynamoTrafficLedger implements TrafficLedger {

    private static final String KEY = "pk";
    private static final String TRAFFIC = "traffic";
    private static final String HOOKS = "lifecycleHooks";

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoTrafficLedger(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    private static Map<String, AttributeValue> key(String deploymentId) {
        return Map.of(
                KEY, AttributeValue.builder().s("DEPLOYMENT#" + deploymentId).build());
    }

    @Override
    public Optional<TrafficRecord> find(String deploymentId) {
        Map<String, AttributeValue> item = get(deploymentId, TRAFFIC);
        AttributeValue traffic = item.get(TRAFFIC);
        return traffic == null || traffic.s() == null
                ? Optional.empty()
                : Optional.of(Json.read(traffic.s(), TrafficRecord.class));
    }

    @Override
    public void save(String deploymentId, TrafficRecord record) {
        update(
                deploymentId,
                "SET #traffic = :traffic",
                Map.of("#traffic", TRAFFIC),
                Map.of(
                        ":traffic",
                        AttributeValue.builder().s(Json.write(record)).build()),
                "traffic record");
    }

    @Override
    public void parkLifecycleHook(String deploymentId, String hookExecutionId, Instant at) {
        update(
                deploymentId,
                "ADD #hooks :ids",
                Map.of("#hooks", HOOKS),
                Map.of(":ids", AttributeValue.builder().ss(hookExecutionId).build()),
                "lifecycle hook");
    }

    @Override
    public List<String> parkedLifecycleHooks(String deploymentId) {
        AttributeValue hooks = get(deploymentId, HOOKS).get(HOOKS);
        return hooks == null || !hooks.hasSs() ? List.of() : List.copyOf(hooks.ss());
    }

    @Override
    public void clearLifecycleHook(String deploymentId, String hookExecutionId) {
        update(
                deploymentId,
                "DELETE #hooks :ids",
                Map.of("#hooks", HOOKS),
                Map.of(":ids", AttributeValue.builder().ss(hookExecutionId).build()),
                "lifecycle hook");
    }

    private Map<String, AttributeValue> get(String deploymentId, String attribute) {
        GetItemResponse response = call(
                "DynamoDB GetItem (" + attribute + ")",
                () -> dynamo.getItem(get -> get.tableName(tableName)
                        .key(key(deploymentId))
                        .consistentRead(true)
                        .projectionExpression("#a")
                        .expressionAttributeNames(Map.of("#a", attribute))));
        return response.hasItem() ? response.item() : Map.of();
    }

    private void update(
            String deploymentId,
            String expression,
            Map<String, String> names,
            Map<String, AttributeValue> values,
            String what) {
        try {
            dynamo.updateItem(update -> update.tableName(tableName)
                    .key(key(deploymentId))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException missing) {
            throw new DeploymentNotRunningException(
                    "deployment " + deploymentId + " has no record to keep its " + what + " on");
        } catch (SdkException failure) {
            throw AwsErrors.translate("DynamoDB UpdateItem (" + what + ")", failure);
        }
    }
}
