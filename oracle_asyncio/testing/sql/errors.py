"""ORA error codes and their texts (docs/oracle-sql.md section 4.3, classic 19c wording).

Every SQL error the engine reports is an :class:`OraError`, built by :func:`ora`
from a number; nobody else writes an ``ORA-`` text.  One rule decides where a
text lives:

* a text the protocol layer sends too (the server roles of ``oracle_sansio``:
  ORA-00028, ORA-01013, ORA-01017, ORA-56735, ...) belongs to
  ``oracle_sansio.error_codes.ORA_MESSAGES`` and is reached through :func:`ora`
  as well;
* every other text the embedded server's SQL layer reports is in :data:`TEXTS`
  here, the bottom room of ``testing/sql``, and nowhere else
  (``tests/test_one_owner.py`` checks; a number may not be in both tables).

Oracle's own arguments are ``{name}`` fields of the text, filled from the
keyword arguments of :func:`ora`.  Where the engine adds an explanation of its
own (an unsupported construct), it follows the Oracle text in parentheses
(``note=``), so the code and the leading text stay Oracle's.  The named
constructors below are shorthands for the errors raised most often.
"""

from __future__ import annotations

from typing import Final

from oracle_sansio.error_codes import ORA_MESSAGES

__all__ = [
    "ErrorSlot",
    "OraError",
    "Unsupported",
    "TEXTS",
    "busy",
    "cannot_insert_null",
    "cannot_update_null",
    "divisor_zero",
    "internal",
    "invalid_identifier",
    "invalid_number",
    "inconsistent_types",
    "invalid_sql",
    "missing_expression",
    "name_in_use",
    "not_all_bound",
    "not_ended",
    "numeric_overflow",
    "ora",
    "pls_error",
    "pls_unplaced",
    "table_missing",
    "too_deep",
    "unique_violated",
    "value_error",
    "value_too_large",
    "text_of",
    "with_text",
    "precision_too_large",
    "unsupported",
]

