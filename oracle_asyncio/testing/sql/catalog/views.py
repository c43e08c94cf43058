"""The data dictionary views' shapes (rows: dictionary.py and translate/seqsql.py), and
:data:`PUBLIC`, the one table of every name SQL can use without a schema for a built-in view.

The names resolve in this order, as Oracle's public synonyms would: the built-in virtual tables
(DUAL, V$SESSION), the sequence views, then the dictionary views, their aliases and DBA_ twins.
"""

from __future__ import annotations

from ..types.datatypes import DATE, NUMBER, SqlType, T, varchar
from .schema import BUILTIN, Column, Table

__all__ = ["PRIVILEGE_SPECS", "PUBLIC", "SEQUENCE_VIEWS", "USER_FORMS", "VIEWS"]

# column specs: NAME (VARCHAR2(128)), NAME:n (NUMBER), NAME:d (DATE), NAME:r (RAW(16)),
# NAME:<size> (VARCHAR2(size))
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
    "ALL_USERS": ("USERNAME USER_ID:n CREATED:d COMMON:3 ORACLE_MAINTAINED:1 INHERITED:3 DEFAULT_COLLATION:100 "
                  "IMPLICIT:3 ALL_SHARD:3"),
    "ALL_TAB_PRIVS": ("GRANTOR GRANTEE TABLE_SCHEMA TABLE_NAME PRIVILEGE:40 GRANTABLE:3 HIERARCHY:3 COMMON:3 "
                      "TYPE:24 INHERITED:3"),
    "ALL_OBJECTS": ("OWNER OBJECT_NAME SUBOBJECT_NAME OBJECT_ID:n DATA_OBJECT_ID:n OBJECT_TYPE:23 CREATED:d "
                    "LAST_DDL_TIME:d TIMESTAMP:19 STATUS:7 TEMPORARY:1 GENERATED:1 SECONDARY:1"),
    # PL/SQL units (rows: unit_rows.py)
    "ALL_SOURCE": "OWNER NAME TYPE:12 LINE:n TEXT:4000 ORIGIN_CON_ID:n",
    "ALL_ERRORS": "OWNER NAME TYPE:12 SEQUENCE:n LINE:n POSITION:n TEXT:4000 ATTRIBUTE:9 MESSAGE_NUMBER:n",
    "ALL_ARGUMENTS": ("OWNER OBJECT_NAME PACKAGE_NAME OBJECT_ID:n OVERLOAD:40 SUBPROGRAM_ID:n ARGUMENT_NAME "
                      "POSITION:n SEQUENCE:n DATA_LEVEL:n DATA_TYPE:30 DEFAULTED:1 DEFAULT_VALUE:4000 "
                      "DEFAULT_LENGTH:n IN_OUT:9 DATA_LENGTH:n DATA_PRECISION:n DATA_SCALE:n RADIX:n "
                      "CHARACTER_SET_NAME:44 TYPE_OWNER TYPE_NAME TYPE_SUBNAME TYPE_LINK TYPE_OBJECT_TYPE:7 "
                      "PLS_TYPE CHAR_LENGTH:n CHAR_USED:1 ORIGIN_CON_ID:n"),
    "ALL_PROCEDURES": ("OWNER OBJECT_NAME PROCEDURE_NAME OBJECT_ID:n SUBPROGRAM_ID:n OVERLOAD:40 OBJECT_TYPE:13 "
                       "AGGREGATE:3 PIPELINED:3 IMPLTYPEOWNER IMPLTYPENAME PARALLEL:3 INTERFACE:3 "
                       "DETERMINISTIC:3 AUTHID:12 RESULT_CACHE:3 ORIGIN_CON_ID:n POLYMORPHIC:5"),
    "ALL_TRIGGERS": ("OWNER TRIGGER_NAME TRIGGER_TYPE:16 TRIGGERING_EVENT:246 TABLE_OWNER BASE_OBJECT_TYPE:18 "
                     "TABLE_NAME COLUMN_NAME:4000 REFERENCING_NAMES:422 WHEN_CLAUSE:4000 STATUS:8 "
                     "DESCRIPTION:4000 ACTION_TYPE:11 TRIGGER_BODY:4000 CROSSEDITION:7 BEFORE_STATEMENT:3 "
                     "BEFORE_ROW:3 AFTER_ROW:3 AFTER_STATEMENT:3 INSTEAD_OF_ROW:3 FIRE_ONCE:3 APPLY_SERVER_ONLY:3"),
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
    "ALL_TYPES": ("OWNER TYPE_NAME TYPE_OID:r TYPECODE ATTRIBUTES:n METHODS:n PREDEFINED:3 INCOMPLETE:3 FINAL:3 "
                  "INSTANTIABLE:3 PERSISTABLE:3 SUPERTYPE_OWNER SUPERTYPE_NAME LOCAL_ATTRIBUTES:n LOCAL_METHODS:n "
                  "TYPEID:r"),
    "ALL_TYPE_ATTRS": ("OWNER TYPE_NAME ATTR_NAME ATTR_TYPE_MOD:7 ATTR_TYPE_OWNER ATTR_TYPE_NAME LENGTH:n PRECISION:n "
                       "SCALE:n CHARACTER_SET_NAME:44 ATTR_NO:n INHERITED:3 CHAR_USED:1"),
    "ALL_COLL_TYPES": ("OWNER TYPE_NAME COLL_TYPE UPPER_BOUND:n ELEM_TYPE_MOD:7 ELEM_TYPE_OWNER ELEM_TYPE_NAME "
                       "LENGTH:n PRECISION:n SCALE:n CHARACTER_SET_NAME:44 ELEM_STORAGE:7 NULLS_STORED:3 CHAR_USED:1"),
    "ALL_TYPE_METHODS": ("OWNER TYPE_NAME METHOD_NAME METHOD_NO:n METHOD_TYPE:6 PARAMETERS:n RESULTS:n FINAL:3 "
                         "INSTANTIABLE:3 OVERRIDING:3 INHERITED:3"),
    "V$VERSION": "BANNER:80 BANNER_FULL:160 BANNER_LEGACY:80 CON_ID:n",
    "PRODUCT_COMPONENT_VERSION": "PRODUCT:80 VERSION:80 VERSION_FULL:160 STATUS:80",
    "NLS_SESSION_PARAMETERS": "PARAMETER:30 VALUE:64",
    "NLS_DATABASE_PARAMETERS": "PARAMETER:30 VALUE:64",
    "NLS_INSTANCE_PARAMETERS": "PARAMETER:30 VALUE:64",
}
_USER = ("USERNAME USER_ID:n {password}ACCOUNT_STATUS:32 LOCK_DATE:d EXPIRY_DATE:d DEFAULT_TABLESPACE:30 "
         "TEMPORARY_TABLESPACE:30 LOCAL_TEMP_TABLESPACE:30 CREATED:d {profile}INITIAL_RSRC_CONSUMER_GROUP "
         "EXTERNAL_NAME:4000 {versions}PROXY_ONLY_CONNECT:1 COMMON:3 {login}ORACLE_MAINTAINED:1 INHERITED:3 "
         "DEFAULT_COLLATION:100 IMPLICIT:3 ALL_SHARD:3")
