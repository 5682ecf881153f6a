package dev.tollgate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.errors.AwsUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The s3: scripts go to the function's /tmp: a set too large for it is refused before anything is downloaded. */
class S3ScriptStoreTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private long scriptBytes;

    @BeforeEach
    void startS3() throws IOException {
        // A stand-in for S3 on a free loopback port: a listing of two scripts of scriptBytes each, and their bodies.
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            boolean listing = exchange.getRequestURI().getQuery() != null
                    && exchange.getRequestURI().getQuery().contains("list-type=2");
            String body = listing
                    ? "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>artifacts</Name>"
                            + "<Prefix>checkout/sql/</Prefix><KeyCount>2</KeyCount><IsTruncated>false</IsTruncated>"
                            + "<Contents><Key>checkout/sql/V1__orders.sql</Key><Size>" + scriptBytes
                            + "</Size></Contents>"
                            + "<Contents><Key>checkout/sql/V2__discounts.sql</Key><Size>" + scriptBytes
                            + "</Size></Contents>"
                            + "</ListBucketResult>"
                    : "select 1;";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stopS3() {
        server.stop(0);
    }

    private S3ScriptStore store() {
        return new S3ScriptStore(S3Client.builder()
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .endpointOverride(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build());
    }

    @Test
    void downloadsEveryScriptOfAPrefixThatFitsInTmp(@TempDir Path directory) throws IOException {
        scriptBytes = 9;

        assertEquals(2, store().download("artifacts", "checkout/sql", directory));

        assertEquals("select 1;", Files.readString(directory.resolve("V1__orders.sql")));
        assertTrue(Files.isRegularFile(directory.resolve("V2__discounts.sql")));
    }

    @Test
    void refusesScriptsLargerTogetherThanHalfOfTmpBeforeDownloadingAny(@TempDir Path directory) {
        scriptBytes = S3ScriptStore.MAX_SCRIPT_BYTES / 2 + 1;

        MigrationFailedException refused = assertThrows(
                MigrationFailedException.class, () -> store().download("artifacts", "checkout/sql", directory));

        assertTrue(refused.getMessage().contains("more than 256 MiB of scripts"), refused.getMessage());
        assertTrue(requests.stream().noneMatch(request -> request.contains("V1__orders.sql")), requests.toString());
    }

    @Test
    void anUnreachableS3IsARetryableFailureNamingTheRead(@TempDir Path directory) {
        S3ScriptStore store = store();
        server.stop(0);

        AwsUnavailableException unreachable = assertThrows(
                AwsUnavailableException.class, () -> store.download("artifacts", "checkout/sql", directory));

        assertTrue(
                unreachable
                        .getMessage()
                        .startsWith("s3 read of s3://artifacts/checkout/sql/ failed before AWS answered"),
                unreachable.getMessage());
    }
}
