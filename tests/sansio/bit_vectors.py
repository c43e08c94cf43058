"""Make the embedded server send BIT_VECTOR messages as real Oracle does.

Oracle leaves out of a ROW_DATA every column whose value repeats the
previous row's, announcing the others in a BIT_VECTOR;
the embedded server sends whole rows.  Inside :func:`server_sends_bit_vectors`
every :class:`RowEncoder` writes rows the Oracle way, so the client's
bit-vector path can be fed by the ordinary test pair.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest

from oracle_sansio.ttc.messages.rows import BitVector, RowEncoder
from oracle_sansio.ttc.wire import Writer


@contextmanager
def server_sends_bit_vectors(*, pretend_first: Sequence[object] | None = None) -> Iterator[list[bytes]]:
    """Patch :meth:`RowEncoder.encode` for the duration; yields the vectors sent.

    ``pretend_first``: a row each new encoder behaves as if it had sent already,
    so that the first row of a result carries a vector with nothing before it
    (a broken server; Oracle never sends that).
    """
    plain = RowEncoder.encode
    previous: dict[int, tuple[object, ...]] = {}
    seed = None if pretend_first is None else tuple(pretend_first)
    sent: list[bytes] = []
    encoders: list[RowEncoder] = []  # keeps ids unique while the patch lasts

    def encode(self: RowEncoder, w: Writer, values: Sequence[object], *, bit_vector: bytes | None = None) -> None:
        before = previous.get(id(self))
        if before is None:
            encoders.append(self)
            before = seed
        if before is not None and bit_vector is None:
            vector = BitVector.for_rows(before, values)
            if vector is not None:
                vector.encode(w)
                bit_vector = vector.bits
                sent.append(vector.bits)
        previous[id(self)] = tuple(values)
        plain(self, w, values, bit_vector=bit_vector)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RowEncoder, "encode", encode)
        yield sent
