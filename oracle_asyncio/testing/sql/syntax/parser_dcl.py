"""CREATE/ALTER/DROP USER, CREATE/DROP ROLE, GRANT/REVOKE and CREATE/DROP [PUBLIC] SYNONYM
parsed (catalog/dcl.py runs them).

Storage and profile clauses (tablespaces, quotas, profiles, containers, editions) are read and,
beyond the default tablespace, ignored: the server has one store.
"""

from __future__ import annotations

from oracle_sansio.crypto import Secret

from .. import errors
from .lexer import Kind
from .nodes_dcl import AlterUser, CreateEdition, CreateRole, DropEdition, CreateSynonym, CreateUser, DropRole, DropSynonym, DropUser, GrantStmt
from .parser_base import MAX_LIST, ParserBase

__all__ = ["alter_user", "create_edition", "drop_edition", "create_role", "create_synonym", "create_user", "drop_role", "drop_synonym", "drop_user",
           "grant"]

#: ON <keyword> name: the non-schema objects GRANT may name.
_ON_KINDS = frozenset({"DIRECTORY", "EDITION", "USER", "JAVA", "MINING", "SQL", "PROPERTY"})


#: Words that may follow a password in CREATE / ALTER USER.
_AFTER_PASSWORD = ("DEFAULT", "TEMPORARY", "LOCAL", "QUOTA", "PROFILE", "PASSWORD", "ACCOUNT", "ENABLE", "CONTAINER",
                   "REPLACE", "IDENTIFIED", "GRANT", "REVOKE")


def _password(p: ParserBase) -> Secret[str]:
    """The password after IDENTIFIED BY: as written, case kept (quoted or not).  A word or string
    right after it that starts no clause is ORA-00988 with no token named: it may be the rest of a
    password with a space (or IDENTIFIED BY VALUES 'hash'), which a "not properly ended" error names."""
    t = p.tok
    if t.kind is Kind.QIDENT:
        p.next()
        password = Secret(t.value)
    elif t.kind is Kind.IDENT:
        p.next()
        password = Secret(p.sql[t.pos:t.end])
    else:
        raise errors.ora(988, t.pos)
    if p.tok.kind in (Kind.IDENT, Kind.QIDENT, Kind.STRING, Kind.NUMBER, Kind.BIND) and not p.is_kw(*_AFTER_PASSWORD):
        raise errors.ora(988, p.tok.pos)
    return password


def _identified_by(p: ParserBase) -> Secret[str]:
    """``BY password`` after IDENTIFIED.  A malformed clause is ORA-00988 with no token named:
    the word there may be the password."""
    if not p.accept_kw("BY"):
        raise errors.ora(988, p.tok.pos)
    return _password(p)


def _skip_value(p: ParserBase) -> None:
    """One clause argument: a name, a number with a K/M/G/T/P/E unit, or UNLIMITED."""
    t = p.next()
    if t.kind is Kind.NUMBER and p.is_kw("K", "M", "G", "T", "P", "E"):
        p.next()


def _user_clause(p: ParserBase, into: dict[str, object]) -> bool:
    """One clause CREATE USER and ALTER USER share; False when the next words are none."""
    if p.accept_kw("DEFAULT"):
        if p.accept_kw("TABLESPACE"):
            into["default_tablespace"] = p.ident("tablespace name")
        elif p.accept_kw("COLLATION"):
            p.ident("collation name")
        elif p.accept_kw("ROLE"):  # DEFAULT ROLE ALL | NONE | r, ... : every role is enabled here
            while p.tok.kind in (Kind.IDENT, Kind.QIDENT) or p.is_op(","):
                p.next()
        else:
            raise p.error_here("expected TABLESPACE, COLLATION or ROLE")
    elif p.accept_kw("TEMPORARY", "LOCAL"):
        if p.accept_kw("TEMPORARY"):
            pass
        p.expect_kw("TABLESPACE")
        into["temporary_tablespace"] = p.ident("tablespace name")
    elif p.accept_kw("QUOTA"):
        _skip_value(p)
        p.expect_kw("ON")
        p.ident("tablespace name")
    elif p.accept_kw("PROFILE"):
        p.ident("profile name")
    elif p.accept_kw("PASSWORD"):
        p.expect_kw("EXPIRE")
        into["expire"] = True
    elif p.accept_kw("ACCOUNT"):
        if p.accept_kw("LOCK"):
            into["locked"] = True
        else:
            p.expect_kw("UNLOCK")
            into["locked"] = False
    elif p.accept_kw("ENABLE"):
        p.expect_kw("EDITIONS")
    elif p.accept_kw("CONTAINER"):
        p.expect_op("=")
        p.next()
    else:
        return False
    return True


