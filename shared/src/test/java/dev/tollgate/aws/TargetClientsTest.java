package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tollgate.fakes.SampleEvents;
import dev.tollgate.json.Json;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** Which clients a warm container keeps: per region, role and deployment, never one signed by credentials it let go. */
class TargetClientsTest {

    private static final DeploymentSpec SAMPLE =
            new SpecValidator().validate(Json.tree(SampleEvents.read("statemachine-lambda-alias.json")));

    /** Nothing is called: building a client, and an assume-role provider, sends no request. */
    private final TargetClients targets = new TargetClients(new AwsClients(new FunctionEnvironment(Map.of(
            "AWS_REGION",
            "us-east-1",
            "AWS_ACCESS_KEY_ID",
            "local",
            "AWS_SECRET_ACCESS_KEY",
            "local",
            AwsClients.ENDPOINT_URL,
            "http://127.0.0.1:9"))));

    private static DeploymentSpec deployment(int number) {
        return new DeploymentSpec(
                SAMPLE.deploymentId() + "-" + number,
                SAMPLE.service(),
                SAMPLE.target(),
                SAMPLE.secrets(),
                SAMPLE.migrations(),
                SAMPLE.steps(),
                SAMPLE.analysis(),
                SAMPLE.override(),
                SAMPLE.afterPromotion(),
                SAMPLE.smokeTest(),
                "eu-west-1",
                "arn:aws:iam::210987654321:role/tollgate-target-eu");
    }

    @Test
    void aDeploymentKeepsItsClientFromTickToTick() {
        CloudWatchClient first = targets.build(CloudWatchClient.builder(), deployment(1));

        assertSame(first, targets.build(CloudWatchClient.builder(), deployment(1)));
        assertNotSame(
                first,
                targets.build(CloudWatchClient.builder(), deployment(2)),
                "another deployment, another role session");
    }

    @Test
    void aClientGoesWithTheCredentialsItWasSignedWith() {
        CloudWatchClient first = targets.build(CloudWatchClient.builder(), deployment(0));
        for (int number = 1; number <= TargetClients.MAX_PLACEMENTS; number++) {
            targets.build(CloudWatchClient.builder(), deployment(number));
        }

        assertNotSame(
                first,
                targets.build(CloudWatchClient.builder(), deployment(0)),
                "the oldest role session was let go, and its client with it: a new one is signed by a new session");
    }
}
