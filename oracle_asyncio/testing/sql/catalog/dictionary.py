"""Data dictionary views built from the catalog: ALL_TABLES, ALL_TAB_COLS, ALL_CONSTRAINTS ...
and their USER_ forms (the rows of the session's schema; most drop the owner column).

These are what ORMs read for table existence checks and reflection (SQLAlchemy's
Oracle dialect: ``all_tables`` UNION ALL ``all_views``, ``all_tab_cols`` joined with
``all_col_comments`` and ``all_tab_identity_cols``, ``all_constraints`` joined with
``all_cons_columns``, ``all_indexes`` / ``all_ind_columns``).  Each view carries the
commonly read columns of its Oracle namesake, with Oracle's values for what the
embedded server has: tables, columns, PRIMARY KEY / UNIQUE / FOREIGN KEY
constraints and the unique indexes that back the keys, sequences, views.  Materialized views, synonyms and database links do not exist here, so those views
are empty.  NOT NULL is reported through ``NULLABLE`` only (no SYS_C check rows).

Rows are rendered as an inline ``VALUES`` list of literals (no bind limit).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..syntax.nodes import SeqRef
from ..types.datatypes import SqlType, T, number_bytes
from ..types.rowids import OBJECT_BASE, object_id
from .schema import SYSTEM, Column, Context, Principal, Table
from .dictionary_privs import PRIVILEGE_ROWS
from .tables import Catalog
from .typedict import TYPE_ROWS, type_errors, type_objects
from .unit_rows import UNIT_ROWS, object_rows
from .views import USER_FORMS, VIEWS

__all__ = ["view_source"]

Row = tuple[object, ...]

_BANNER = "Oracle Database 23ai Free Release 23.0.0.0.0 - Develop, Learn, and Run for Free"
_VERSION_FULL = "23.5.0.24.07"
_NLS_DEFAULTS = (
    ("NLS_LANGUAGE", "AMERICAN"), ("NLS_TERRITORY", "AMERICA"), ("NLS_CURRENCY", "$"),
    ("NLS_ISO_CURRENCY", "AMERICA"), ("NLS_NUMERIC_CHARACTERS", ".,"), ("NLS_CALENDAR", "GREGORIAN"),
    ("NLS_DATE_FORMAT", "DD-MON-RR"), ("NLS_DATE_LANGUAGE", "AMERICAN"), ("NLS_SORT", "BINARY"),
    ("NLS_TIME_FORMAT", "HH.MI.SSXFF AM"), ("NLS_TIMESTAMP_FORMAT", "DD-MON-RR HH.MI.SSXFF AM"),
    ("NLS_TIME_TZ_FORMAT", "HH.MI.SSXFF AM TZR"), ("NLS_TIMESTAMP_TZ_FORMAT", "DD-MON-RR HH.MI.SSXFF AM TZR"),
    ("NLS_DUAL_CURRENCY", "$"), ("NLS_COMP", "BINARY"), ("NLS_LENGTH_SEMANTICS", "BYTE"),
    ("NLS_NCHAR_CONV_EXCP", "FALSE"),
)


# ---- rows ---------------------------------------------------------------------------------------
def _tables(catalog: Catalog, who: Principal) -> list[Table]:
    return catalog.visible_tables(who)


def _type_info(t: SqlType) -> tuple[str, int, int | None, int | None, int | None, str | None]:
    """(DATA_TYPE, DATA_LENGTH, DATA_PRECISION, DATA_SCALE, CHAR_LENGTH, CHAR_USED) of a column type."""
    k = t.t
    if k is T.NUMBER:
        if t.scale == -127 and t.precision:
            return "FLOAT", 22, t.precision, None, 0, None
        if t.scale == -127:
            return "NUMBER", 22, None, None, 0, None
        if (t.precision, t.scale) == (38, 0):  # INTEGER / INT / SMALLINT (the parser's NUMBER(38,0))
            return "NUMBER", 22, None, 0, 0, None
        return "NUMBER", 22, t.precision or None, t.scale, 0, None
    if k in (T.VARCHAR, T.CHAR):
        return k.value, t.size, None, None, t.size, "B"
    if k in (T.NVARCHAR, T.NCHAR):
        return k.value, 2 * t.size, None, None, t.size, "C"
    if k is T.RAW:
        return "RAW", t.size, None, None, 0, None
    if k is T.TIMESTAMP:
        return f"TIMESTAMP({t.scale})", 11, None, t.scale, 0, None
    if k is T.TIMESTAMP_TZ:
        return f"TIMESTAMP({t.scale}) WITH TIME ZONE", 13, None, t.scale, 0, None
    if k is T.TIMESTAMP_LTZ:
        return f"TIMESTAMP({t.scale}) WITH LOCAL TIME ZONE", 11, None, t.scale, 0, None
    if k is T.INTERVAL_DS:
        return f"INTERVAL DAY({t.precision}) TO SECOND({t.scale})", 11, t.precision, t.scale, 0, None
    if k is T.INTERVAL_YM:
        return f"INTERVAL YEAR({t.precision}) TO MONTH", 5, t.precision, 0, 0, None
    size = {T.DATE: 7, T.BFLOAT: 4, T.BDOUBLE: 8, T.BOOLEAN: 1, T.ROWID: 10}.get(k, 4000)
    return k.value, size, None, None, 0, None


def _identity_options(catalog: Catalog, table: Table, col: Column) -> tuple[str, str, str] | None:
    """(GENERATION_TYPE, SEQUENCE_NAME, IDENTITY_OPTIONS) of an identity column."""
    if col.identity is None or not isinstance(col.default, SeqRef):
        return None
    seq = catalog.sequences.get(table.schema, col.default.name)
    options = "" if seq is None else (
        f"START WITH: {seq.start}, INCREMENT BY: {seq.increment}, MAX_VALUE: {seq.maxvalue}, "
        f"MIN_VALUE: {seq.minvalue}, CYCLE_FLAG: {'Y' if seq.cycle else 'N'}, CACHE_SIZE: {seq.cache}, "
        f"ORDER_FLAG: {'Y' if seq.order else 'N'}")
    return "ALWAYS" if col.identity.always else "BY DEFAULT", col.default.name, options


def _all_tables(catalog: Catalog, who: Principal) -> list[Row]:
    return [(t.schema, t.name, "USERS", None, None, "VALID", None, "YES", "NO", None, "N", "N", "NO", None,
             "DISABLED", None, "NO", "NO", "YES" if any(c.identity for c in t.columns) else "NO", "USING_NLS_COMP")
            for t in _tables(catalog, who) if t.view is None]


def _all_views(catalog: Catalog, who: Principal) -> list[Row]:
    return [(t.schema, t.name, len(t.view.text), t.view.text, t.view.text, "Y" if t.view.read_only else "N")
            for t in _tables(catalog, who) if t.view is not None]


def _all_tab_cols(catalog: Catalog, who: Principal) -> list[Row]:
    rows: list[Row] = []
    for t in _tables(catalog, who):
        for i, c in enumerate(t.columns, 1):
            dtype, length, precision, scale, char_length, char_used = _type_info(c.type)
            ident = _identity_options(catalog, t, c)
            default = f'"{t.schema}"."{ident[1]}".nextval' if ident else c.default_text
            on_null = "YES" if c.identity is not None and c.identity.on_null else "NO"
            rows.append((t.schema, t.name, c.name, dtype, None, None, length, precision, scale,
                         "Y" if c.nullable else "N", i, None if default is None else len(default), default,
                         char_length, char_length, char_used, "NO", "NO", i, i, "YES", on_null,
                         "YES" if ident else "NO", "USING_NLS_COMP" if c.type.is_char else None))
    return rows


def _all_identity(catalog: Catalog, who: Principal) -> list[Row]:
    rows: list[Row] = []
    for t in _tables(catalog, who):
        for c in t.columns:
            ident = _identity_options(catalog, t, c)
            if ident is not None:
                rows.append((t.schema, t.name, c.name, *ident))
    return rows


def _generated(name: str) -> bool:
    return name.startswith("SYS_C")


def _all_constraints(catalog: Catalog, who: Principal) -> list[Row]:
    rows: list[Row] = []
    for t in _tables(catalog, who):
        for c in t.constraints:
            code = {"PRIMARY KEY": "P", "UNIQUE": "U", "FOREIGN KEY": "R"}.get(c.kind, "C")
            fk = code == "R"
            cond = c.search_condition or None
            rows.append((t.schema, c.name, code, t.name, cond, cond, c.ref_schema if fk else None,
                         c.ref_constraint if fk else None, c.delete_rule if fk else None, "ENABLED",
                         "NOT DEFERRABLE", "IMMEDIATE", "VALIDATED",
                         "GENERATED NAME" if _generated(c.name) else "USER NAME",
                         None if fk else t.schema, None if fk else c.name))
    return rows


def _all_cons_columns(catalog: Catalog, who: Principal) -> list[Row]:
    return [(t.schema, c.name, t.name, col, None if c.kind == "CHECK" else i) for t in _tables(catalog, who)
            for c in t.constraints for i, col in enumerate(c.columns, 1)]


def _index_list(t: Table) -> list[tuple[str, tuple[str, ...], bool]]:
    """(name, columns, unique) of the indexes of ``t``: the keys' unique indexes, then CREATE INDEX ones."""
    return [(c.name, c.columns, True) for c in t.constraints if c.sql_index] + \
        [(ix.name, ix.columns, ix.unique) for ix in t.indexes]


