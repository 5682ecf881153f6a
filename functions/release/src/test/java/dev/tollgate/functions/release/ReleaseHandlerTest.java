package dev.tollgate.functions.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.fakes.FakeDeploymentExecutions;
import dev.tollgate.fakes.InMemoryDeploymentStore;
import dev.tollgate.fakes.InMemoryReleaseStore;
import dev.tollgate.fakes.MutableClock;
import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import dev.tollgate.ops.OpsService;
import dev.tollgate.release.ReleaseService;
import dev.tollgate.spec.ReleaseValidator;
import dev.tollgate.spec.SpecValidator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReleaseHandlerTest {

    private final InMemoryDeploymentStore deployments = new InMemoryDeploymentStore();
    private final InMemoryReleaseStore releases = new InMemoryReleaseStore();
    private final FakeDeploymentExecutions executions = new FakeDeploymentExecutions();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final ReleaseHandler handler = new ReleaseHandler(new ReleaseService(
            releases,
            deployments,
            new OpsService(deployments, executions, executions, new SpecValidator(), clock),
            executions,
            executions,
            DeploymentEvents.NONE,
            clock,
            "us-east-1"));

    @Test
    void aTargetsStatusEventAnswersTheReleasesWaitingTask() {
        executions.parkToken("AQCEAAAAKgAAAAMAAAAAAAAAAeXample+ReleaseToken==");

        JsonNode answer = SampleEvents.invoke(handler, "release-target-ended.json");

        assertTrue(answer.path("answered").asBoolean(), answer.toString());
        assertTrue(
                executions.gateAnswers().get(0).startsWith("success {\"deploymentId\":\"checkout-v42-w2-1\""),
                executions.gateAnswers().toString());
    }

    @Test
    void theStatesActionsReachTheService() throws Exception {
        ObjectNode validated = Json.MAPPER.valueToTree(new ReleaseValidator()
                .validate(Json.tree(SampleEvents.read("release-three-regions.json")))
                .withServiceLocks(spec -> spec.service() + "@" + spec.region()));
        ObjectNode open = Json.MAPPER
                .createObjectNode()
                .put("action", "OPEN")
                .put("releaseId", "checkout-v42")
                .put("executionArn", "arn:aws:states:us-east-1:123456789012:execution:tollgate-release:checkout-v42");
        open.set("release", validated);

        SampleEvents.invokeWith(handler, Json.write(open));
        SampleEvents.invokeWith(handler, "{\"action\":\"START_WAVE\",\"releaseId\":\"checkout-v42\",\"wave\":1}");
        JsonNode lock = SampleEvents.invokeWith(
                handler,
                "{\"action\":\"CHECK_LOCK\",\"releaseId\":\"checkout-v42\","
                        + "\"deploymentId\":\"checkout-v42-w1-1\",\"serviceLock\":\"checkout@eu-west-1\"}");

        assertTrue(lock.path("free").asBoolean(), lock.toString());
        assertEquals(
                "RUNNING",
                releases.find("checkout-v42")
                        .orElseThrow()
                        .targets()
                        .get(0)
                        .status()
                        .name());
    }

    @Test
    void anUnknownActionIsABadRequest() {
        assertThrows(
                BadRequestException.class,
                () -> SampleEvents.invokeWith(handler, "{\"action\":\"LAUNCH\",\"releaseId\":\"checkout-v42\"}"));
    }
}
