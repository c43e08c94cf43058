"""Loaders for the real-traffic captures copied into tests/vectors/captures.

Provenance of every file is in tests/vectors/captures/SOURCES.md (copied from
shared/captures/README.md) and in each file's own header lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CAPTURES = Path(__file__).parent / "vectors" / "captures"

_FRAME = re.compile(r"^## frame (\d+) (C->S|S->C) type=(\d+) len=(\d+)")
_HEXLINE = re.compile(r"^[0-9a-fA-F]{4} ?: ((?:[0-9a-fA-F]{2} ?)+)")


@dataclass(frozen=True)
class Frame:
    """One TNS packet of a derived capture."""

    source: str
    stream: int
    number: int
    direction: str
    ptype: int
    data: bytes


def derived_files() -> list[Path]:
    """Every tshark-derived capture file."""
    return sorted(p for p in CAPTURES.glob("*.txt") if p.name.startswith(("john-", "ndpi-", "arkime-")))


def load_derived(path: Path) -> list[Frame]:
    """Parse a ``derived/*.txt`` dump into frames, in file order."""
    frames: list[Frame] = []
    stream = 0
    current: tuple[int, str, int, int] | None = None
    hexbytes: list[str] = []

    def flush() -> None:
        if current is not None:
            number, direction, ptype, length = current
            data = bytes.fromhex("".join(hexbytes))
            assert len(data) == length, (path.name, number)
            frames.append(Frame(path.name, stream, number, direction, ptype, data))

    for line in path.read_text().splitlines():
        if line.startswith("#### tcp.stream"):
            flush()
            current, hexbytes = None, []
            stream = int(line.split()[-1])
            continue
        m = _FRAME.match(line)
        if m:
            flush()
            current = (int(m[1]), m[2], int(m[3]), int(m[4]))
            hexbytes = []
            continue
        h = _HEXLINE.match(line)
        if h and current is not None:
            hexbytes.append(h[1].replace(" ", ""))
    flush()
    return frames


def load_python_oracledb_client() -> dict[str, list[tuple[str, bytes]]]:
    """The python-oracledb 26.1 client packets, by session ("sync"/"asyncio")."""
    sessions: dict[str, list[tuple[str, bytes]]] = {}
    name = ""
    label = ""
    hexbytes: list[str] = []

    def flush() -> None:
        if label and hexbytes:
            sessions.setdefault(name, []).append((label, bytes.fromhex("".join(hexbytes))))

    for line in (CAPTURES / "python-oracledb-26.1-client-packets.txt").read_text().splitlines():
        if line.startswith("## "):
            flush()
            label, hexbytes = "", []
            name = line[3:].split(":")[0].strip()
        elif line.startswith("Sending request"):
            flush()
            label, hexbytes = line.split()[2], []
        else:
            h = re.match(r"^\d{4} : ((?:[0-9A-F]{2} )*[0-9A-F]{2})", line)
            if h and label:
                hexbytes.append(h[1].replace(" ", ""))
    flush()
    return sessions


def load_oracle_nio_23ai() -> dict[str, bytes]:
    """The real 23ai server packets recorded by oracle-nio, by message name."""
    out: dict[str, bytes] = {}
    name = ""
    for line in (CAPTURES / "oracle-nio-23ai-server-packets.txt").read_text().splitlines():
        if line.startswith("## "):
            name = line[3:].split()[0]
            out[name] = b""
        elif name and re.fullmatch(r"(?:[0-9A-F]{2} ?)+", line.strip()):
            out[name] += bytes.fromhex(line)
    return out


def load_data_types_oci() -> dict[tuple[str, str], tuple[bytes, bool]]:
    """tests/vectors/data_types_oci.txt: (role, capture file) -> (TTC bytes,
    whether that session's server advertised time-zone versions)."""
    out: dict[tuple[str, str], tuple[bytes, bool]] = {}
    key: tuple[str, str] | None = None
    flag = False
    hexes: list[str] = []
    path = CAPTURES.parent / "data_types_oci.txt"
    for line in [*path.read_text().splitlines(), "## end"]:
        if line.startswith("## "):
            if key is not None:
                out[key] = (bytes.fromhex("".join(hexes)), flag)
            parts = line.split()
            if parts[1] == "end":
                break
            key, flag, hexes = (parts[1], parts[2]), parts[-1].endswith("=1"), []
        elif line and not line.startswith("#"):
            hexes.append(line)
    return out
