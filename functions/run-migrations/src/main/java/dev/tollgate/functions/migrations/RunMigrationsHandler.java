package dev.tollgate.functions.migrations;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.FunctionEnvironment;
import dev.tollgate.aws.OnFirstUse;
import dev.tollgate.aws.Placed;
import dev.tollgate.handler.JsonHandler;
import dev.tollgate.handler.Wiring;
import dev.tollgate.json.Nullable;
import dev.tollgate.migrations.CompatibilityGuard;
import dev.tollgate.migrations.EcsTaskMigrationRunner;
import dev.tollgate.migrations.FlywayMigrationRunner;
import dev.tollgate.migrations.MigrationProgress;
import dev.tollgate.migrations.MigrationRunner;
import dev.tollgate.migrations.MigrationService;
import dev.tollgate.migrations.S3ScriptStore;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.secrets.SecretResolver;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.MigrationSpec.MigrationMode;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Applies the release's schema migrations before any traffic moves. {@code START} runs Flyway to
 * the end, or starts the ECS migration task; {@code CHECK} is one poll of that task (the waiting
 * between polls is a Wait state). A failure here fails the deployment with weights untouched.
 */
public final class RunMigrationsHandler extends JsonHandler<RunMigrationsHandler.Request, MigrationProgress> {

    /** Seconds between polls of an ECS migration task; the local stack sets 1. */
    public static final String POLL_SECONDS = "MIGRATION_POLL_SECONDS";
    /** Where s3: scripts are downloaded for Flyway: Lambda's /tmp. */
    public static final String SCRATCH_DIRECTORY = "MIGRATION_SCRATCH_DIR";

    private final MigrationService migrations;

    public RunMigrationsHandler() {
        this(FunctionEnvironment.fromProcess());
    }

    public RunMigrationsHandler(FunctionEnvironment environment) {
        this(wire(new AwsClients(environment)));
    }

    public RunMigrationsHandler(MigrationService migrations) {
        super(Request.class);
        this.migrations = migrations;
    }

    private static MigrationService wire(AwsClients clients) {
        FunctionEnvironment environment = clients.environment();
        // The scripts bucket is Tollgate's own; the database's secret and the migration task are where the target runs.
        S3ScriptStore scripts = new S3ScriptStore(OnFirstUse.of(() -> clients.build(S3Client.builder()
                // Path-style addressing for an endpoint override (the local stack's moto); virtual hosts on AWS.
                .forcePathStyle(environment.get(AwsClients.ENDPOINT_URL).isPresent()))));
        Path scratch = Path.of(environment.get(SCRATCH_DIRECTORY, "/tmp/tollgate-migrations"));
        Placed<SecretResolver> secrets = Wiring.targetSecrets(clients);
        Placed<FlywayMigrationRunner> flyway =
                spec -> new FlywayMigrationRunner(secrets.at(spec), scripts, new CompatibilityGuard(), scratch);
        int pollSeconds = environment.getInt(POLL_SECONDS, 15);
        clients.targets().buildAtHomeBeforeSnapshot(EcsClient::builder);
        // ECS only for ECS_TASK migrations: its client is made on first use, for the target's region and role.
        Placed<EcsTaskMigrationRunner> ecsTask = spec -> new EcsTaskMigrationRunner(
                clients.targets().build(EcsClient.builder(), spec), flyway.at(spec), Wiring.clock(), pollSeconds);
        return new MigrationService(
                Map.of(
                        MigrationMode.FLYWAY,
                        MigrationRunner.placed(flyway),
                        MigrationMode.ECS_TASK,
                        MigrationRunner.placed(ecsTask)),
                Wiring.deploymentStore(clients),
                Wiring.clock());
    }

    @Override
    protected String primingEvent() {
        return "run-migrations-flyway.json";
    }

    @Override
    protected MigrationProgress handle(Request request, Context context) {
        DeploymentSpec spec = required(request.spec(), "spec");
        MigrationAction action = request.action() == null ? MigrationAction.START : request.action();
        return switch (action) {
            case START -> migrations.start(spec, request.secrets());
            case CHECK -> migrations.check(spec, request.secrets(), required(request.migrations(), "migrations"));
        };
    }

    public enum MigrationAction {
        START,
        CHECK
    }

    /** {@code secrets} is FetchSecrets' output (pinned versions); {@code migrations} the previous poll's progress. */
    public record Request(
            @Nullable MigrationAction action,
            DeploymentSpec spec,
            @Nullable PinnedSecrets secrets,
            @Nullable MigrationProgress migrations) {}
}
