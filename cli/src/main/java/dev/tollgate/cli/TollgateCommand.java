package dev.tollgate.cli;

import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.TollgateException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code tollgate} command: steering deployments on AWS or on a local stack. The local stack's jar puts its own
 * commands (the demo, invoke) around the operator's, which are all here.
 */
@Command(
        name = "tollgate",
        mixinStandardHelpOptions = true,
        version = "tollgate 0.1.0",
        description = "Progressive delivery for AWS: canary steps judged from evidence.")
public final class TollgateCommand implements Runnable {

    /** Exit status of a refused operation (finished deployment, no approval pending, AWS refused). */
    public static final int REFUSED = 1;
    /** Exit status of an invalid spec or a usage error. */
    public static final int INVALID = 2;

    /** The operator's commands, in the order {@code --help} lists them. */
    private static final List<Class<?>> OPERATOR_COMMANDS = List.of(
            ValidateCommand.class,
            OpsCommands.Start.class,
            OpsCommands.Status.class,
            OpsCommands.Approve.class,
            OpsCommands.Abort.class,
            OpsCommands.Promote.class,
            OpsCommands.Rollback.class,
            OpsCommands.ListDeployments.class,
            OpsCommands.Lock.class,
            OpsCommands.Unlock.class,
            OpsCommands.Report.class,
            ReplayCommand.class,
            PlanCommand.class);

    @Spec
    CommandSpec command;

    /** The operator's commands alone, with Tollgate's error handling. */
    public static CommandLine commandLine() {
        return commandLine(List.of(), List.of());
    }

    /**
     * The operator's commands with other commands listed {@code before} and {@code after} them, and Tollgate's error
     * handling: a refusal is one line on stderr, not a stack trace.
     */
    public static CommandLine commandLine(List<Object> before, List<Object> after) {
        CommandLine commandLine = new CommandLine(new TollgateCommand());
        before.forEach(commandLine::addSubcommand);
        OPERATOR_COMMANDS.forEach(commandLine::addSubcommand);
        after.forEach(commandLine::addSubcommand);
        // Set after the subcommands: picocli gives a handler only to the subcommands it already has.
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            PrintWriter err = line.getErr();
            if (failure instanceof InvalidSpecException invalid) {
                err.println("tollgate: invalid "
                        + (line.getCommandName().equals("start") ? "deployment spec or release" : "deployment spec")
                        + ", nothing was started:");
                invalid.violations().forEach(violation -> err.println("  " + violation));
                err.flush();
                return INVALID;
            }
            if (failure instanceof TollgateException || failure instanceof IllegalArgumentException) {
                err.println("tollgate: " + failure.getMessage());
                err.flush();
                return REFUSED;
            }
            throw failure;
        });
        return commandLine;
    }

    @Override
    public void run() {
        command.commandLine().usage(System.out);
    }
}
