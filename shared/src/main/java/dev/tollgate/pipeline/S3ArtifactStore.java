package dev.tollgate.pipeline;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.AwsErrors;
import dev.tollgate.errors.PipelineConfigurationException;
import dev.tollgate.pipeline.PipelineJob.ArtifactCredentials;
import dev.tollgate.pipeline.PipelineJob.InputArtifact;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Input artifacts in the pipeline's artifact bucket: zip files, read with the temporary
 * credentials CodePipeline puts in the job (the function's own role needs no S3 access).
 */
public final class S3ArtifactStore implements ArtifactStore {

    /** A spec is the state machine's input, which Step Functions caps at 256 KB. */
    static final int MAX_FILE_BYTES = 256 * 1024;

    private final AwsClients clients;

    public S3ArtifactStore(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public Optional<String> readFile(InputArtifact artifact, ArtifactCredentials credentials, String path) {
        if (artifact.bucketName() == null || artifact.objectKey() == null) {
            throw new PipelineConfigurationException("the input artifact " + artifact.name() + " is not in S3");
        }
        if (credentials == null) {
            throw new PipelineConfigurationException(
                    "the job carries no artifact credentials to read " + artifact.name());
        }
        AwsCredentials session = credentials.sessionToken() == null
                ? AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())
                : AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken());
        // Path-style addressing when an endpoint is set (the local stack); virtual-hosted on AWS.
        boolean localEndpoint =
                clients.environment().get(AwsClients.ENDPOINT_URL).isPresent();
        try (S3Client s3 = clients.build(
                        S3Client.builder().forcePathStyle(localEndpoint), StaticCredentialsProvider.create(session));
                ResponseInputStream<GetObjectResponse> zip =
                        s3.getObject(get -> get.bucket(artifact.bucketName()).key(artifact.objectKey()))) {
            return find(zip, normalise(path));
        } catch (NoSuchKeyException missing) {
            throw new PipelineConfigurationException("the input artifact " + artifact.name() + " is missing from s3://"
                    + artifact.bucketName() + "/" + artifact.objectKey());
        } catch (SdkException failure) {
            throw AwsErrors.translate("S3 GetObject (input artifact " + artifact.name() + ")", failure);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the input artifact " + artifact.name(), e);
        }
    }

    static Optional<String> find(InputStream zipped, String path) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(zipped)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (!entry.isDirectory() && normalise(entry.getName()).equals(path)) {
                    byte[] content = zip.readNBytes(MAX_FILE_BYTES + 1);
                    if (content.length > MAX_FILE_BYTES) {
                        throw new PipelineConfigurationException(path + " is larger than " + MAX_FILE_BYTES / 1024
                                + " KB, the most a state machine input can hold");
                    }
                    return Optional.of(new String(content, StandardCharsets.UTF_8));
                }
            }
        }
        return Optional.empty();
    }

    private static String normalise(String path) {
        String normalised = path.replace('\\', '/');
        while (normalised.startsWith("./") || normalised.startsWith("/")) {
            normalised = normalised.substring(normalised.startsWith("./") ? 2 : 1);
        }
        return normalised;
    }
}
