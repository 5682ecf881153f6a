package dev.tollgate.migrations;

/** One pending migration script: its file name (e.g. {@code V3__add_discount.sql}) and its SQL text. */
public record MigrationScript(String name, String sql) {

    @Override
    public String toString() {
        return name;
    }
}
