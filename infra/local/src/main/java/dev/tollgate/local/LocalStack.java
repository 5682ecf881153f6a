package dev.tollgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.aws.AwsCallCountFiles;
import dev.tollgate.aws.AwsCallCounter;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.cli.LocalStackNames;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.json.Json;
import dev.tollgate.local.SamTemplate.FunctionDefinition;
import dev.tollgate.local.runtime.ExecutionEnvironments;
import dev.tollgate.local.runtime.FunctionConfiguration;
import dev.tollgate.local.runtime.FunctionJars;
import dev.tollgate.local.runtime.FunctionLog;
import dev.tollgate.local.runtime.RuntimeInterfaceClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Tollgate on one machine: moto (with Step Functions executing the real ASL), the functions of
 * {@code template.yaml} behind a local Lambda endpoint (each in JVMs of its own under AWS's runtime
 * interface client), the deployments table and the state machine. Everything listens on 127.0.0.1
 * and stops with {@link #close()}, every process it started with it.
 */
public final class LocalStack implements AutoCloseable {

    // The CLI's commands find a local stack by these names (--endpoint-url): one definition, in the CLI module.
    public static final String REGION = LocalStackNames.REGION;
    public static final String ACCOUNT = LocalStackNames.ACCOUNT;
    public static final String TABLE_NAME = LocalStackNames.TABLE_NAME;
    public static final String STATE_MACHINE_NAME = LocalStackNames.STATE_MACHINE_NAME;
    /** The release state machine ({@code ReleaseStateMachine}): waves of targets, each an execution of the deployment one. */
    public static final String RELEASE_STATE_MACHINE_NAME = LocalStackNames.RELEASE_STATE_MACHINE_NAME;
    /** The rule that answers a release's waiting task when a target's execution ends (the release function's event). */
    static final String TARGET_ENDED_RULE = "tollgate-release-target-ended";
    /** The deployment events' bus ({@code DeploymentEventBus} in template.yaml); rules on it deliver to consumers. */
    public static final String EVENT_BUS_NAME = "tollgate-deployments";
    /** The functions' output (JSON logs, EMF metrics), in the work directory. */
    public static final String FUNCTION_LOG = "functions.log";
    /** Where each function JVM publishes its AWS call counts ({@link AwsCallCountFiles}), in the work directory. */
    static final String CALL_COUNTS = "aws-call-counts";

    static {
        LocalTelemetry.configure();
    }

    private final LocalLambdaEndpoint lambdaEndpoint;
    private final MotoServer moto;
    private final AwsClients clients;
    private final SfnClient sfn;
    private final String stateMachineArn;
    private final String releaseStateMachineArn;
    private final Path workDirectory;
    private final FaultInjectingProxy faults;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private LocalDatabase database;
    private final Map<String, FunctionEnvironment> functionEnvironments = new LinkedHashMap<>();
    /** For a view {@link #at} a placement: the stack that owns everything, the placement and its role's credentials. */
    private final LocalStack home;

    private final Placement placement;
    private final AwsCredentialsProvider placedCredentials;

    private LocalStack(
            LocalLambdaEndpoint lambdaEndpoint,
            MotoServer moto,
            Path workDirectory,
            FaultInjectingProxy faults,
            boolean initializeFunctions) {
        this.lambdaEndpoint = lambdaEndpoint;
        this.moto = moto;
        this.workDirectory = workDirectory;
        this.faults = faults;
        this.home = null;
        this.placement = null;
        this.placedCredentials = null;
        this.clients = new AwsClients(new FunctionEnvironment(awsEnvironment(moto)));
        this.sfn = clients.build(SfnClient.builder());
        SamTemplate template = SamTemplate.read(RepositoryFiles.template());
        createDeploymentsTable();
        createEventBus();
        deployFunctions(template);
        this.stateMachineArn = createStateMachine(
                template, "DeploymentStateMachine", STATE_MACHINE_NAME, RepositoryFiles.stateMachineDefinition());
        this.releaseStateMachineArn = createStateMachine(
                template,
                "ReleaseStateMachine",
                RELEASE_STATE_MACHINE_NAME,
                RepositoryFiles.releaseStateMachineDefinition());
        subscribeReleaseToTargetEnds(template);
        if (initializeFunctions) {
            lambdaEndpoint.initialize(stateMachineFunctions(template));
        }
    }

    private LocalStack(LocalStack home, Placement placement) {
        this.lambdaEndpoint = home.lambdaEndpoint;
        this.moto = home.moto;
        this.workDirectory = home.workDirectory;
        this.faults = home.faults;
        this.clients = home.clients;
        this.sfn = home.sfn;
        this.stateMachineArn = home.stateMachineArn;
        this.releaseStateMachineArn = home.releaseStateMachineArn;
        this.home = home;
        this.placement = placement;
        this.placedCredentials = placement.credentials(home.clients);
        // A view owns nothing: closing it stops nothing.
        this.closed.set(true);
    }

    /**
     * This stack seen from a target {@code placement}: the clients of the services a target lives in (ECS, ELB, Lambda,
     * CodeDeploy, CloudWatch, Secrets Manager, IAM, EC2) act in its region with its role's credentials; Tollgate's own
     * (the deployments table, Step Functions, the artifacts bucket) stay home.
     */
    public LocalStack at(Placement placement) {
        return new LocalStack(home == null ? this : home, placement);
    }

    /** Where this view's targets live; empty for the stack itself. */
    public java.util.Optional<Placement> placement() {
        return java.util.Optional.ofNullable(placement);
    }

    /** Starts everything; {@code workDirectory} receives moto's log. */
    public static LocalStack start(Path workDirectory) {
        return start(workDirectory, FaultPlan.NONE, 0);
    }

    /**
     * Starts everything with {@code faults} injected into every AWS call the functions make (the
     * test harness's own calls, and the state machine's, go to moto directly).
     */
    public static LocalStack start(Path workDirectory, FaultPlan faults, long seed) {
        return start(workDirectory, faults, seed, ExecutionEnvironments.Limits.DEFAULT, true);
    }

    /**
     * As {@link #start(Path, FaultPlan, long)}, with {@code limits} on the function JVMs that may run at
     * once; {@code initializeFunctions} starts one JVM of each function the state machine invokes right
     * away (off for a benchmark that times cold starts itself).
     */
    public static LocalStack start(
            Path workDirectory,
            FaultPlan faults,
            long seed,
            ExecutionEnvironments.Limits limits,
            boolean initializeFunctions) {
        Path work = workDirectory.toAbsolutePath();
        LocalLambdaEndpoint endpoint;
        try {
            clear(work.resolve(CALL_COUNTS));
            // A new stack's functions start from nothing, as its moto does: an earlier stack's lines are not its own.
            Files.deleteIfExists(work.resolve(FUNCTION_LOG));
            Path lambda = work.resolve("lambda");
            RuntimeInterfaceClient client = RuntimeInterfaceClient.locate(RepositoryFiles.root(), lambda);
            endpoint = new LocalLambdaEndpoint(new ExecutionEnvironments(
                    client, FunctionLog.appendingTo(work.resolve(FUNCTION_LOG)), lambda, limits));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local Lambda endpoint", e);
        }
        MotoServer moto;
        try {
            moto = MotoServer.start(endpoint.uri(), work);
            // Functions created in moto (Python ones, run in its process) are invoked through the same endpoint.
            endpoint.forwardOtherFunctionsTo(moto.endpoint());
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
        FaultInjectingProxy proxy = null;
        try {
            if (!faults.isEmpty()) {
                proxy = new FaultInjectingProxy(moto.endpoint(), faults, seed);
            }
            return new LocalStack(endpoint, moto, work, proxy, initializeFunctions);
        } catch (IOException | RuntimeException e) {
            if (proxy != null) {
                proxy.close();
            }
            moto.close();
            endpoint.close();
            throw e instanceof RuntimeException runtime ? runtime : new UncheckedIOException((IOException) e);
        }
    }

    public static LocalStack start() {
        try {
            return start(Files.createTempDirectory("tollgate-local"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ARN moto gives a state machine of that name in the local account and region. */
    public static String stateMachineArn(String name) {
        return LocalStackNames.stateMachineArn(name);
    }

    public static String functionArn(String functionName) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + functionName;
    }

    /** What every client of the local stack needs: region, fake credentials, and moto as the endpoint. */
    static Map<String, String> awsEnvironment(MotoServer moto) {
        Map<String, String> environment = new HashMap<>();
        environment.put("AWS_REGION", REGION);
        environment.put("AWS_ACCESS_KEY_ID", "local");
        environment.put("AWS_SECRET_ACCESS_KEY", "local");
        environment.put(AwsClients.ENDPOINT_URL, moto.endpoint().toString());
        return environment;
    }

    private void createDeploymentsTable() {
        try (DynamoDbClient dynamo = clients.build(DynamoDbClient.builder())) {
            // As template.yaml declares it, with the RecentDeployments index that `tollgate list` reads.
            dynamo.createTable(create -> create.tableName(TABLE_NAME)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder()
                                    .attributeName("pk")
                                    .attributeType(ScalarAttributeType.S)
                                    .build(),
                            AttributeDefinition.builder()
                                    .attributeName(DynamoDeploymentStore.RECORD_TYPE)
                                    .attributeType(ScalarAttributeType.S)
                                    .build(),
                            AttributeDefinition.builder()
                                    .attributeName("startedAt")
                                    .attributeType(ScalarAttributeType.S)
                                    .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("pk")
                            .keyType(KeyType.HASH)
                            .build())
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName(DynamoDeploymentStore.RECENT_INDEX)
                            .keySchema(
                                    KeySchemaElement.builder()
                                            .attributeName(DynamoDeploymentStore.RECORD_TYPE)
                                            .keyType(KeyType.HASH)
                                            .build(),
                                    KeySchemaElement.builder()
                                            .attributeName("startedAt")
                                            .keyType(KeyType.RANGE)
                                            .build())
                            .projection(projection -> projection.projectionType(ProjectionType.ALL))
                            .build()));
        }
    }

    /** The bus the functions put deployment events on (consumers add their rules, as on AWS). */
    private void createEventBus() {
        try (EventBridgeClient events = clients.build(EventBridgeClient.builder())) {
            events.createEventBus(create -> create.name(EVENT_BUS_NAME));
        }
    }

    /** The files of an earlier run in the same work directory would add to this run's counts. */
    private static void clear(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /**
     * Each function gets the template's handler, memory, timeout and environment, with references
     * resolved to local names, plus the local overrides; it runs in its own JVMs (see {@link ExecutionEnvironments}).
     */
    private void deployFunctions(SamTemplate template) {
        Path repository = RepositoryFiles.root();
        for (FunctionDefinition function : template.functions().values()) {
            Map<String, String> environment = new LinkedHashMap<>();
            function.environment().forEach((name, value) -> environment.put(name, resolve(template, value)));
            environment.putAll(awsEnvironment(moto));
            if (faults != null) {
                environment.put(AwsClients.ENDPOINT_URL, faults.uri().toString());
            }
            // Poll the canary every second: moto's ECS rollouts complete in two.
            environment.put("CANARY_POLL_SECONDS", "1");
            // Poll ECS migration tasks every second (moto's tasks stop in two); s3: scripts go to the work directory.
            environment.put("MIGRATION_POLL_SECONDS", "1");
            environment.put(
                    "MIGRATION_SCRATCH_DIR", workDirectory.resolve("migrations").toString());
            // As Lambda names the function; every AWS call the function makes is counted under that name, and each
            // function JVM publishes its counts where this stack reads them (awsCallCounts()).
            environment.put(AwsCallCounter.FUNCTION_NAME, function.logicalId());
            environment.put(AwsCallCounter.SWITCH, "true");
            // Every call also goes to one JSON-lines file (the build's when it names one; the IAM check reads it).
            environment.put(AwsCallCounter.CALLS_FILE, callsFile().toString());
            environment.put(
                    AwsCallCountFiles.DIRECTORY,
                    workDirectory.resolve(CALL_COUNTS).toString());
            functionEnvironments.put(function.logicalId(), new FunctionEnvironment(environment));
            lambdaEndpoint.deploy(new FunctionConfiguration(
                    function.logicalId(),
                    functionArn(function.logicalId()),
                    function.handler(),
                    FunctionJars.locate(repository, function.handlerClass()),
                    function.memoryMb(),
                    function.timeoutSeconds(),
                    function.logFormat(),
                    function.applicationLogLevel(),
                    environment));
        }
    }

    /** The functions' calls log: the file {@link AwsCallCounter#CALLS_FILE} names here, else one in the work directory. */
    Path callsFile() {
        String configured = System.getenv(AwsCallCounter.CALLS_FILE);
        return configured == null || configured.isBlank()
                ? workDirectory.resolve("aws-calls.jsonl")
                : Path.of(configured);
    }

    /**
     * The functions the state machine invokes, in the order its definition names them: their JVMs start
     * as soon as the stack is up, the function a deployment needs first first.
     */
    static java.util.List<String> stateMachineFunctions(SamTemplate template) {
        return template.definitionSubstitutions().values().stream()
                .map(value -> value.contains(".") ? value.substring(0, value.indexOf('.')) : value)
                .filter(logicalId -> "AWS::Serverless::Function".equals(template.resourceType(logicalId)))
                .distinct()
                .toList();
    }

    /** {@code !Ref Table} arrives as {@code Table}, {@code !Ref Fn.Alias} as {@code Fn.Alias}, {@code !GetAtt Fn.Arn} as {@code Fn.Arn}. */
    static String resolve(SamTemplate template, String value) {
        String logicalId = value.contains(".") ? value.substring(0, value.indexOf('.')) : value;
        if (!template.hasResource(logicalId)) {
            return value;
        }
        return switch (template.resourceType(logicalId)) {
            case "AWS::DynamoDB::Table" -> TABLE_NAME;
            case "AWS::Serverless::Function" -> functionArn(logicalId);
            case "AWS::Serverless::StateMachine" ->
                stateMachineArn(
                        "ReleaseStateMachine".equals(logicalId) ? RELEASE_STATE_MACHINE_NAME : STATE_MACHINE_NAME);
            case "AWS::Events::EventBus" -> EVENT_BUS_NAME;
            default ->
                throw new IllegalStateException(
                        "the local stack cannot resolve " + value + " (" + template.resourceType(logicalId) + ")");
        };
    }

    private String createStateMachine(SamTemplate template, String logicalId, String name, Path definitionFile) {
        String definition;
        try {
            definition = Files.readString(definitionFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> substitution :
                template.definitionSubstitutions(logicalId).entrySet()) {
            definition =
                    definition.replace("${" + substitution.getKey() + "}", resolve(template, substitution.getValue()));
        }
        String filled = definition;
        return sfn.createStateMachine(create -> create.name(name)
                        .definition(filled)
                        .roleArn("arn:aws:iam::" + ACCOUNT + ":role/tollgate-state-machine"))
                .stateMachineArn();
    }

    /**
     * The release function's {@code EventBridgeRule} event of template.yaml, on the default bus, where Step Functions puts
     * its executions' status changes (the launcher makes moto do so, and deliver to a Lambda target).
     */
    private void subscribeReleaseToTargetEnds(SamTemplate template) {
        JsonNode rule = template.resourceProperty("ReleaseFunction", "Events")
                .path("TargetExecutionEnded")
                .path("Properties");
        ObjectNode pattern = (ObjectNode) rule.path("Pattern").deepCopy();
        ((ObjectNode) pattern.path("detail")).putArray("stateMachineArn").add(stateMachineArn);
        try (EventBridgeClient events = clients.build(EventBridgeClient.builder())) {
            events.putRule(put -> put.name(TARGET_ENDED_RULE).eventPattern(Json.write(pattern)));
            events.putTargets(put -> put.rule(TARGET_ENDED_RULE)
                    .targets(target -> target.id("release-function").arn(functionArn("ReleaseFunction"))));
        }
    }

    public String releaseStateMachineArn() {
        return releaseStateMachineArn;
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    /** The environment each function runs with, keyed by its logical id in {@code template.yaml}. */
    public Map<String, FunctionEnvironment> functionEnvironments() {
        if (home != null) {
            return home.functionEnvironments();
        }
        return java.util.Collections.unmodifiableMap(functionEnvironments);
    }

    public AwsClients clients() {
        return clients;
    }

    public SfnClient sfn() {
        return sfn;
    }

    public EcsClient ecs() {
        return atTarget(EcsClient.builder());
    }

    public ElasticLoadBalancingV2Client elb() {
        return atTarget(ElasticLoadBalancingV2Client.builder());
    }

    public CloudWatchClient cloudWatch() {
        return atTarget(CloudWatchClient.builder());
    }

    public DynamoDbClient dynamo() {
        return clients.build(DynamoDbClient.builder());
    }

    public Ec2Client ec2() {
        return atTarget(Ec2Client.builder());
    }

    public SecretsManagerClient secretsManager() {
        return atTarget(SecretsManagerClient.builder());
    }

    public S3Client s3() {
        return clients.build(S3Client.builder().forcePathStyle(true));
    }

    /** The embedded PostgreSQL for releases with migrations, started on first use and stopped with the stack. */
    public synchronized LocalDatabase database() {
        if (home != null) {
            return home.database();
        }
        if (database == null) {
            database = LocalDatabase.start();
        }
        return database;
    }

    public LambdaClient lambda() {
        return atTarget(LambdaClient.builder());
    }

    public CodeDeployClient codeDeploy() {
        return atTarget(CodeDeployClient.builder());
    }

    public IamClient iam() {
        return atTarget(IamClient.builder());
    }

    /** A client where this stack's targets live: home, or the placement this view is {@link #at}. */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C atTarget(B builder) {
        return placement == null
                ? clients.build(builder)
                : clients.build(builder, Region.of(placement.region()), placedCredentials);
    }

    public LocalLambdaEndpoint lambdaEndpoint() {
        return lambdaEndpoint;
    }

    public MotoServer moto() {
        return moto;
    }

    public java.util.Optional<FaultInjectingProxy> faults() {
        return java.util.Optional.ofNullable(faults);
    }

    public Path workDirectory() {
        return workDirectory;
    }

    /**
     * Every AWS call the function JVMs made so far, by function, service and operation (each JVM
     * publishes its counts after every call; see {@link AwsCallCountFiles}).
     */
    public Map<AwsCallCounter.CallKey, AwsCallCounter.Count> awsCallCounts() {
        return AwsCallCountFiles.read(workDirectory.resolve(CALL_COUNTS));
    }

    /** What the functions printed: one JSON log line or EMF metric line per line, and the platform's lines around each invocation. */
    public Path functionLog() {
        return workDirectory.resolve(FUNCTION_LOG);
    }

    /** Rollout reports of this stack's deployments (the clients stay open with the stack). */
    public dev.tollgate.cli.report.RolloutReports rolloutReports() {
        return new dev.tollgate.cli.report.RolloutReports(
                new DynamoDeploymentStore(dynamo(), TABLE_NAME),
                new dev.tollgate.ops.StepFunctionsExecutions(sfn, stateMachineArn),
                new dev.tollgate.metrics.CloudWatchMetricSource(cloudWatch()),
                java.time.Clock.systemUTC());
    }

    /** Stops everything; safe to call twice (the demo's --keep-running stops the stack from a shutdown hook). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sfn.close();
        if (faults != null) {
            faults.close();
        }
        moto.close();
        lambdaEndpoint.close();
        synchronized (this) {
            if (database != null) {
                database.close();
            }
        }
    }
}
