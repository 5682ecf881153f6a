package dev.tollgate.local;

import dev.tollgate.cli.OpsCommands;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.DynamoDeploymentStore;
import dev.tollgate.release.ReleaseRecord;
import dev.tollgate.spec.ReleaseSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs one whole deployment on the local stack and prints it as it happens. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Runs a whole deployment on the local stack (moto + the real state machine and functions).%n"
                + "Exit status 0 when the outcome is the one the scenario expects.")
final class DemoCommand implements Callable<Integer> {

    @Option(
            names = "--scenario",
            defaultValue = "good",
            description =
                    "good (promoted), bad-errors or bad-latency (rolled back at a step), "
                            + "bad-smoke-test (rolled back before any traffic moves; ecs-alb and lambda-alias only), bad-after-promotion "
                            + "(healthy at every step, failing at full traffic: rolled back by the watch after the promotion). Default: ${DEFAULT-VALUE}")
    String scenario;

    @Option(
            names = "--target",
            defaultValue = "ecs-alb",
            description =
                    "ecs-alb (ALB weights), lambda-alias (alias routing) or codedeploy (CodeDeploy shifts, Tollgate judges). "
                            + "Default: ${DEFAULT-VALUE}")
    String target;

    @Option(names = "--service", defaultValue = "checkout", description = "Service name. Default: ${DEFAULT-VALUE}")
    String service;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of the traffic simulator. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--work-dir", description = "Where moto's log goes (default: a new temporary directory)")
    Path workDirectory;

    @Option(
            names = "--faults",
            description = "AWS API faults to inject between the functions and moto, e.g. "
                    + "throttle=0.2,server=0.05 or ecs:UpdateService:reset=0.5,cloudwatch:slow=0.1@3000 "
                    + "(kinds: throttle, server, reset, lost, slow)")
    String faults;

    @Option(
            names = "--approval",
            description = "Put an approval gate after the first step, to answer with "
                    + "`tollgate approve|promote|abort` from another terminal")
    boolean approval;

    @Option(
            names = "--watch",
            paramLabel = "SECONDS",
            description = "Keep judging the new version, then serving all traffic, for SECONDS after "
                    + "the promotion, against the old version's history (afterPromotion.watchSeconds; bad-after-promotion watches "
                    + DemoSpecs.WATCH_SECONDS + " s by itself)")
    Integer watchSeconds;

    @Option(
            names = "--dry-run",
            description = "Make the release's migrations a dry run: the deployment lists what they "
                    + "would apply and stops with outcome DRY_RUN, nothing deployed")
    boolean dryRun;

    @Option(
            names = "--report",
            paramLabel = "FILE.html",
            description = "At the end, write the rollout report (one " + "self-contained HTML page) to FILE.html")
    Path report;

    @Option(
            names = "--keep-running",
            description = "Leave the local stack up after the outcome (until Ctrl-C), "
                    + "for the ops commands with --endpoint-url")
    boolean keepRunning;

    @Option(
            names = "--waves",
            description = "Run a release in waves instead (docs/waves.md): an ECS service in "
                    + LocalStack.REGION
                    + ", then in eu-west-1 and us-west-2 through roles; --scenario good (promoted everywhere) or "
                    + WAVE_TWO_FAILS + " (the eu-west-1 canary fails: the release halts and every wave goes back)")
    boolean waves;

    static final String WAVE_TWO_FAILS = "bad-errors-in-wave-2";

    @Override
    public Integer call() throws Exception {
        if (waves) {
            return releaseInWaves();
        }
        if (WAVE_TWO_FAILS.equals(scenario)) {
            throw new IllegalArgumentException("--scenario " + WAVE_TWO_FAILS + " is a release in waves: add --waves");
        }
        Scenario chosen = Scenario.fromCliName(scenario);
        DemoTarget chosenTarget = DemoTarget.fromCliName(target);
        System.out.println("starting the local stack (moto, local Lambda endpoint, state machine)...");
        FaultPlan faultPlan = FaultPlan.parse(faults);
        Path work = workDirectory != null ? workDirectory : java.nio.file.Files.createTempDirectory("tollgate-local");
        try (LocalStack stack = LocalStack.start(work, faultPlan, seed)) {
            String endpoint = stack.moto().endpoint().toString();
            System.out.println("moto on " + endpoint + " (pid " + stack.moto().pid() + "), functions on "
                    + stack.lambdaEndpoint().uri() + ", log " + stack.moto().log());
            System.out.println(
                    "each function runs in JVMs of its own under AWS's Lambda runtime interface client; their logs "
                            + "(JSON lines, EMF metrics, the platform's start and report lines) in "
                            + stack.functionLog()
                            + "; deployment events on the bus " + LocalStack.EVENT_BUS_NAME);
            stack.faults().ifPresent(proxy -> System.out.println("injecting " + faultPlan + " through " + proxy.uri()));
            if (approval || keepRunning) {
                System.out.println(
                        "ops commands: ./tollgate status|approve|promote|abort|list ... --endpoint-url " + endpoint);
            }
            ScenarioRun.Result result = new ScenarioRun(stack, System.out)
                    .run(
                            chosen,
                            chosenTarget,
                            service,
                            seed,
                            spec -> {
                                if (approval) {
                                    DemoSpecs.withApproval(spec, 0);
                                }
                                if (watchSeconds != null) {
                                    DemoSpecs.withWatch(spec, watchSeconds);
                                }
                                return dryRun ? DemoSpecs.withDryRun(spec) : spec;
                            },
                            approval
                                    ? Duration.ofMinutes(60)
                                    : ScenarioRun.FOLLOW_FOR.plusSeconds(watchSeconds == null ? 0 : watchSeconds));
            stack.faults().ifPresent(proxy -> System.out.println("AWS calls by outcome: " + proxy.counts()));
            if (report != null) {
                OpsCommands.Report.write(
                        stack.rolloutReports().build(result.outcome().deploymentId()), report);
                System.out.println("rollout report written to " + report.toAbsolutePath());
            }
            var runtime = stack.lambdaEndpoint().statistics();
            System.out.println("function JVMs: " + runtime.started() + " started, at most " + runtime.peakEnvironments()
                    + " at once (" + runtime.peakResidentMemoryMb() + " MB resident)");
            String expected =
                    dryRun ? DeploymentStatus.DRY_RUN.name() : chosen.expected().name();
            System.out.println("wall time " + result.wallTime().toSeconds() + " s; expected " + expected);
            System.out.println(result.outcome());
            int status = result.outcome().status().equals(expected) ? 0 : 1;
            if (keepRunning) {
                keepUntilInterrupted(
                        stack,
                        "the local stack stays up: export TOLLGATE_ENDPOINT_URL=" + endpoint
                                + "; then ./tollgate list. Ctrl-C stops it.");
            }
            return status;
        }
    }