def _all_indexes(catalog: Catalog, who: Principal) -> list[Row]:
    return [(t.schema, name, "NORMAL", t.schema, t.name, "TABLE", "UNIQUE" if unique else "NONUNIQUE", "DISABLED",
             None, "USERS", "VALID", "N", "Y" if _generated(name) else "N", "NO", "VISIBLE")
            for t in _tables(catalog, who) for name, _, unique in _index_list(t)]


def _all_ind_columns(catalog: Catalog, who: Principal) -> list[Row]:
    rows: list[Row] = []
    for t in _tables(catalog, who):
        for index_name, columns, _ in _index_list(t):
            for i, name in enumerate(columns, 1):
                col = t.column(name)
                info = _type_info(col.type) if col is not None else ("", 0, None, None, 0, None)
                rows.append((t.schema, index_name, t.schema, t.name, name, i, info[1], info[4], "ASC"))
    return rows


def _all_objects(catalog: Catalog, who: Principal) -> list[Row]:
    rows: list[Row] = []
    for t in _tables(catalog, who):
        oid = object_id(t)
        rows.append((t.schema, t.name, None, oid, None if t.view else oid, "VIEW" if t.view else "TABLE", None,
                     None, None, "VALID", "N", "N", "N"))
        for name, _, _ in _index_list(t):
            rows.append((t.schema, name, None, None, None, "INDEX", None, None, None, "VALID", "N",
                         "Y" if _generated(name) else "N", "N"))
    for s in catalog.sequences.snapshot():
        if not catalog.may_see_sequence(who, s):
            continue
        rows.append((s.schema, s.name, None, OBJECT_BASE + 500000 + s.serial, None, "SEQUENCE", None, None, None,
                     "VALID", "N", "Y" if s.system else "N", "N"))
    for i, syn in enumerate(catalog.synonyms.snapshot()):
        if who.admin or syn.owner in (who.user, "PUBLIC"):
            rows.append((syn.owner, syn.name, None, OBJECT_BASE + 900000 + i, None, "SYNONYM", None, None, None,
                         "VALID", "N", "N", "N"))
    return rows + object_rows(catalog, who) + type_objects(catalog, who)


