"""tnsnames.ora read as python-oracledb reads it (impl/base/parsers.pyx
``TnsnamesFileParser`` and connect_params.pyx ``TnsnamesFileReader``).

Pure: the caller passes the text and a ``load`` callback for ``IFILE=``
includes.  Each entry keeps the file and line it was written on, so a value that
does not parse as a connect string is reported there (python-oracledb itself
skips lines it cannot read, and so does this parser: only the use of a bad entry
fails).  One pass over each file; lines found by bisection.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from .dsn_parse import DsnError
from .error_codes import DpyCode, dpy_text

__all__ = ["Loader", "TnsEntry", "parse_tnsnames"]

#: ``load(written_name, including_file) -> (file_name, text)``: resolve an IFILE
#: value (relative to the including file's directory) and read it.  Raises
#: :class:`DsnError` (DPY-4026) when the file cannot be read.
Loader = Callable[[str, str], tuple[str, str]]

#: What str.splitlines() and python-oracledb (Py_UNICODE_ISLINEBREAK) call a line break.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_MAX_INCLUDE_DEPTH = 32


@dataclass(frozen=True, slots=True)
class TnsEntry:
    """One alias: its connect string and where it was written (1-based line)."""

    name: str
    value: str
    file_name: str
    line: int

    def where(self) -> str:
        """``"FILE line N"``, for error messages."""
        return f"{self.file_name} line {self.line}"


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def skip_spaces(self) -> None:
        while self.pos < self.n and self.text[self.pos].isspace():
            self.pos += 1

    def skip_line(self) -> None:
        while self.pos < self.n:
            ch = self.text[self.pos]
            self.pos += 1
            if ch in _LINE_BREAKS:
                break
        self.skip_spaces()

    def key(self) -> tuple[str, int] | None:
        """The text before the next ``=`` (lines with parentheses or ``#`` before it skipped)."""
        found = False
        start = 0
        self.skip_spaces()
        while self.pos < self.n:
            ch = self.text[self.pos]
            if ch in "()#":
                self.skip_line()
                found = False
                continue
            if ch == "=":
                if not found:
                    self.skip_line()
                    continue
                self.pos += 1
                return self.text[start:self.pos - 1].strip(), start
            if not found:
                found = True
                start = self.pos
            self.pos += 1
        return None

    def value_part(self, parens: list[int]) -> str | None:
        start = end = 0
        found = False
        self.skip_spaces()
        while self.pos < self.n:
            ch = self.text[self.pos]
            if ch == "#":
                end = self.pos
                self.skip_line()
                if found:
                    break
                continue
            if found and parens[0] == 0:
                if ch in _LINE_BREAKS:
                    end = self.pos
                    break
            elif ch == "(":
                parens[0] += 1
            elif ch == ")" and parens[0] > 0:
                parens[0] -= 1
            if not found:
                found = True
                start = self.pos
            self.pos += 1
            end = self.pos
        return self.text[start:end].strip() if found else None

    def value(self) -> str | None:
        """Up to the end of the line, or while parentheses are open (continuation lines)."""
        parens = [0]
        parts: list[str] = []
        while self.pos < self.n:
            part = self.value_part(parens)
            if part is not None:
                parts.append(part)
            if parens[0] == 0:
                break
        return "\n".join(parts) if parts else None


def _read(text: str, file_name: str, load: Loader | None, entries: dict[str, TnsEntry],
          in_progress: list[str]) -> None:
    scanner = _Scanner(text)
    while scanner.pos < scanner.n:
        found = scanner.key()
        value = scanner.value()
        if found is None or not found[0] or not value:
            continue
        key, offset = found
        key = key.upper()
        value = value.strip()
        if key == "IFILE":
            if value.startswith('"') and value.endswith('"') and len(value) > 1:
                value = value[1:-1]
            if load is None:
                raise DsnError(f"DPY-{DpyCode.MISSING_FILE:04d}: {dpy_text(DpyCode.MISSING_FILE, {'file_name': value})}"
                               f"\nIFILE at {file_name} line {scanner.line_of(offset)}: no loader given",
                               code=DpyCode.MISSING_FILE, fields={"file_name": value})
            included_name, included_text = load(value, file_name)
            if included_name in in_progress or len(in_progress) >= _MAX_INCLUDE_DEPTH:
                fields: dict[str, object] = {"including_file_name": in_progress[-1], "included_file_name": included_name}
                raise DsnError(f"DPY-{DpyCode.IFILE_CYCLE_DETECTED:04d}: "
                               f"{dpy_text(DpyCode.IFILE_CYCLE_DETECTED, fields)}",
                               code=DpyCode.IFILE_CYCLE_DETECTED, fields=fields)
            in_progress.append(included_name)
            _read(included_text, included_name, load, entries, in_progress)
            in_progress.pop()
            continue
        # A key that ran over lines of text without "=" is named by its last line.
        line = scanner.line_of(offset) + key.count("\n")
        for written in key.split(","):
            lines = written.strip().splitlines()
            name = lines[-1].strip() if lines else ""
            if name:
                entries[name] = TnsEntry(name, value, file_name, line)


def parse_tnsnames(text: str, file_name: str, load: Loader | None = None) -> dict[str, TnsEntry]:
    """The aliases of a tnsnames.ora file (upper-case names; a later entry wins),
    IFILE includes read through ``load``.

    Raises:
        DsnError: DPY-4030 for an include cycle, DPY-4026 when an included file is missing.
    """
    entries: dict[str, TnsEntry] = {}
    _read(text, file_name, load, entries, [file_name])
    return entries
