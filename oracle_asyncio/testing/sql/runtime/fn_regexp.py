"""REGEXP_LIKE / REGEXP_SUBSTR / REGEXP_INSTR / REGEXP_REPLACE / REGEXP_COUNT: Oracle's POSIX ERE
(with its Perl extensions) translated to Python's ``re``.

Translation: POSIX bracket expressions (``[[:alpha:]]``, ``[[=e=]]``, ``[[.-.]]``; a backslash is
literal inside brackets, ``]`` first is literal), ``\\d \\D \\w \\W \\s \\S \\A \\Z \\z``, back
references ``\\1``-``\\9``, non-greedy quantifiers; a backslash before any other character quotes it.
Match parameters: ``i`` ``c`` ``n`` (``.`` matches newline) ``m`` (multi-line) ``x`` (ignore
whitespace); another letter is ORA-01760.

Limits, since Python's engine backtracks: a pattern longer than 512 characters is ORA-12733 (Oracle's
own limit); an interval bound above 1000 is ORA-12732; and a repeated group whose body can split a run
of characters in many ways, the shapes that can take exponential time (``(a+)+``, ``(a+){1,999}``,
``(a|aa)*``), is refused as not supported by the embedded server: its repetitions' counts raised to
the group's repeat count may not pass 1000 (``(\\d{1,3}\\.){3}`` is fine), and unbounded is too many.
Compiled patterns are cached (at most 256).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Final

from .. import errors
from ..types.numbers import out, whole

__all__ = ["FUNCTIONS", "compile_pattern"]

#: Oracle's limit on a pattern (ORA-12733), which also bounds the work of translating it.
MAX_PATTERN: Final = 512

_CLASSES: Final = {
    "alpha": r"^\W\d_", "alnum": r"^\W_", "digit": r"0-9", "lower": r"a-z", "upper": r"A-Z",
    "space": r"\s", "blank": r" \t", "punct": r"!-/:-@\[-`{-~", "print": r" -~", "graph": r"!-~",
    "cntrl": r"\x00-\x1f\x7f", "xdigit": r"0-9A-Fa-f",
}
_INTERVAL: Final = re.compile(r"\{([0-9]{1,5})(,([0-9]{0,5}))?\}")
_ESCAPES: Final = {"d": r"\d", "D": r"\D", "w": r"\w", "W": r"\W", "s": r"\s", "S": r"\S", "A": r"\A",
                   "Z": r"(?=\n?\Z)", "z": r"\Z"}


def _bracket(p: str, i: int) -> tuple[str, int]:
    """The bracket expression starting at ``p[i] == '['`` as a Python class, and where it ends."""
    j = i + 1
    parts: list[str] = []
    negate = j < len(p) and p[j] == "^"
    if negate:
        j += 1
    first = True
    while True:
        if j >= len(p):
            raise errors.ora(12726)
        c = p[j]
        if c == "]" and not first:
            break
        first = False
        if c == "[" and j + 1 < len(p) and p[j + 1] in ":=.":
            kind = p[j + 1]
            close = p.find(kind + "]", j + 2)
            if close < 0:
                raise errors.ora(12726)
            name = p[j + 2: close]
            if kind == ":":
                cls = _CLASSES.get(name)
                if cls is None:
                    raise errors.ora(12729)
                if cls.startswith("^"):  # alpha / alnum: word characters less digits / underscore
                    parts.append(r"^\W\d_" if name == "alpha" else r"^\W_")
                else:
                    parts.append(cls)
            else:
                if len(name) != 1:
                    raise errors.ora(12731)
                parts.append(re.escape(name))
            j = close + 2
            continue
        if c == "-" and parts and j + 1 < len(p) and p[j + 1] != "]":
            low = parts[-1]
            high = p[j + 1]
            if len(low.lstrip("\\")) != 1 or ord(low[-1]) > ord(high):
                raise errors.ora(12728)
            parts.append("-" + re.escape(high))
            j += 2
            continue
        parts.append(re.escape(c))
        j += 1
    # a class Python spells as a negation ([^\W\d_]) must stand alone, so merge as alternatives
    negated = [x for x in parts if x.startswith("^")]
    plain = "".join(x for x in parts if not x.startswith("^"))
    if not negated:
        body = f"[{'^' if negate else ''}{plain}]"
    else:
        options = [f"[{x}]" for x in negated] + ([f"[{plain}]"] if plain else [])
        body = "(?:" + "|".join(options) + ")"
        if negate:
            body = f"(?:(?!{body})[\\s\\S])"
    return body, j + 1


#: The largest interval bound (``{n,m}``); beyond it the pattern is ORA-12732.
MAX_INTERVAL: Final = 1000
#: The most ways a repeated group's body may be re-split per character run (its repetitions'
#: counts multiplied); above it, or with any unbounded repetition inside, the group is refused.
_MAX_NESTED: Final = 1000
_MANY: Final = _MAX_NESTED + 1  # saturated count: unbounded, or too many to allow nesting


def _times(a: int, b: int) -> int:
    return min(a * b, _MANY) if a and b else max(a, b)


def _power(base: int, count: int) -> int:
    result = 1
    for _ in range(count):
        result *= base
        if result >= _MANY:
            return _MANY
    return result


class _Group:
    """What an open group holds so far: how many ways its repetitions can split a run (0: none;
    ``_MANY``: unbounded); an alternation whose branches may start alike (first characters not
    all distinct literals); the current branch's first."""

    __slots__ = ("reach", "ambiguous", "firsts", "atoms")

    def __init__(self) -> None:
        self.reach = 0
        self.ambiguous = False
        self.firsts: list[str | None] = []
        self.atoms = 0

    def atom(self, literal: str | None) -> None:
        if self.atoms == 0:
            self.firsts.append(literal)
        self.atoms += 1

    def close(self) -> tuple[int, bool]:
        if self.atoms == 0:
            self.firsts.append(None)
        firsts = self.firsts
        if len(firsts) > 1 and (None in firsts or len(set(firsts)) < len(firsts)):
            self.ambiguous = True
        return self.reach, self.ambiguous