#: ORA number -> Oracle's text without the ``ORA-nnnnn: `` prefix (19c wording).
TEXTS: Final[dict[int, str]] = {
    1: "unique constraint ({schema}.{constraint}) violated",
    26: "missing or invalid session ID",
    36: "maximum number of recursive SQL levels ({maximum}) exceeded",
    54: "resource busy and acquire with NOWAIT specified or timeout expired",
    60: "deadlock detected while waiting for resource",
    600: "internal error code, arguments: [embedded-sqlite], [{detail}]",
    900: "invalid SQL statement",
    902: "invalid datatype",
    904: "{name}: invalid identifier",
    905: "missing keyword",
    906: "missing left parenthesis",
    907: "missing right parenthesis",
    909: "invalid number of arguments",
    911: "invalid character",
    913: "too many values",
    917: "missing comma",
    918: "column ambiguously defined",
    920: "invalid relational operator",
    923: "FROM keyword not found where expected",
    925: "missing INTO keyword",
    926: "missing VALUES keyword",
    927: "missing equal sign",
    928: "missing SELECT keyword",
    932: "inconsistent datatypes: expected {expected} got {got}",
    933: "SQL command not properly ended",
    936: "missing expression",
    942: "table or view does not exist",
    947: "not enough values",
    955: "name is already used by an existing object",
    957: "duplicate column name",
    1006: "bind variable does not exist",
    1007: "variable not in select list",
    1008: "not all variables bound",
    1031: "insufficient privileges",
    # users, roles, privileges and synonyms (catalog/dcl.py)
    922: "missing or invalid option",
    980: "synonym translation is no longer valid",
    988: "missing or invalid password(s)",
    990: "missing or invalid privilege",
    1432: "public synonym to be dropped does not exist",
    1434: "private synonym to be dropped does not exist",
    1471: "cannot create a synonym with same name as object",
    1749: "you may not GRANT/REVOKE privileges to/from yourself",
    1775: "looping chain of synonyms",
    1917: "user or role '{name}' does not exist",
    1918: "user '{name}' does not exist",
    1919: "role '{name}' does not exist",
    1920: "user name '{name}' conflicts with another user or role name",
    1921: "role name '{name}' conflicts with another user or role name",
    1922: "CASCADE must be specified to drop '{name}'",
    1926: "cannot GRANT to a role WITH GRANT OPTION",
    1927: "cannot REVOKE privileges you did not grant",
    1932: "ADMIN option not granted for role '{name}'",
    1934: "circular role grant detected",
    1940: "cannot drop a user that is currently connected",
    1951: "ROLE '{name}' not granted to '{grantee}'",
    1952: "system privileges not granted to '{name}'",
    2204: "ALTER, INDEX and EXECUTE not allowed for views",
    2205: "only SELECT and ALTER privileges are valid for sequences",
    2224: "EXECUTE privilege not allowed for tables",
    2225: "only EXECUTE and DEBUG privileges are valid for procedures",
    38802: "edition does not exist",
    38807: "Implementation restriction: an edition can have only one child",
    38805: "edition is in use",
    38810: "Implementation restriction: cannot drop edition that has a parent and a child",
    1730: "invalid number of column names specified",
    1732: "data manipulation operation not legal on this view",
    1733: "virtual column not allowed here",
    1779: "cannot modify a column which maps to a non key-preserved table",
    4063: "{name} has errors",
    4067: "not executed, {name} does not exist",
    4061: "existing state of {name} has been invalidated",
    4065: "not executed, altered or dropped {name}",
    4068: "existing state of packages has been discarded",
    14551: "cannot perform a DML operation inside a query",
    14552: "cannot perform a DDL, commit or rollback inside a query or DML",
    42399: "cannot perform a DML operation on a read-only view",
    1574: "maximum number of concurrent transactions exceeded",
    1086: "savepoint '{name}' never established in this session or is invalid",
    1400: 'cannot insert NULL into ("{schema}"."{table}"."{column}")',
    1407: 'cannot update ("{schema}"."{table}"."{column}") to NULL',
    1408: "such column list already indexed",
    1410: "invalid ROWID",
    1416: "two tables cannot be outer-joined to each other",
    1418: "specified index does not exist",
    1422: "exact fetch returns more than requested number of rows",
    1426: "numeric overflow",
    1427: "single-row subquery returns more than one row",
    1402: "view WITH CHECK OPTION where-clause violation",
    1435: "user does not exist",
    1438: "value larger than specified precision allowed for this column",
    1452: "cannot CREATE UNIQUE INDEX; duplicate keys found",
    1468: "a predicate may reference only one outer-joined table",
    1476: "divisor is equal to zero",
    1719: "outer join operator (+) not allowed in operand of OR or IN",
    1722: "invalid number",
    1727: "numeric precision specifier is out of range (1 to 38)",
    1740: "missing double quote in identifier",
    1756: "quoted string not properly terminated",
    1785: "ORDER BY item must be the number of a SELECT-list expression",
    1786: "FOR UPDATE of this query expression is not allowed",
    1789: "query block has incorrect number of result columns",
    1790: "expression must have same datatype as corresponding expression",
    1792: "maximum number of columns in a table or view is {maximum}",
    1745: "invalid host/bind variable name",
    1795: "maximum number of expressions in a list is {maximum}",
    1820: "format code cannot appear in date input format",
    1821: "date format not recognized",
    1830: "date format picture ends before converting entire input string",
    1839: "date not valid for month specified",
    1841: "(full) year must be between -4713 and +9999, and not be 0",
    1843: "not a valid month",
    1847: "day of month must be between 1 and last day of month",
    1850: "hour must be between 0 and 23",
    1851: "minutes must be between 0 and 59",
    1852: "seconds must be between 0 and 59",
    1855: "AM/A.M. or PM/P.M. required",
    1858: "a non-numeric character was found where a numeric was expected",
    1861: "literal does not match format string",
    1867: "the interval is invalid",
    1873: "the leading precision of the interval is too small",
    1898: "too many precision specifiers",
    # built-in functions (runtime/fn_*.py)
    1428: "argument '{value}' is out of range",
    1465: "invalid hex number",
    1489: "result of string concatenation is too long",
    1760: "illegal argument for function",
    1874: "time zone hour must be between -15 and 15",
    1875: "time zone minute must be between -59 and 59",
    1882: "timezone region not found",
    12725: "unmatched parentheses in regular expression",
    12726: "unmatched bracket in regular expression",
    12727: "invalid back reference in regular expression",
    12728: "invalid range in regular expression",
    12729: "invalid character class in regular expression",
    12731: "invalid collation class in regular expression",
    12732: "invalid interval value in regular expression",
    12733: "regular expression is too long",
    30486: "invalid window aggregation group in the window specification",
    30076: "invalid extract field for extract source",
    30485: "missing ORDER BY expression in the window specification",
    30186: "'\\' must be followed by four hexadecimal characters or another '\\'",
    # column types (types/zones.py, longs.py, xmltext.py)
    1857: "not a valid time zone",
    910: "specified length too long for its datatype",
    997: "illegal use of LONG datatype",
    1754: "a table may contain only one column of type LONG",
    31011: "XML parsing failed",
    2003: "invalid USERENV parameter",
    2256: "number of referencing columns must match referenced columns",
    2260: "table can have only one primary key",
    2266: "unique/primary keys in table referenced by enabled foreign keys",
    2267: "column type incompatible with referenced column type",
    2268: "referenced table does not have a primary key",
    2270: "no matching unique or primary key for this column-list",
    2283: "cannot alter starting sequence number",
    2286: "no options specified for ALTER SEQUENCE",
    2287: "sequence number not allowed here",
    2289: "sequence does not exist",
    2303: "cannot drop or replace a type with type or table dependents",
    2290: "check constraint ({name}) violated",
    2291: "integrity constraint ({name}) violated - parent key not found",
    2292: "integrity constraint ({name}) violated - child record found",
    2429: "cannot drop index used for enforcement of unique/primary key",
    2449: "unique/primary keys in table referenced by foreign keys",
    3095: "expression level is too deep, maximum {maximum}",
    3114: "not connected to ORACLE",
    4002: "INCREMENT must be a non-zero integer",
    4004: "MINVALUE must be less than MAXVALUE",
    4006: "START WITH cannot be less than MINVALUE",
    4007: "MINVALUE cannot be made to exceed the current value",
    4008: "START WITH cannot be more than MAXVALUE",
    4009: "MAXVALUE cannot be made to be less than the current value",
    4010: "the number of values to CACHE must be greater than 1",
    4043: "object {name} does not exist",
    4077: "WHEN clause cannot be used with table level triggers",
    4080: "trigger '{name}' does not exist",
    4084: "cannot change NEW values for this trigger type",
    4085: "cannot change the value of an OLD reference variable",
    4088: "error during execution of trigger '{name}'",
    4030: "out of process memory when trying to allocate {size} bytes ({where})",
    4091: "table {name} is mutating, trigger/function may not see it",
    4098: "trigger '{name}' is invalid and failed re-validation",
    6502: "PL/SQL: numeric or value error{reason}",
    6530: "Reference to uninitialized composite",
    6503: "PL/SQL: Function returned without value",
    6535: "statement string in EXECUTE IMMEDIATE is NULL or 0 length",
    6508: "PL/SQL: could not find program unit being called: {name}",
    6512: "at {where}",
    6550: "line {line}, column {column}:\n{message}",
    1000: "maximum open cursors exceeded",
    1001: "invalid cursor",
    1403: "no data found",
    6500: "PL/SQL: storage error",
    6504: "PL/SQL: Return types of Result Set variables or query do not match",
    6510: "PL/SQL: unhandled user-defined exception",
    6511: "PL/SQL: cursor already open",
    6519: "active autonomous transaction detected and rolled back",
    6531: "Reference to uninitialized collection",
    6532: "Subscript outside of limit",
    6533: "Subscript beyond count",
    6513: "PL/SQL: index for PL/SQL table out of range for host language array",
    6592: "CASE not found while executing CASE statement",
    24381: "error(s) in array DML",
    21000: "error number argument to raise_application_error of {number} is out of range",
    8002: "sequence {name}.CURRVAL is not yet defined in this session",
    8004: "sequence {name}.NEXTVAL {crossed} and cannot be instantiated",
    12899: 'value too large for column "{schema}"."{table}"."{column}" (actual: {actual}, maximum: {maximum})',
    22312: "must specify either CASCADE or INVALIDATE option",
    22324: "altered type has compilation errors",
    21560: "argument {number} is null, invalid, or out of range",
    22275: "invalid LOB locator specified",
    22816: "unsupported feature with RETURNING clause",
    22925: "operation would exceed maximum size allowed for a LOB value",
    22926: "specified trim length is greater than current LOB value's length",
    25001: "cannot create this trigger type on views",
    25002: "cannot create INSTEAD OF triggers on tables",
    25004: "WHEN clause is not allowed in INSTEAD OF triggers",
    25021: "cannot reference a trigger defined on another table",
    25025: "cannot specify PRECEDES clause",
    28008: "invalid old password",
    25137: "Data value out of range",
    25154: "column part of USING clause cannot have qualifier",
    25156: "old style outer join (+) cannot be used with ANSI joins",
    30088: "datetime/interval precision is out of range",
    30665: "invalid NOT NULL constraint specified on an identity column",
    30669: "table can have only one identity column",
    30675: "identity column must be a numeric type",
    32793: "cannot alter a system-generated sequence",
    32794: "cannot drop a system-generated sequence",
    32795: "cannot insert into a generated always identity column",
    32796: "cannot update a generated always identity column",
    30926: "unable to get a stable set of rows in the source tables",
    38104: "Columns referenced in the ON Clause cannot be updated: {column}",
}

