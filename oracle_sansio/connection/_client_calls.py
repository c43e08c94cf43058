"""The query/DML part of the client machine: EXECUTE and FETCH responses
(describe, rows, out binds) and how such a call ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..errors import UnexpectedMessageError
from ..ttc.constants import ErrorNumber
from ..ttc.messages.status import ErrorInfo
from ..ttc.wire import Reader, Writer
from .events import CallCompleted, RowsReceived, ServerErrorReceived

if TYPE_CHECKING:
    from .client import ClientConnection

__all__ = ["Executable", "QueryState", "start_execute", "parse_query_message", "flush_rows", "finish_query"]


class Executable(Protocol):
    """An EXECUTE or re-execute request (see ttc.messages.execute)."""

    cursor_id: int


@dataclass(slots=True)
class QueryState:
    """What the client tracks while one EXECUTE or FETCH response streams in."""

    cursor_id: int
    columns: tuple[object, ...]
    is_query: bool
    dml_row_counts: bool = False
    rows: list[tuple[object, ...]] = field(default_factory=list)
    previous_row: tuple[object, ...] | None = None
    bit_vector: bytes | None = None


def start_execute(
    conn: ClientConnection, w: Writer, request: Executable, columns: tuple[object, ...] | None
) -> QueryState:
    """Write ``request`` and return the state its response is parsed with."""
    raise UnexpectedMessageError("EXECUTE is not available yet")


def parse_query_message(conn: ClientConnection, r: Reader, mtype: int, state: QueryState) -> None:
    """Handle one message of an EXECUTE/FETCH response (type byte already read)."""
    raise UnexpectedMessageError(f"TTC message type {mtype} is not expected here")


def flush_rows(conn: ClientConnection, state: QueryState) -> None:
    """Report the rows collected so far as one ``RowsReceived``."""
    if state.rows:
        conn._emit(RowsReceived(cursor_id=state.cursor_id, rows=state.rows))
        state.rows = []


def finish_query(conn: ClientConnection, state: QueryState, info: ErrorInfo) -> None:
    """Report how an EXECUTE/FETCH ended; remember the cursor's describe."""
    cursor_id = info.cursor_id or state.cursor_id
    if cursor_id and state.columns:
        conn.cursor_columns[cursor_id] = state.columns
    if info.number and not (info.number == ErrorNumber.NO_DATA_FOUND and state.is_query):
        conn._emit(ServerErrorReceived(info=info))
        return
    conn._emit(
        CallCompleted(
            cursor_id=cursor_id,
            row_count=info.row_count,
            more_rows=state.is_query and info.number == 0,
            in_transaction=info.in_transaction,
            info=info,
        )
    )
