"""MERGE and multi-table INSERT (parser_merge.py builds them, translate/merge.py runs them).

Both are run as a series of the single statements (UPDATE, INSERT ... SELECT, DELETE) written
from the original text's parts, so the nodes keep those parts as text, binds included."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Merge", "MultiInsert", "InsertInto"]


@dataclass(frozen=True, slots=True)
class Merge:
    """``MERGE INTO target USING source ON (cond) WHEN [NOT] MATCHED ...``."""

    target_schema: str | None
    target_name: str
    #: The target as written (``scott.emp``) and its alias (None: none given).
    target: str
    target_alias: str | None
    pos: int
    #: ``(subquery)`` or a table name, as written, and its alias.
    source: str
    source_alias: str | None
    on: str
    #: Columns of the target the ON condition names (ORA-38104 when one is SET).
    on_columns: frozenset[str]
    #: WHEN MATCHED: (column, position, expression text) per SET; None: no such clause.
    sets: tuple[tuple[str, int, str], ...] | None
    update_where: str | None
    delete_where: str | None
    #: WHEN NOT MATCHED: the column list as written ("" when none), the values; None: no such clause.
    insert_columns: str
    insert_values: tuple[str, ...] | None
    insert_where: str | None


@dataclass(frozen=True, slots=True)
class InsertInto:
    """One ``INTO table [(columns)] [VALUES (...)]`` of a multi-table INSERT, as written."""

    target: str
    columns: str
    values: tuple[str, ...] | None
    #: The WHEN condition it belongs to (its number, from 1), 0 for ELSE, None unconditional.
    when: int | None


@dataclass(frozen=True, slots=True)
class MultiInsert:
    """``INSERT ALL|FIRST [WHEN cond THEN] INTO ... [ELSE INTO ...] subquery``."""

    first: bool
    intos: tuple[InsertInto, ...]
    #: The WHEN conditions, as written, in order.
    conditions: tuple[str, ...]
    query: str