#: ORA-06502's reasons, which Oracle appends to its text.
_VALUE_ERROR_REASONS: Final[dict[str, str]] = {
    "": "",
    "conversion": ": character to number conversion error",
    "buffer": ": character string buffer too small",
    "null_key": ": NULL index table key value",
    "precision": ": number precision too large",
    "null": "",
}


class OraError(Exception):
    """An Oracle error: ``code`` (e.g. 942), full ``message`` and ``position`` (0-based offset)."""

    def __init__(self, code: int, message: str, position: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.position = position
        #: ``ORA-06512: at ...`` lines gathered as the error leaves PL/SQL units (innermost first).
        self.pl_trace: list[str] = []

    def __repr__(self) -> str:
        return f"OraError({self.code}, {self.message!r}, position={self.position})"


def _prefix(code: int) -> str:
    return f"ORA-{code:05d}: "


def ora(code: int, position: int = 0, *, note: str = "", **fields: object) -> OraError:
    """The error ``ORA-code`` with its catalogued text, ``fields`` filled in and the
    engine's own ``note`` (if any) in parentheses after it."""
    template = TEXTS[code] if code in TEXTS else ORA_MESSAGES[code]
    text = template.format(**fields) if fields else template
    suffix = f" ({note})" if note else ""
    return OraError(code, f"{_prefix(code)}{text}{suffix}", position)


def pls_error(pos: int, sql: str, message: str) -> OraError:
    """ORA-06550 with the line and column of ``pos`` in ``sql`` (PL/SQL compile errors);
    ``message`` is the PLS error."""
    line = sql.count("\n", 0, pos) + 1
    column = pos - (sql.rfind("\n", 0, pos) + 1) + 1
    return ora(6550, pos, line=line, column=column, message=message)


def pls_unplaced(message: str) -> OraError:
    """ORA-06550 with no source place: the engine's short form for a PLS error found
    while a routine runs, where no line of the caller's text applies."""
    return OraError(6550, f"{_prefix(6550)}{message}")


def value_error(reason: str = "") -> OraError:
    """ORA-06502; ``reason`` is ``""``, ``"conversion"`` or ``"buffer"``."""
    return ora(6502, reason=_VALUE_ERROR_REASONS[reason])


def with_text(code: int, text: str, position: int = 0) -> OraError:
    """``ORA-code: text`` with a text of the caller's (RAISE_APPLICATION_ERROR's message)."""
    return OraError(code, f"{_prefix(code)}{text}", position)


def text_of(code: int) -> str:
    """``ORA-code: text`` as SQLERRM(code) gives it (Oracle's "not found" text for a number
    without a text here)."""
    template = TEXTS.get(code) or ORA_MESSAGES.get(code)
    if template is None:
        return f"ORA-{code:05d}: Message {code} not found;  product=RDBMS; facility=ORA"
    return f"{_prefix(code)}{template}"


def invalid_sql(detail: str = "", position: int = 0) -> OraError:
    """ORA-00900, optionally naming what the embedded server does not understand."""
    return ora(900, position, note=detail)


class Unsupported(OraError):
    """ORA-00900 for valid Oracle syntax the embedded server does not implement: a unit whose
    text holds one is refused, where a real compile error stores the unit INVALID."""


def unsupported(construct: str, position: int = 0) -> OraError:
    """ORA-00900 for valid Oracle syntax the embedded server does not implement."""
    error = invalid_sql(f"not supported by the embedded server: {construct}", position)
    return Unsupported(error.code, error.message, error.position)


def not_ended(near: str, position: int = 0) -> OraError:
    """ORA-00933 with the unexpected token named."""
    return ora(933, position, note=f"unexpected {near}")


def missing_expression(position: int = 0) -> OraError:
    return ora(936, position)


def invalid_identifier(name: str, position: int = 0) -> OraError:
    return ora(904, position, name=f'"{name}"')


def table_missing(position: int = 0) -> OraError:
    return ora(942, position)


def name_in_use(position: int = 0) -> OraError:
    return ora(955, position)


def unique_violated(schema: str, constraint: str) -> OraError:
    return ora(1, schema=schema, constraint=constraint)


def cannot_insert_null(schema: str, table: str, column: str) -> OraError:
    return ora(1400, schema=schema, table=table, column=column)


def cannot_update_null(schema: str, table: str, column: str) -> OraError:
    return ora(1407, schema=schema, table=table, column=column)


def divisor_zero() -> OraError:
    return ora(1476)


def invalid_number() -> OraError:
    return ora(1722)


def numeric_overflow() -> OraError:
    return ora(1426)


def precision_too_large() -> OraError:
    return ora(1438)


def value_too_large(schema: str, table: str, column: str, actual: int, maximum: int) -> OraError:
    return ora(12899, schema=schema, table=table, column=column, actual=actual, maximum=maximum)


def not_all_bound() -> OraError:
    return ora(1008)


def busy() -> OraError:
    return ora(54)


def inconsistent_types(expected: str, got: str) -> OraError:
    return ora(932, expected=expected, got=got)


def internal(detail: str) -> OraError:
    """ORA-00600 for an engine failure that has no Oracle counterpart (never a Python exception)."""
    return ora(600, detail=detail)


def unconvertible(exc: Exception) -> OraError:
    """ORA-00932 for a value the engine failed to convert while producing rows (a backstop:
    the translator should have refused the statement).  Not ORA-00600: python-oracledb maps it
    to DPY-4011 (connection closed) and drops the session, while a datatype error leaves the
    session usable, which it is: only this call failed."""
    return ora(932, expected="a value the embedded server can convert", got=type(exc).__name__,
               note=f"embedded server could not convert a value: {exc}")


def too_deep(maximum: int, position: int = 0, detail: str = "") -> OraError:
    """ORA-03095: an expression or query nested deeper than the server parses."""
    return ora(3095, position, note=detail, maximum=maximum)


class ErrorSlot:
    """Where a user function leaves its OraError for the engine."""

    __slots__ = ("error",)

    def __init__(self) -> None:
        self.error: OraError | None = None
