"""DBMS_RANDOM, DBMS_UTILITY, DBMS_TRANSACTION, DBMS_SQL, DBMS_DEBUG_JDWP's session id and
serial number, and the rest of DBMS_SESSION and DBMS_APPLICATION_INFO: PL/SQL built-ins, which
SQL calls too (translate/pkgcalls.py).

What they keep per session (the random generator, the contexts of SET_CONTEXT) lives in
:func:`state`, keyed by the session object and gone with it.  A server configured with a
``random_seed`` (EmbeddedServer) gives every session a generator starting from that seed, so a
run's random values repeat; without one each session draws a fresh seed.
"""

from __future__ import annotations

import random
import string
import time
import weakref
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from .. import errors
from ..errors import OraError
from ..syntax.nodes import Lit, PlParam
from ..types.datatypes import BOOLEAN, NULLTYPE, NUMBER, number_bytes, varchar
from ..types.numbers import CONTEXT, num
from .appcontext import clear_context, client_may_set, set_context
from .plsql_values import SYS_REFCURSOR
from .routines import HANDLED, Builtin, Host
from .units import recompile

__all__ = ["BUILTINS", "SessionPackages", "seed_random", "state"]

#: DBMS_RANDOM.STRING's longest result (Oracle caps it at 4000 characters).
_MAX_STRING: Final = 4000
#: The start of the error stack's "where it was raised" lines (ORA-06512).
_AT: Final = errors.ora(6512, where="").message.partition(":")[0]
_ALPHABETS: Final = {"U": string.ascii_uppercase, "L": string.ascii_lowercase, "A": string.ascii_letters,
                     "X": string.ascii_uppercase + string.digits,
                     "P": "".join(chr(c) for c in range(32, 127))}


@dataclass
class SessionPackages:
    """The built-in packages' state of one session."""

    rng: random.Random


_STATES: weakref.WeakKeyDictionary[object, SessionPackages] = weakref.WeakKeyDictionary()
_SEEDS: weakref.WeakKeyDictionary[object, int] = weakref.WeakKeyDictionary()


def seed_random(database: object, seed: int | None) -> None:
    """Make DBMS_RANDOM of ``database``'s sessions start from ``seed`` (None: a fresh seed each)."""
    if seed is None:
        _SEEDS.pop(database, None)
    else:
        _SEEDS[database] = seed


def state(session: Host) -> SessionPackages:
    """``session``'s state, made at its first use (seeded as :func:`seed_random` said)."""
    found = _STATES.get(session)
    if found is None:
        found = _STATES[session] = SessionPackages(random.Random(_SEEDS.get(session.db)))
    return found


def _vc(name: str, default: bool = False, mode: str = "IN") -> PlParam:
    return PlParam(name, mode, varchar(32767), Lit(0, 0, None, NULLTYPE) if default else None)


def _num(name: str, default: bool = False, mode: str = "IN") -> PlParam:
    return PlParam(name, mode, NUMBER, Lit(0, 0, None, NULLTYPE) if default else None)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


# ---- DBMS_RANDOM ------------------------------------------------------------------------------

def _fraction(rng: random.Random) -> Decimal:
    """A NUMBER in [0, 1) with 38 significant digits, as DBMS_RANDOM.VALUE's."""
    return CONTEXT.scaleb(Decimal(rng.randrange(10**38)), -38)


def _value(s: Host, a: dict[str, object]) -> object:
    low, high = num(a["LOW"]), num(a["HIGH"])
    v = _fraction(state(s).rng)
    if low is None and high is None:
        return v
    if low is None or high is None:
        return None
    return CONTEXT.add(low, CONTEXT.multiply(CONTEXT.subtract(high, low), v))


def _string(s: Host, a: dict[str, object]) -> object:
    """LEN characters of the kind OPT names (U, L, A, X, P; anything else: upper case)."""
    size = num(a["LEN"])
    count = 0 if size is None else min(int(size), _MAX_STRING)
    if count < 1:
        return None
    opt = str(a["OPT"] or "U")[:1].upper()
    alphabet = _ALPHABETS.get(opt, _ALPHABETS["U"])
    rng = state(s).rng
    return "".join(rng.choice(alphabet) for _ in range(count))


def _normal(s: Host, a: dict[str, object]) -> object:
    return Decimal(repr(state(s).rng.gauss(0.0, 1.0)))


