package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deployment.DynamoDeploymentStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A lock left by an execution that is gone is found by `tollgate lock` and broken only by `tollgate unlock`, on the record. */
class StaleLockIT {

    private static String[] run(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> withEndpoint = new ArrayList<>(List.of(arguments));
        withEndpoint.addAll(List.of(
                "--endpoint-url", SharedLocalStack.get().moto().endpoint().toString()));
        int exitCode = LocalTollgate.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(withEndpoint.toArray(String[]::new));
        return new String[] {Integer.toString(exitCode), out.toString(), err.toString()};
    }

    @Test
    void aLockLeftByAVanishedExecutionIsReportedStaleAndBrokenOnlyWhenAsked() {
        LocalStack stack = SharedLocalStack.get();
        DynamoDeploymentStore store =
                new DynamoDeploymentStore(stack.clients().build(DynamoDbClient.builder()), LocalStack.TABLE_NAME);
        String crashedExecution = "arn:aws:states:us-east-1:123456789012:execution:tollgate-deployment:stale-svc-v1";
        store.acquire("stale-svc", "stale-svc-v1", crashedExecution, Instant.parse("2026-11-24T09:00:00Z"));

        String[] shown = run("lock", "stale-svc");
        assertEquals("0", shown[0], shown[2]);
        assertTrue(shown[1].contains("stale-svc locked by stale-svc-v1") && shown[1].contains("STALE"), shown[1]);
        assertTrue(store.lockHolder("stale-svc").isPresent(), "looking breaks nothing");

        String[] wrongHolder = run("unlock", "stale-svc", "stale-svc-v0", "--reason", "cleanup", "--as", "ops");
        assertNotEquals("0", wrongHolder[0]);
        assertTrue(store.lockHolder("stale-svc").isPresent(), "a lock is only broken for the holder named");

        String[] broken = run("unlock", "stale-svc", "stale-svc-v1", "--reason", "execution crashed", "--as", "ops");
        assertEquals("0", broken[0], broken[2]);
        assertTrue(store.lockHolder("stale-svc").isEmpty());
        assertTrue(store.find("stale-svc-v1").orElseThrow().timeline().stream()
                .anyMatch(entry -> entry.message()
                        .equals("lock of stale-svc broken by ops (execution was NOT_FOUND): execution crashed")));
    }
}
