package dev.tollgate.functions.migrations;

import dev.tollgate.json.Json;
import dev.tollgate.secrets.PinnedSecret;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.secrets.SecretMetadata;
import dev.tollgate.secrets.SecretResolver;
import dev.tollgate.secrets.SecretValue;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real PostgreSQL for the tests, on a free 127.0.0.1 port, with one fresh database and login
 * role per test, reachable through an RDS-shaped secret (the password is generated here).
 */
final class EmbeddedDatabase implements AutoCloseable {

    static final String SECRET_ID = "test/checkout/db";

    private final EmbeddedPostgres postgres;

    EmbeddedDatabase() throws IOException {
        this.postgres = EmbeddedPostgres.builder()
                .setPort(freePort())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return postgres.getPort();
    }

    /** A new database owned by a new role with a random password; its secret as Secrets Manager would hold it. */
    Tenant newTenant() {
        String name = "app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String password = UUID.randomUUID() + "-Pw!";
        execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
        execute("CREATE DATABASE " + name + " OWNER " + name);
        String secretJson = Json.write(Map.of(
                "engine",
                "postgres",
                "host",
                "127.0.0.1",
                "port",
                postgres.getPort(),
                "username",
                name,
                "password",
                password,
                "dbname",
                name));
        return new Tenant(name, password, secretJson);
    }

    void execute(String sql) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a query in the tenant's database as the server's superuser and returns the first column of every row. */
    List<String> query(Tenant tenant, String sql) {
        try (Connection connection =
                        postgres.getDatabase("postgres", tenant.name()).getConnection();
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            List<String> values = new java.util.ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One test's database: its name (also its role), the role's password, and the secret's JSON. */
    record Tenant(String name, String password, String secretJson) {

        static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + SECRET_ID + "-AbCdEf";

        PinnedSecrets pinned() {
            return new PinnedSecrets(List.of(new PinnedSecret(
                    SECRET_ID,
                    SECRET_ID,
                    ARN,
                    "v-" + name,
                    List.of("dbname", "engine", "host", "password", "port", "username"))));
        }

        /** A fake Secrets Manager holding only this tenant's secret, at version {@code v-<name>}. */
        SecretResolver resolver() {
            return new SecretResolver() {
                @Override
                public SecretMetadata describe(String secretId) {
                    return new SecretMetadata(
                            SECRET_ID, ARN, null, Map.of("v-" + name, List.of(SecretMetadata.CURRENT)));
                }

                @Override
                public SecretValue value(String secretArn, String versionId) {
                    if (!ARN.equals(secretArn) || !("v-" + name).equals(versionId)) {
                        throw new IllegalArgumentException("unexpected secret " + secretArn + " version " + versionId);
                    }
                    return new SecretValue(secretJson);
                }
            };
        }
    }
}
