package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** What README.md and docs/ tell a person to type is what the tollgate command accepts, and its help reads cleanly. */
class CommandLineDocsTest {

    /** {@code tollgate} (or {@code ./tollgate}) followed by what is typed after it, to the end of the line or code span. */
    private static final Pattern INVOCATION = Pattern.compile("(?<![\\w/.-])(?:\\./)?tollgate[ \\t]+([^\\n`]*)");

    private static final Pattern FENCE = Pattern.compile("(?ms)^```[a-z]*\\n(.*?)^```");
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`\\n]+)`");
    /** A subcommand as the docs write it: one name, or alternatives ({@code approve|promote|abort}). */
    private static final Pattern SUBCOMMANDS = Pattern.compile("[a-z][a-z-]*(\\|[a-z][a-z-]*)*");
    /** Where a shell command line ends: a comment, a pipe, a redirection, the next command. */
    private static final Set<String> END_OF_COMMAND = Set.of("#", "|", "||", "&&", ";", ">", ">>", "2>&1", "&");

    /** One {@code tollgate} invocation written in a doc: where, and the words after {@code tollgate}. */
    private record Invocation(String where, List<String> words) {
        @Override
        public String toString() {
            return where + ": `tollgate " + String.join(" ", words) + "`";
        }
    }

    @Test
    void everyTollgateCommandAndOptionInTheReadmeAndDocsExistsInTheCommandLine() throws IOException {
        CommandLine cli = LocalTollgate.commandLine();
        List<Invocation> invocations = documentedInvocations();
        assertTrue(
                invocations.size() >= 20,
                "the docs show the tollgate command: " + invocations.size() + " invocations found");

        List<String> problems = new ArrayList<>();
        for (Invocation invocation : invocations) {
            String first = invocation.words().get(0);
            if (first.startsWith("-")) {
                checkOptions(invocation, cli.getCommandSpec(), invocation.words(), problems);
                continue;
            }
            for (String name : first.split("\\|")) {
                CommandLine subcommand = cli.getSubcommands().get(name);
                if (subcommand == null) {
                    problems.add(invocation + ": there is no command `tollgate " + name + "` (there are "
                            + new TreeSet<>(cli.getSubcommands().keySet()) + ")");
                } else {
                    checkOptions(
                            invocation,
                            subcommand.getCommandSpec(),
                            invocation.words().subList(1, invocation.words().size()),
                            problems);
                }
            }
        }
        assertEquals(List.of(), problems, "commands and options the docs show that `./tollgate --help` does not know");
    }

    @Test
    void theHelpOfEveryCommandPrintsWithoutAWarning() {
        CommandLine cli = LocalTollgate.commandLine();
        List<CommandLine> commands = new ArrayList<>(List.of(cli));
        commands.addAll(cli.getSubcommands().values());
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        List<String> helps = new ArrayList<>();
        try {
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            commands.forEach(command -> helps.add(command.getUsageMessage()));
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", warnings.toString(StandardCharsets.UTF_8), "picocli's warnings while rendering the help");
        helps.forEach(help ->
                assertTrue(!help.contains("%n") && !help.contains("% "), "an unformatted description:\n" + help));
    }

    private static void checkOptions(
            Invocation invocation, CommandSpec command, List<String> words, List<String> problems) {
        for (String word : words) {
            String option = word.replaceAll("^[\\[(]+", "")
                    .replaceAll("[\\]),.:]+$", "")
                    .replaceAll("=.*$", "");
            if (option.matches("--?[A-Za-z][A-Za-z0-9-]*") && command.findOption(option) == null) {
                problems.add(invocation + ": `tollgate " + command.name() + "` has no option " + option + " (it has "
                        + command.options().stream()
                                .map(OptionSpec::longestName)
                                .sorted()
                                .toList() + ")");
            }
        }
    }

    /** Every {@code tollgate ...} in README.md and docs/*.md: in fenced code blocks (line by line) and in inline code. */
    private static List<Invocation> documentedInvocations() throws IOException {
        List<Path> files = new ArrayList<>(List.of(RepositoryFiles.root().resolve("README.md")));
        try (Stream<Path> docs = Files.list(RepositoryFiles.root().resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Invocation> invocations = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            String name = RepositoryFiles.root().relativize(file).toString();
            Matcher fence = FENCE.matcher(text);
            while (fence.find()) {
                String[] lines = fence.group(1).split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    addInvocations(name + ":" + (lineOf(text, fence.start(1)) + i), lines[i], invocations);
                }
            }
            Matcher code = INLINE_CODE.matcher(text);
            while (code.find()) {
                if (isOutsideFences(text, code.start())) {
                    addInvocations(name + ":" + lineOf(text, code.start()), code.group(1), invocations);
                }
            }
        }
        return invocations;
    }

    private static boolean isOutsideFences(String text, int position) {
        Matcher fence = FENCE.matcher(text);
        while (fence.find()) {
            if (fence.start() <= position && position < fence.end()) {
                return false;
            }
        }
        return true;
    }

    private static void addInvocations(String where, String code, List<Invocation> invocations) {
        Matcher invocation = INVOCATION.matcher(code);
        while (invocation.find()) {
            List<String> words = new ArrayList<>();
            for (String word : invocation.group(1).trim().split("\\s+")) {
                if (END_OF_COMMAND.contains(word) || word.startsWith("#")) {
                    break;
                }
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
            if (!words.isEmpty()
                    && (SUBCOMMANDS.matcher(words.get(0)).matches()
                            || words.get(0).startsWith("-"))) {
                invocations.add(new Invocation(where, words));
            }
        }
    }

    private static int lineOf(String text, int position) {
        int line = 1;
        for (int i = 0; i < position; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
