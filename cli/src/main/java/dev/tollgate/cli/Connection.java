package dev.tollgate.cli;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.deployment.LockDoctor;
import dev.tollgate.deployment.SfnExecutionStatuses;
import dev.tollgate.events.DeploymentEvents;
import dev.tollgate.ops.OpsService;
import dev.tollgate.ops.StepFunctionsExecutions;
import dev.tollgate.release.DynamoReleaseStore;
import dev.tollgate.release.ReleaseService;
import dev.tollgate.release.ReleaseStore;
import dev.tollgate.spec.SpecValidator;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Where the ops commands find Tollgate: on AWS (default credential chain and region, names from the
 * stack's outputs or given), or on a local stack ({@code --endpoint-url}, where the names are the
 * local stack's and the credentials fake). Every option also reads an environment variable.
 */
public final class Connection {

    @Option(
            names = "--region",
            defaultValue = "${env:AWS_REGION}",
            description = "AWS region (default: AWS_REGION, then the profile's region)")
    String region;

    @Option(
            names = "--endpoint-url",
            defaultValue = "${env:TOLLGATE_ENDPOINT_URL}",
            description =
                    "Talk to this endpoint instead of AWS, e.g. the local stack's moto (env TOLLGATE_ENDPOINT_URL)")
    String endpointUrl;

    @Option(
            names = "--state-machine-arn",
            defaultValue = "${env:TOLLGATE_STATE_MACHINE_ARN}",
            description = "The deployment state machine (default: the stack's StateMachineArn output)")
    String stateMachineArn;

    @Option(
            names = "--release-state-machine-arn",
            defaultValue = "${env:TOLLGATE_RELEASE_STATE_MACHINE_ARN}",
            description =
                    "The release state machine, for releases in waves (default: the stack's ReleaseStateMachineArn output)")
    String releaseStateMachineArn;

    @Option(
            names = "--table",
            defaultValue = "${env:TOLLGATE_TABLE}",
            description = "The deployments table (default: the stack's DeploymentsTableName output)")
    String table;

    @Option(
            names = "--stack",
            defaultValue = "${env:TOLLGATE_STACK:-tollgate}",
            description =
                    "CloudFormation stack whose outputs name the state machine and table. Default: ${DEFAULT-VALUE}")
    String stack;

    /** The clients and the service of one command; closing it closes the clients. */
    record Connected(
            OpsService ops,
            LockDoctor locks,
            StepFunctionsExecutions executions,
            String stateMachineArn,
            String table,
            AwsClients clients,
            List<AutoCloseable> closeables,
            Releases releases)
            implements AutoCloseable {
        @Override
        public void close() {
            for (AutoCloseable closeable : closeables) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // Closing a client cannot fail in a way the operator can act on.
                }
            }
        }
    }

    /** Releases in waves: their records, the release function's service (for abort), and the release state machine if known. */
    record Releases(ReleaseStore store, ReleaseService service, StepFunctionsExecutions executions) {

        StepFunctionsExecutions requireExecutions() {
            if (executions == null) {
                throw new IllegalArgumentException(
                        "no release state machine: give --release-state-machine-arn, or a --stack whose "
                                + "outputs name ReleaseStateMachineArn");
            }
            return executions;
        }
    }

    /** The AWS clients alone, for a command that needs neither the state machine nor the table: no call is made. */
    AwsClients clients() {
        return new AwsClients(new FunctionEnvironment(environment()));
    }

    Connected connect() {
        AwsClients clients = clients();
        String machine = stateMachineArn;
        String tableName = table;
        String releaseMachine = releaseStateMachineArn;
        if (machine == null || tableName == null) {
            Map<String, String> outputs = local() ? localNames() : stackOutputs(clients);
            machine = machine != null ? machine : require(outputs, "StateMachineArn");
            tableName = tableName != null ? tableName : require(outputs, "DeploymentsTableName");
            releaseMachine = releaseMachine != null ? releaseMachine : outputs.get("ReleaseStateMachineArn");
        }
        SfnClient sfn = clients.build(SfnClient.builder());
        DynamoDbClient dynamo = clients.build(DynamoDbClient.builder());
        StepFunctionsExecutions executions = new StepFunctionsExecutions(sfn, machine);
        DynamoDeploymentStore store = new DynamoDeploymentStore(dynamo, tableName);
        OpsService ops = new OpsService(store, executions, executions, new SpecValidator(), Clock.systemUTC());
        LockDoctor locks = new LockDoctor(store, new SfnExecutionStatuses(sfn), Clock.systemUTC());
        DynamoReleaseStore releaseStore = new DynamoReleaseStore(dynamo, tableName);
        // The operator's abort tells no event: the release's own states tell what follows from it.
        ReleaseService releaseService = new ReleaseService(
                releaseStore,
                store,
                ops,
                executions,
                executions,
                DeploymentEvents.NONE,
                Clock.systemUTC(),
                clients.region().id());
        Releases releases = new Releases(
                releaseStore,
                releaseService,
                releaseMachine == null ? null : new StepFunctionsExecutions(sfn, releaseMachine));
        return new Connected(ops, locks, executions, machine, tableName, clients, List.of(sfn, dynamo), releases);
    }

    /** The operator's name for the record: {@code --as}, else the OS user and the AWS identity behind the credentials. */
    String operator(String as, AwsClients clients) {
        if (as != null && !as.isBlank()) {
            return as.trim();
        }
        String user = System.getProperty("user.name", "unknown");
        try (StsClient sts = clients.build(StsClient.builder())) {
            return user + " (" + sts.getCallerIdentity().arn() + ")";
        } catch (SdkException | IllegalStateException noIdentity) {
            return user;
        }
    }

    boolean local() {
        return endpointUrl != null && !endpointUrl.isBlank();
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("AWS_REGION", region(region, local()));
        if (local()) {
            environment.put(AwsClients.ENDPOINT_URL, endpointUrl);
            environment.putAll(localCredentials());
        }
        return environment;
    }

    /** The local stack accepts any credentials; real ones, if set in the environment, are used as they are. */
    public static Map<String, String> localCredentials() {
        return Map.of(
                "AWS_ACCESS_KEY_ID",
                System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "local"),
                "AWS_SECRET_ACCESS_KEY",
                System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "local"));
    }

    /** {@code given}, else the local stack's region with an endpoint, else the default chain's (AWS_REGION, the profile). */
    public static String region(String given, boolean local) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        if (local) {
            return LocalStackNames.REGION;
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkException noRegion) {
            throw new IllegalArgumentException("no AWS region: give --region or set AWS_REGION");
        }
    }

    private static Map<String, String> localNames() {
        return Map.of(
                "StateMachineArn",
                LocalStackNames.stateMachineArn(LocalStackNames.STATE_MACHINE_NAME),
                "ReleaseStateMachineArn",
                LocalStackNames.stateMachineArn(LocalStackNames.RELEASE_STATE_MACHINE_NAME),
                "DeploymentsTableName",
                LocalStackNames.TABLE_NAME);
    }

    private Map<String, String> stackOutputs(AwsClients clients) {
        try (CloudFormationClient cloudFormation = clients.build(CloudFormationClient.builder())) {
            Map<String, String> outputs = new HashMap<>();
            for (Output output : cloudFormation
                    .describeStacks(describe -> describe.stackName(stack))
                    .stacks()
                    .get(0)
                    .outputs()) {
                outputs.put(output.outputKey(), output.outputValue());
            }
            return outputs;
        } catch (SdkException failure) {
            throw new IllegalArgumentException("cannot read the outputs of stack " + stack + " (" + failure.getMessage()
                    + "); give --stack, or --state-machine-arn and --table");
        }
    }

    private String require(Map<String, String> outputs, String name) {
        return Optional.ofNullable(outputs.get(name))
                .orElseThrow(() -> new IllegalArgumentException(
                        "stack " + stack + " has no output " + name + "; give --state-machine-arn and --table"));
    }
}