def create_user(p: ParserBase) -> CreateUser:
    """At USER after CREATE."""
    pos = p.expect_kw("USER").pos
    name = p.ident("user name")
    fields: dict[str, object] = {}
    if p.accept_kw("NO"):
        p.expect_kw("AUTHENTICATION")
        password: Secret[str] | None = None
    else:
        p.expect_kw("IDENTIFIED")
        if p.is_kw("EXTERNALLY", "GLOBALLY"):
            raise errors.unsupported(f"IDENTIFIED {p.tok.value}", p.tok.pos)
        password = _identified_by(p)
    while _user_clause(p, fields):
        pass
    return CreateUser(name, password, pos=pos, **fields)  # type: ignore[arg-type]


def alter_user(p: ParserBase) -> AlterUser:
    """At USER after ALTER."""
    pos = p.expect_kw("USER").pos
    name = p.ident("user name")
    fields: dict[str, object] = {}
    grant_through: list[str] = []
    revoke_through: list[str] = []
    changed = False
    while True:
        if p.accept_kw("IDENTIFIED"):
            fields["password"] = _identified_by(p)
            if p.accept_kw("REPLACE"):
                fields["old_password"] = _password(p)  # checked when given (ORA-28008)
        elif p.is_kw("GRANT", "REVOKE"):
            into = grant_through if p.next().value == "GRANT" else revoke_through
            p.expect_kw("CONNECT")
            p.expect_kw("THROUGH")
            if p.is_kw("ENTERPRISE"):
                raise errors.unsupported("CONNECT THROUGH ENTERPRISE USERS", p.tok.pos)
            into.append(p.ident("user name"))
            while p.is_kw("WITH", "AUTHENTICATION", "AUTHENTICATED"):  # WITH ROLE ..., AUTHENTICATION REQUIRED
                p.next()
                while p.tok.kind in (Kind.IDENT, Kind.QIDENT) and not p.is_kw("GRANT", "REVOKE") or p.is_op(","):
                    p.next()
        elif not _user_clause(p, fields):
            break
        changed = True
    if not changed:
        raise errors.ora(922, p.tok.pos, note="ALTER USER needs a clause")
    return AlterUser(name, grant_through=tuple(grant_through), revoke_through=tuple(revoke_through), pos=pos,
                     **fields)  # type: ignore[arg-type]


def drop_user(p: ParserBase) -> DropUser:
    """At USER after DROP."""
    pos = p.expect_kw("USER").pos
    name = p.ident("user name")
    return DropUser(name, p.accept_kw("CASCADE"), pos)


def create_role(p: ParserBase) -> CreateRole:
    """At ROLE after CREATE: NOT IDENTIFIED and CONTAINER are read; password roles are not built."""
    pos = p.expect_kw("ROLE").pos
    name = p.ident("role name")
    if p.accept_kw("NOT"):
        p.expect_kw("IDENTIFIED")
    elif p.is_kw("IDENTIFIED"):
        raise errors.unsupported("roles IDENTIFIED BY a password or a package", p.tok.pos)
    if p.accept_kw("CONTAINER"):
        p.expect_op("=")
        p.next()
    return CreateRole(name, pos)


def drop_role(p: ParserBase) -> DropRole:
    """At ROLE after DROP."""
    pos = p.expect_kw("ROLE").pos
    return DropRole(p.ident("role name"), pos)


def _privilege(p: ParserBase) -> str:
    """One privilege or role name: its words joined by one blank (a column list is read and
    dropped: column privileges count for the whole table here)."""
    t = p.tok
    if t.kind is Kind.QIDENT:
        p.next()
        return t.value
    words: list[str] = []
    while p.tok.kind is Kind.IDENT and not p.is_kw("ON", "TO", "FROM"):
        words.append(p.next().value)
    if not words:
        raise errors.ora(990, p.tok.pos)
    if p.accept_op("("):
        while not p.accept_op(")"):
            if p.tok.kind is Kind.EOF:
                raise errors.ora(907, p.tok.pos)
            p.next()
    text = " ".join(words)
    return "ALL" if text == "ALL PRIVILEGES" else text


