"""The query/DML part of the server machine: EXECUTE requests in, describe,
rows and the end-of-call ERROR out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import UnexpectedMessageError
from ..ttc.constants import ErrorNumber
from ..ttc.messages.function import FunctionHeader
from ..ttc.messages.status import ErrorInfo
from ..ttc.wire import Reader, Writer

if TYPE_CHECKING:
    from .server import ServerConnection

__all__ = ["ServerCall", "CursorInfo", "parse_function", "skip_piggyback", "send_describe", "send_rows", "end_query"]

_MSG_1403 = "ORA-01403: no data found"


@dataclass(slots=True)
class CursorInfo:
    """What the server remembers of an open cursor."""

    columns: tuple[object, ...] = ()
    binds: tuple[object, ...] = ()
    sql: str | None = None


@dataclass(slots=True)
class ServerCall:
    """The call being answered."""

    function: int
    simple: bool = False
    cursor_id: int = 0
    is_query: bool = False
    columns: tuple[object, ...] | None = None
    extra: dict[str, object] = field(default_factory=dict)


def parse_function(server: ServerConnection, r: Reader, header: FunctionHeader) -> tuple[object, ServerCall]:
    """Decode an EXECUTE-family call into its event."""
    raise UnexpectedMessageError(f"function {header.code} is not supported")


def skip_piggyback(server: ServerConnection, r: Reader, header: FunctionHeader) -> None:
    """Consume a piggyback the server does not act on."""
    raise UnexpectedMessageError(f"piggyback function {header.code} is not supported")


def send_describe(server: ServerConnection, w: Writer, columns: Sequence[object]) -> None:
    """Queue DESCRIBE_INFO."""
    raise UnexpectedMessageError("describe is not available yet")


def send_rows(server: ServerConnection, w: Writer, rows: Sequence[Sequence[object]]) -> None:
    """Queue ROW_DATA messages."""
    raise UnexpectedMessageError("rows are not available yet")


def end_query(
    server: ServerConnection,
    w: Writer,
    call: ServerCall,
    *,
    cursor_id: int,
    row_count: int,
    more_rows: bool,
    call_status: int,
    rowid: tuple[int, int, int, int] | None,
) -> None:
    """Write the ERROR that ends an EXECUTE or FETCH (1403 when a query is exhausted)."""
    exhausted = call.is_query and not more_rows
    ErrorInfo(
        call_status=call_status,
        cursor_id=cursor_id or call.cursor_id,
        number=ErrorNumber.NO_DATA_FOUND if exhausted else 0,
        message=_MSG_1403 if exhausted else None,
        row_count=row_count,
        rowid=rowid,
        sql_type=3 if call.is_query else 0,
        call_number=3,
        current_row=row_count,
    ).encode(w, field_version=server.caps.field_version)
