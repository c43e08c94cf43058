"""The PL/SQL blocks ``callproc`` / ``callfunc`` execute, built as python-oracledb builds them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ._cursor_vars import Var, dpy

__all__ = ["call_statement", "verify_call_args"]


def verify_call_args(parameters: object, keyword_parameters: object) -> None:
    """DPY-2012 / DPY-2013 for callproc/callfunc arguments of the wrong kind."""
    if parameters is not None and not isinstance(parameters, (list, tuple)):
        raise dpy(2012)
    if keyword_parameters is not None and not isinstance(keyword_parameters, dict):
        raise dpy(2013)


def call_statement(name: str, parameters: Sequence[object] | None, keyword_parameters: Mapping[str, object] | None,
                   return_var: Var | None) -> tuple[str, list[object]]:
    """The block python-oracledb builds: ``begin [:retval := ]name(:1,:2,kw => :3); end;``
    and its positional values (the return variable first)."""
    values: list[object] = [] if return_var is None else [return_var]
    placeholders: list[str] = []
    for value in parameters or ():
        values.append(value)
        placeholders.append(f":{len(placeholders) + 1}")
    for key, value in (keyword_parameters or {}).items():
        values.append(value)
        placeholders.append(f"{key} => :{len(placeholders) + 1}")
    target = ":retval := " if return_var is not None else ""
    return f"begin {target}{name}({','.join(placeholders)}); end;", values
