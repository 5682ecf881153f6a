package dev.tollgate.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import dev.tollgate.traffic.AwsTrafficRouters;
import dev.tollgate.traffic.DynamoTrafficLedger;
import dev.tollgate.traffic.TrafficControl;
import dev.tollgate.traffic.TrafficLedger;
import dev.tollgate.traffic.TrafficRecord;
import dev.tollgate.traffic.codedeploy.CodeDeployRouter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Drives the real backends against moto as the functions do (AwsTrafficRouters, the traffic record
 * in the deployments table), with a ledger that can crash between an AWS call and its record.
 */
final class TrafficHarness {

    private final LocalStack stack;
    final CrashingLedger ledger;
    final TrafficControl traffic;
    final DynamoDeploymentStore store;

    TrafficHarness(LocalStack stack) {
        this.stack = stack;
        DynamoDbClient dynamo = stack.clients().build(DynamoDbClient.builder());
        this.ledger = new CrashingLedger(new DynamoTrafficLedger(dynamo, LocalStack.TABLE_NAME));
        this.store = new DynamoDeploymentStore(dynamo, LocalStack.TABLE_NAME);
        Map<String, String> environment = new HashMap<>(LocalStack.awsEnvironment(stack.moto()));
        environment.put(CodeDeployRouter.HOOK_FUNCTION, LocalStack.functionArn("CodeDeployHookFunction"));
        AwsClients clients = new AwsClients(new FunctionEnvironment(environment));
        this.traffic = new TrafficControl(new AwsTrafficRouters(clients, ledger, Clock.systemUTC()), ledger);
    }

    /** Validates a demo spec and creates its deployment's record, as AcquireLock does. */
    DeploymentSpec deployment(ObjectNode spec) {
        DeploymentSpec validated = new SpecValidator().validate(spec);
        String execution = "it-" + validated.deploymentId();
        store.acquire(validated.service(), validated.deploymentId(), execution, Instant.now());
        // The lock is not under test here: release it, so a test can start the service's next release.
        store.release(validated.service(), validated.deploymentId(), execution);
        return validated;
    }

    /**
     * How long a test waits for moto to settle a change (a canary healthy, a shift or rollback done): these tests
     * ask whether it settles, not how fast, and moto's emulated rollouts take several times longer on a busy
     * machine (a full verify on two cores) than alone.
     */
    static final Duration SETTLE_WITHIN = Duration.ofSeconds(60);

    /** The deployment started and its canary deployed and healthy, as the state machine leaves it before the first step. */
    DeploymentSpec deployed(ObjectNode spec) throws InterruptedException {
        DeploymentSpec deployment = deployment(spec);
        traffic.deploy(deployment, PinnedSecrets.NONE);
        awaitHealthy(deployment);
        return deployment;
    }

    /** Polls the canary's health as the state machine does, for up to {@link #SETTLE_WITHIN}. */
    void awaitHealthy(DeploymentSpec spec) throws InterruptedException {
        Duration timeout = SETTLE_WITHIN;
        Instant deadline = Instant.now().plus(timeout);
        while (!traffic.health(spec).healthy()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("canary not healthy after " + timeout + ": "
                        + traffic.health(spec).detail());
            }
            Thread.sleep(250);
        }
    }

    /** Moves a deployed canary to {@code weight} as the state machine would: shifted, or promoted at 100 %. */
    void moveTo(DeploymentSpec spec, int weight) {
        if (weight == 100) {
            traffic.promote(spec);
        } else if (weight > 0) {
            traffic.shift(spec, weight);
        }
    }

    TrafficRecord record(DeploymentSpec spec) {
        return ledger.find(spec.deploymentId()).orElseThrow();
    }

    LocalStack stack() {
        return stack;
    }

    /** A ledger that fails the save after a number of successful ones, once: a function dying between its AWS call and its record. */
    static final class CrashingLedger implements TrafficLedger {

        private final TrafficLedger ledger;
        private int savesBeforeCrash = -1;

        CrashingLedger(TrafficLedger ledger) {
            this.ledger = ledger;
        }

        synchronized void crashOnSave(int successfulSaves) {
            this.savesBeforeCrash = successfulSaves;
        }

        @Override
        public Optional<TrafficRecord> find(String deploymentId) {
            return ledger.find(deploymentId);
        }

        @Override
        public synchronized void save(String deploymentId, TrafficRecord record) {
            if (savesBeforeCrash == 0) {
                savesBeforeCrash = -1;
                throw new SimulatedCrash();
            }
            if (savesBeforeCrash > 0) {
                savesBeforeCrash--;
            }
            ledger.save(deploymentId, record);
        }

        @Override
        public void parkLifecycleHook(String deploymentId, String hookExecutionId, Instant at) {
            ledger.parkLifecycleHook(deploymentId, hookExecutionId, at);
        }

        @Override
        public List<String> parkedLifecycleHooks(String deploymentId) {
            return ledger.parkedLifecycleHooks(deploymentId);
        }

        @Override
        public void clearLifecycleHook(String deploymentId, String hookExecutionId) {
            ledger.clearLifecycleHook(deploymentId, hookExecutionId);
        }
    }

    /** The function died: what followed the AWS call never ran. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash before the traffic record was written", null, false, false);
        }
    }
}