_TAB_PRIVS = "GRANTEE OWNER TABLE_NAME GRANTOR PRIVILEGE:40 GRANTABLE:3 HIERARCHY:3 COMMON:3 TYPE:24 INHERITED:3"
#: The users, roles and privileges views (rows: catalog/dictionary_privs.py); DBA_ ones need
#: SELECT ANY DICTIONARY.
PRIVILEGE_SPECS: dict[str, str] = {
    "USER_USERS": _USER.format(password="", profile="", versions="", login=""),
    "DBA_USERS": _USER.format(password="PASSWORD:4000 ", profile="PROFILE ",
                              versions="PASSWORD_VERSIONS:17 EDITIONS_ENABLED:1 AUTHENTICATION_TYPE:8 ",
                              login="LAST_LOGIN:d "),
    "USER_TAB_PRIVS": _TAB_PRIVS,
    "DBA_TAB_PRIVS": _TAB_PRIVS,
    "USER_SYS_PRIVS": "USERNAME PRIVILEGE:40 ADMIN_OPTION:3 COMMON:3 INHERITED:3",
    "DBA_SYS_PRIVS": "GRANTEE PRIVILEGE:40 ADMIN_OPTION:3 COMMON:3 INHERITED:3",
    "ROLE_SYS_PRIVS": "ROLE PRIVILEGE:40 ADMIN_OPTION:3 COMMON:3 INHERITED:3",
    "USER_ROLE_PRIVS": ("USERNAME GRANTED_ROLE ADMIN_OPTION:3 DELEGATE_OPTION:3 DEFAULT_ROLE:3 OS_GRANTED:3 "
                        "COMMON:3 INHERITED:3"),
    "DBA_ROLE_PRIVS": "GRANTEE GRANTED_ROLE ADMIN_OPTION:3 DELEGATE_OPTION:3 DEFAULT_ROLE:3 COMMON:3 INHERITED:3",
    "DBA_ROLES": ("ROLE ROLE_ID:n PASSWORD_REQUIRED:8 AUTHENTICATION_TYPE:11 COMMON:3 ORACLE_MAINTAINED:1 "
                  "INHERITED:3 IMPLICIT:3 EXTERNAL_NAME:4000"),
    "SESSION_PRIVS": "PRIVILEGE:40",
    "SESSION_ROLES": "ROLE",
    "ALL_EDITIONS": "EDITION_NAME PARENT_EDITION_NAME USABLE:1",
    "DBA_EDITIONS": "EDITION_NAME PARENT_EDITION_NAME USABLE:1",
}
_ALIASES = {"V_$VERSION": "V$VERSION", "GV$VERSION": "V$VERSION"}
# the logon's default version (23.5.0.24.7: a 23ai Free build)
#: USER_ views: (ALL_ view, owner columns dropped); the first column is the owner filtered on.
USER_FORMS: dict[str, tuple[str, tuple[str, ...]]] = {
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
    "USER_TYPES": ("ALL_TYPES", ("OWNER",)),
    "USER_TYPE_ATTRS": ("ALL_TYPE_ATTRS", ("OWNER", "CHAR_USED")),
    "USER_COLL_TYPES": ("ALL_COLL_TYPES", ("OWNER",)),
    "USER_TYPE_METHODS": ("ALL_TYPE_METHODS", ("OWNER",)),
    "USER_SOURCE": ("ALL_SOURCE", ("OWNER",)),
    "USER_ERRORS": ("ALL_ERRORS", ("OWNER",)),
    "USER_ARGUMENTS": ("ALL_ARGUMENTS", ("OWNER",)),
    "USER_PROCEDURES": ("ALL_PROCEDURES", ("OWNER",)),
    "USER_TRIGGERS": ("ALL_TRIGGERS", ("OWNER",)),
}