    /** Says {@code how}, then keeps the stack up until Ctrl-C, which stops it before the JVM exits. */
    private static void keepUntilInterrupted(LocalStack stack, String how) throws InterruptedException {
        System.out.println(how);
        CountDownLatch stopped = new CountDownLatch(1);
        // close() may run twice (the hook and the try-with-resources); the second does nothing.
        Runnable stopStack = stack::close;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stopStack.run();
                            stopped.countDown();
                        },
                        "stop-local-stack"));
        stopped.await();
    }

    /** {@code --waves}: a whole release of two waves over three regions of the one moto, followed to its end. */
    private int releaseInWaves() throws Exception {
        boolean waveTwoFails = WAVE_TWO_FAILS.equals(scenario);
        if (!waveTwoFails && !"good".equals(scenario)) {
            throw new IllegalArgumentException(
                    "--waves runs --scenario good or " + WAVE_TWO_FAILS + ", not " + scenario);
        }
        if (!"ecs-alb".equals(target)
                || approval
                || watchSeconds != null
                || dryRun
                || report != null
                || faults != null) {
            throw new IllegalArgumentException(
                    "--waves releases an ECS service with the demo's own spec: it takes --scenario, "
                            + "--service, --seed, --work-dir and --keep-running, not --target, --approval, --watch, --dry-run, --report "
                            + "or --faults");
        }
        System.out.println("starting the local stack (moto, local Lambda endpoint, both state machines)...");
        Path work = workDirectory != null ? workDirectory : java.nio.file.Files.createTempDirectory("tollgate-local");
        try (LocalStack stack = LocalStack.start(work, FaultPlan.parse(null), seed)) {
            String endpoint = stack.moto().endpoint().toString();
            System.out.println("moto on " + endpoint + " (pid " + stack.moto().pid() + "), functions on "
                    + stack.lambdaEndpoint().uri() + ", log " + stack.moto().log());
            System.out.println(
                    "release " + service + ": wave 1 in " + LocalStack.REGION + ", wave 2 in eu-west-1 and us-west-2"
                            + (waveTwoFails ? "; the eu-west-1 canary fails 6 % of requests" : ""));
            List<List<ReleaseRun.TargetPlan>> plan = List.of(
                    List.of(new ReleaseRun.TargetPlan(null, Scenario.GOOD)),
                    List.of(
                            new ReleaseRun.TargetPlan(
                                    Placement.of("eu-west-1", LocalStack.ACCOUNT, "ireland"),
                                    waveTwoFails ? Scenario.BAD_ERRORS : Scenario.GOOD),
                            new ReleaseRun.TargetPlan(
                                    Placement.of("us-west-2", LocalStack.ACCOUNT, "oregon"), Scenario.GOOD)));
            ReleaseRun.Result result =
                    new ReleaseRun(stack, System.out).run(service, plan, ReleaseSpec.OnFailure.ROLLBACK_ALL, seed);
            DynamoDeploymentStore locks = new DynamoDeploymentStore(stack.dynamo(), LocalStack.TABLE_NAME);
            List<String> held = result.record()
                    .map(record -> record.targets().stream()
                            .map(ReleaseRecord.TargetState::serviceLock)
                            .filter(lock -> locks.lockHolder(lock).isPresent())
                            .toList())
                    .orElse(List.of());
            System.out.println(held.isEmpty() ? "every lock released" : "locks still held: " + held);
            String expected = waveTwoFails ? ReleaseRecord.Status.HALTED.name() : ReleaseRecord.Status.PROMOTED.name();
            String outcome =
                    result.record().map(record -> record.status().name()).orElse("UNKNOWN");
            // ReleaseRun printed the outcome line as the release ended.
            System.out.println(
                    "wall time " + result.wallTime().toSeconds() + " s; expected " + expected + ", got " + outcome);
            if (keepRunning) {
                keepUntilInterrupted(
                        stack,
                        "the local stack stays up: ./tollgate status " + result.releaseId() + " --endpoint-url "
                                + endpoint + ". Ctrl-C stops it.");
            }
            return outcome.equals(expected) && held.isEmpty() ? 0 : 1;
        }
    }
}
