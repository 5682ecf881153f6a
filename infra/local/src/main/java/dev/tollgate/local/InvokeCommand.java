package dev.tollgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.cli.Connection;
import dev.tollgate.json.Json;
import dev.tollgate.local.SamTemplate.FunctionDefinition;
import dev.tollgate.local.runtime.ExecutionEnvironments;
import dev.tollgate.local.runtime.FunctionConfiguration;
import dev.tollgate.local.runtime.FunctionJars;
import dev.tollgate.local.runtime.FunctionLog;
import dev.tollgate.local.runtime.InvocationResult;
import dev.tollgate.local.runtime.RuntimeInterfaceClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResource;

/**
 * {@code tollgate invoke}: what {@code sam local invoke} does, without Docker. One function of
 * {@code template.yaml} runs once on an event in its own JVM under AWS's Lambda runtime interface
 * client, with its template environment, against AWS or any endpoint; the response (or the error
 * document, as Lambda reports it) goes to standard output, the function's log to standard error.
 */
@Command(
        name = "invoke",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one function of template.yaml on an event, as `sam local invoke` does but without Docker: in its own JVM "
                    + "under AWS's Lambda runtime interface client, with the template's handler, memory, timeout and environment.",
            "Prints the response, or the error document as Lambda reports it (exit status 1); the function's log goes to standard error.",
            "References in the template's environment (!Ref, !GetAtt) become the deployed stack's names with --stack, the local "
                    + "stack's with --endpoint-url, else stay the logical id as SAM leaves them; --env-vars overrides any variable."
        })
final class InvokeCommand implements Callable<Integer> {

    /** Exit status when the function failed (its error document is printed). */
    static final int FUNCTION_ERROR = 1;

    @Spec
    CommandSpec command;

    @Parameters(
            paramLabel = "LOGICAL_ID",
            description = "The function's logical id in template.yaml, e.g. ValidateRequestFunction")
    String logicalId;

    @Option(
            names = {"-e", "--event"},
            paramLabel = "FILE",
            description =
                    "The event (JSON), e.g. events/validate-request.json; " + "'-' reads standard input. Default: {}")
    String event;

    @Option(
            names = {"-n", "--env-vars"},
            paramLabel = "FILE",
            description =
                    "Environment values in SAM's format: "
                            + "{\"LogicalId\": {\"NAME\": \"value\"}, \"Parameters\": {\"NAME\": \"value\"}} (Parameters: every function)")
    Path envVars;

    @Option(
            names = "--endpoint-url",
            defaultValue = "${env:TOLLGATE_ENDPOINT_URL}",
            description = "The function's AWS calls go to this endpoint (AWS_ENDPOINT_URL), e.g. a local stack's moto "
                    + "(env TOLLGATE_ENDPOINT_URL); references then name the local stack's resources")
    String endpointUrl;

    @Option(
            names = "--region",
            defaultValue = "${env:AWS_REGION}",
            description =
                    "AWS region (default: AWS_REGION; with --endpoint-url the local stack's us-east-1, else the profile's)")
    String region;

    @Option(
            names = "--stack",
            paramLabel = "NAME",
            description = "A deployed stack of template.yaml: references become its resources' names and ARNs")
    String stack;

    @Override
    public Integer call() throws Exception {
        SamTemplate template = SamTemplate.read(RepositoryFiles.template());
        FunctionDefinition function = template.functions().get(logicalId);
        if (function == null) {
            throw new CommandLine.ParameterException(
                    command.commandLine(),
                    "no function " + logicalId + " in template.yaml; functions: "
                            + String.join(", ", template.functions().keySet()));
        }
        byte[] payload = readEvent();
        PrintWriter err = command.commandLine().getErr();
        String regionName = Connection.region(region, local());
        Resolved resolved = references(template, regionName);
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> unresolved = new java.util.ArrayList<>();
        function.environment().forEach((name, value) -> {
            String result = resolved.names().apply(value);
            if (template.hasResource(value.contains(".") ? value.substring(0, value.indexOf('.')) : value)
                    && result.equals(value)) {
                unresolved.add(name + "=" + value);
            }
            environment.put(name, result);
        });
        environment.put("AWS_REGION", regionName);
        environment.put("AWS_DEFAULT_REGION", regionName);
        if (local()) {
            environment.put(AwsClients.ENDPOINT_URL, endpointUrl);
        }
        Map<String, String> overrides =
                envVars == null ? Map.of() : overrides(Json.tree(Files.readString(envVars)), logicalId);
        credentials(overrides).forEach(environment::putIfAbsent);
        environment.putAll(overrides);
        unresolved.removeIf(variable -> overrides.containsKey(variable.substring(0, variable.indexOf('='))));
        if (!unresolved.isEmpty()) {
            err.println("tollgate invoke: left as the template's logical ids (as SAM does): "
                    + String.join(", ", unresolved) + "; set them with --env-vars, or give --stack or --endpoint-url");
            err.flush();
        }

        Path scratch = Files.createTempDirectory("tollgate-invoke");
        FunctionConfiguration configuration = new FunctionConfiguration(
                logicalId,
                resolved.functionArn().apply(logicalId),
                function.handler(),
                FunctionJars.locate(RepositoryFiles.root(), function.handlerClass()),
                function.memoryMb(),
                function.timeoutSeconds(),
                function.logFormat(),
                function.applicationLogLevel(),
                environment);
        InvocationResult result;
        try (ExecutionEnvironments environments = new ExecutionEnvironments(
                RuntimeInterfaceClient.locate(RepositoryFiles.root(), scratch),
                FunctionLog.copiedTo(err),
                scratch,
                new ExecutionEnvironments.Limits(1, 1))) {
            environments.deploy(configuration);
            result = environments.invoke(logicalId, payload, configuration.functionArn());
        } finally {
            deleteRecursively(scratch);
        }
        PrintWriter out = command.commandLine().getOut();
        out.println(result.payloadText());
        out.flush();
        return result.functionError() ? FUNCTION_ERROR : 0;
    }

