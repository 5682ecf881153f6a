package dev.tollgate.migrations;

/** A statement the compatibility guard refuses: where it is, what it says (abbreviated) and why it breaks the old version. */
public record DestructiveChange(String script, int line, String statement, String reason) {

    @Override
    public String toString() {
        return script + ":" + line + " `" + statement + "`: " + reason;
    }
}
