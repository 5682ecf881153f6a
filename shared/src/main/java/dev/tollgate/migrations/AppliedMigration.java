package dev.tollgate.migrations;

/** One migration applied (or, in a dry run, pending): its version, description, script and how long it took. */
public record AppliedMigration(String version, String description, String script, long executionMillis) {}
