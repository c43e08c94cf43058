"""A process-wide cache of the 12c verifier's derived password key.

The 12c logon derives a 64-byte key from the password with PBKDF2-SHA512 (thousands
of iterations: most of a logon's client CPU). The key depends only on the password,
the server's salt and the iteration count, so one derivation can serve every later
logon of the same user and password, pooled or standalone. The sans-I/O client
reuses a key only for the challenge it was derived for (``key_salt``: salt and
count), so a changed password or salt costs one derivation, never a wrong answer.

The cache is looked up by an HMAC-SHA256 of user and password under a random key
made once per process: neither the password nor a plain hash of it is ever stored
or compared. The derived key is held as a ``Secret``, next to the AES key it gives
for its salt, expanded once (``AES`` shows only its size). Both are as sensitive as
the password, which the connection parameters hold anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections import OrderedDict

from oracle_sansio.crypto import AES, Secret

__all__ = ["Entry", "lookup", "remember", "forget_all", "MAX_ENTRIES"]

#: Users/passwords remembered at once; the least recently used goes first.
MAX_ENTRIES = 64

_PROCESS_KEY = os.urandom(32)
_lock = threading.Lock()  # connects may run on several threads' loops
#: slot -> (derived key, the challenge it answers, its AES key for that challenge's salt)
Entry = tuple[Secret[bytes], str, AES | None]
_keys: OrderedDict[bytes, Entry] = OrderedDict()


def _slot(user: str, password: Secret[str]) -> bytes:
    material = user.upper().encode() + b"\0" + password.expose().encode()
    return hmac.new(_PROCESS_KEY, material, hashlib.sha256).digest()


def lookup(user: str, password: Secret[str]) -> Entry | None:
    """The key derived at an earlier logon of ``user`` with ``password``, its challenge
    and its expanded AES key."""
    slot = _slot(user, password)
    with _lock:
        found = _keys.get(slot)
        if found is not None:
            _keys.move_to_end(slot)
        return found


def remember(user: str, password: Secret[str], key: Secret[bytes], key_salt: str,
             cipher: AES | None = None) -> None:
    """Keep the key a logon of ``user`` with ``password`` derived for the challenge ``key_salt``
    (and ``cipher``, the AES key it gives for that salt)."""
    slot = _slot(user, password)
    with _lock:
        _keys[slot] = (key, key_salt, cipher)
        _keys.move_to_end(slot)
        while len(_keys) > MAX_ENTRIES:
            _keys.popitem(last=False)


def forget_all() -> None:
    """Drop every cached key (tests; or an application that wants no key kept)."""
    with _lock:
        _keys.clear()
