package dev.tollgate.migrations;

import dev.tollgate.migrations.SqlLexer.Kind;
import dev.tollgate.migrations.SqlLexer.Statement;
import dev.tollgate.migrations.SqlLexer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds schema changes the old version cannot live with. During the canary, and after a rollback,
 * the old version keeps serving on the migrated schema, so a release may only expand it: add
 * tables, nullable or defaulted columns, indexes. Removing, renaming or narrowing what old code
 * reads or writes (DROP, RENAME, ALTER COLUMN TYPE, SET NOT NULL, a NOT NULL column without a
 * default, TRUNCATE, DELETE without WHERE, REVOKE) belongs in a later release, once no running
 * version needs it. Objects created by the same pending scripts are new, so changing them is safe.
 * The rules and their reasons are in {@code docs/migrations.md}.
 */
public final class CompatibilityGuard {

    private static final int EXCERPT_CHARACTERS = 120;
    private static final Set<String> DEFAULTED_TYPES =
            Set.of("SERIAL", "SERIAL4", "SERIAL8", "BIGSERIAL", "SMALLSERIAL", "SERIAL2");
    // In a DO block, a statement may follow PL/pgSQL control words: IF ... THEN DROP TABLE x;
    private static final Set<String> PLPGSQL_PREFIXES = Set.of("BEGIN", "THEN", "ELSE", "LOOP", "DECLARE", "EXCEPTION");
    private static final Set<String> MULTI_WORD_KINDS = Set.of("MATERIALIZED", "FOREIGN", "ACCESS", "EVENT", "TEXT");
    private static final Set<String> CHECKED_STARTS =
            Set.of("DROP", "ALTER", "TRUNCATE", "DELETE", "REVOKE", "EXECUTE");

    /** Every destructive statement in {@code scripts}, taken in the order they would be applied. */
    public List<DestructiveChange> scan(List<MigrationScript> scripts) {
        Scan scan = new Scan();
        for (MigrationScript script : scripts) {
            for (Statement statement : SqlLexer.statements(script.sql(), 1)) {
                scan.statement(script.name(), statement, false);
            }
        }
        return List.copyOf(scan.found);
    }

    /** The state of one scan: what it found and which objects the pending scripts themselves create. */
    private static final class Scan {
        private final List<DestructiveChange> found = new ArrayList<>();
        private final Set<String> created = new HashSet<>();

        void statement(String script, Statement statement, boolean procedural) {
            int begin = procedural ? proceduralStart(statement.tokens()) : 0;
            if (begin < 0 || begin >= statement.tokens().size()) {
                return;
            }
            statement = begin == 0 ? statement : statement.from(begin);
            List<Token> tokens = statement.tokens();
            int start = 0;
            Token first = tokens.get(start);
            if (first.is("DO")) {
                scanBodies(script, tokens);
            } else if (first.is("CREATE")) {
                recordCreated(tokens, start);
            } else if (first.is("DROP")) {
                drop(script, statement, tokens, start);
            } else if (first.is("ALTER")) {
                alter(script, statement, tokens, start);
            } else if (first.is("TRUNCATE")) {
                report(script, statement, "TRUNCATE empties tables the live version reads");
            } else if (first.is("REVOKE")) {
                report(script, statement, "REVOKE may take privileges the live version uses");
            } else if (first.is("EXECUTE") && procedural) {
                // Dynamic SQL in a DO block: check the statement text it is built from.
                scanStrings(script, tokens);
            }
            deleteWithoutWhere(script, statement, tokens, start);
        }

        private int proceduralStart(List<Token> tokens) {
            for (int i = 0; i < tokens.size(); i++) {
                Token token = tokens.get(i);
                if (token.depth() == 0
                        && token.kind() == Kind.WORD
                        && CHECKED_STARTS.contains(token.upper())
                        && (i == 0
                                || tokens.get(i - 1).kind() == Kind.WORD
                                        && PLPGSQL_PREFIXES.contains(
                                                tokens.get(i - 1).upper()))) {
                    return i;
                }
            }
            return -1;
        }

