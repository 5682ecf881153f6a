package dev.tollgate.local;

import dev.tollgate.cli.TollgateCommand;
import java.util.List;
import picocli.CommandLine;

/**
 * The {@code tollgate} command as tollgate-local.jar runs it ({@code ./tollgate}): the operator's commands of the CLI
 * module, with the commands that need the local stack's code around them ({@code demo} first, {@code invoke} last).
 */
public final class LocalTollgate {

    private LocalTollgate() {}

    public static void main(String[] args) {
        LocalTelemetry.configure();
        System.exit(commandLine().execute(args));
    }

    /** The whole command line, with the CLI's error handling. */
    public static CommandLine commandLine() {
        return TollgateCommand.commandLine(List.of(new DemoCommand()), List.of(new InvokeCommand()));
    }
}