def _columns(spec: str) -> list[Column]:
    out: list[Column] = []
    for i, word in enumerate(spec.split()):
        name, _, kind = word.partition(":")
        typ: SqlType = NUMBER if kind == "n" else DATE if kind == "d" else SqlType(T.RAW, size=16) \
            if kind == "r" else varchar(int(kind) if kind else 128)
        out.append(Column(name, typ, True, None, f"c{i}"))
    return out


def _dictionary_views() -> dict[str, Table]:
    views: dict[str, Table] = {}
    for name, spec in _SPECS.items():
        views[name] = Table("SYS", name, "", _columns(spec))
    for name, (base, dropped) in USER_FORMS.items():
        cols = [c for c in views[base].columns if c.name not in dropped]
        views[name] = Table("SYS", name, "", [Column(c.name, c.type, True, None, f"c{i}")
                                               for i, c in enumerate(cols)])
    for name in _SPECS:
        if name.startswith("ALL_"):  # DBA_TABLES ...: the ALL_ view over every schema (admins only)
            twin = "DBA_" + name[4:]
            views[twin] = Table("SYS", twin, "", views[name].columns)
    for name, spec in PRIVILEGE_SPECS.items():
        views[name] = Table("SYS", name, "", _columns(spec))
    return views


def _sequence_views() -> dict[str, Table]:
    def cols(*spec: tuple[str, bool]) -> list[Column]:
        return [Column(n, NUMBER if num else varchar(128 if n.endswith("NAME") or n == "SEQUENCE_OWNER" else 1),
                       True, None, f"c{i}") for i, (n, num) in enumerate(spec)]

    seq_cols = [("SEQUENCE_NAME", False), ("MIN_VALUE", True), ("MAX_VALUE", True), ("INCREMENT_BY", True),
                ("CYCLE_FLAG", False), ("ORDER_FLAG", False), ("CACHE_SIZE", True), ("LAST_NUMBER", True)]
    user = Table("SYS", "USER_SEQUENCES", "", cols(*seq_cols))
    every = Table("SYS", "ALL_SEQUENCES", "", cols(("SEQUENCE_OWNER", False), *seq_cols))
    dba = Table("SYS", "DBA_SEQUENCES", "", every.columns)
    ident = Table("SYS", "USER_TAB_IDENTITY_COLS", "", cols(
        ("TABLE_NAME", False), ("COLUMN_NAME", False), ("GENERATION_TYPE", False), ("SEQUENCE_NAME", False),
        ("IDENTITY_OPTIONS", False)))
    ident.columns[2] = Column("GENERATION_TYPE", varchar(10), True, None, "c2")
    ident.columns[4] = Column("IDENTITY_OPTIONS", varchar(298), True, None, "c4")
    return {t.name: t for t in (user, every, dba, ident)}


def _public() -> dict[str, Table]:
    public = dict(BUILTIN)
    for name, table in SEQUENCE_VIEWS.items():
        public.setdefault(name, table)
    for name, table in VIEWS.items():
        if not name.startswith("DBA_"):
            public.setdefault(name, table)
    for alias, name in _ALIASES.items():
        public.setdefault(alias, VIEWS[name])
    for name, table in VIEWS.items():
        if name.startswith("DBA_"):
            public.setdefault(name, table)
    return public


#: Dictionary views by name (ALL_TABLES, USER_TABLES, DBA_TABLES ...).
VIEWS = _dictionary_views()
#: USER_SEQUENCES, ALL_SEQUENCES, DBA_SEQUENCES, USER_TAB_IDENTITY_COLS (rows: translate/seqsql.py).
SEQUENCE_VIEWS = _sequence_views()
#: Every view and virtual table by the name SQL uses for it.
PUBLIC = _public()