        /** DO blocks run their body now: scan it as statements too. */
        private void scanBodies(String script, List<Token> tokens) {
            for (Token token : tokens) {
                if (token.kind() == Kind.DOLLAR_STRING || token.kind() == Kind.STRING) {
                    int line = token.kind() == Kind.DOLLAR_STRING ? Integer.parseInt(token.upper()) : token.line();
                    for (Statement inner : SqlLexer.statements(token.text(), line)) {
                        statement(script, inner, true);
                    }
                }
            }
        }

        private void scanStrings(String script, List<Token> tokens) {
            for (Token token : tokens) {
                if (token.kind() == Kind.STRING || token.kind() == Kind.DOLLAR_STRING) {
                    for (Statement inner : SqlLexer.statements(token.text(), token.line())) {
                        statement(script, inner, false);
                    }
                }
            }
        }

        private void recordCreated(List<Token> tokens, int start) {
            // CREATE [OR REPLACE] [UNIQUE] [TEMP|UNLOGGED] TABLE|INDEX|VIEW [CONCURRENTLY] [IF NOT EXISTS] name
            int i = start + 1;
            while (i < tokens.size() && tokens.get(i).kind() == Kind.WORD && !isObjectKind(tokens.get(i))) {
                i++;
            }
            if (i >= tokens.size()) {
                return;
            }
            i++;
            i = skip(tokens, i, "CONCURRENTLY");
            i = skipIfExists(tokens, i, "NOT");
            if (i < tokens.size() && isName(tokens.get(i)) && !tokens.get(i).is("ON")) {
                created.add(name(tokens, i).key());
            }
        }

        private void drop(String script, Statement statement, List<Token> tokens, int start) {
            int i = start + 1;
            StringBuilder kind = new StringBuilder();
            if (i < tokens.size() && tokens.get(i).kind() == Kind.WORD) {
                kind.append(tokens.get(i).upper());
                // Multi-word kinds: MATERIALIZED VIEW, FOREIGN TABLE, FOREIGN DATA WRAPPER, EVENT TRIGGER, TEXT SEARCH
                // ...
                int words = MULTI_WORD_KINDS.contains(tokens.get(i).upper()) ? 2 : 0;
                i++;
                while (words-- > 0 && i < tokens.size() && isObjectWord(tokens.get(i))) {
                    kind.append(' ').append(tokens.get(i).upper());
                    i++;
                }
            }
            i = skip(tokens, i, "CONCURRENTLY");
            i = skipIfExists(tokens, i, null);
            if (i < tokens.size() && isName(tokens.get(i)) && allCreatedHere(tokens, i)) {
                return;
            }
            String object = kind.length() == 0 ? "an object" : kind.toString().toLowerCase(Locale.ROOT);
            report(
                    script,
                    statement,
                    "DROP " + kind + " removes " + article(object) + " the live version may still use");
        }

        /** DROP TABLE a, b: safe only when every one was created by the pending scripts. */
        private boolean allCreatedHere(List<Token> tokens, int i) {
            while (i < tokens.size()) {
                Name name = name(tokens, i);
                if (!created.contains(name.key())) {
                    return false;
                }
                i = name.next();
                if (i < tokens.size() && tokens.get(i).isSymbol(",")) {
                    i++;
                } else {
                    return true;
                }
            }
            return true;
        }

        private void alter(String script, Statement statement, List<Token> tokens, int start) {
            if (start + 1 >= tokens.size()) {
                return;
            }
            Token kind = tokens.get(start + 1);
            int i = start + 2;
            if (kind.is("TABLE") || kind.is("FOREIGN")) {
                i = kind.is("FOREIGN") ? skip(tokens, i, "TABLE") : i;
                i = skipIfExists(tokens, i, null);
                i = skip(tokens, i, "ONLY");
                if (i >= tokens.size() || !isName(tokens.get(i))) {
                    return;
                }
                Name table = name(tokens, i);
                i = table.next();
                if (i < tokens.size() && tokens.get(i).isSymbol("*")) {
                    i++;
                }
                if (created.contains(table.key())) {
                    return;
                }
                for (List<Token> action : splitActions(tokens, i)) {
                    String reason = tableAction(action);
                    if (reason != null) {
                        report(script, statement, reason);
                    }
                }
                return;
            }
            // ALTER VIEW/INDEX/SEQUENCE/TYPE/SCHEMA/FUNCTION ...: renames and dropped attributes break old code.
            for (int j = i; j < tokens.size(); j++) {
                Token token = tokens.get(j);
                if (token.depth() != 0) {
                    continue;
                }
                if (token.is("RENAME")) {
                    report(script, statement, "RENAME changes a name the live version still uses");
                    return;
                }
                if (token.is("DROP")
                        && j + 1 < tokens.size()
                        && (tokens.get(j + 1).is("ATTRIBUTE")
                                || tokens.get(j + 1).is("VALUE"))) {
                    report(
                            script,
                            statement,
                            "DROP " + tokens.get(j + 1).upper() + " removes part of a type the live version uses");
                    return;
                }
                if (token.is("SET")
                        && j + 1 < tokens.size()
                        && tokens.get(j + 1).is("SCHEMA")) {
                    report(
                            script,
                            statement,
                            "SET SCHEMA moves an object away from where the live version looks for it");
                    return;
                }
            }
        }

