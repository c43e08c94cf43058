"""XMLTYPE values of the embedded server: the document's text, checked well-formed.

A column or value of XMLTYPE is stored as the text it was made from (``XMLTYPE('<a/>')``,
``XMLTYPE.createXML(...)`` or a character value converted on insert, as Oracle converts one), after
expat has checked it is well-formed XML (ORA-31011 otherwise).  A document type declaration is
refused rather than expanded, so no entity can make a short text cost more than its length.
``getStringVal()`` / ``getClobVal()`` give the text back as VARCHAR2 / CLOB (translate/xmlcalls.py).
"""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Callable
from typing import Final

from .. import errors

__all__ = ["FUNCTIONS", "xml_text"]


def _refuse_doctype(*_: object) -> None:
    raise errors.ora(31011, note="document type declarations are not supported by the embedded server")


def xml_text(value: object) -> str | None:
    """``value`` (text) as an XMLTYPE's storage: unchanged when it is well-formed XML."""
    if value is None:
        return None
    text = value.decode() if isinstance(value, bytes) else str(value)
    if not text:
        return None
    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    try:
        parser.Parse(text, True)
    except xml.parsers.expat.ExpatError as exc:
        raise errors.ora(31011, note=str(exc)) from None
    return text


#: The sqlite functions of this module (runtime/registry.py registers them).
FUNCTIONS: Final[dict[str, tuple[int, Callable[..., object]]]] = {
    "ora_xml": (1, xml_text),
}