def _quantifier(p: str, i: int) -> tuple[int, int, int]:
    """The quantifier at ``p[i]``: its least and most counts (``_MANY``: unbounded), and its end."""
    c = p[i]
    if c != "{":
        return (0 if c != "+" else 1), (1 if c == "?" else _MANY), i + 1
    m = _INTERVAL.match(p, i)
    if m is None:
        raise errors.ora(12732)
    low = int(m.group(1))
    high = low if not m.group(2) else int(m.group(3)) if m.group(3) else _MANY
    if high < low or low > MAX_INTERVAL or (high != _MANY and high > MAX_INTERVAL):
        raise errors.ora(12732)
    return low, high, m.end()


def _translate(p: str) -> str:
    """Oracle's pattern as Python's, with the nested-repetition check (see the module's text)."""
    out_parts: list[str] = []
    stack: list[_Group] = []
    groups = 0
    last_group: tuple[int, bool] | None = None  # what the group just closed holds
    i = 0
    while i < len(p):
        c = p[i]
        if last_group is not None and c not in "*+?{" and stack:
            stack[-1].reach = _times(stack[-1].reach, last_group[0])  # an unrepeated group's body
        closed: tuple[int, bool] | None = None
        literal: str | None = None
        is_atom = True
        if c == "\\":
            if i + 1 >= len(p):
                out_parts.append(r"\\")
                literal = "\\"
                i += 1
            else:
                n = p[i + 1]
                if n in _ESCAPES:
                    out_parts.append(_ESCAPES[n])
                elif n.isdigit() and n != "0":
                    if int(n) > groups:
                        raise errors.ora(12727)
                    out_parts.append("\\" + n)
                else:
                    out_parts.append(re.escape(n))
                    literal = n
                i += 2
        elif c == "[":
            body, i = _bracket(p, i)
            out_parts.append(body)
        elif c == "(":
            groups += 1
            if stack:
                stack[-1].atom(None)
            stack.append(_Group())
            out_parts.append("(")
            i += 1
            is_atom = False
        elif c == ")":
            if not stack:
                raise errors.ora(12725)
            closed = stack.pop().close()
            if stack:
                stack[-1].ambiguous |= closed[1]
            out_parts.append(")")
            i += 1
            is_atom = False
        elif c == "|":
            if stack:
                stack[-1].atoms = 0
            out_parts.append("|")
            i += 1
            is_atom = False
        elif c in "*+?{":
            is_atom = False
            low, high, end = _quantifier(p, i)
            out_parts.append(p[i:end])
            i = end
            if i < len(p) and p[i] == "?":  # non-greedy
                out_parts.append("?")
                i += 1
            repeats = high if high > 1 else 0
            if last_group is not None:
                # a repeated group: its body's ways to split a run, raised to the repeat count
                inner = max(last_group[0], 2 if last_group[1] else 0)
                if repeats and inner:
                    repeats = _MANY if high == _MANY else _power(inner, high)
                    if repeats >= _MANY:
                        raise errors.unsupported("a regular expression repeating a group that holds a "
                                                 "repetition or an alternation of alike branches "
                                                 "(exponential backtracking)")
                else:
                    repeats = _times(repeats, last_group[0])
            if stack:
                stack[-1].reach = _times(stack[-1].reach, repeats)
                if low == 0 and stack[-1].atoms == 1:
                    stack[-1].firsts[-1] = None  # an optional first atom: the branch may start otherwise
        else:
            out_parts.append(re.escape(c) if c not in "^$." else c)
            literal = c if c not in "^$." else None
            i += 1
        if is_atom and stack:
            stack[-1].atom(literal)
        last_group = closed
    if stack:
        raise errors.ora(12725)
    return "".join(out_parts)


_FLAGS: Final = {"i": re.IGNORECASE, "n": re.DOTALL, "m": re.MULTILINE}


