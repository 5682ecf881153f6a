package dev.tollgate.migrations;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits PostgreSQL script text into statements of tokens, the way the server reads it: comments
 * ({@code --} and nested {@code /* *}{@code /}) vanish, string literals ({@code '...'},
 * {@code E'...'} with backslash escapes, {@code $tag$...$tag$}) and quoted identifiers become single
 * tokens, so a {@code DROP} inside any of them is never mistaken for a keyword.
 */
final class SqlLexer {

    enum Kind {
        WORD,
        QUOTED_IDENTIFIER,
        STRING,
        DOLLAR_STRING,
        NUMBER,
        SYMBOL
    }

    /**
     * One token. {@code upper} is the upper-cased text of a {@link Kind#WORD} (keywords compare on
     * it) and the text itself otherwise; {@code depth} is the parenthesis depth it sits at.
     */
    record Token(Kind kind, String text, String upper, int line, int depth, int start, int end) {
        boolean is(String keyword) {
            return kind == Kind.WORD && upper.equals(keyword);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }
    }

    /** A statement: its tokens, the line it starts on, and its text as written (for reports). */
    record Statement(List<Token> tokens, int line, String text) {

        /** The statement from its {@code index}th token on (a PL/pgSQL statement after {@code BEGIN}, {@code THEN} ...). */
        Statement from(int index) {
            Token first = tokens.get(index);
            return new Statement(
                    tokens.subList(index, tokens.size()),
                    first.line(),
                    text.substring(first.start() - tokens.get(0).start()));
        }
    }

    private SqlLexer() {}

    /** The statements of {@code sql}; {@code firstLine} is the line number of its first character. */
    static List<Statement> statements(String sql, int firstLine) {
        List<Statement> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token token : tokens(sql, firstLine)) {
            if (token.isSymbol(";") && token.depth() == 0) {
                add(statements, current, sql);
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        add(statements, current, sql);
        return statements;
    }

    private static void add(List<Statement> statements, List<Token> tokens, String sql) {
        if (tokens.isEmpty()) {
            return;
        }
        String text = sql.substring(
                tokens.get(0).start(), tokens.get(tokens.size() - 1).end());
        statements.add(new Statement(List.copyOf(tokens), tokens.get(0).line(), text));
    }

    static List<Token> tokens(String sql, int firstLine) {
        List<Token> tokens = new ArrayList<>();
        int line = firstLine;
        int depth = 0;
        int i = 0;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                while (i < length && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                // PostgreSQL block comments nest.
                int nesting = 0;
                do {
                    if (sql.startsWith("/*", i)) {
                        nesting++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        nesting--;
                        i += 2;
                    } else {
                        line += sql.charAt(i) == '\n' ? 1 : 0;
                        i++;
                    }
                } while (nesting > 0 && i < length);
            } else if (c == '\'') {
                boolean escapes = !tokens.isEmpty()
                        && tokens.get(tokens.size() - 1).end() == i
                        && tokens.get(tokens.size() - 1).is("E");
                if (escapes) {
                    tokens.remove(tokens.size() - 1);
                }
                int start = escapes ? i - 1 : i;
                int startLine = line;
                i++;
                StringBuilder value = new StringBuilder();
                while (i < length) {
                    char d = sql.charAt(i);
                    if (d == '\n') {
                        line++;
                    }
                    if (escapes && d == '\\' && i + 1 < length) {
                        value.append(sql.charAt(i + 1));
                        i += 2;
                    } else if (d == '\'' && i + 1 < length && sql.charAt(i + 1) == '\'') {
                        value.append('\'');
                        i += 2;
                    } else if (d == '\'') {
                        i++;
                        break;
                    } else {
                        value.append(d);
                        i++;
                    }
                }
                tokens.add(new Token(Kind.STRING, value.toString(), value.toString(), startLine, depth, start, i));
            } else if (c == '"') {
                int start = i;
                i++;
                StringBuilder name = new StringBuilder();
                while (i < length) {
                    char d = sql.charAt(i);
                    if (d == '"' && i + 1 < length && sql.charAt(i + 1) == '"') {
                        name.append('"');
                        i += 2;
                    } else if (d == '"') {
                        i++;
                        break;
                    } else {
                        line += d == '\n' ? 1 : 0;
                        name.append(d);
                        i++;
                    }
                }
                tokens.add(new Token(Kind.QUOTED_IDENTIFIER, name.toString(), name.toString(), line, depth, start, i));
            } else if (c == '$' && dollarTagEnd(sql, i) > 0) {
                int tagEnd = dollarTagEnd(sql, i);
                String tag = sql.substring(i, tagEnd);
                int bodyStart = tagEnd;
                int close = sql.indexOf(tag, bodyStart);
                int bodyEnd = close < 0 ? length : close;
                String body = sql.substring(bodyStart, bodyEnd);
                int startLine = line;
                line += (int) body.chars().filter(ch -> ch == '\n').count();
                int end = close < 0 ? length : close + tag.length();
                // upper holds the body's first line number, so a nested scan can report real lines.
                tokens.add(new Token(Kind.DOLLAR_STRING, body, Integer.toString(startLine), startLine, depth, i, end));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < length
                        && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                String word = sql.substring(start, i);
                tokens.add(new Token(Kind.WORD, word, word.toUpperCase(Locale.ROOT), line, depth, start, i));
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < length && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(
                        Kind.NUMBER, sql.substring(start, i), sql.substring(start, i), line, depth, start, i));
            } else {
                if (c == ')') {
                    depth = Math.max(0, depth - 1);
                }
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), String.valueOf(c), line, depth, i, i + 1));
                if (c == '(') {
                    depth++;
                }
                i++;
            }
        }
        return tokens;
    }

    /** The index after a dollar-quote tag ({@code $$} or {@code $name$}) starting at {@code i}, or -1 ({@code $1} is a parameter). */
    private static int dollarTagEnd(String sql, int i) {
        int j = i + 1;
        if (j < sql.length() && Character.isDigit(sql.charAt(j))) {
            return -1;
        }
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? j + 1 : -1;
    }
}
