package dev.tollgate.migrations;

import dev.tollgate.secrets.PinnedSecret;
import dev.tollgate.secrets.SecretInvalidException;
import dev.tollgate.secrets.SecretValue;
import java.util.Map;
import java.util.Set;

/**
 * Where and as whom to connect, read from an RDS-shaped secret ({@code engine, host, port,
 * username, password, dbname}). Its {@link #toString()} leaves the password out.
 *
 * @see <a href="https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html">RDS secret structure</a>
 */
public final class DatabaseConnection {

    private static final Set<String> POSTGRES_ENGINES = Set.of("postgres", "postgresql", "aurora-postgresql");

    private final String host;
    private final int port;
    private final String database;
    private final String username;
    private final String password;
    private final String sslMode;

    private DatabaseConnection(
            String host, int port, String database, String username, String password, String sslMode) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.username = username;
        this.password = password;
        this.sslMode = sslMode;
    }

    public static DatabaseConnection fromSecret(PinnedSecret secret, SecretValue value) {
        Map<String, String> fields = value.fields()
                .orElseThrow(() -> new SecretInvalidException(
                        "secret '" + secret.id() + "' (version " + secret.versionId() + ") is not a JSON object"));
        for (String key : new String[] {"host", "username", "password"}) {
            if (!fields.containsKey(key)) {
                throw new SecretInvalidException("secret '" + secret.id() + "' (version " + secret.versionId()
                        + ") lacks key " + key + ", which a database connection needs");
            }
        }
        String engine = fields.getOrDefault("engine", "postgres");
        if (!POSTGRES_ENGINES.contains(engine)) {
            throw new SecretInvalidException("secret '" + secret.id() + "' names engine '" + engine
                    + "'; Tollgate's Flyway mode supports PostgreSQL (postgres, aurora-postgresql)");
        }
        int port;
        try {
            port = Integer.parseInt(fields.getOrDefault("port", "5432").trim());
        } catch (NumberFormatException notANumber) {
            throw new SecretInvalidException("secret '" + secret.id() + "' has a port that is not a number");
        }
        return new DatabaseConnection(
                fields.get("host"),
                port,
                fields.getOrDefault("dbname", fields.get("username")),
                fields.get("username"),
                fields.get("password"),
                fields.getOrDefault("sslmode", "prefer"));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslMode
                + "&ApplicationName=tollgate";
    }

    public String username() {
        return username;
    }

    /** Only for the JDBC driver. */
    String password() {
        return password;
    }

    /** Where, without who's password: safe for messages. */
    public String describe() {
        return username + "@" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "DatabaseConnection[" + describe() + "]";
    }
}
