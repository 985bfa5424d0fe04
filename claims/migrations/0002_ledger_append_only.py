"""BX-1: ledger entries and transactions are append-only on PostgreSQL (UPDATE/DELETE refused
by a trigger; corrections are reversal transactions), and every transaction's entries sum to
zero when it commits (deferred constraint trigger). Other databases rely on the service layer."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION claims_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only (% on %): post a reversal instead', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER claims_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON claims_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION claims_ledger_append_only();

CREATE TRIGGER claims_ledgertransaction_append_only
    BEFORE UPDATE OR DELETE ON claims_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION claims_ledger_append_only();

CREATE OR REPLACE FUNCTION claims_ledger_balanced() RETURNS trigger AS $$
DECLARE total numeric;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO total FROM claims_ledgerentry WHERE transaction_id = NEW.transaction_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (%)', NEW.transaction_id, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER claims_ledgerentry_balanced
    AFTER INSERT ON claims_ledgerentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION claims_ledger_balanced();
"""

REVERSE = """
DROP TRIGGER IF EXISTS claims_ledgerentry_balanced ON claims_ledgerentry;
DROP FUNCTION IF EXISTS claims_ledger_balanced();
DROP TRIGGER IF EXISTS claims_ledgertransaction_append_only ON claims_ledgertransaction;
DROP TRIGGER IF EXISTS claims_ledgerentry_append_only ON claims_ledgerentry;
DROP FUNCTION IF EXISTS claims_ledger_append_only();
"""


def _run(schema_editor, sql):
    if schema_editor.connection.vendor == "postgresql":
        # A raw cursor without parameters: the PL/pgSQL bodies contain literal '%'.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, REVERSE)


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
