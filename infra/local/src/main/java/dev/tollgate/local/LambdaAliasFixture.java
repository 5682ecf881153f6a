package dev.tollgate.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * A Lambda function as a team would run it before its first Tollgate release, created in moto's
 * Lambda (create, publish and alias APIs; only a smoke test invokes it, which the local stack runs
 * without Docker):
 * version 1 published and served by alias {@code live}, and {@code $LATEST} already changed, so
 * the release is the version Tollgate publishes (2).
 */
public record LambdaAliasFixture(String service, String functionName, String alias, String liveVersion) {

    public static final String ALIAS = "live";
    private static final String ROLE = "tollgate-demo-function";

    public static LambdaAliasFixture create(LocalStack stack, String service) {
        String functionName = service + "-api";
        try (LambdaClient lambda = stack.lambda();
                IamClient iam = stack.iam()) {
            String role = role(iam);
            lambda.createFunction(create -> create.functionName(functionName)
                    .runtime("python3.12")
                    .handler("index.handler")
                    .role(role)
                    .code(code -> code.zipFile(
                            SdkBytes.fromByteArray(zip("def handler(event, context):\n    return 'ok'\n"))))
                    .environment(environment -> environment.variables(Map.of("RELEASE", "v41"))));
            String live = lambda.publishVersion(publish -> publish.functionName(functionName))
                    .version();
            lambda.createAlias(
                    alias -> alias.functionName(functionName).name(ALIAS).functionVersion(live));
            // The release: new configuration on $LATEST, published by Tollgate when it deploys the canary.
            lambda.updateFunctionConfiguration(update -> update.functionName(functionName)
                    .environment(environment -> environment.variables(Map.of("RELEASE", "v42"))));
            return new LambdaAliasFixture(service, functionName, ALIAS, live);
        }
    }

    /**
     * Makes the release ($LATEST, which Tollgate publishes) a handler answering every request with {@code status}
     * in the shape an ALB expects, as the local stack runs Python functions (see moto_ext/awslambda.py).
     */
    public void releaseAnswering(LocalStack stack, int status) {
        String source =
                "def handler(event, context):\n    return {'statusCode': " + status + ", 'body': 'release v42'}\n";
        try (LambdaClient lambda = stack.lambda()) {
            lambda.updateFunctionCode(
                    update -> update.functionName(functionName).zipFile(SdkBytes.fromByteArray(zip(source))));
        }
    }

    /**
     * The team's smoke-test function, {@code <service>-smoke} ({@code smoke_test_function.py}): it sends GET /health
     * to the canary's test endpoint and answers PASS on 200. Answers its ARN.
     */
    public static String createSmokeTestFunction(LocalStack stack, String service) {
        String source;
        try (java.io.InputStream in = LambdaAliasFixture.class.getResourceAsStream("smoke_test_function.py")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return createPythonFunction(stack, service + "-smoke", source, 10);
    }

    /** A Python function whose {@code index.handler} is {@code source}, as the local stack runs them (see moto_ext/awslambda.py). */
    static String createPythonFunction(LocalStack stack, String name, String source, int timeoutSeconds) {
        try (LambdaClient lambda = stack.lambda();
                IamClient iam = stack.iam()) {
            String role = role(iam);
            return lambda.createFunction(create -> create.functionName(name)
                            .runtime("python3.12")
                            .handler("index.handler")
                            .role(role)
                            .timeout(timeoutSeconds)
                            .code(code -> code.zipFile(SdkBytes.fromByteArray(zip(source)))))
                    .functionArn();
        }
    }

    /** moto's Lambda requires the function's role to exist; one role serves every demo function. */
    private static String role(IamClient iam) {
        String trust =
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                        + "\"Action\":\"sts:AssumeRole\"}]}";
        try {
            return iam.createRole(create -> create.roleName(ROLE).assumeRolePolicyDocument(trust))
                    .role()
                    .arn();
        } catch (EntityAlreadyExistsException exists) {
            return iam.getRole(get -> get.roleName(ROLE)).role().arn();
        }
    }

    static String roleArn(LocalStack stack) {
        try (IamClient iam = stack.iam()) {
            return role(iam);
        }
    }

    private static byte[] zip(String source) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("index.py"));
            zip.write(source.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