        /** Why one ALTER TABLE action breaks the old version, or null when it does not. */
        private String tableAction(List<Token> action) {
            if (action.isEmpty()) {
                return null;
            }
            Token verb = action.get(0);
            if (verb.is("RENAME")) {
                return "RENAME changes a table or column name the live version still uses";
            }
            if (verb.is("SET") && action.size() > 1 && action.get(1).is("SCHEMA")) {
                return "SET SCHEMA moves the table away from where the live version looks for it";
            }
            if (verb.is("DROP")) {
                Token what = action.size() > 1 ? action.get(1) : verb;
                if (what.is("CONSTRAINT")) {
                    return "DROP CONSTRAINT removes a constraint the live version may rely on (ON CONFLICT, integrity)";
                }
                return "DROP COLUMN removes a column the live version still reads or writes";
            }
            if (verb.is("ALTER")) {
                int i = action.size() > 1 && action.get(1).is("COLUMN") ? 2 : 1;
                i++; // the column name
                if (i < action.size() && action.get(i).is("TYPE")
                        || i + 2 < action.size()
                                && action.get(i).is("SET")
                                && action.get(i + 1).is("DATA")
                                && action.get(i + 2).is("TYPE")) {
                    return "ALTER COLUMN ... TYPE changes a column's type under the live version (and rewrites the table under a lock)";
                }
                if (i + 2 < action.size()
                        && action.get(i).is("SET")
                        && action.get(i + 1).is("NOT")
                        && action.get(i + 2).is("NULL")) {
                    return "SET NOT NULL makes the live version's inserts without this column fail";
                }
                if (i + 1 < action.size()
                        && action.get(i).is("DROP")
                        && (action.get(i + 1).is("DEFAULT") || action.get(i + 1).is("IDENTITY"))) {
                    return "DROP " + action.get(i + 1).upper()
                            + " makes the live version's inserts that rely on it fail";
                }
                return null;
            }
            if (verb.is("ADD") && !(action.size() > 1 && isConstraintStart(action.get(1)))) {
                return addColumnWithoutDefault(action);
            }
            return null;
        }

        private String addColumnWithoutDefault(List<Token> action) {
            boolean notNull = false;
            boolean defaulted = false;
            for (int i = 1; i < action.size(); i++) {
                Token token = action.get(i);
                if (token.depth() != action.get(0).depth()) {
                    continue;
                }
                if (token.is("NOT")
                                && i + 1 < action.size()
                                && action.get(i + 1).is("NULL")
                        || token.is("PRIMARY")) {
                    notNull = true;
                }
                if (token.is("DEFAULT")
                        || token.is("GENERATED")
                        || DEFAULTED_TYPES.contains(token.upper()) && token.kind() == Kind.WORD) {
                    defaulted = true;
                }
            }
            return notNull && !defaulted
                    ? "ADD COLUMN ... NOT NULL without a DEFAULT fails on existing rows and makes the live version's inserts fail"
                    : null;
        }

