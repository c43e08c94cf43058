"""The embedded server's SQL engine: Oracle SQL executed on the standard library's sqlite3.

Entry points are in :mod:`.engine` (``Database``, ``Session``, ``Result``, ``OraError``).

The files sit in rooms whose imports run one way, bottom to top (tests/testing/test_sql_shape.py
keeps it so: no cycle, no upward import, no import inside a function, no TYPE_CHECKING):

``errors.py``
    ORA errors and the slot where sqlite functions leave theirs.
``types/``
    Values: Oracle types and storage (datatypes), NUMBER as Decimal, rowids, interval units.
``syntax/``
    Text to nodes: lexer, node classes, parser (clause parsers take ``ParserBase``, whose hooks
    the full parser implements).
``catalog/``
    What a database holds: schema objects and privileges (schema, tables: the one name gate),
    sequences, indexes, keys, dictionary view shapes (views: one name table) and rows.
``runtime/``
    What runs inside sqlite or beside it: functions and their one registration table
    (registry), date formats, intervals, PL/SQL routines (which reach their session through a
    protocol), statement results.
``translate/``
    Nodes to sqlite SQL: base (values, scopes, conversion rules and the hooks passes call back
    through) < passes (chains, calls, seqsql, joins, query, setops, subqueries, outer_plus,
    rownum) < select (one query level) < translator (dispatch by node type) < dml.
``engine.py``
    Database and Session: statements dispatched by type to the rooms below.

Where to change: how ROWNUM is translated, translate/rownum.py; a function, translate/calls.py
(its translation) and runtime/functions.py (its sqlite body); a dictionary view,
catalog/views.py (shape) and catalog/dictionary.py (rows); name resolution and privileges,
catalog/tables.py.
"""

from __future__ import annotations

from .engine import Database, OraError, Result, Session

__all__ = ["Database", "OraError", "Result", "Session"]
