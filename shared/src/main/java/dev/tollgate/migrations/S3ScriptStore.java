package dev.tollgate.migrations;

import dev.tollgate.errors.AwsErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link ScriptStore} on S3: lists the prefix and downloads its {@code .sql} objects to /tmp for Flyway. */
public final class S3ScriptStore implements ScriptStore {

    private static final int MAX_SCRIPTS = 1_000;

    private final S3Client s3;

    public S3ScriptStore(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public int download(String bucket, String prefix, Path directory) {
        String keyPrefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        int count = 0;
        try {
            for (S3Object object : s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(keyPrefix)).contents()) {
                if (!object.key().endsWith(".sql")) {
                    continue;
                }
                if (++count > MAX_SCRIPTS) {
                    throw new MigrationFailedException("s3://" + bucket + "/" + keyPrefix + " holds more than " + MAX_SCRIPTS + " scripts");
                }
                Path target = directory.resolve(object.key().substring(keyPrefix.length())).normalize();
                if (!target.startsWith(directory)) {
                    throw new MigrationFailedException("S3 key " + object.key() + " points outside its location");
                }
                Files.createDirectories(target.getParent());
                s3.getObject(get -> get.bucket(bucket).key(object.key()), ResponseTransformer.toFile(target));
            }
        } catch (NoSuchBucketException missing) {
            throw new MigrationFailedException("bucket " + bucket + " does not exist");
        } catch (S3Exception failure) {
            throw AwsErrors.translate("s3 read of s3://" + bucket + "/" + keyPrefix, failure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }
}
