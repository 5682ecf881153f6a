package dev.tollgate.migrations;

import java.nio.file.Path;

/** Where migration scripts named by an {@code s3:} location come from: copies them into a local directory Flyway can read. */
public interface ScriptStore {

    /** Copies every {@code .sql} object under {@code bucket/prefix} into {@code directory}, keeping relative paths; returns how many. */
    int download(String bucket, String prefix, Path directory);
}
