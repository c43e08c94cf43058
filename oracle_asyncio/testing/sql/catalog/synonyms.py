"""Private and PUBLIC synonyms: names that stand for another schema's object.

A synonym is only a name: following one leads to ``(owner, name)``, and the object found
there is checked with the privileges of whoever named it (catalog/tables.py).  Names resolve
as Oracle resolves them: the object in the schema, else a private synonym of that schema,
else (for an unqualified name) a PUBLIC synonym.  A synonym may name another synonym; the
chain is followed at most :data:`MAX_CHAIN` links (then ORA-01775), and a chain that ends
at nothing is ORA-00980.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from .. import errors

__all__ = ["MAX_CHAIN", "PUBLIC_OWNER", "Synonym", "SynonymStore"]

#: The owner PUBLIC synonyms are filed under.
PUBLIC_OWNER = "PUBLIC"
#: Links of a synonym chain followed before the chain counts as a loop (ORA-01775).
MAX_CHAIN = 32


@dataclass(frozen=True, slots=True)
class Synonym:
    owner: str  # PUBLIC_OWNER for a public synonym
    name: str
    target_owner: str
    target_name: str


class SynonymStore:
    """Every synonym of a Database by (owner, name)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._synonyms: dict[tuple[str, str], Synonym] = {}

    def get(self, owner: str, name: str) -> Synonym | None:
        with self._lock:
            return self._synonyms.get((owner, name))

    def put(self, synonym: Synonym) -> None:
        with self._lock:
            self._synonyms[(synonym.owner, synonym.name)] = synonym

    def drop(self, owner: str, name: str) -> bool:
        with self._lock:
            return self._synonyms.pop((owner, name), None) is not None

    def drop_owner(self, owner: str) -> None:
        """DROP USER ... CASCADE: the user's private synonyms go with it."""
        with self._lock:
            for key in [k for k in self._synonyms if k[0] == owner]:
                del self._synonyms[key]

    def snapshot(self) -> list[Synonym]:
        with self._lock:
            return sorted(self._synonyms.values(), key=lambda s: (s.owner, s.name))

    def resolve(self, schema: str | None, name: str, default_schema: str, exists: Callable[[str, str], bool],
                pos: int = 0) -> tuple[str, str] | None:
        """Where ``[schema.]name`` leads: ``(owner, name)`` of the object itself if it exists, else
        the end of the synonym chain it starts; None if there is neither object nor synonym.

        ``exists(owner, name)``: an object (not a synonym) of that name exists.
        Raises ORA-00980 for a chain that ends at nothing, ORA-01775 for a loop."""
        owner = schema or default_schema
        if exists(owner, name):
            return owner, name
        syn = self.get(owner, name)
        if syn is None and schema is None:
            syn = self.get(PUBLIC_OWNER, name)
        if syn is None:
            return None
        for _ in range(MAX_CHAIN):
            owner, name = syn.target_owner, syn.target_name
            if exists(owner, name):
                return owner, name
            nxt = self.get(owner, name)
            if nxt is None:
                raise errors.ora(980, pos)
            syn = nxt
        raise errors.ora(1775, pos)
