package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deployment.DeploymentStatus;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * A whole deployment with a secret and Flyway migrations on the local stack, then a search for the
 * database password everywhere it could have escaped to: the execution history (every state's
 * input and output, every error and cause), everything the functions printed, the deployments
 * table, and moto's log. It must appear nowhere; the pinned version id must.
 */
class SecretLeakIT {

    @Test
    void theDatabasePasswordAppearsNowhereOutsideTheFunctions() throws Exception {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String password;
        String versionId;
        List<String> places = new ArrayList<>();
        try (LocalStack stack = LocalStack.start()) {
            ScenarioRun.Result result;
            // java.util.logging (Flyway's logger here) holds the stderr it found when it started: capture its records
            // too.
            java.util.logging.Handler julCapture = new java.util.logging.Handler() {
                @Override
                public void publish(java.util.logging.LogRecord record) {
                    synchronized (captured) {
                        captured.writeBytes((new java.util.logging.SimpleFormatter().format(record))
                                .getBytes(StandardCharsets.UTF_8));
                    }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
            java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
            try {
                System.setOut(new PrintStream(new Tee(originalOut, captured), true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
                root.addHandler(julCapture);
                result = new ScenarioRun(stack, System.out).run(Scenario.GOOD, "leakcheck", 7);
            } finally {
                root.removeHandler(julCapture);
                System.setOut(originalOut);
                System.setErr(originalErr);
            }
            assertEquals(
                    DeploymentStatus.PROMOTED.name(),
                    result.outcome().status(),
                    result.outcome().toString());
            password = result.release().credentials().password();
            List<HistoryEvent> history = new Deployments(stack).history(result.executionArn());
            Deployments.Finished finished =
                    new Deployments.Finished(null, result.executionArn(), result.outcome(), history);
            String historyText = finished.fullText();
            versionId = finished.pinnedVersion(result.release().secretId()).orElseThrow();
            places.add("execution history\n" + historyText);
            places.add("captured stdout/stderr\n" + captured.toString(StandardCharsets.UTF_8));
            try (DynamoDbClient dynamo = stack.dynamo()) {
                places.add("deployments table\n"
                        + dynamo.scan(scan -> scan.tableName(LocalStack.TABLE_NAME))
                                .items());
            }
            places.add("moto log\n" + Files.readString(stack.moto().log()));
            places.add("function logs\n" + Files.readString(stack.functionLog()));
        }
        assertTrue(password.length() > 20, "a real password was generated");
        for (String place : places) {
            String name = place.substring(0, place.indexOf('\n'));
            assertFalse(place.contains(password), "the password leaked into the " + name);
        }
        assertTrue(places.get(0).contains(versionId), "the history shows the pinned version id");
        assertTrue(places.get(1).contains("at version " + versionId), "the demo output shows the pinned version id");
        assertTrue(
                places.get(1).contains("applied V2__add_discount_code.sql"),
                "the demo output shows the applied migrations");
    }

    /** Writes to the real stream and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            first.write(bytes, offset, length);
            synchronized (second) {
                second.write(bytes, offset, length);
            }
        }
    }
}