def grant(p: ParserBase) -> GrantStmt:
    """At GRANT or REVOKE."""
    start = p.next()
    revoke = start.value == "REVOKE"
    privileges = [_privilege(p)]
    while p.accept_op(","):
        privileges.append(_privilege(p))
        if len(privileges) > MAX_LIST:
            raise errors.ora(1792, maximum=MAX_LIST)
    on_schema: str | None = None
    on_name: str | None = None
    on_kind = ""
    on_pos = 0
    if p.accept_kw("ON"):
        on_pos = p.tok.pos
        if p.is_kw(*_ON_KINDS) and p.peek().kind in (Kind.IDENT, Kind.QIDENT) and \
                not (p.peek().kind is Kind.IDENT and p.peek().value in ("TO", "FROM")):
            words = [p.next().value]
            while p.is_kw("SOURCE", "CLASS", "RESOURCE", "MODEL", "TRANSLATION", "PROFILE", "GRAPH"):
                words.append(p.next().value)
            on_kind = " ".join(words)
        on_pos = p.tok.pos
        on_name = p.ident("object name")
        if p.accept_op("."):
            on_schema, on_name = on_name, p.ident("object name")
        if p.is_op("@"):
            raise errors.unsupported("database links", p.tok.pos)
    if revoke:
        p.expect_kw("FROM")
    else:
        p.expect_kw("TO")
    grantees = [p.ident("user or role name")]
    while p.accept_op(","):
        grantees.append(p.ident("user or role name"))
    option = False
    while True:
        if p.accept_kw("WITH"):
            if p.accept_kw("ADMIN", "GRANT", "DELEGATE"):
                p.expect_kw("OPTION")
                option = True
            elif p.accept_kw("HIERARCHY"):
                p.expect_kw("OPTION")
            else:
                raise p.error_here("expected ADMIN OPTION or GRANT OPTION")
        elif p.accept_kw("CONTAINER"):
            p.expect_op("=")
            p.next()
        elif revoke and p.accept_kw("CASCADE"):
            p.expect_kw("CONSTRAINTS")
        elif revoke and p.accept_kw("FORCE"):
            pass
        elif p.is_kw("IDENTIFIED"):
            raise errors.unsupported("GRANT ... IDENTIFIED BY", p.tok.pos)
        else:
            break
    return GrantStmt(tuple(privileges), tuple(grantees), revoke, option, on_schema, on_name, on_kind,
                     start.pos, on_pos)


def create_synonym(p: ParserBase, or_replace: bool) -> CreateSynonym:
    """At [EDITIONABLE | NONEDITIONABLE] [PUBLIC] SYNONYM after CREATE [OR REPLACE]."""
    p.accept_kw("EDITIONABLE", "NONEDITIONABLE")
    public = p.accept_kw("PUBLIC")
    p.expect_kw("SYNONYM")
    pos = p.tok.pos
    schema, name = _dotted(p, "synonym name")
    if public and schema is not None:
        raise errors.ora(933, pos)
    if p.accept_kw("SHARING"):
        p.expect_op("=")
        p.next()
    p.expect_kw("FOR")
    target_schema, target_name = _dotted(p, "object name")
    if p.is_op("@"):
        raise errors.unsupported("synonyms for database links", p.tok.pos)
    return CreateSynonym(schema, name, target_schema, target_name, public, or_replace, pos)


def drop_synonym(p: ParserBase) -> DropSynonym:
    """At [PUBLIC] SYNONYM after DROP."""
    public = p.accept_kw("PUBLIC")
    p.expect_kw("SYNONYM")
    pos = p.tok.pos
    schema, name = _dotted(p, "synonym name")
    return DropSynonym(schema, name, public, p.accept_kw("FORCE"), pos)


def _dotted(p: ParserBase, what: str) -> tuple[str | None, str]:
    first = p.ident(what)
    if p.accept_op("."):
        return first, p.ident(what)
    return None, first


def create_edition(p: ParserBase) -> CreateEdition:
    """At EDITION after CREATE."""
    pos = p.expect_kw("EDITION").pos
    name = p.ident("edition name")
    parent: str | None = None
    if p.accept_kw("AS"):
        p.expect_kw("CHILD")
        p.expect_kw("OF")
        parent = p.ident("edition name")
    return CreateEdition(name, parent, pos)


def drop_edition(p: ParserBase) -> DropEdition:
    """At EDITION after DROP."""
    pos = p.expect_kw("EDITION").pos
    name = p.ident("edition name")
    return DropEdition(name, p.accept_kw("CASCADE"), pos)
