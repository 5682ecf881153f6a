package dev.tollgate.local;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code tollgate} command. */
@Command(name = "tollgate", mixinStandardHelpOptions = true, version = "tollgate 0.1.0",
        description = "Progressive delivery for AWS: canary steps judged from evidence.",
        subcommands = {TollgateCommand.Demo.class})
public final class TollgateCommand implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new TollgateCommand()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs one whole deployment on the local stack and prints it as it happens. */
    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Runs a whole deployment on the local stack (moto + the real state machine and functions).%n"
                    + "Exit status 0 when the outcome is the one the scenario expects.")
    static final class Demo implements Callable<Integer> {

        @Option(names = "--scenario", defaultValue = "good", description = "good (promoted) or bad-errors (rolled back). Default: ${DEFAULT-VALUE}")
        String scenario;

        @Option(names = "--target", defaultValue = "ecs-alb",
                description = "ecs-alb (ALB weights), lambda-alias (alias routing) or codedeploy (CodeDeploy shifts, Tollgate judges). "
                        + "Default: ${DEFAULT-VALUE}")
        String target;

        @Option(names = "--service", defaultValue = "checkout", description = "Service name. Default: ${DEFAULT-VALUE}")
        String service;

        @Option(names = "--seed", defaultValue = "42", description = "Seed of the traffic simulator. Default: ${DEFAULT-VALUE}")
        long seed;

        @Option(names = "--work-dir", description = "Where moto's log goes (default: a new temporary directory)")
        Path workDirectory;

        @Override
        public Integer call() throws Exception {
            Scenario chosen = Scenario.fromCliName(scenario);
            DemoTarget chosenTarget = DemoTarget.fromCliName(target);
            System.out.println("starting the local stack (moto, local Lambda endpoint, state machine)...");
            try (LocalStack stack = workDirectory == null ? LocalStack.start() : LocalStack.start(workDirectory)) {
                System.out.println("moto on " + stack.moto().endpoint() + " (pid " + stack.moto().pid() + "), functions on "
                        + stack.lambdaEndpoint().uri() + ", log " + stack.moto().log());
                ScenarioRun.Result result = new ScenarioRun(stack, System.out).run(chosen, chosenTarget, service, seed);
                System.out.println("wall time " + result.wallTime().toSeconds() + " s; expected " + chosen.expected());
                System.out.println(result.outcome());
                return result.outcome().status().equals(chosen.expected().name()) ? 0 : 1;
            }
        }
    }
}
