"""python-oracledb asyncio methods whose features this driver does not build
yet (two-phase commit, AQ, object types, pipelining, data frames, OSON,
sessionless transactions, tracing hooks, scrollable
cursors, implicit results, PL/SQL arrays).

They exist under python-oracledb's names and raise NotSupportedError DPY-3001
naming the feature, so code written for python-oracledb fails loudly and
clearly here instead of with an AttributeError (or, for a setter, silently).
"""

from __future__ import annotations

from typing import Any, NoReturn

from oracle_sansio.exceptions import not_built_error

__all__ = ["NotBuiltConnection", "NotBuiltCursor"]


def _refuse(feature: str) -> NoReturn:
    raise not_built_error(feature)


class NotBuiltConnection:
    """Connection methods of features not built yet (all raise DPY-3001)."""

    async def begin_sessionless_transaction(self, transaction_id: str | bytes | None = None, timeout: int = 60,
                                            defer_round_trip: bool = False) -> bytes:
        """Not built yet: sessionless transactions."""
        _refuse("sessionless transactions")

    async def resume_sessionless_transaction(self, transaction_id: str | bytes, timeout: int = 60,
                                             defer_round_trip: bool = False) -> bytes:
        """Not built yet: sessionless transactions."""
        _refuse("sessionless transactions")

    async def suspend_sessionless_transaction(self) -> None:
        """Not built yet: sessionless transactions."""
        _refuse("sessionless transactions")

    async def direct_path_load(self, schema_name: str, table_name: str, column_names: list[str], data: Any, *,
                               batch_size: int = 2**32 - 1) -> None:
        """Not built yet: direct path loads."""
        _refuse("direct_path_load()")

    async def fetch_df_all(self, statement: str, parameters: Any = None, arraysize: int | None = None,
                           **kwargs: Any) -> Any:
        """Not built yet: data frames."""
        _refuse("data frames")

    def fetch_df_batches(self, statement: str, parameters: Any = None, size: int | None = None,
                         **kwargs: Any) -> Any:
        """Not built yet: data frames."""
        _refuse("data frames")

    async def gettype(self, name: str) -> Any:
        """Not built yet: object types."""
        _refuse("object types")

    def encode_oson(self, value: Any) -> bytes:
        """Not built yet: OSON."""
        _refuse("OSON")

    def decode_oson(self, data: bytes) -> Any:
        """Not built yet: OSON."""
        _refuse("OSON")

    def queue(self, name: str, payload_type: Any = None, **kwargs: Any) -> Any:
        """Not built yet: Advanced Queuing."""
        _refuse("Advanced Queuing")

    def msgproperties(self, *args: Any, **kwargs: Any) -> Any:
        """Not built yet: Advanced Queuing."""
        _refuse("Advanced Queuing")

    async def run_pipeline(self, pipeline: Any, continue_on_error: bool = False) -> list[Any]:
        """Not built yet: pipelining."""
        _refuse("pipelining")

    def set_end_user_security_context(self, context: Any) -> None:
        """Not built yet: end-user security contexts."""
        _refuse("end-user security contexts")

    def clear_end_user_security_context(self) -> None:
        """Not built yet: end-user security contexts."""
        _refuse("end-user security contexts")

    def set_opentelemetry_trace_context(self, traceparent: str | None, tracestate: str = "") -> None:
        """Not built yet: OpenTelemetry tracing."""
        _refuse("OpenTelemetry tracing")

    @property
    def supports_opentelemetry_tracing(self) -> bool:
        """False: no OpenTelemetry tracing here."""
        return False

    @property
    def operation_callback(self) -> None:
        """None: operation callbacks are not built (setting one raises DPY-3001)."""
        return None

    @operation_callback.setter
    def operation_callback(self, value: Any) -> None:
        if value is not None:
            _refuse("operation_callback")

    @property
    def round_trip_callback(self) -> None:
        """None: round-trip callbacks are not built (setting one raises DPY-3001)."""
        return None

    @round_trip_callback.setter
    def round_trip_callback(self, value: Any) -> None:
        if value is not None:
            _refuse("round_trip_callback")

    def xid(self, format_id: int, global_transaction_id: bytes | str, branch_qualifier: bytes | str) -> Any:
        """Not built yet: two-phase commit."""
        _refuse("two-phase commit")

    async def tpc_begin(self, xid: Any, flags: int = 1, timeout: int = 0) -> None:
        """Not built yet: two-phase commit."""
        _refuse("two-phase commit")

    async def tpc_commit(self, xid: Any = None, one_phase: bool = False) -> None:
        """Not built yet: two-phase commit."""
        _refuse("two-phase commit")

    async def tpc_end(self, xid: Any = None, flags: int = 0) -> None:
        """Not built yet: two-phase commit."""
        _refuse("two-phase commit")

    async def tpc_forget(self, xid: Any) -> None:
        """Not built yet: two-phase commit."""
        _refuse("two-phase commit")

    async def tpc_prepare(self, xid: Any = None) -> bool:
        """Not built yet: two-phase commit."""
        _refuse("two-phase commit")

    async def tpc_recover(self) -> list[Any]:
        """Not built yet: two-phase commit."""
        _refuse("two-phase commit")

    async def tpc_rollback(self, xid: Any = None) -> None:
        """Not built yet: two-phase commit."""
        _refuse("two-phase commit")


class NotBuiltCursor:
    """Cursor methods of features not built yet (all raise DPY-3001)."""

    @property
    def scrollable(self) -> bool:
        """False: scrollable cursors are not built (setting True raises DPY-3001)."""
        return False

    @scrollable.setter
    def scrollable(self, value: bool) -> None:
        if value:
            _refuse("scrollable cursors")

    async def scroll(self, value: int = 0, mode: str = "relative") -> None:
        """Not built yet: scrollable cursors."""
        _refuse("scrollable cursors")

    def arrayvar(self, typ: Any, value: list[Any] | int, size: int = 0) -> Any:
        """Not built yet: PL/SQL index-by array binds."""
        _refuse("PL/SQL array binds")

    def getimplicitresults(self) -> list[Any]:
        """Not built yet: implicit result sets."""
        _refuse("implicit result sets")