        private void deleteWithoutWhere(String script, Statement statement, List<Token> tokens, int start) {
            for (int i = start; i < tokens.size(); i++) {
                Token token = tokens.get(i);
                boolean statementDelete = token.is("DELETE")
                        && (i == start
                                || i + 1 < tokens.size() && tokens.get(i + 1).is("FROM"));
                if (!statementDelete || i > start && tokens.get(i - 1).is("ON")) {
                    continue;
                }
                boolean where = false;
                for (int j = i + 1; j < tokens.size() && tokens.get(j).depth() >= token.depth(); j++) {
                    if (tokens.get(j).depth() == token.depth() && tokens.get(j).is("WHERE")) {
                        where = true;
                        break;
                    }
                }
                if (!where) {
                    report(script, statement, "DELETE without WHERE empties a table the live version reads");
                    return;
                }
            }
        }

        private void report(String script, Statement statement, String reason) {
            String text = statement.text().replaceAll("\\s+", " ");
            String excerpt =
                    text.length() <= EXCERPT_CHARACTERS ? text : text.substring(0, EXCERPT_CHARACTERS - 3) + "...";
            found.add(new DestructiveChange(script, statement.line(), excerpt, reason));
        }
    }

    /** Splits ALTER TABLE's actions on the commas between them. */
    private static List<List<Token>> splitActions(List<Token> tokens, int from) {
        List<List<Token>> actions = new ArrayList<>();
        List<Token> action = new ArrayList<>();
        int depth = from < tokens.size() ? tokens.get(from).depth() : 0;
        for (int i = from; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.isSymbol(",") && token.depth() == depth) {
                actions.add(action);
                action = new ArrayList<>();
            } else {
                action.add(token);
            }
        }
        actions.add(action);
        return actions;
    }

    private static boolean isConstraintStart(Token token) {
        return token.is("CONSTRAINT")
                || token.is("PRIMARY")
                || token.is("UNIQUE")
                || token.is("CHECK")
                || token.is("FOREIGN")
                || token.is("EXCLUDE");
    }

    private static boolean isObjectKind(Token token) {
        return token.is("TABLE") || token.is("INDEX") || token.is("VIEW") || token.is("SEQUENCE") || token.is("TYPE");
    }

    private static boolean isObjectWord(Token token) {
        return isObjectKind(token)
                || token.is("VIEW")
                || token.is("MATERIALIZED")
                || token.is("FOREIGN")
                || token.is("DATA")
                || token.is("WRAPPER")
                || token.is("ACCESS")
                || token.is("METHOD")
                || token.is("EVENT")
                || token.is("TRIGGER")
                || token.is("TEXT")
                || token.is("SEARCH")
                || token.is("CONFIGURATION")
                || token.is("DICTIONARY")
                || token.is("OWNED");
    }

    private static int skip(List<Token> tokens, int i, String word) {
        return i < tokens.size() && tokens.get(i).is(word) ? i + 1 : i;
    }

    /** Skips {@code IF EXISTS} (or {@code IF NOT EXISTS} when {@code not} is "NOT"). */
    private static int skipIfExists(List<Token> tokens, int i, String not) {
        if (i < tokens.size() && tokens.get(i).is("IF")) {
            int j = i + 1;
            if (not != null && j < tokens.size() && tokens.get(j).is(not)) {
                j++;
            }
            if (j < tokens.size() && tokens.get(j).is("EXISTS")) {
                return j + 1;
            }
        }
        return i;
    }

    private static boolean isName(Token token) {
        return token.kind() == Kind.WORD || token.kind() == Kind.QUOTED_IDENTIFIER;
    }

    /** A possibly schema-qualified name; its key drops the schema and folds unquoted parts to lower case, as PostgreSQL does. */
    private static Name name(List<Token> tokens, int i) {
        String last = part(tokens.get(i));
        int next = i + 1;
        while (next + 1 < tokens.size() && tokens.get(next).isSymbol(".") && isName(tokens.get(next + 1))) {
            last = part(tokens.get(next + 1));
            next += 2;
        }
        return new Name(last, next);
    }

    private static String part(Token token) {
        return token.kind() == Kind.QUOTED_IDENTIFIER
                ? token.text()
                : token.text().toLowerCase(Locale.ROOT);
    }

    private static String article(String object) {
        return "aeiou".indexOf(object.charAt(0)) >= 0 ? "an " + object : "a " + object;
    }

    private record Name(String key, int next) {}
}
