package dev.tollgate.release;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.aws.AwsErrors;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.errors.RetryableException;
import dev.tollgate.json.Json;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Releases in the deployments table, under {@code RELEASE#id}: the record as one JSON document with a version, written
 * only over the version it was read at (optimistic concurrency). Without {@code recordType}, a release stays out of the
 * recent deployments' index; its targets are deployments and are listed there.
 */
public final class DynamoReleaseStore implements ReleaseStore {

    /** Concurrent writers of one release are the parent and its children's status events: a few at once at most. */
    private static final int MAX_WRITE_ATTEMPTS = 8;

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoReleaseStore(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    static String key(String releaseId) {
        return "RELEASE#" + releaseId;
    }

    @Override
    public boolean create(ReleaseRecord record) {
        try {
            dynamo.putItem(put -> put.tableName(tableName)
                    .item(Map.of(
                            DynamoDeploymentStore.KEY,
                            s(key(record.releaseId())),
                            "document",
                            s(Json.write(record)),
                            "version",
                            n(1)))
                    .conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        } catch (SdkException failure) {
            throw AwsErrors.translate("DynamoDB PutItem", failure);
        }
    }

    @Override
    public Optional<ReleaseRecord> find(String releaseId) {
        return read(releaseId).map(Versioned::record);
    }

    private record Versioned(ReleaseRecord record, long version) {}

    private Optional<Versioned> read(String releaseId) {
        GetItemResponse response = call(
                "DynamoDB GetItem",
                () -> dynamo.getItem(get -> get.tableName(tableName)
                        .key(Map.of(DynamoDeploymentStore.KEY, s(key(releaseId))))
                        .consistentRead(true)));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Versioned(
                Json.read(response.item().get("document").s(), ReleaseRecord.class),
                Long.parseLong(response.item().get("version").n())));
    }

    @Override
    public ReleaseRecord update(String releaseId, UnaryOperator<ReleaseRecord> change) {
        for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
            Versioned current = read(releaseId)
                    .orElseThrow(() -> new IllegalStateException("no release " + releaseId + " recorded"));
            ReleaseRecord changed = change.apply(current.record());
            if (changed.equals(current.record())) {
                return changed;
            }
            try {
                dynamo.putItem(put -> put.tableName(tableName)
                        .item(Map.of(
                                DynamoDeploymentStore.KEY,
                                s(key(releaseId)),
                                "document",
                                s(Json.write(changed)),
                                "version",
                                n(current.version() + 1)))
                        .conditionExpression("version = :read")
                        .expressionAttributeValues(Map.of(":read", n(current.version()))));
                return changed;
            } catch (ConditionalCheckFailedException concurrent) {
                // Another writer came first: apply the change again to what it wrote.
            } catch (SdkException failure) {
                throw AwsErrors.translate("DynamoDB PutItem", failure);
            }
        }
        throw new RetryableException("release " + releaseId + " was written by others " + MAX_WRITE_ATTEMPTS
                + " times while this " + "change was made; try again");
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
