package dev.tollgate.deployment;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.aws.AwsErrors;
import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.errors.DeploymentIdInUseException;
import dev.tollgate.errors.DeploymentNotRunningException;
import dev.tollgate.errors.LockHeldException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The deployments table in DynamoDB. One item per service lock ({@code LOCK#service}) and one per
 * deployment ({@code DEPLOYMENT#id}); the partition key {@code pk} is the only key. Deployment
 * items also carry {@code recordType = DEPLOYMENT}, the partition key of the sparse index
 * {@code RecentDeployments} (sort key {@code startedAt}) that lists them newest first.
 */
public final class DynamoDeploymentStore implements DeploymentStore {

    public static final String KEY = "pk";

    /** At most this many 1 MB pages of the index are read looking for a service's last rollback window. */
    static final int MAX_WINDOW_PAGES = 20;

    public static final String RECENT_INDEX = "RecentDeployments";
    public static final String RECORD_TYPE = "recordType";
    public static final String DEPLOYMENT_TYPE = "DEPLOYMENT";

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoDeploymentStore(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    static String lockKey(String service) {
        return "LOCK#" + service;
    }

    static String deploymentKey(String deploymentId) {
        return "DEPLOYMENT#" + deploymentId;
    }

    @Override
    public LockHolder acquire(String service, String deploymentId, String executionArn, Instant now) {
        Map<String, AttributeValue> record = new HashMap<>();
        record.put(KEY, s(deploymentKey(deploymentId)));
        record.put("deploymentId", s(deploymentId));
        record.put("service", s(service));
        record.put("executionArn", s(executionArn));
        record.put("status", s(DeploymentStatus.RUNNING.name()));
        record.put("startedAt", s(now.toString()));
        record.put(RECORD_TYPE, s(DEPLOYMENT_TYPE));
        try {
            dynamo.putItem(put -> put.tableName(tableName)
                    .item(record)
                    .conditionExpression("attribute_not_exists(pk) OR executionArn = :execution")
                    .expressionAttributeValues(Map.of(":execution", s(executionArn))));
        } catch (ConditionalCheckFailedException used) {
            String other =
                    find(deploymentId).map(DeploymentRecord::executionArn).orElse("another execution");
            throw new DeploymentIdInUseException("deployment id " + deploymentId + " was already used by " + other
                    + "; give this release a new deploymentId");
        } catch (SdkException failure) {
            throw AwsErrors.translate("DynamoDB PutItem (deployment record)", failure);
        }
        Map<String, AttributeValue> lock = Map.of(
                KEY,
                s(lockKey(service)),
                "service",
                s(service),
                "deploymentId",
                s(deploymentId),
                "executionArn",
                s(executionArn),
                "acquiredAt",
                s(now.toString()));
        try {
            dynamo.putItem(put -> put.tableName(tableName)
                    .item(lock)
                    .conditionExpression("attribute_not_exists(pk) OR executionArn = :execution")
                    .expressionAttributeValues(Map.of(":execution", s(executionArn))));
            return new LockHolder(service, deploymentId, executionArn, now);
        } catch (ConditionalCheckFailedException held) {
            LockHolder holder = lockHolder(service).orElse(null);
            String message = holder == null
                    ? "service " + service + " was locked by another deployment a moment ago; retry"
                    : "service " + service + " is locked by deployment " + holder.deploymentId() + " (execution "
                            + holder.executionArn() + ", since " + holder.acquiredAt()
                            + "); wait for it to finish or abort it";
            finish(deploymentId, DeploymentStatus.FAILED, "refused: " + message, now);
            throw new LockHeldException(message);
        } catch (SdkException failure) {
            throw AwsErrors.translate("DynamoDB PutItem (lock)", failure);
        }
    }

    @Override
    public void release(String service, String deploymentId, String executionArn) {
        try {
            dynamo.deleteItem(delete -> delete.tableName(tableName)
                    .key(Map.of(KEY, s(lockKey(service))))
                    .conditionExpression("attribute_not_exists(pk) OR executionArn = :execution")
                    .expressionAttributeValues(Map.of(":execution", s(executionArn))));
        } catch (ConditionalCheckFailedException heldByAnother) {
            // Another execution holds it now: ours was released (or broken by an operator) earlier.
        } catch (SdkException failure) {
            throw AwsErrors.translate("DynamoDB DeleteItem (lock)", failure);
        }
    }

    @Override
    public Optional<LockHolder> lockHolder(String service) {
        Map<String, AttributeValue> item = get(lockKey(service));
        if (item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LockHolder(
                str(item, "service"),
                str(item, "deploymentId"),
                str(item, "executionArn"),
                Instant.parse(str(item, "acquiredAt"))));
    }

    @Override
    public Optional<DeploymentRecord> find(String deploymentId) {
        Map<String, AttributeValue> item = get(deploymentKey(deploymentId));
        return item.isEmpty() ? Optional.empty() : Optional.of(record(item));
    }

    @Override
    public List<DeploymentRecord> recent(int limit) {
        // The index projects every attribute, so one Query reads whole records; newest first.
        return call(
                        "DynamoDB Query (" + RECENT_INDEX + ")",
                        () -> dynamo.query(query -> query.tableName(tableName)
                                .indexName(RECENT_INDEX)
                                .keyConditionExpression("#type = :deployment")
                                .expressionAttributeNames(Map.of("#type", RECORD_TYPE))
                                .expressionAttributeValues(Map.of(":deployment", s(DEPLOYMENT_TYPE)))
                                .scanIndexForward(false)
                                .limit(limit)))
                .items()
                .stream()
                .map(DynamoDeploymentStore::record)
                .toList();
    }

    @Override
    public Optional<DeploymentRecord> latestWithRollbackWindow(String service) {
        // Newest first, page by page (the paginator fetches the next page only when asked): a filter applies after
        // each page is read, so an empty page is no answer yet.
        return call(
                "DynamoDB Query (" + RECENT_INDEX + ", rollback windows)",
                () -> dynamo
                        .queryPaginator(query -> query.tableName(tableName)
                                .indexName(RECENT_INDEX)
                                .keyConditionExpression("#type = :deployment")
                                .filterExpression("#service = :service AND attribute_exists(#window)")
                                .expressionAttributeNames(Map.of(
                                        "#type", RECORD_TYPE, "#service", "service", "#window", "rollbackWindowUntil"))
                                .expressionAttributeValues(
                                        Map.of(":deployment", s(DEPLOYMENT_TYPE), ":service", s(service)))
                                .scanIndexForward(false))
                        .stream()
                        .limit(MAX_WINDOW_PAGES)
                        .flatMap(page -> page.items().stream())
                        .findFirst()
                        .map(DynamoDeploymentStore::record));
    }

    private static DeploymentRecord record(Map<String, AttributeValue> item) {
        List<TimelineEntry> timeline = new ArrayList<>();
        if (item.containsKey("timeline")) {
            for (AttributeValue entry : item.get("timeline").l()) {
                Map<String, AttributeValue> fields = entry.m();
                timeline.add(new TimelineEntry(
                        str(fields, "entryId"),
                        Instant.parse(str(fields, "at")),
                        str(fields, "state"),
                        str(fields, "message"),
                        integer(fields, "stepIndex"),
                        integer(fields, "canaryWeight"),
                        str(fields, "verdict")));
            }
        }
        OperatorRequest request = null;
        if (item.containsKey("operatorRequest")) {
            Map<String, AttributeValue> fields = item.get("operatorRequest").m();
            request = new OperatorRequest(
                    OperatorRequest.Kind.valueOf(str(fields, "kind")),
                    str(fields, "requestedBy"),
                    Instant.parse(str(fields, "requestedAt")),
                    str(fields, "reason"));
        }
        return new DeploymentRecord(
                str(item, "deploymentId"),
                str(item, "service"),
                str(item, "executionArn"),
                DeploymentStatus.valueOf(str(item, "status")),
                instant(item, "startedAt"),
                instant(item, "finishedAt"),
                str(item, "reason"),
                request,
                integer(item, "awaitingApprovalStep"),
                timeline,
                instant(item, "rollbackWindowUntil"));
    }

    @Override
    public void append(String deploymentId, TimelineEntry entry) {
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("entryId", s(entry.entryId()));
        fields.put("at", s(entry.at().toString()));
        fields.put("state", s(entry.state()));
        fields.put("message", s(entry.message()));
        if (entry.stepIndex() != null) {
            fields.put("stepIndex", n(entry.stepIndex()));
        }
        if (entry.canaryWeight() != null) {
            fields.put("canaryWeight", n(entry.canaryWeight()));
        }
        if (entry.verdict() != null) {
            fields.put("verdict", s(entry.verdict()));
        }
        try {
            dynamo.updateItem(update -> update.tableName(tableName)
                    .key(Map.of(KEY, s(deploymentKey(deploymentId))))
                    .updateExpression(
                            "SET timeline = list_append(if_not_exists(timeline, :empty), :entry) ADD entryIds :ids")
                    .conditionExpression("attribute_exists(pk) AND NOT contains(entryIds, :id)")
                    .expressionAttributeValues(Map.of(
                            ":empty", AttributeValue.builder().l(List.of()).build(),
                            ":entry",
                                    AttributeValue.builder()
                                            .l(AttributeValue.builder()
                                                    .m(fields)
                                                    .build())
                                            .build(),
                            ":ids", AttributeValue.builder().ss(entry.entryId()).build(),
                            ":id", s(entry.entryId()))));
        } catch (ConditionalCheckFailedException alreadyThere) {
            // A retried task appends the same entry again: keep the first.
        } catch (SdkException failure) {
            throw AwsErrors.translate("DynamoDB UpdateItem (timeline)", failure);
        }
    }

    @Override
    public void requestOperatorAction(String deploymentId, OperatorRequest request) {
        Map<String, AttributeValue> fields = new HashMap<>();
        fields.put("kind", s(request.kind().name()));
        fields.put("requestedBy", s(request.requestedBy()));
        fields.put("requestedAt", s(request.requestedAt().toString()));
        if (request.reason() != null) {
            fields.put("reason", s(request.reason()));
        }
        try {
            dynamo.updateItem(update -> update.tableName(tableName)
                    .key(Map.of(KEY, s(deploymentKey(deploymentId))))
                    .updateExpression("SET operatorRequest = :request")
                    .conditionExpression("attribute_exists(pk) AND #status = :running")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(
                            ":request",
                            AttributeValue.builder().m(fields).build(),
                            ":running",
                            s(DeploymentStatus.RUNNING.name()))));
        } catch (ConditionalCheckFailedException notRunning) {
            throw new DeploymentNotRunningException("deployment " + deploymentId + " is not running");
        } catch (SdkException failure) {
            throw AwsErrors.translate("DynamoDB UpdateItem (operator request)", failure);
        }
    }

    @Override
    public void awaitApproval(String deploymentId, int stepIndex, String taskToken) {
        update(
                deploymentId,
                "SET awaitingApprovalStep = :step, approvalToken = :token",
                Map.of(":step", n(stepIndex), ":token", s(taskToken)),
                "approval");
    }

    @Override
    public Optional<String> approvalToken(String deploymentId) {
        return Optional.ofNullable(str(get(deploymentKey(deploymentId)), "approvalToken"));
    }

    @Override
    public void clearApproval(String deploymentId) {
        update(deploymentId, "REMOVE awaitingApprovalStep, approvalToken", Map.of(), "approval");
    }

    @Override
    public void openRollbackWindow(String deploymentId, Instant until, String taskToken) {
        try {
            dynamo.updateItem(update -> update.tableName(tableName)
                    .key(Map.of(KEY, s(deploymentKey(deploymentId))))
                    .updateExpression("SET rollbackWindowUntil = :until, rollbackToken = :token")
                    .conditionExpression("attribute_exists(pk) AND #status = :running")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(
                            ":until",
                            s(until.toString()),
                            ":token",
                            s(taskToken),
                            ":running",
                            s(DeploymentStatus.RUNNING.name()))));
        } catch (ConditionalCheckFailedException notRunning) {
            throw new DeploymentNotRunningException(
                    "deployment " + deploymentId + " is not running, so it has no rollback window");
        } catch (SdkException failure) {
            throw AwsErrors.translate("DynamoDB UpdateItem (rollback window)", failure);
        }
    }

    @Override
    public Optional<String> rollbackToken(String deploymentId) {
        return Optional.ofNullable(str(get(deploymentKey(deploymentId)), "rollbackToken"));
    }

    @Override
    public void finish(String deploymentId, DeploymentStatus status, String reason, Instant at) {
        try {
            dynamo.updateItem(update -> update.tableName(tableName)
                    .key(Map.of(KEY, s(deploymentKey(deploymentId))))
                    .updateExpression(
                            "SET #status = :status, reason = :reason, finishedAt = :at REMOVE approvalToken, awaitingApprovalStep, rollbackToken")
                    .conditionExpression("attribute_exists(pk) AND (#status = :running OR #status = :status)")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(
                            ":status",
                            s(status.name()),
                            ":reason",
                            s(reason),
                            ":at",
                            s(at.toString()),
                            ":running",
                            s(DeploymentStatus.RUNNING.name()))));
        } catch (ConditionalCheckFailedException alreadyFinished) {
            // Finished earlier (a retry, or the refusal path): the first outcome stands.
        } catch (SdkException failure) {
            throw AwsErrors.translate("DynamoDB UpdateItem (outcome)", failure);
        }
    }

    private void update(String deploymentId, String expression, Map<String, AttributeValue> values, String what) {
        try {
            dynamo.updateItem(update -> {
                update.tableName(tableName)
                        .key(Map.of(KEY, s(deploymentKey(deploymentId))))
                        .updateExpression(expression)
                        .conditionExpression("attribute_exists(pk)");
                if (!values.isEmpty()) {
                    update.expressionAttributeValues(values);
                }
            });
        } catch (ConditionalCheckFailedException missing) {
            throw new DeploymentNotRunningException("deployment " + deploymentId + " has no record");
        } catch (SdkException failure) {
            throw AwsErrors.translate("DynamoDB UpdateItem (" + what + ")", failure);
        }
    }

    private Map<String, AttributeValue> get(String key) {
        GetItemResponse response = call(
                "DynamoDB GetItem",
                () -> dynamo.getItem(
                        get -> get.tableName(tableName).key(Map.of(KEY, s(key))).consistentRead(true)));
        return response.hasItem() ? response.item() : Map.of();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(int value) {
        return AttributeValue.builder().n(Integer.toString(value)).build();
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Integer integer(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Integer.valueOf(value.n());
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = str(item, name);
        return value == null ? null : Instant.parse(value);
    }
}
