package dev.tollgate.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The local stack's PostgreSQL: an embedded server on a free 127.0.0.1 port, started on first use
 * and stopped with the stack (only this one: it is the process this object started). Each release
 * gets its own database and login role, with a password generated here and kept only in moto's
 * Secrets Manager and in this object.
 */
public final class LocalDatabase implements AutoCloseable {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");
    private static final SecureRandom RANDOM = new SecureRandom();
    // Flyway logs through java.util.logging here (no SLF4J binding it recognises); at INFO it would
    // drown the demo's own lines. Held in a field: JUL keeps loggers only weakly.
    private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");

    static {
        FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final EmbeddedPostgres postgres;

    private LocalDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static LocalDatabase start() {
        try {
            return new LocalDatabase(EmbeddedPostgres.builder()
                    .setPort(freeLoopbackPort())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** A database owned by a new role of the same name, with a fresh random password. */
    public Credentials createDatabase(String name) {
        String database = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (!NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a usable database name: " + name);
        }
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        String password = "pw-" + HexFormat.of().formatHex(bytes);
        execute("postgres", "CREATE ROLE " + database + " LOGIN PASSWORD '" + password + "'");
        execute("postgres", "CREATE DATABASE " + database + " OWNER " + database);
        return new Credentials("127.0.0.1", port(), database, database, password);
    }

    /** The first column of each row of {@code sql}, run in {@code database} as the server's superuser. */
    public List<String> query(String database, String sql) {
        try (Connection connection = postgres.getDatabase("postgres", database).getConnection();
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("query on " + database + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code sql} in {@code database} as the server's superuser (tests set up what an earlier release left). */
    public void execute(String database, String sql) {
        try (Connection connection = postgres.getDatabase("postgres", database).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("statement on " + database + " failed: " + e.getSQLState(), e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        }
    }

    /** How a release reaches its database; {@code toString} leaves the password out. */
    public record Credentials(String host, int port, String dbname, String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + "@" + host + ":" + port + "/" + dbname + "]";
        }
    }
}
