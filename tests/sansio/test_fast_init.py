"""positional_maker (issue 14): the records made once per call are built without
their frozen ``__init__``, and equal what that ``__init__`` builds."""

from __future__ import annotations

import dataclasses

import pytest

from oracle_sansio._fast_init import positional_maker
from oracle_sansio.connection.events import CallCompleted, RowsReceived
from oracle_sansio.ttc.messages.status import BatchError, ErrorInfo
from oracle_sansio.ttc.messages import status
from oracle_sansio.ttc.wire import Reader, Writer

#: In the mypyc build (.ci/compiled) status.py is native code: its records are built by
#: their compiled __init__, which checks each field's type, and positional_maker is not used.
_status_compiled = not str(status.__file__).endswith(".py")


def _values(cls: type) -> dict[str, object]:
    samples: dict[type, object] = {CallCompleted: {"cursor_id": 3, "row_count": 7, "more_rows": True,
                                                   "last_rowid": "AAAB", "in_transaction": True,
                                                   "info": ErrorInfo(number=1), "batch_errors": (BatchError(code=1),),
                                                   "dml_row_counts": (1, 2)},
                                   RowsReceived: {"cursor_id": 2, "rows": [(1,), (2,)]},
                                   ErrorInfo: {f.name: i for i, f in enumerate(dataclasses.fields(ErrorInfo))}}
    values = samples[cls]
    assert isinstance(values, dict)
    return values


@pytest.mark.parametrize("cls", [ErrorInfo, CallCompleted, RowsReceived])
def test_maker_builds_what_the_class_builds(cls: type) -> None:
    if cls is ErrorInfo and _status_compiled:
        pytest.skip("a compiled ErrorInfo checks its fields' types; this sample is one int per field")
    values = _values(cls)
    made: object = positional_maker(cls)(*values.values())
    assert type(made) is cls and made == cls(**values)
    if cls is not RowsReceived:  # its rows are a list: not hashable either way
        assert hash(made) == hash(cls(**values))
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, "cursor_id", 9)  # still frozen to its users


def test_a_class_with_post_init_or_without_slots_is_called_itself() -> None:
    seen: list[int] = []

    @dataclasses.dataclass(frozen=True)
    class Checked:
        a: int
        b: str = "x"

        def __post_init__(self) -> None:
            seen.append(self.a)

    assert positional_maker(Checked)(1, "y") == Checked(1, "y")
    assert seen == [1, 1]


@pytest.mark.skipif(_status_compiled, reason="the compiled build decodes through ErrorInfo's native __init__")
def test_decoding_an_error_message_does_not_run_the_frozen_init(monkeypatch: pytest.MonkeyPatch) -> None:
    w = Writer()
    ErrorInfo(number=1403, row_count=1, cursor_id=4, message="ORA-01403: no data found").encode(w, field_version=24)
    body = w.getvalue()[1:]
    inits = [0]
    original = ErrorInfo.__init__

    def counting(self: ErrorInfo, **kwargs: object) -> None:
        inits[0] += 1
        original(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ErrorInfo, "__init__", counting)
    info = ErrorInfo.decode_body(Reader(body), field_version=24)
    assert inits[0] == 0
    assert (info.number, info.row_count, info.cursor_id, info.message) == (1403, 1, 4, "ORA-01403: no data found")