def _random(s: Host, a: dict[str, object]) -> object:
    return state(s).rng.randrange(-2**31, 2**31)


def _seed(s: Host, a: dict[str, object]) -> None:
    value = a["VAL"]
    state(s).rng.seed(None if value is None else str(value))


# ---- DBMS_SESSION -----------------------------------------------------------------------------

def _set_context(s: Host, a: dict[str, object]) -> None:
    namespace, attribute = _text(a["NAMESPACE"]), _text(a["ATTRIBUTE"])
    if not namespace or not attribute:
        raise errors.ora(21560, number=1 if not namespace else 2)
    if not client_may_set(namespace):  # Oracle: only the package of the namespace's CREATE CONTEXT
        raise errors.ora(1031)
    set_context(s, namespace, attribute, _text(a["VALUE"]))  # the one store a client's contexts use too


def _clear_context(s: Host, a: dict[str, object]) -> None:
    clear_context(s, _text(a["NAMESPACE"]) or "", _text(a.get("ATTRIBUTE")))


def _reset_package(s: Host, a: dict[str, object]) -> None:
    """Every package instance of the session goes; the next use makes a fresh one."""
    packages = getattr(s, "packages", None)
    if isinstance(packages, dict):
        packages.clear()


def _modify_package_state(s: Host, a: dict[str, object]) -> None:
    flags = num(a["ACTION_FLAGS"])
    if flags not in (1, 2):  # FREE_ALL_RESOURCES, REINITIALIZE
        raise errors.ora(21560, number=1)
    _reset_package(s, a)


# ---- DBMS_UTILITY -----------------------------------------------------------------------------

def _hundredths(seconds: float) -> int:
    """Hundredths of a second, wrapped into a signed 32-bit number as Oracle's counters are."""
    ticks = int(seconds * 100) % 2**32
    return ticks - 2**32 if ticks >= 2**31 else ticks


def _error_stack(a: dict[str, object]) -> str | None:
    error = a.get(HANDLED)
    return f"{error.message}\n" if isinstance(error, OraError) else None


def _error_backtrace(a: dict[str, object]) -> str | None:
    """The ORA-06512 lines of the error being handled (where it was raised, innermost first)."""
    error = a.get(HANDLED)
    if not isinstance(error, OraError):
        return None
    lines = [line.strip() for line in [*error.message.splitlines(), *error.pl_trace] if line.strip().startswith(_AT)]
    return "".join(f"{line}\n" for line in lines) or None


def _call_stack(s: Host, a: dict[str, object]) -> str:
    return ("----- PL/SQL Call Stack -----\n"
            "  object      line  object\n"
            "  handle    number  name\n"
            "0x0                1  anonymous block\n")


def _compile_schema(s: Host, a: dict[str, object]) -> None:
    """Compile the schema's units again: all of them (COMPILE_ALL, the default) or the INVALID ones."""
    schema = (_text(a["SCHEMA"]) or "").upper()
    catalog = s.db.catalog
    if not s.principal.may_use(schema) or (catalog.privileges.account(schema) is None and schema != s.principal.user):
        raise errors.with_text(20000, f'Schema "{schema}" does not exist or insufficient privileges')
    everything = a["COMPILE_ALL"] is None or bool(a["COMPILE_ALL"])
    for unit in catalog.units.visible(s.principal):
        if unit.owner == schema and (everything or not unit.valid):
            recompile(catalog, unit)


# ---- DBMS_TRANSACTION -------------------------------------------------------------------------

def _local_transaction_id(s: Host, a: dict[str, object]) -> object:
    """NULL outside a transaction; one ``n.n.n`` id for the whole of each transaction."""
    if not s.in_transaction:
        return None
    count, sid = s.transactions, getattr(s, "sid", 0)  # the open transaction's number: stable across it
    return f"{sid % 10 + 1}.{count % 32}.{count + 1000 * sid}"


def _return_result(s: Host, a: dict[str, object]) -> None:
    raise errors.unsupported("DBMS_SQL.RETURN_RESULT (implicit results are not sent to clients yet)")


def _no_op(s: Host, a: dict[str, object]) -> None:
    return None