    private byte[] readEvent() throws IOException {
        if (event == null) {
            return "{}".getBytes(StandardCharsets.UTF_8);
        }
        return "-".equals(event) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(event));
    }

    private boolean local() {
        return endpointUrl != null && !endpointUrl.isBlank();
    }

    /** How references in the template's environment become names, and the function's own ARN. */
    private record Resolved(UnaryOperator<String> names, UnaryOperator<String> functionArn) {}

    private Resolved references(SamTemplate template, String regionName) {
        if (stack != null && !stack.isBlank()) {
            try (CloudFormationClient cloudFormation = new AwsClients(
                            new dev.tollgate.aws.FunctionEnvironment(connectionEnvironment(regionName)))
                    .build(CloudFormationClient.builder())) {
                String stackId = cloudFormation
                        .describeStacks(describe -> describe.stackName(stack))
                        .stacks()
                        .get(0)
                        .stackId();
                Map<String, String> physicalIds = new HashMap<>();
                for (StackResource resource : cloudFormation
                        .describeStackResources(describe -> describe.stackName(stack))
                        .stackResources()) {
                    physicalIds.put(resource.logicalResourceId(), resource.physicalResourceId());
                }
                String account = stackId.split(":")[4];
                return new Resolved(
                        value -> fromStack(value, physicalIds),
                        id -> "arn:aws:lambda:" + regionName + ":" + account + ":function:"
                                + physicalIds.getOrDefault(id, id));
            } catch (SdkException failure) {
                throw new IllegalArgumentException(
                        "cannot read the resources of stack " + stack + ": " + failure.getMessage());
            }
        }
        UnaryOperator<String> arn = id -> "arn:aws:lambda:" + regionName + ":" + LocalStack.ACCOUNT + ":function:" + id;
        return local()
                ? new Resolved(value -> LocalStack.resolve(template, value), arn)
                : new Resolved(UnaryOperator.identity(), arn);
    }

    /** What this command's own CloudFormation client needs: the region, and the endpoint when one is given. */
    private Map<String, String> connectionEnvironment(String regionName) {
        Map<String, String> environment = new HashMap<>();
        environment.put("AWS_REGION", regionName);
        if (local()) {
            environment.put(AwsClients.ENDPOINT_URL, endpointUrl);
            environment.putAll(Connection.localCredentials());
        }
        return environment;
    }

    /**
     * A reference as a deployed stack names it: {@code X} is X's physical id (a table's or bus's name, a
     * state machine's ARN, a function's name), {@code X.Alias} the alias SAM created for it (logical id
     * {@code X} + {@code Alias} + the alias name, whose physical id is the alias's ARN). Anything else
     * stays as written.
     */
    static String fromStack(String value, Map<String, String> physicalIds) {
        if (physicalIds.containsKey(value)) {
            return physicalIds.get(value);
        }
        if (value.endsWith(".Alias")) {
            String prefix = value.substring(0, value.length() - ".Alias".length()) + "Alias";
            return physicalIds.entrySet().stream()
                    .filter(entry -> entry.getKey().startsWith(prefix))
                    .min(Map.Entry.comparingByKey())
                    .map(Map.Entry::getValue)
                    .orElse(value);
        }
        return value;
    }

    /** SAM's environment file: the function's own values over the {@code Parameters} every function gets. */
    static Map<String, String> overrides(JsonNode envVars, String logicalId) {
        Map<String, String> overrides = new LinkedHashMap<>();
        envVars.path("Parameters")
                .properties()
                .forEach(entry -> overrides.put(entry.getKey(), entry.getValue().asText()));
        envVars.path(logicalId)
                .properties()
                .forEach(entry -> overrides.put(entry.getKey(), entry.getValue().asText()));
        return overrides;
    }

    /**
     * The caller's credentials passed to the function, as {@code sam local invoke} passes them: from the
     * default chain (environment, profile, SSO...); with --endpoint-url, as the other commands do (the
     * environment's, or placeholders; no profile or instance metadata is probed). Never printed.
     */
    private Map<String, String> credentials(Map<String, String> overrides) {
        if (overrides.containsKey("AWS_ACCESS_KEY_ID")) {
            return Map.of();
        }
        if (local()) {
            return Connection.localCredentials();
        }
        AwsCredentials found;
        try {
            found = DefaultCredentialsProvider.builder().build().resolveCredentials();
        } catch (SdkException none) {
            return Map.of();
        }
        Map<String, String> credentials = new HashMap<>();
        credentials.put("AWS_ACCESS_KEY_ID", found.accessKeyId());
        credentials.put("AWS_SECRET_ACCESS_KEY", found.secretAccessKey());
        if (found instanceof AwsSessionCredentials session) {
            credentials.put("AWS_SESSION_TOKEN", session.sessionToken());
        }
        return credentials;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