def _flags(match_param: object) -> tuple[int, bool]:
    flags, verbose = 0, False
    for ch in "" if match_param is None else str(match_param):
        if ch == "c":
            flags &= ~re.IGNORECASE
        elif ch == "x":
            verbose = True
        elif ch in _FLAGS:
            flags |= _FLAGS[ch]
        else:
            raise errors.ora(1760)
    return flags, verbose


@lru_cache(maxsize=256)
def _compiled(pattern: str, flags: int, verbose: bool) -> re.Pattern[str]:
    source = re.sub(r"\s", "", pattern) if verbose else pattern
    try:
        return re.compile(_translate(source), flags)
    except re.error:
        raise errors.ora(12726) from None


def compile_pattern(pattern: str, match_param: object = None) -> re.Pattern[str]:
    """Oracle's ``pattern`` with its match parameter as a compiled Python pattern."""
    if len(pattern) > MAX_PATTERN:
        raise errors.ora(12733)
    flags, verbose = _flags(match_param)
    return _compiled(pattern, flags, verbose)


def _int(value: object, low: int) -> int | None:
    n = whole(value)
    if n is None:
        return None
    if n < low:
        raise errors.ora(1428, value=str(n))
    return n


def _like(s: object, pattern: object, match_param: object) -> int | None:
    if s is None or pattern is None:
        return None
    return 1 if compile_pattern(str(pattern), match_param).search(str(s)) else 0


def _nth(s: object, pattern: object, position: object, occurrence: object,
         match_param: object) -> tuple[str, re.Match[str] | None] | None:
    if s is None or pattern is None:
        return None
    pos, occ = _int(position, 1), _int(occurrence, 1)
    if pos is None or occ is None:
        return None
    text = str(s)
    rx = compile_pattern(str(pattern), match_param)
    for k, m in enumerate(rx.finditer(text, min(pos, len(text) + 1) - 1), 1):
        if k == occ:
            return text, m
    return text, None


def _group(m: re.Match[str], group: object) -> int:
    g = _int(group, 0) or 0
    if g > (m.re.groups or 0) or g > 9:
        raise errors.ora(1428, value=str(g))
    return g


def _substr(s: object, pattern: object, position: object, occurrence: object, match_param: object,
            group: object) -> str | None:
    found = _nth(s, pattern, position, occurrence, match_param)
    if found is None or found[1] is None:
        return None
    m = found[1]
    return m.group(_group(m, group)) or None


def _instr(s: object, pattern: object, position: object, occurrence: object, return_option: object,
           match_param: object, group: object) -> bytes | None:
    found = _nth(s, pattern, position, occurrence, match_param)
    opt = _int(return_option, 0)
    if found is None or opt is None:
        return None
    m = found[1]
    if m is None:
        return out(Decimal(0))
    g = _group(m, group)
    where = m.end(g) if opt > 0 else m.start(g)
    return out(Decimal(where + 1))


def _replace(s: object, pattern: object, repl: object, position: object, occurrence: object,
             match_param: object) -> str | None:
    if s is None:
        return None
    if pattern is None:
        return str(s)
    pos, occ = _int(position, 1), _int(occurrence, 0)
    if pos is None or occ is None:
        return None
    text = str(s)
    pos = min(pos, len(text) + 1)  # past the end: nothing to replace
    rx = compile_pattern(str(pattern), match_param)
    template = "" if repl is None else str(repl)
    pieces = [text[: pos - 1]]
    last = pos - 1
    for k, m in enumerate(rx.finditer(text, pos - 1), 1):
        if occ and k != occ:
            continue
        pieces += [text[last: m.start()], _expand(m, template)]
        last = m.end()
        if occ:
            break
    pieces.append(text[last:])
    return "".join(pieces) or None


def _expand(m: re.Match[str], template: str) -> str:
    """The replacement for one match: ``\\n`` is group n (empty if it did not take part)."""
    parts: list[str] = []
    i = 0
    while i < len(template):
        c = template[i]
        if c == "\\" and i + 1 < len(template) and template[i + 1].isdigit():
            n = int(template[i + 1])
            parts.append((m.group(n) or "") if n <= (m.re.groups or 0) else "")
            i += 2
        elif c == "\\" and i + 1 < len(template) and template[i + 1] == "\\":
            parts.append("\\")
            i += 2
        else:
            parts.append(c)
            i += 1
    return "".join(parts)


def _count(s: object, pattern: object, position: object, match_param: object) -> bytes | None:
    if s is None or pattern is None:
        return None
    pos = _int(position, 1)
    if pos is None:
        return None
    text = str(s)
    rx = compile_pattern(str(pattern), match_param)
    matches = rx.finditer(text, min(pos, len(text) + 1) - 1)
    return out(Decimal(sum(1 for m in matches if m.end() > m.start())))


#: name -> (argument count, function), registered on every session (registry.py).
FUNCTIONS: Final[dict[str, tuple[int, Callable[..., object]]]] = {
    "ora_regexp_like": (3, _like),
    "ora_regexp_substr": (6, _substr),
    "ora_regexp_instr": (7, _instr),
    "ora_regexp_replace": (6, _replace),
    "ora_regexp_count": (4, _count),
}