_ROWS: dict[str, Callable[[Catalog, Principal], list[Row]]] = {
    "ALL_TABLES": _all_tables,
    "ALL_TAB_COLS": _all_tab_cols,
    "ALL_TAB_COLUMNS": _all_tab_cols,
    "ALL_COL_COMMENTS": lambda cat, who: [(t.schema, t.name, c.name, t.comments.get(c.name)) for t in _tables(cat, who)
                                     for c in t.columns],
    "ALL_VIEWS": _all_views,
    "ALL_TAB_COMMENTS": lambda cat, who: [(t.schema, t.name, "VIEW" if t.view else "TABLE", t.comments.get(""))
                                     for t in _tables(cat, who)],
    "ALL_TAB_IDENTITY_COLS": _all_identity,
    "ALL_CONSTRAINTS": _all_constraints,
    "ALL_CONS_COLUMNS": _all_cons_columns,
    "ALL_INDEXES": _all_indexes,
    "ALL_IND_COLUMNS": _all_ind_columns,
    "ALL_OBJECTS": _all_objects,
    **TYPE_ROWS,
    **UNIT_ROWS,
    "ALL_ERRORS": lambda catalog, who: UNIT_ROWS["ALL_ERRORS"](catalog, who) + type_errors(catalog, who),
}


