package dev.tollgate.migrations;

import dev.tollgate.aws.AwsErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link ScriptStore} on S3: lists the prefix and downloads its {@code .sql} objects to /tmp for Flyway. */
public final class S3ScriptStore implements ScriptStore {

    private static final int MAX_SCRIPTS = 1_000;
    /**
     * The scripts go to the function's /tmp, which holds 512 MB (Lambda's default, and the most SnapStart allows): half of
     * it, so the JVM keeps room. A set of scripts this large is refused before any is downloaded, rather than failing on a
     * full disk.
     */
    static final long MAX_SCRIPT_BYTES = 256L * 1024 * 1024;

    private final Supplier<S3Client> s3;

    public S3ScriptStore(S3Client s3) {
        this(() -> s3);
    }

    /** With the client made on first use: only {@code s3:} migration locations need it. */
    public S3ScriptStore(Supplier<S3Client> s3) {
        this.s3 = s3;
    }

    @Override
    public int download(String bucket, String prefix, Path directory) {
        String keyPrefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        int count = 0;
        long bytes = 0;
        try {
            List<S3Object> scripts = new ArrayList<>();
            for (S3Object object : s3.get()
                    .listObjectsV2Paginator(list -> list.bucket(bucket).prefix(keyPrefix))
                    .contents()) {
                if (!object.key().endsWith(".sql")) {
                    continue;
                }
                if (++count > MAX_SCRIPTS) {
                    throw new MigrationFailedException(
                            "s3://" + bucket + "/" + keyPrefix + " holds more than " + MAX_SCRIPTS + " scripts");
                }
                bytes += object.size() == null ? 0 : object.size();
                if (bytes > MAX_SCRIPT_BYTES) {
                    throw new MigrationFailedException(
                            "s3://" + bucket + "/" + keyPrefix + " holds more than " + MAX_SCRIPT_BYTES / (1024 * 1024)
                                    + " MiB of scripts: more than the function's /tmp (512 MB) can take with room to spare");
                }
                scripts.add(object);
            }
            for (S3Object object : scripts) {
                Path target = directory
                        .resolve(object.key().substring(keyPrefix.length()))
                        .normalize();
                if (!target.startsWith(directory)) {
                    throw new MigrationFailedException("S3 key " + object.key() + " points outside its location");
                }
                Files.createDirectories(target.getParent());
                s3.get().getObject(get -> get.bucket(bucket).key(object.key()), ResponseTransformer.toFile(target));
            }
        } catch (NoSuchBucketException missing) {
            throw new MigrationFailedException("bucket " + bucket + " does not exist");
        } catch (SdkException failure) {
            throw AwsErrors.translate("s3 read of s3://" + bucket + "/" + keyPrefix, failure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }
}
