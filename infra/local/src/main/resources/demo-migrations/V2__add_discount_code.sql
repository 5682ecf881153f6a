-- Release v42 adds discount codes. Expand only: the live version (v41) never reads these and keeps
-- inserting orders without them, so the new column is nullable and the new table is separate.
CREATE TABLE discounts (
    code        text PRIMARY KEY,
    percent_off int  NOT NULL CHECK (percent_off BETWEEN 1 AND 100)
);

ALTER TABLE orders ADD COLUMN discount_code text REFERENCES discounts (code);

INSERT INTO discounts (code, percent_off) VALUES ('WELCOME10', 10);