def _literal(v: object) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        raise TypeError(v)
    if isinstance(v, int):
        return "X'" + number_bytes(v).hex() + "'"
    if isinstance(v, bytes):  # RAW columns are stored as blobs
        return "X'" + v.hex() + "'"
    return "'" + str(v).replace("'", "''") + "'"


def _rows(catalog: Catalog, ctx: Context, name: str) -> tuple[Sequence[Row], int]:
    """The rows of view ``name`` and its column count."""
    privilege_rows = PRIVILEGE_ROWS.get(name)
    if privilege_rows is not None:
        return privilege_rows(catalog, ctx), len(VIEWS[name].columns)
    if name in USER_FORMS:
        # the session user's own objects (ALTER SESSION SET CURRENT_SCHEMA changes name
        # resolution, not whose objects USER_ views list)
        base, dropped = USER_FORMS[name]
        keep = [i for i, c in enumerate(VIEWS[base].columns) if c.name not in dropped]
        rows = [tuple(r[i] for i in keep) for r in _rows(catalog, ctx, base)[0] if r[0] == ctx.user]
        return rows, len(keep)
    who = ctx.principal
    if name.startswith("DBA_"):  # every schema's objects; catalog.table lets admins only in
        name, who = "ALL_" + name[4:], SYSTEM
    if name == "V$VERSION":
        return [(_BANNER, f"{_BANNER}\nVersion {_VERSION_FULL}", _BANNER, 0)], 4
    if name == "PRODUCT_COMPONENT_VERSION":
        return [("Oracle Database 23ai Free", "23.0.0.0.0", _VERSION_FULL, "Develop, Learn, and Run for Free")], 4
    if name.startswith("NLS_"):
        params: list[Row] = [(k, ctx.nls.get(k, v) if name == "NLS_SESSION_PARAMETERS" else v)
                             for k, v in _NLS_DEFAULTS]
        if name == "NLS_DATABASE_PARAMETERS":
            params += [("NLS_CHARACTERSET", "AL32UTF8"), ("NLS_NCHAR_CHARACTERSET", "AL16UTF16"),
                     ("NLS_RDBMS_VERSION", "23.0.0.0.0")]
        return params, 2
    make = _ROWS.get(name)
    return ([] if make is None else make(catalog, who)), len(VIEWS[name].columns)


def view_source(catalog: Catalog, ctx: Context, table: Table, alias: str = "t") -> str:
    """FROM text of dictionary view ``table``."""
    rows, width = _rows(catalog, ctx, table.name)
    if not rows:
        return "(SELECT " + ", ".join(f"NULL AS c{i}" for i in range(width)) + f" WHERE 0) AS {alias}"
    values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
    names = ", ".join(f"column{i + 1} AS c{i}" for i in range(width))
    return f"(SELECT {names} FROM (VALUES {values})) AS {alias}"

