"""ORA error codes and their texts (docs/oracle-sql.md section 4.3, classic 19c wording).

Every SQL error the engine reports is an :class:`OraError`; constructors below
build the exact texts so callers never format them by hand.  Where the engine
adds an explanation of its own (an unsupported construct), it follows the
Oracle text in parentheses, so the code and the leading text stay Oracle's.
"""

from __future__ import annotations

__all__ = [
    "ErrorSlot",
    "OraError",
    "busy",
    "cannot_insert_null",
    "cannot_update_null",
    "divisor_zero",
    "internal",
    "invalid_identifier",
    "invalid_number",
    "inconsistent_types",
    "invalid_sql",
    "missing",
    "missing_expression",
    "name_in_use",
    "not_all_bound",
    "not_ended",
    "numeric_overflow",
    "table_missing",
    "too_deep",
    "unique_violated",
    "value_too_large",
    "precision_too_large",
    "unsupported",
]


class OraError(Exception):
    """An Oracle error: ``code`` (e.g. 942), full ``message`` and ``position`` (0-based offset)."""

    def __init__(self, code: int, message: str, position: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.position = position

    def __repr__(self) -> str:
        return f"OraError({self.code}, {self.message!r}, position={self.position})"


def _ora(code: int, text: str, position: int = 0) -> OraError:
    return OraError(code, f"ORA-{code:05d}: {text}", position)


def invalid_sql(detail: str = "", position: int = 0) -> OraError:
    """ORA-00900, optionally naming what the embedded server does not understand."""
    suffix = f" ({detail})" if detail else ""
    return _ora(900, f"invalid SQL statement{suffix}", position)


def unsupported(construct: str, position: int = 0) -> OraError:
    """ORA-00900 for valid Oracle syntax the embedded server does not implement."""
    return invalid_sql(f"not supported by the embedded server: {construct}", position)


def not_ended(near: str, position: int = 0) -> OraError:
    """ORA-00933 with the unexpected token named."""
    return _ora(933, f"SQL command not properly ended (unexpected {near})", position)


def missing_expression(position: int = 0) -> OraError:
    return _ora(936, "missing expression", position)


def missing(what: str, code: int, position: int = 0) -> OraError:
    return _ora(code, what, position)


def invalid_identifier(name: str, position: int = 0) -> OraError:
    return _ora(904, f'"{name}": invalid identifier', position)


def table_missing(position: int = 0) -> OraError:
    return _ora(942, "table or view does not exist", position)


def name_in_use(position: int = 0) -> OraError:
    return _ora(955, "name is already used by an existing object", position)


def unique_violated(schema: str, constraint: str) -> OraError:
    return _ora(1, f"unique constraint ({schema}.{constraint}) violated")


def cannot_insert_null(schema: str, table: str, column: str) -> OraError:
    return _ora(1400, f'cannot insert NULL into ("{schema}"."{table}"."{column}")')


def cannot_update_null(schema: str, table: str, column: str) -> OraError:
    return _ora(1407, f'cannot update ("{schema}"."{table}"."{column}") to NULL')


def divisor_zero() -> OraError:
    return _ora(1476, "divisor is equal to zero")


def invalid_number() -> OraError:
    return _ora(1722, "invalid number")


def numeric_overflow() -> OraError:
    return _ora(1426, "numeric overflow")


def precision_too_large() -> OraError:
    return _ora(1438, "value larger than specified precision allowed for this column")


def value_too_large(schema: str, table: str, column: str, actual: int, maximum: int) -> OraError:
    return _ora(
        12899, f'value too large for column "{schema}"."{table}"."{column}" (actual: {actual}, maximum: {maximum})'
    )


def not_all_bound() -> OraError:
    return _ora(1008, "not all variables bound")


def busy() -> OraError:
    return _ora(54, "resource busy and acquire with NOWAIT specified or timeout expired")


def inconsistent_types(expected: str, got: str) -> OraError:
    return _ora(932, f"inconsistent datatypes: expected {expected} got {got}")


def internal(detail: str) -> OraError:
    """ORA-00600 for an engine failure that has no Oracle counterpart (never a Python exception)."""
    return _ora(600, f"internal error code, arguments: [embedded-sqlite], [{detail}]")


def too_deep(maximum: int, position: int = 0, detail: str = "") -> OraError:
    """ORA-03095: an expression or query nested deeper than the server parses."""
    suffix = f" ({detail})" if detail else ""
    return _ora(3095, f"expression level is too deep, maximum {maximum}{suffix}", position)


class ErrorSlot:
    """Where a user function leaves its OraError for the engine."""

    __slots__ = ("error",)

    def __init__(self) -> None:
        self.error: OraError | None = None
