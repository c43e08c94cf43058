"""How a parameter object's values and a parsed connect string's tree stay one:
the tree is kept among the values, values read back as python-oracledb reads them
(one value, or a list per description or address), keywords change every
description, and aliases and ``protocol://`` hooks are resolved
(docs/protocol-connect.md 7).  Works on the values dict, so that
:mod:`oracle_asyncio.params` stays the one owner of parameter objects."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache

from oracle_sansio.dsn import ConnectTarget, target_of
from oracle_sansio.dsn_parse import DsnError, Parsed, ProtocolHook, parse_connect_string
from oracle_sansio.dsn_tree import (ADDRESS_SETTINGS, DESCRIPTION_SETTINGS, Address, AddressList, Description,
                                    DescriptionList, apply_settings, build_connect_string, flatten)
from oracle_sansio.exceptions import dpy_error

from . import _dsn_sources as sources
from ._keywords import Purity

__all__ = ["TREE", "differs", "parse", "staged_tree", "sync", "tree_of"]

#: Where a parsed connect string's tree is kept among the values (copied and
#: compared with them, never a keyword).
TREE = "_descriptions"
#: Parameters that live on the tree's descriptions and addresses.
_TREE_NAMES = frozenset(DESCRIPTION_SETTINGS) | frozenset(ADDRESS_SETTINGS)
_TLS_VERSIONS: dict[object, object] = {"tlsv1.2": ssl.TLSVersion.TLSv1_2, "tlsv1.3": ssl.TLSVersion.TLSv1_3}

Values = dict[str, object]


def differs(value: object, default: object) -> bool:
    """Whether a value (a list of them, one per description or address) is not the default."""
    return any(item != default for item in value) if isinstance(value, list) else value != default


def _templates(values: Mapping[str, object]) -> tuple[Description, dict[str, object]]:
    """What the parameters say already, as the defaults a connect string overrides."""
    settings = {k: values[k] for k in DESCRIPTION_SETTINGS if k in values and not isinstance(values[k], list)}
    try:
        template = apply_settings(DescriptionList(descriptions=(Description(),)), settings).descriptions[0]
    except ValueError:
        template = Description()
    address = {k: values[k] for k in ADDRESS_SETTINGS
               if k in values and values[k] is not None and not isinstance(values[k], list)}
    return template, address


def tree_of(values: Mapping[str, object]) -> DescriptionList:
    """The parsed connect string, or the one description the parameters make."""
    tree = values.get(TREE)
    if isinstance(tree, DescriptionList):
        return tree
    template, address = _templates(values)
    address.setdefault("host", "localhost")
    made = Address(**address)  # type: ignore[arg-type]
    return DescriptionList(descriptions=(replace(template, address_lists=(AddressList(addresses=(made,)),)),))


def sync(values: Values, tree: DescriptionList) -> None:
    """Keep ``tree`` and read its values back as python-oracledb does."""
    values[TREE] = tree
    addresses = tree.addresses
    for name in ADDRESS_SETTINGS:
        if addresses and name in values:
            values[name] = flatten([getattr(a, name) for a in addresses])
    for name in DESCRIPTION_SETTINGS:
        if name in values:
            found = [getattr(d, name) for d in tree.descriptions]
            if name == "purity":
                found = [Purity(x) for x in found]
            elif name == "ssl_version":
                if all(x is None for x in found):
                    continue
                found = [_TLS_VERSIONS.get(x, x) for x in found]
            values[name] = flatten(found)


def staged_tree(values: Mapping[str, object], staged: Mapping[str, object]) -> DescriptionList | None:
    """The kept tree with ``staged`` keywords applied to every description and address
    (python-oracledb's ``set()``); None when there is no tree or nothing to change."""
    tree = values.get(TREE)
    if not isinstance(tree, DescriptionList) or not staged.keys() & _TREE_NAMES:
        return None
    try:
        return apply_settings(tree, {k: v for k, v in staged.items() if k in _TREE_NAMES})
    except ValueError as exc:
        raise dpy_error(4018, str(exc), data=build_connect_string(tree)) from None


Found = tuple[Parsed, ConnectTarget]


def _parse_text(text: str, template: Description, address: tuple[tuple[str, object], ...],
                hooks: frozenset[str]) -> Found | ProtocolHook | None:
    parsed = parse_connect_string(text, template=template, address_template=dict(address), hooks=hooks)
    if isinstance(parsed, Parsed):
        return parsed, target_of(parsed.tree, parameters=tuple(parsed.parameters.items()))
    return parsed


@lru_cache(maxsize=32)
def _parse_kept(text: str, template: Description, address: tuple[tuple[str, object], ...],
                hooks: frozenset[str]) -> Found | ProtocolHook | None:
    return _parse_text(text, template, address, hooks)


def _parse_once(text: str, template: Description, address: Mapping[str, object],
                hooks: frozenset[str]) -> Found | ProtocolHook | None:
    """Connects repeat a few connect strings: the result (immutable; the parameters
    dict is only read) of the same string over the same defaults serves them all.
    A string that fails is not kept (it fails each time); one that may carry a
    password (a wallet's, say) is never kept."""
    items = tuple(sorted(address.items()))
    if "password" in text.lower():
        return _parse_text(text, template, items, hooks)
    try:
        return _parse_kept(text, template, items, hooks)
    except TypeError:  # an unhashable template value: parse without keeping
        return _parse_text(text, template, items, hooks)


def parse(text: str, values: Mapping[str, object], run_hook: Callable[[str, str], None]) -> Found | None:
    """Parse ``text`` over the current values: Easy Connect, a descriptor, a tnsnames.ora
    alias in ``values["config_dir"]``, or a registered ``protocol://`` (then
    ``run_hook(protocol, arg)`` fills the parameters and None is returned).  Gives the
    parse and the target of its first description."""
    template, address_template = _templates(values)
    hooks = sources.registered_protocols()
    try:
        parsed = _parse_once(text, template, address_template, hooks)
    except DsnError as exc:
        raise sources.dsn_error(exc) from None
    where = None
    if parsed is None:
        config_dir = values.get("config_dir")
        file_name, entries = sources.read_tnsnames(config_dir if isinstance(config_dir, str) else None)
        entry = entries.get(text.upper())
        if entry is None:
            raise dpy_error(4000, name=text, file_name=file_name)
        where = entry.where()
        try:
            parsed = _parse_once(entry.value, template, address_template, hooks)
        except DsnError as exc:
            raise sources.dsn_error(exc, where) from None
        if parsed is None:
            raise dpy_error(4018, f"entry at {where}", data=entry.value)
    if isinstance(parsed, ProtocolHook):
        run_hook(parsed.protocol, parsed.arg)
        return None
    return parsed