#: The built-ins of these packages, by qualified name.
BUILTINS: Final[dict[str, Builtin]] = {
    "DBMS_RANDOM.VALUE": Builtin((_num("LOW", True), _num("HIGH", True)), _value, NUMBER),
    "DBMS_RANDOM.STRING": Builtin((_vc("OPT"), _num("LEN")), _string, varchar(_MAX_STRING)),
    "DBMS_RANDOM.NORMAL": Builtin((), _normal, NUMBER),
    "DBMS_RANDOM.RANDOM": Builtin((), _random, NUMBER),
    "DBMS_RANDOM.SEED": Builtin((PlParam("VAL", "IN", NULLTYPE),), _seed),
    "DBMS_RANDOM.INITIALIZE": Builtin((PlParam("VAL", "IN", NULLTYPE),), _seed),
    "DBMS_RANDOM.TERMINATE": Builtin((), _no_op),
    "DBMS_SESSION.SET_CONTEXT": Builtin((_vc("NAMESPACE"), _vc("ATTRIBUTE"), _vc("VALUE"), _vc("USERNAME", True),
                                         _vc("CLIENT_ID", True)), _set_context),
    "DBMS_SESSION.CLEAR_CONTEXT": Builtin((_vc("NAMESPACE"), _vc("CLIENT_ID", True), _vc("ATTRIBUTE", True)),
                                          _clear_context),
    "DBMS_SESSION.CLEAR_ALL_CONTEXT": Builtin((_vc("NAMESPACE"),), _clear_context),
    "DBMS_SESSION.RESET_PACKAGE": Builtin((), _reset_package),
    "DBMS_SESSION.MODIFY_PACKAGE_STATE": Builtin((_num("ACTION_FLAGS"),), _modify_package_state),
    "DBMS_SESSION.FREE_ALL_RESOURCES": Builtin((), lambda s, a: 1, NUMBER),
    "DBMS_SESSION.REINITIALIZE": Builtin((), lambda s, a: 2, NUMBER),
    "DBMS_UTILITY.GET_TIME": Builtin((), lambda s, a: _hundredths(time.monotonic()), NUMBER),
    "DBMS_UTILITY.GET_CPU_TIME": Builtin((), lambda s, a: _hundredths(time.process_time()), NUMBER),
    "DBMS_UTILITY.FORMAT_ERROR_STACK": Builtin((), lambda s, a: _error_stack(a), varchar(2000), contextual=True),
    "DBMS_UTILITY.FORMAT_ERROR_BACKTRACE": Builtin((), lambda s, a: _error_backtrace(a), varchar(32767),
                                                   contextual=True),
    "DBMS_UTILITY.COMPILE_SCHEMA": Builtin((_vc("SCHEMA"), PlParam("COMPILE_ALL", "IN", BOOLEAN, Lit(0, 0, True, BOOLEAN)),
                                            PlParam("REUSE_SETTINGS", "IN", BOOLEAN, Lit(0, 0, False, BOOLEAN))),
                                           _compile_schema),
    "DBMS_UTILITY.FORMAT_CALL_STACK": Builtin((), _call_stack, varchar(2000)),
    "DBMS_TRANSACTION.LOCAL_TRANSACTION_ID": Builtin(
        (PlParam("CREATE_TRANSACTION", "IN", BOOLEAN, Lit(0, 0, None, NULLTYPE)),), _local_transaction_id,
        varchar(200)),
    "DBMS_DEBUG_JDWP.CURRENT_SESSION_ID": Builtin((), lambda s, a: getattr(s, "sid", None), NUMBER),
    "DBMS_DEBUG_JDWP.CURRENT_SESSION_SERIAL": Builtin((), lambda s, a: getattr(s, "serial", None), NUMBER),
    "DBMS_SQL.RETURN_RESULT": Builtin((PlParam("RC", "IN OUT", NULLTYPE), PlParam("TO_CLIENT", "IN", BOOLEAN, Lit(
        0, 0, None, NULLTYPE))), _return_result, types=(("RC", SYS_REFCURSOR),)),
    "DBMS_APPLICATION_INFO.SET_SESSION_LONGOPS": Builtin(
        (_num("RINDEX", mode="IN OUT"), _num("SLNO", mode="IN OUT"), _vc("OP_NAME", True), _num("TARGET", True),
         _num("CONTEXT", True), _num("SOFAR", True), _num("TOTALWORK", True), _vc("TARGET_DESC", True),
         _vc("UNITS", True)), _no_op),
}
