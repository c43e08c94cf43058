"""Fuzz the masked packet dump: mask_secrets, SecretMasker, PacketTracer, format_packet.

Nothing may raise; masking keeps the length and only ever writes ``*``; the
tracer, fed whole or in the chunks the first input byte chooses, never
reports more bytes than it was given.
"""

from __future__ import annotations

from oracle_sansio.debug import SECRET_KEYS, PacketTracer, SecretMasker, format_packet, mask_secrets

from fuzz._seeds import tns_packets

_STAR = ord("*")


def _check_mask(original: bytes, masked: bytes) -> None:
    if len(masked) != len(original):
        raise AssertionError(f"length changed: {len(original)} -> {len(masked)}")
    for a, b in zip(original, masked):
        if a != b and b != _STAR:
            raise AssertionError("masking wrote something other than '*'")


def one_input(data: bytes) -> None:
    """First byte: chunk size for the tracer and 16/32-bit start; the rest: a byte stream."""
    if not data:
        return
    step = (data[0] >> 1) + 1
    large = bool(data[0] & 1)
    body = data[1:]

    _check_mask(body, mask_secrets(body))
    _check_mask(body, SecretMasker().mask(body))
    format_packet("received", body, conn_label="fuzz")

    # The stream as packets through one SecretMasker.
    masker = SecretMasker()
    for pos in range(0, len(body), step * 7 + 11):
        piece = body[pos : pos + step * 7 + 11]
        _check_mask(piece, masker.mask(piece))

    whole = PacketTracer("f", large=large).feed("sent", body)
    tracer = PacketTracer("f", large=large)
    chunked: list[str] = []
    for pos in range(0, len(body), step):
        chunked += tracer.feed("sent", body[pos : pos + step])
    for dumps in (whole, chunked):
        # Bytes that cannot be framed are dumped as buffered, so only the total is fixed.
        if sum(_size(text) for text in dumps) > len(body):
            raise AssertionError("the tracer dumped more bytes than it was fed")


def _size(text: str) -> int:
    title = text.split("\n", 1)[0]
    return int(title.split(": ", 1)[1].split(" bytes", 1)[0])


def seeds() -> list[bytes]:
    """Captured packets (auth exchanges included) and each secret key in both layouts."""
    out = [b"\x00" + raw for raw in tns_packets()[:150]]
    out += [b"\x07" + raw for raw in tns_packets() if b"AUTH_" in raw]
    for key in sorted(SECRET_KEYS):
        name = key.encode()
        out.append(b"\x00" + bytes([len(name)]) + name + b"\x01\x20\x20" + b"A" * 32 + b"\x00")
        out.append(b"\x02" + bytes([len(name)]) + name + b"\x60\x00\x00\x00\xfe\x40" + b"B" * 64 + b"\x20" + b"C" * 32 + b"\x00")
    return out


if __name__ == "__main__":  # pragma: no cover - atheris entry point
    from fuzz._atheris import run

    run(one_input)
