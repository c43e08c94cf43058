"""Statements about users, roles, privileges and synonyms (parser_dcl.py builds them,
catalog/dcl.py runs them).  A password is held as a ``Secret``: no repr shows it."""

from __future__ import annotations

from dataclasses import dataclass

from oracle_sansio.crypto import Secret

__all__ = ["AlterUser", "CreateEdition", "DropEdition", "CreateRole", "CreateSynonym", "CreateUser", "DropRole", "DropSynonym", "DropUser",
           "GrantStmt"]


@dataclass(frozen=True, slots=True)
class CreateUser:
    name: str
    password: Secret[str] | None  # None: NO AUTHENTICATION (a schema-only account)
    #: ACCOUNT LOCK (True) / UNLOCK (False) / not said (None)
    locked: bool | None = None
    expire: bool = False
    default_tablespace: str | None = None
    temporary_tablespace: str | None = None
    pos: int = 0


@dataclass(frozen=True, slots=True)
class AlterUser:
    name: str
    password: Secret[str] | None = None
    locked: bool | None = None
    expire: bool = False
    default_tablespace: str | None = None
    #: GRANT / REVOKE CONNECT THROUGH: the proxy users named
    grant_through: tuple[str, ...] = ()
    revoke_through: tuple[str, ...] = ()
    pos: int = 0
    #: ``IDENTIFIED BY new REPLACE old``: the old password, checked (ORA-28008).
    old_password: Secret[str] | None = None


@dataclass(frozen=True, slots=True)
class DropUser:
    name: str
    cascade: bool = False
    pos: int = 0


@dataclass(frozen=True, slots=True)
class CreateRole:
    name: str
    pos: int = 0


@dataclass(frozen=True, slots=True)
class DropRole:
    name: str
    pos: int = 0


@dataclass(frozen=True, slots=True)
class GrantStmt:
    """GRANT or REVOKE (``revoke``) of system privileges and roles (``on_name`` None) or of
    object privileges ``ON [schema.]name`` (``on_kind``: "" for a schema object, else the
    keyword written: DIRECTORY, EDITION, ...)."""

    privileges: tuple[str, ...]
    grantees: tuple[str, ...]
    revoke: bool = False
    #: WITH ADMIN OPTION (system privileges, roles) or WITH GRANT OPTION (object privileges)
    option: bool = False
    on_schema: str | None = None
    on_name: str | None = None
    on_kind: str = ""
    pos: int = 0
    on_pos: int = 0


@dataclass(frozen=True, slots=True)
class CreateSynonym:
    schema: str | None
    name: str
    target_schema: str | None
    target_name: str
    public: bool = False
    or_replace: bool = False
    pos: int = 0


@dataclass(frozen=True, slots=True)
class DropSynonym:
    schema: str | None
    name: str
    public: bool = False
    force: bool = False
    pos: int = 0


@dataclass(frozen=True, slots=True)
class CreateEdition:
    name: str
    parent: str | None = None  # AS CHILD OF
    pos: int = 0


@dataclass(frozen=True, slots=True)
class DropEdition:
    name: str
    cascade: bool = False
    pos: int = 0
