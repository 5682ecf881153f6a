package dev.tollgate.local;

import dev.tollgate.json.Json;
import dev.tollgate.local.LocalDatabase.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What a release with migrations brings to the local stack, made as a team would: a database in
 * the embedded PostgreSQL, its connection in Secrets Manager (RDS secret shape) and the release's
 * Flyway scripts in the artifacts bucket. The spec then names the secret and the {@code s3:} location.
 */
public record ReleaseDatabase(String secretId, String location, Credentials credentials) {

    public static final String ARTIFACTS_BUCKET = "tollgate-artifacts";
    /** The demo release's scripts (expand-only), under infra/local's resources. */
    public static final List<String> DEMO_SCRIPTS = List.of("V1__create_orders.sql", "V2__add_discount_code.sql");

    /** The demo release's database, with the demo scripts. */
    public static ReleaseDatabase demo(LocalStack stack, String service, String version) {
        Map<String, String> scripts = new LinkedHashMap<>();
        for (String script : DEMO_SCRIPTS) {
            scripts.put(script, resource("/demo-migrations/" + script));
        }
        return create(stack, service, version, scripts);
    }

    /** A release database whose scripts are {@code scripts} (file name to SQL). */
    public static ReleaseDatabase create(
            LocalStack stack, String service, String version, Map<String, String> scripts) {
        // One PostgreSQL serves every place: the same service released elsewhere gets a database of its own.
        String placed = stack.placement()
                .map(placement -> "_" + placement.region().replace('-', '_'))
                .orElse("");
        Credentials credentials = stack.database().createDatabase(service + "_" + version + placed);
        String secretId = secretId(service);
        Map<String, Object> rds = new LinkedHashMap<>();
        rds.put("engine", "postgres");
        rds.put("host", credentials.host());
        rds.put("port", credentials.port());
        rds.put("username", credentials.username());
        rds.put("password", credentials.password());
        rds.put("dbname", credentials.dbname());
        try (SecretsManagerClient secrets = stack.secretsManager();
                S3Client s3 = stack.s3()) {
            secrets.createSecret(create -> create.name(secretId).secretString(Json.write(rds)));
            try {
                s3.createBucket(create -> create.bucket(ARTIFACTS_BUCKET));
            } catch (BucketAlreadyOwnedByYouException existing) {
                // Another release of this stack made it.
            }
            String prefix = service + "/" + version + "/sql";
            scripts.forEach((name, sql) -> s3.putObject(
                    put -> put.bucket(ARTIFACTS_BUCKET).key(prefix + "/" + name),
                    RequestBody.fromString(sql, StandardCharsets.UTF_8)));
            return new ReleaseDatabase(secretId, "s3:" + ARTIFACTS_BUCKET + "/" + prefix, credentials);
        }
    }

    /** The service's database secret in Secrets Manager. */
    public static String secretId(String service) {
        return service + "/db";
    }

    static String resource(String path) {
        try (InputStream in = ReleaseDatabase.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
