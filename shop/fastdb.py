"""Statements for hot paths, without the query compiler.

Building and compiling a queryset costs 0.3–1 ms of CPU per query (more with joins), which is
most of a request that runs ten of them: claim filing (issue 4's benchmark) and token
authentication, which every API call pays. This module keeps the ORM's knowledge (table and
column names from ``_meta``, the fields' own value preparation and converters, ``Model.from_db``)
and skips the per-call compilation:

- ``Select(model, related=…)``: the SELECT list and LEFT JOINs for a model and some of its
  one-to-one / many-to-one relations, built once per database vendor; ``load(row)`` hydrates
  the instances (converters applied, relations cached as ``select_related`` would) and returns
  any extra columns the caller added.
- ``insert(obj)``: one INSERT … RETURNING pk, with ``pre_save`` (auto_now) and
  ``get_db_prep_save`` per field, as ``Model.save`` would; no signals (none are used here).
- ``insert_rows(objs, ignore_conflicts=)``: one multi-row INSERT, like ``bulk_create``.
- ``Batch``: INSERTs that read nothing back — rows, or one row per row of a SELECT
  (``select(template, column=, select=(sql, params))``, e.g. a notification per user of an
  audience) — as one statement on PostgreSQL.
- ``Compiled(build)``: a ``values_list`` queryset compiled once with sentinel arguments; ``sql()``
  gives the SQL and parameters for the real ones, to run or embed (``Batch.select``) — the
  ORM stays the one definition of the query.

SQL is portable between PostgreSQL and SQLite (the backend's own operations decide FOR UPDATE
and ON CONFLICT). Tests exercise every statement on both. Models with multi-table inheritance
are not supported (none of the hot paths' models use it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.models import Model
from django.db.models.constants import OnConflict

DEFAULT = "default"


def _qn(connection: Any, name: str) -> str:
    return connection.ops.quote_name(name)


class _Node:
    """One model in a Select: its alias, columns, converters and how it hangs off its parent."""

    def __init__(self, model: type[Model], alias: str, parent: _Node | None, field: Any) -> None:
        self.model = model
        self.alias = alias
        self.parent = parent
        self.field = field  # the relation from the parent (forward FK/O2O or reverse O2O rel)
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.pk_index = self.fields.index(model._meta.pk)
        self.converters: list[tuple[int, list[Callable]]] = []  # (column index, its converters)
        self.cols: list[Any] = []

    def prepare(self, connection: Any) -> None:
        self.cols = [f.get_col(self.alias) for f in self.fields]
        self.converters = []
        for i, (f, col) in enumerate(zip(self.fields, self.cols, strict=True)):
            convs = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
            if convs:
                self.converters.append((i, convs))


class Select:
    """``SELECT <model and related columns>[, extra] FROM <table> LEFT JOIN …`` for one vendor.

    ``related``: paths as in ``select_related`` ("streamer", "user__profile__consumer"); each
    step is a forward FK / one-to-one or a reverse one-to-one. The root table's alias is
    ``alias`` (default "t0"); related tables get "t1", "t2", … in path order.
    """

    def __init__(self, model: type[Model], *, related: Sequence[str] = (), alias: str = "t0") -> None:
        self.model = model
        self.related = tuple(related)
        self.alias = alias
        self._built: dict[str, tuple[str, list[_Node]]] = {}

    def _nodes(self) -> list[_Node]:
        root = _Node(self.model, self.alias, None, None)
        nodes = [root]
        by_path: dict[str, _Node] = {"": root}
        for path in self.related:
            prefix = ""
            for step in path.split("__"):
                parent = by_path[prefix]
                prefix = f"{prefix}__{step}" if prefix else step
                if prefix in by_path:
                    continue
                field = parent.model._meta.get_field(step)
                if not (field.many_to_one or field.one_to_one):
                    raise ValueError(f"{parent.model.__name__}.{step} is not a single-valued relation")
                node = _Node(field.related_model, f"t{len(nodes)}", parent, field)
                nodes.append(node)
                by_path[prefix] = node
        return nodes

    def head(self, using: str = DEFAULT) -> tuple[str, str, list[_Node]]:
        """(``SELECT <columns>``, `` FROM <table> LEFT JOIN …``, nodes), built once per vendor."""
        connection = connections[using]
        built = self._built.get(connection.vendor)
        if built is None:
            nodes = self._nodes()
            select: list[str] = []
            joins = [f"{_qn(connection, self.model._meta.db_table)} {self.alias}"]
            for node in nodes:
                node.prepare(connection)
                select += [f"{node.alias}.{_qn(connection, f.column)}" for f in node.fields]
                if node.parent is None:
                    continue
                if node.field.auto_created:  # reverse one-to-one: the child holds the key
                    child_col, parent_col = node.field.field.column, node.field.field.target_field.column
                else:
                    child_col, parent_col = node.field.target_field.column, node.field.column
                joins.append(
                    f"LEFT JOIN {_qn(connection, node.model._meta.db_table)} {node.alias} "
                    f"ON {node.alias}.{_qn(connection, child_col)} = {node.parent.alias}.{_qn(connection, parent_col)}"
                )
            built = ("SELECT " + ", ".join(select), " FROM " + " ".join(joins), nodes)
            self._built[connection.vendor] = built
        return built

    def sql(self, *, where: str, extra: Sequence[str] = (), tail: str = "", using: str = DEFAULT) -> str:
        select, from_, _nodes = self.head(using)
        extras = "".join(f", {e}" for e in extra)
        return f"{select}{extras}{from_} WHERE {where}" + (f" {tail}" if tail else "")

    def fetch(
        self, *, where: str, params: Sequence[Any], extra: Sequence[str] = (), tail: str = "", using: str = DEFAULT
    ) -> list[tuple[Model, list[Any]]]:
        """Run the SELECT; each row → (root instance with relations cached, extra values)."""
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql(where=where, extra=extra, tail=tail, using=using), list(params))
            rows = cursor.fetchall()
        return [self.load(row, using=using) for row in rows]

    def load(self, row: Sequence[Any], *, using: str = DEFAULT) -> tuple[Model, list[Any]]:
        connection = connections[using]
        nodes = self.head(using)[2]
        instances: dict[int, Model | None] = {}
        at = 0
        for node in nodes:
            values = list(row[at : at + len(node.fields)])
            at += len(node.fields)
            if values[node.pk_index] is None:
                obj = None
            else:
                for i, convs in node.converters:
                    for conv in convs:
                        values[i] = conv(values[i], node.cols[i], connection)
                obj = node.model.from_db(using, node.attnames, values)
            instances[id(node)] = obj
            if node.parent is not None:
                parent = instances[id(node.parent)]
                if parent is not None:
                    # What select_related does: cache both sides (None = "there is none").
                    if node.field.auto_created:
                        node.field.set_cached_value(parent, obj)
                        if obj is not None:
                            node.field.field.set_cached_value(obj, parent)
                    else:
                        node.field.set_cached_value(parent, obj)
        root = instances[id(nodes[0])]
        assert root is not None
        return root, list(row[at:])


def _insert_fields(model: type[Model], obj: Model) -> list[Any]:
    meta = model._meta
    return [f for f in meta.local_concrete_fields if not (f.primary_key and getattr(obj, f.attname) is None)]


def next_id_sql(model: type[Model], *, using: str = DEFAULT) -> tuple[str, list[Any]] | None:
    """An expression drawing the model's next primary key from its sequence (PostgreSQL), to
    select along with something else; ``None`` where the database has no sequences."""
    if connections[using].vendor != "postgresql":
        return None
    return "nextval(pg_get_serial_sequence(%s, %s))", [model._meta.db_table, model._meta.pk.column]


def insert(obj: Model, *, using: str = DEFAULT) -> Model:
    """INSERT one row and set its primary key, as ``save(force_insert=True)`` would."""
    connection = connections[using]
    sql, values = _rows_sql([obj], False, connection)
    pk = type(obj)._meta.pk
    with connection.cursor() as cursor:
        if obj.pk is None and connection.features.can_return_columns_from_insert:
            cursor.execute(f"{sql} RETURNING {_qn(connection, pk.column)}", values)
            obj.pk = cursor.fetchone()[0]
        else:
            cursor.execute(sql, values)
            if obj.pk is None:
                obj.pk = connection.ops.last_insert_id(cursor, type(obj)._meta.db_table, pk.column)
    obj._state.adding = False
    obj._state.db = using
    return obj


def _rows_sql(objs: list[Model], ignore_conflicts: bool, connection: Any) -> tuple[str, list[Any]]:
    model = type(objs[0])
    fields = _insert_fields(model, objs[0])
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    values: list[Any] = []
    for obj in objs:
        values += [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"{connection.ops.insert_statement(on_conflict=on_conflict)} {_qn(connection, model._meta.db_table)} "
        f"({', '.join(_qn(connection, f.column) for f in fields)}) VALUES {', '.join([row] * len(objs))} "
        f"{connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None)}"
    )
    return sql.rstrip(), values


def _select_sql(
    template: Model, column: str, select: tuple[str, Sequence[Any]], ignore_conflicts: bool, connection: Any
) -> tuple[str, list[Any]]:
    model = type(template)
    target = model._meta.get_field(column)
    others = [f for f in _insert_fields(model, template) if f is not target]
    values = [f.get_db_prep_save(f.pre_save(template, True), connection) for f in others]
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    select_sql, select_params = select
    cols = ", ".join(_qn(connection, f.column) for f in [target, *others])
    # Names come from _meta, values are bound, the SELECT is compiled by the ORM.
    sql = (
        f"{connection.ops.insert_statement(on_conflict=on_conflict)} {_qn(connection, model._meta.db_table)} "  # noqa: S608
        f"({cols}) SELECT s.*, {', '.join(['%s'] * len(others))} FROM ({select_sql}) s "
        f"{connection.ops.on_conflict_suffix_sql([target, *others], on_conflict, None, None)}"
    )
    return sql.rstrip(), [*values, *select_params]


def insert_rows(objs: Iterable[Model], *, ignore_conflicts: bool = False, using: str = DEFAULT) -> int:
    """One multi-row INSERT (primary keys are not read back). Returns the rows sent."""
    batch = Batch(using=using)
    batch.rows(objs, ignore_conflicts=ignore_conflicts)
    return batch.run()


class Batch:
    """INSERTs that read nothing back, sent as ONE statement on PostgreSQL (a WITH of
    data-modifying statements: one round trip, one snapshot; deferred foreign keys are checked
    at commit) and one after another elsewhere. Objects given with ``rows`` are marked saved."""

    def __init__(self, *, using: str = DEFAULT) -> None:
        self.using = using
        self.statements: list[tuple[str, list[Any]]] = []
        self.saved: list[Model] = []
        self.count = 0

    def rows(self, objs: Iterable[Model], *, ignore_conflicts: bool = False) -> Batch:
        objs = list(objs)
        if objs:
            self.statements.append(_rows_sql(objs, ignore_conflicts, connections[self.using]))
            self.saved += objs
            self.count += len(objs)
        return self

    def select(
        self, template: Model, *, column: str, select: tuple[str, Sequence[Any]], ignore_conflicts: bool = False
    ) -> Batch:
        self.statements.append(_select_sql(template, column, select, ignore_conflicts, connections[self.using]))
        return self

    def run(self) -> int:
        connection = connections[self.using]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and len(self.statements) > 1:
                *first, (last_sql, last_params) = self.statements
                heads = ", ".join(f"s{i} AS ({sql})" for i, (sql, _p) in enumerate(first))
                params = [p for _sql, ps in first for p in ps] + last_params
                cursor.execute(f"WITH {heads} {last_sql}", params)
            else:
                for sql, params in self.statements:
                    cursor.execute(sql, params)
        for obj in self.saved:
            obj._state.adding = False
            obj._state.db = self.using
        self.statements, self.saved = [], []
        return self.count


class Compiled:
    """A ``values_list`` queryset compiled once per vendor and shape, reused with new arguments.

    ``build(*args)`` returns the queryset; it is called once with ``sentinels`` (distinct values
    of the arguments' types that real arguments never take), and each sentinel's position in
    the compiled parameters is where the real argument goes.
    """

    def __init__(self, build: Callable[..., Any], *, sentinels: Sequence[Any]) -> None:
        self.build = build
        self.sentinels = tuple(sentinels)
        self._compiled: dict[tuple[str, Any], tuple[str, list[Any]]] = {}

    def sql(self, *args: Any, shape: Any = None, using: str = DEFAULT) -> tuple[str, list[Any]]:
        """The compiled SQL and its parameters for these arguments."""
        connection = connections[using]
        key = (connection.vendor, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            qs = self.build(*self.sentinels, shape=shape) if shape is not None else self.build(*self.sentinels)
            sql, params = qs.query.get_compiler(using=using).as_sql()
            slots: list[Any] = []
            for p in params:
                at = [i for i, s in enumerate(self.sentinels) if type(s) is type(p) and s == p]
                slots.append(at[0] if at else ("const", p))
            compiled = (sql, slots)
            self._compiled[key] = compiled
        sql, slots = compiled
        return sql, [args[s] if isinstance(s, int) else s[1] for s in slots]
