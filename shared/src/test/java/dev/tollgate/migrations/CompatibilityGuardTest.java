package dev.tollgate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompatibilityGuardTest {

    private final CompatibilityGuard guard = new CompatibilityGuard();

    private List<DestructiveChange> scan(String sql) {
        return guard.scan(List.of(new MigrationScript("V9__change.sql", sql)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "DROP TABLE orders",
                "drop table if exists public.orders cascade",
                "DROP VIEW order_totals",
                "DROP MATERIALIZED VIEW order_totals",
                "DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx",
                "DROP SCHEMA billing CASCADE",
                "DROP FUNCTION order_total(bigint)",
                "DROP TYPE order_status",
                "DROP SEQUENCE orders_id_seq",
                "ALTER TABLE orders DROP COLUMN note",
                "ALTER TABLE orders DROP note",
                "alter table only public.orders drop column if exists note",
                "ALTER TABLE orders DROP CONSTRAINT orders_customer_fk",
                "ALTER TABLE orders RENAME COLUMN note TO remark",
                "ALTER TABLE orders RENAME note TO remark",
                "ALTER TABLE orders RENAME TO purchases",
                "ALTER TABLE IF EXISTS orders RENAME CONSTRAINT a TO b",
                "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)",
                "ALTER TABLE orders ALTER total TYPE bigint USING total::bigint",
                "ALTER TABLE orders ALTER COLUMN total SET DATA TYPE bigint",
                "ALTER TABLE orders ALTER COLUMN note SET NOT NULL",
                "ALTER TABLE orders ALTER COLUMN created_at DROP DEFAULT",
                "ALTER TABLE orders ADD COLUMN region text NOT NULL",
                "ALTER TABLE orders ADD region text NOT NULL",
                "ALTER TABLE orders ADD COLUMN IF NOT EXISTS region text CONSTRAINT region_nn NOT NULL",
                "ALTER TABLE orders SET SCHEMA archive",
                "ALTER VIEW order_totals RENAME TO totals",
                "ALTER INDEX orders_idx RENAME TO orders_idx2",
                "ALTER TYPE order_status RENAME VALUE 'new' TO 'created'",
                "ALTER TYPE address DROP ATTRIBUTE zip",
                "TRUNCATE orders",
                "truncate table orders, lines restart identity",
                "DELETE FROM orders",
                "delete from orders returning *",
                "WITH gone AS (DELETE FROM orders RETURNING id) SELECT count(*) FROM gone",
                "REVOKE SELECT ON orders FROM app_old",
                "DO $$ BEGIN DROP TABLE orders; END $$",
                "DO $body$ BEGIN IF EXISTS (SELECT 1) THEN ALTER TABLE orders DROP COLUMN note; END IF; END $body$",
                "DO $$ BEGIN EXECUTE 'DROP TABLE ' || quote_ident('orders'); END $$",
                "ALTER TABLE \"Orders\" DROP COLUMN \"Note\"",
            })
    void refusesWhatBreaksTheLiveVersion(String sql) {
        List<DestructiveChange> found = scan(sql);
        assertEquals(1, found.size(), () -> sql + " -> " + found);
        assertEquals("V9__change.sql", found.get(0).script());
        assertEquals(1, found.get(0).line());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "CREATE TABLE discounts (id bigserial PRIMARY KEY, code text NOT NULL)",
                "ALTER TABLE orders ADD COLUMN discount_code text",
                "ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT 'eu'",
                "ALTER TABLE orders ADD COLUMN seq bigserial NOT NULL",
                "ALTER TABLE orders ADD COLUMN n int GENERATED ALWAYS AS IDENTITY",
                "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL",
                "ALTER TABLE orders ALTER COLUMN note SET DEFAULT ''",
                "ALTER TABLE orders ADD CONSTRAINT orders_discount_fk FOREIGN KEY (discount_code) REFERENCES discounts (code) NOT VALID",
                "CREATE INDEX CONCURRENTLY drop_candidates_idx ON orders (dropped_at)",
                "CREATE INDEX truncate_log_idx ON truncate_log (id)",
                "CREATE TABLE drop_log (what text DEFAULT 'DROP TABLE orders')",
                "INSERT INTO audit (note) VALUES ('DROP TABLE orders; DELETE FROM orders')",
                "INSERT INTO audit (note) VALUES (E'it''s \\' DROP TABLE orders')",
                "SELECT 1 -- DROP TABLE orders\n",
                "/* DROP TABLE orders; /* nested */ TRUNCATE orders; */ SELECT 1",
                "SELECT \"drop\", \"DELETE\" FROM \"truncate\"",
                "DELETE FROM orders WHERE created_at < now() - interval '1 year'",
                "DELETE FROM orders USING archived a WHERE a.id = orders.id",
                "UPDATE orders SET region = 'eu'",
                "CREATE FUNCTION purge() RETURNS void AS $$ DELETE FROM orders; DROP TABLE orders; $$ LANGUAGE sql",
                "CREATE TRIGGER audit_delete BEFORE DELETE ON orders FOR EACH ROW EXECUTE FUNCTION audit()",
                "ALTER TABLE lines ADD COLUMN order_id bigint REFERENCES orders (id) ON DELETE CASCADE",
                "GRANT SELECT, INSERT, DELETE ON orders TO app",
                "COMMENT ON COLUMN orders.note IS 'will DROP COLUMN later'",
                "SELECT $1::text, $tag$ DROP TABLE x $tag$",
            })
    void acceptsExpandOnlyChangesAndLookalikes(String sql) {
        List<DestructiveChange> found = scan(sql);
        assertEquals(List.of(), found, sql);
    }

    @Test
    void changesToObjectsCreatedByThePendingScriptsAreSafe() {
        List<DestructiveChange> found = guard.scan(
                List.of(
                        new MigrationScript(
                                "V5__stage.sql",
                                "CREATE TABLE staging_orders (id bigint);\nCREATE INDEX staging_idx ON staging_orders (id);"),
                        new MigrationScript(
                                "V6__use.sql",
                                "ALTER TABLE staging_orders ADD COLUMN total int NOT NULL;\n"
                                        + "ALTER TABLE staging_orders RENAME COLUMN total TO amount;\nDROP INDEX staging_idx;\nDROP TABLE staging_orders;")));
        assertEquals(List.of(), found);
    }

    @Test
    void reportsEveryStatementWithItsScriptAndLine() {
        List<DestructiveChange> found = guard.scan(List.of(
                new MigrationScript("V2__ok.sql", "CREATE TABLE a (id int);\n"),
                new MigrationScript(
                        "V3__contract.sql",
                        "-- contract the schema\n"
                                + "ALTER TABLE orders ADD COLUMN x int;\n"
                                + "ALTER TABLE orders\n  DROP COLUMN note,\n  ALTER COLUMN total TYPE bigint;\n"
                                + "/* a\n comment */\n"
                                + "DROP TABLE legacy;\n")));
        assertEquals(3, found.size(), found::toString);
        assertEquals("V3__contract.sql", found.get(0).script());
        assertEquals(3, found.get(0).line());
        assertTrue(found.get(0).reason().startsWith("DROP COLUMN"), found.get(0).reason());
        assertEquals(3, found.get(1).line());
        assertTrue(found.get(1).reason().contains("TYPE"), found.get(1).reason());
        assertEquals(8, found.get(2).line());
        assertEquals("DROP TABLE legacy", found.get(2).statement());
    }

    @Test
    void reportsLinesInsideDoBlocks() {
        List<DestructiveChange> found = scan("SELECT 1;\nDO $$\nBEGIN\n  TRUNCATE orders;\nEND\n$$;");
        assertEquals(1, found.size(), found::toString);
        assertEquals(4, found.get(0).line());
    }

    @Test
    void dollarQuotedBodiesDoNotEndStatements() {
        List<DestructiveChange> found =
                scan("CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql;\nDROP TABLE orders;");
        assertEquals(1, found.size(), found::toString);
        assertEquals(2, found.get(0).line());
    }
}
