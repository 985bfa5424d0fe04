"""RF-1 collusion: accounts sharing a device, address, phone or payment account form a linked
group (connected components of the consumer–identifier graph).

Set-based label propagation, entirely in SQL: every identifier row starts with its consumer's
id as label; each round gives every row the smallest label among rows with the same (kind,
value), then the smallest label among rows of the same consumer. Only rows whose label drops
are written; the loop ends when a round writes nothing. A component's label is its lowest
consumer id, which becomes the group key. Values shared by more than ``rf.group_max_shared``
accounts are too common to link anyone (and would otherwise merge unrelated buyers).
"""

from __future__ import annotations

from django.db import connection, transaction

from shop.rules import setting

from .models import LINKABLE_IDENTITY_KINDS

TABLE = "claims_consumeridentity"
MAX_ROUNDS = 64


def _kinds_sql() -> str:
    return ", ".join(f"'{k.value}'" for k in LINKABLE_IDENTITY_KINDS)


def propagate_group_labels() -> int:
    """Converge ``ConsumerIdentity.label`` to the component minimum. Returns rounds run."""
    max_shared = int(setting("rf.group_max_shared"))
    by_value = f"""
        UPDATE {TABLE} AS ci SET label = m.l
        FROM (SELECT kind, value, MIN(label) AS l FROM {TABLE}
              WHERE kind IN ({_kinds_sql()})
              GROUP BY kind, value HAVING COUNT(*) BETWEEN 2 AND %s) AS m
        WHERE ci.kind = m.kind AND ci.value = m.value AND ci.label > m.l"""  # noqa: S608 — identifiers and ints only
    by_consumer = f"""
        UPDATE {TABLE} AS ci SET label = m.l
        FROM (SELECT consumer_id, MIN(label) AS l FROM {TABLE}
              GROUP BY consumer_id HAVING MIN(label) < MAX(label)) AS m
        WHERE ci.consumer_id = m.consumer_id AND ci.label > m.l"""  # noqa: S608 — identifiers and ints only
    with transaction.atomic(), connection.cursor() as cur:
        # Start over (a removed identifier can split a group): only rows not at their own id.
        cur.execute(f"UPDATE {TABLE} SET label = consumer_id WHERE label <> consumer_id")  # noqa: S608
        rounds = 0
        while rounds < MAX_ROUNDS:
            rounds += 1
            cur.execute(by_value, [max_shared])
            moved = cur.rowcount
            cur.execute(by_consumer)
            moved += cur.rowcount
            if moved == 0:
                break
    return rounds
