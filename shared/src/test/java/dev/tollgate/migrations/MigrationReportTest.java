package dev.tollgate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one line a dry run leaves on the record, the pipeline's message and the event bus. */
class MigrationReportTest {

    private static final String DATABASE = "app@db:5432/checkout";
    private static final AppliedMigration CREATE =
            new AppliedMigration("1", "create orders", "V1__create_orders.sql", 0);
    private static final AppliedMigration DROP =
            new AppliedMigration("2", "drop legacy note", "V2__drop_legacy_note.sql", 0);
    private static final DestructiveChange DROP_COLUMN = new DestructiveChange(
            "V2__drop_legacy_note.sql",
            1,
            "ALTER TABLE legacy DROP COLUMN note",
            "DROP COLUMN removes a column the live version still reads or writes");

    @Test
    void listsEachPendingMigrationWithItsVersionDescriptionAndScript() {
        assertEquals(
                "would apply 1 migration on app@db:5432/checkout: 1 create orders (V1__create_orders.sql); "
                        + "the compatibility guard found no destructive statement",
                MigrationReport.dryRun(List.of(CREATE), List.of(), false, DATABASE));
    }

    @Test
    void saysWhichStatementsARealRunWouldRefuse() {
        assertEquals(
                "would apply 2 migrations on app@db:5432/checkout: 1 create orders (V1__create_orders.sql), 2 drop legacy note "
                        + "(V2__drop_legacy_note.sql); the compatibility guard would refuse 1 destructive statement (allowDestructive is false): "
                        + "V2__drop_legacy_note.sql:1 `ALTER TABLE legacy DROP COLUMN note`: DROP COLUMN removes a column the live version still "
                        + "reads or writes",
                MigrationReport.dryRun(List.of(CREATE, DROP), List.of(DROP_COLUMN), false, DATABASE));
    }

    @Test
    void saysWhichStatementsAllowDestructiveWouldLetThrough() {
        assertTrue(MigrationReport.dryRun(List.of(CREATE, DROP), List.of(DROP_COLUMN), true, DATABASE)
                .endsWith(
                        "; the compatibility guard found 1 destructive statement, which allowDestructive lets through: "
                                + DROP_COLUMN));
    }

    @Test
    void anUpToDateSchemaHasNothingToApply() {
        assertEquals(
                "would apply 0 migrations on app@db:5432/checkout (the schema is up to date); "
                        + "the compatibility guard found no destructive statement",
                MigrationReport.dryRun(List.of(), List.of(), false, DATABASE));
    }

    @Test
    void aRepeatableMigrationHasNoVersion() {
        assertEquals(
                "refresh views (R__refresh_views.sql)",
                MigrationReport.describe(new AppliedMigration(null, "refresh views", "R__refresh_views.sql", 0)));
    }

    @Test
    void aLongListIsCutAndSaysHowManyMore() {
        List<AppliedMigration> many = IntStream.rangeClosed(1, 25)
                .mapToObj(version -> new AppliedMigration(
                        Integer.toString(version), "step " + version, "V" + version + "__step.sql", 0))
                .toList();

        String report = MigrationReport.dryRun(many, List.of(), false, DATABASE);

        assertTrue(
                report.startsWith("would apply 25 migrations on app@db:5432/checkout: 1 step 1 (V1__step.sql), "),
                report);
        assertTrue(report.contains("20 step 20 (V20__step.sql) and 5 more (see RunMigrations' output);"), report);
        assertFalse(report.contains("V21__step.sql"), report);
    }
}
