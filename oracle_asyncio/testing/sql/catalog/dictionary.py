"""Data dictionary views built from the catalog: ALL_TABLES, ALL_TAB_COLS, ALL_CONSTRAINTS ...
and their USER_ forms (the rows of the session's schema; most drop the owner column).

These are what ORMs read for table existence checks and reflection (SQLAlchemy's
Oracle dialect: ``all_tables`` UNION ALL ``all_views``, ``all_tab_cols`` joined with
``all_col_comments`` and ``all_tab_identity_cols``, ``all_constraints`` joined with
``all_cons_columns``, ``all_indexes`` / ``all_ind_columns``).  Each view carries the
commonly read columns of its Oracle namesake, with Oracle's values for what the
embedded server has: tables, columns, PRIMARY KEY / UNIQUE / FOREIGN KEY
constraints and the unique indexes that back the keys, sequences.  Views,
materialized views, synonyms and database links do not exist here, so those views
are empty.  NOT NULL is reported through ``NULLABLE`` only (no SYS_C check rows).

Rows are rendered as an inline ``VALUES`` list of literals (no bind limit).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .tables import _VIRTUAL, SYSTEM, Catalog, Column, Principal, Table
from ..types.datatypes import NUMBER, SqlType, T, number_bytes, varchar
from ..syntax.nodes import SeqRef
from ..types.rowids import OBJECT_BASE, object_id

if TYPE_CHECKING:
    from ..translate.translator import Translator

__all__ = ["VIEWS", "view_source"]

Row = tuple[object, ...]

# column specs: NAME (VARCHAR2(128)), NAME:n (NUMBER), NAME:<size> (VARCHAR2(size))
_TABLES = ("OWNER TABLE_NAME TABLESPACE_NAME CLUSTER_NAME IOT_NAME STATUS:8 NUM_ROWS:n LOGGING:3 PARTITIONED:3 "
           "IOT_TYPE:12 TEMPORARY:1 SECONDARY:1 NESTED:3 DURATION:15 COMPRESSION:8 COMPRESS_FOR:30 DROPPED:3 "
           "READ_ONLY:3 HAS_IDENTITY:3 DEFAULT_COLLATION:100")
_COLS = ("OWNER TABLE_NAME COLUMN_NAME DATA_TYPE DATA_TYPE_MOD:3 DATA_TYPE_OWNER DATA_LENGTH:n DATA_PRECISION:n "
         "DATA_SCALE:n NULLABLE:1 COLUMN_ID:n DEFAULT_LENGTH:n DATA_DEFAULT:4000 CHAR_COL_DECL_LENGTH:n "
         "CHAR_LENGTH:n CHAR_USED:1 HIDDEN_COLUMN:3 VIRTUAL_COLUMN:3 SEGMENT_COLUMN_ID:n INTERNAL_COLUMN_ID:n "
         "USER_GENERATED:3 DEFAULT_ON_NULL:3 IDENTITY_COLUMN:3 COLLATION:100")
_SPECS: dict[str, str] = {
    "ALL_TABLES": _TABLES,
    "ALL_VIEWS": "OWNER VIEW_NAME TEXT_LENGTH:n TEXT:4000 TEXT_VC:4000 READ_ONLY:1",
    "ALL_MVIEWS": "OWNER MVIEW_NAME CONTAINER_NAME QUERY:4000",
    "ALL_MVIEW_COMMENTS": "OWNER MVIEW_NAME COMMENTS:4000",
    "ALL_SYNONYMS": "OWNER SYNONYM_NAME TABLE_OWNER TABLE_NAME DB_LINK",
    "ALL_DB_LINKS": "OWNER DB_LINK USERNAME HOST:2000",
    "ALL_USERS": "USERNAME USER_ID:n COMMON:3 ORACLE_MAINTAINED:1",
    "ALL_OBJECTS": ("OWNER OBJECT_NAME SUBOBJECT_NAME OBJECT_ID:n DATA_OBJECT_ID:n OBJECT_TYPE:23 STATUS:7 "
                    "TEMPORARY:1 GENERATED:1 SECONDARY:1"),
    "ALL_TAB_COLS": _COLS,
    "ALL_TAB_COLUMNS": _COLS,
    "ALL_COL_COMMENTS": "OWNER TABLE_NAME COLUMN_NAME COMMENTS:4000",
    "ALL_TAB_COMMENTS": "OWNER TABLE_NAME TABLE_TYPE:11 COMMENTS:4000",
    "ALL_TAB_IDENTITY_COLS": "OWNER TABLE_NAME COLUMN_NAME GENERATION_TYPE:10 SEQUENCE_NAME IDENTITY_OPTIONS:298",
    "ALL_CONSTRAINTS": ("OWNER CONSTRAINT_NAME CONSTRAINT_TYPE:1 TABLE_NAME SEARCH_CONDITION:4000 "
                        "SEARCH_CONDITION_VC:4000 R_OWNER R_CONSTRAINT_NAME DELETE_RULE:9 STATUS:8 DEFERRABLE:14 "
                        "DEFERRED:9 VALIDATED:13 GENERATED:14 INDEX_OWNER INDEX_NAME"),
    "ALL_CONS_COLUMNS": "OWNER CONSTRAINT_NAME TABLE_NAME COLUMN_NAME:4000 POSITION:n",
    "ALL_INDEXES": ("OWNER INDEX_NAME INDEX_TYPE:27 TABLE_OWNER TABLE_NAME TABLE_TYPE:11 UNIQUENESS:9 "
                    "COMPRESSION:13 PREFIX_LENGTH:n TABLESPACE_NAME STATUS:8 TEMPORARY:1 GENERATED:1 "
                    "PARTITIONED:3 VISIBILITY:9"),
    "ALL_IND_COLUMNS": ("INDEX_OWNER INDEX_NAME TABLE_OWNER TABLE_NAME COLUMN_NAME:4000 COLUMN_POSITION:n "
                        "COLUMN_LENGTH:n CHAR_LENGTH:n DESCEND:4"),
    "ALL_IND_EXPRESSIONS": "INDEX_OWNER INDEX_NAME TABLE_OWNER TABLE_NAME COLUMN_EXPRESSION:4000 COLUMN_POSITION:n",
    "V$VERSION": "BANNER:80 BANNER_FULL:160 BANNER_LEGACY:80 CON_ID:n",
    "PRODUCT_COMPONENT_VERSION": "PRODUCT:80 VERSION:80 VERSION_FULL:160 STATUS:80",
    "NLS_SESSION_PARAMETERS": "PARAMETER:30 VALUE:64",
    "NLS_DATABASE_PARAMETERS": "PARAMETER:30 VALUE:64",
    "NLS_INSTANCE_PARAMETERS": "PARAMETER:30 VALUE:64",
}
_ALIASES = {"V_$VERSION": "V$VERSION", "GV$VERSION": "V$VERSION"}
# the logon's default version (23.5.0.24.7: a 23ai Free build)
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
#: USER_ views: (ALL_ view, owner columns dropped); the first column is the owner filtered on.
_USER: dict[str, tuple[str, tuple[str, ...]]] = {
    "USER_TABLES": ("ALL_TABLES", ("OWNER",)),
    "USER_VIEWS": ("ALL_VIEWS", ("OWNER",)),
    "USER_MVIEWS": ("ALL_MVIEWS", ("OWNER",)),
    "USER_SYNONYMS": ("ALL_SYNONYMS", ("OWNER",)),
    "USER_DB_LINKS": ("ALL_DB_LINKS", ("OWNER",)),
    "USER_OBJECTS": ("ALL_OBJECTS", ("OWNER",)),
    "USER_TAB_COLS": ("ALL_TAB_COLS", ("OWNER",)),
    "USER_TAB_COLUMNS": ("ALL_TAB_COLUMNS", ("OWNER",)),
    "USER_COL_COMMENTS": ("ALL_COL_COMMENTS", ("OWNER",)),
    "USER_TAB_COMMENTS": ("ALL_TAB_COMMENTS", ("OWNER",)),
    "USER_CONSTRAINTS": ("ALL_CONSTRAINTS", ()),
    "USER_CONS_COLUMNS": ("ALL_CONS_COLUMNS", ()),
    "USER_INDEXES": ("ALL_INDEXES", ("OWNER",)),
    "USER_IND_COLUMNS": ("ALL_IND_COLUMNS", ("INDEX_OWNER", "TABLE_OWNER")),
    "USER_IND_EXPRESSIONS": ("ALL_IND_EXPRESSIONS", ("INDEX_OWNER", "TABLE_OWNER")),
}


def _columns(spec: str) -> list[Column]:
    out: list[Column] = []
    for i, word in enumerate(spec.split()):
        name, _, kind = word.partition(":")
        typ: SqlType = NUMBER if kind == "n" else varchar(int(kind) if kind else 128)
        out.append(Column(name, typ, True, None, f"c{i}"))
    return out


def _register() -> dict[str, Table]:
    views: dict[str, Table] = {}
    for name, spec in _SPECS.items():
        views[name] = Table("SYS", name, "", _columns(spec))
    for name, (base, dropped) in _USER.items():
        cols = [c for c in views[base].columns if c.name not in dropped]
        views[name] = Table("SYS", name, "", [Column(c.name, c.type, True, None, f"c{i}")
                                               for i, c in enumerate(cols)])
    for name, table in views.items():
        _VIRTUAL.setdefault(name, table)  # USER_SEQUENCES etc. stay with sequences.py
    for alias, name in _ALIASES.items():
        _VIRTUAL.setdefault(alias, views[name])
    for name in _SPECS:
        if name.startswith("ALL_"):  # DBA_TABLES ...: the ALL_ view over every schema (admins only)
            twin = "DBA_" + name[4:]
            views[twin] = Table("SYS", twin, "", views[name].columns)
            _VIRTUAL.setdefault(twin, views[twin])
    return views


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
            for t in _tables(catalog, who)]


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
        rows.append((t.schema, t.name, None, oid, oid, "TABLE", "VALID", "N", "N", "N"))
        for name, _, _ in _index_list(t):
            rows.append((t.schema, name, None, None, None, "INDEX", "VALID", "N", "Y" if _generated(name) else "N",
                         "N"))
    for s in catalog.sequences.snapshot():
        if not who.may_use(s.schema):
            continue
        rows.append((s.schema, s.name, None, OBJECT_BASE + 500000 + s.serial, None, "SEQUENCE", "VALID", "N",
                     "Y" if s.system else "N", "N"))
    return rows


def _all_users(catalog: Catalog, schema: str) -> list[Row]:
    names = {schema, "SYS", "SYSTEM", "PUBLIC"} | {t.schema for t in _tables(catalog, SYSTEM)}
    return [(n, i, "NO", "Y" if n in ("SYS", "SYSTEM", "PUBLIC") else "N") for i, n in enumerate(sorted(names))]


_ROWS: dict[str, Callable[[Catalog, Principal], list[Row]]] = {
    "ALL_TABLES": _all_tables,
    "ALL_TAB_COLS": _all_tab_cols,
    "ALL_TAB_COLUMNS": _all_tab_cols,
    "ALL_COL_COMMENTS": lambda cat, who: [(t.schema, t.name, c.name, t.comments.get(c.name)) for t in _tables(cat, who)
                                     for c in t.columns],
    "ALL_TAB_COMMENTS": lambda cat, who: [(t.schema, t.name, "TABLE", t.comments.get(""))
                                     for t in _tables(cat, who)],
    "ALL_TAB_IDENTITY_COLS": _all_identity,
    "ALL_CONSTRAINTS": _all_constraints,
    "ALL_CONS_COLUMNS": _all_cons_columns,
    "ALL_INDEXES": _all_indexes,
    "ALL_IND_COLUMNS": _all_ind_columns,
    "ALL_OBJECTS": _all_objects,
}


def _literal(v: object) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        raise TypeError(v)
    if isinstance(v, int):
        return "X'" + number_bytes(v).hex() + "'"
    return "'" + str(v).replace("'", "''") + "'"


def _rows(tr: Translator, name: str) -> tuple[Sequence[Row], int]:
    """The rows of view ``name`` and its column count."""
    if name in _USER:
        # the session user's own objects (ALTER SESSION SET CURRENT_SCHEMA changes name
        # resolution, not whose objects USER_ views list)
        base, dropped = _USER[name]
        keep = [i for i, c in enumerate(VIEWS[base].columns) if c.name not in dropped]
        rows = [tuple(r[i] for i in keep) for r in _rows(tr, base)[0] if r[0] == tr.ctx.user]
        return rows, len(keep)
    who = tr.ctx.principal
    if name.startswith("DBA_"):  # every schema's objects; catalog.table lets admins only in
        name, who = "ALL_" + name[4:], SYSTEM
    if name == "ALL_USERS":
        return _all_users(tr.catalog, tr.ctx.schema), len(VIEWS[name].columns)
    if name == "V$VERSION":
        return [(_BANNER, f"{_BANNER}\nVersion {_VERSION_FULL}", _BANNER, 0)], 4
    if name == "PRODUCT_COMPONENT_VERSION":
        return [("Oracle Database 23ai Free", "23.0.0.0.0", _VERSION_FULL, "Develop, Learn, and Run for Free")], 4
    if name.startswith("NLS_"):
        params: list[Row] = [(k, tr.ctx.nls.get(k, v) if name == "NLS_SESSION_PARAMETERS" else v)
                             for k, v in _NLS_DEFAULTS]
        if name == "NLS_DATABASE_PARAMETERS":
            params += [("NLS_CHARACTERSET", "AL32UTF8"), ("NLS_NCHAR_CHARACTERSET", "AL16UTF16"),
                     ("NLS_RDBMS_VERSION", "23.0.0.0.0")]
        return params, 2
    make = _ROWS.get(name)
    return ([] if make is None else make(tr.catalog, who)), len(VIEWS[name].columns)


def view_source(tr: Translator, table: Table, alias: str = "t") -> str:
    """FROM text of dictionary view ``table``."""
    rows, width = _rows(tr, table.name)
    if not rows:
        return "(SELECT " + ", ".join(f"NULL AS c{i}" for i in range(width)) + f" WHERE 0) AS {alias}"
    values = ", ".join("(" + ", ".join(_literal(v) for v in row) + ")" for row in rows)
    names = ", ".join(f"column{i + 1} AS c{i}" for i in range(width))
    return f"(SELECT {names} FROM (VALUES {values})) AS {alias}"


VIEWS = _register()
