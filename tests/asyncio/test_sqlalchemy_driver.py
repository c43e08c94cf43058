"""oracle_asyncio as SQLAlchemy's async driver: one ORM scenario through python-oracledb's async
driver and through ours (by the ``oracle+oracle_asyncio`` entry point, and by SQLAlchemy's
adapter given the module), against the embedded server; every observation must be equal."""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

import pytest

pytest.importorskip("greenlet")

from sqlalchemy import (  # noqa: E402
    Boolean,
    DateTime,
    ForeignKey,
    Identity,
    LargeBinary,
    Numeric,
    String,
    Text,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.dialects.oracle.oracledb import OracledbAdaptDBAPI  # noqa: E402
from sqlalchemy.exc import IntegrityError  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine  # noqa: E402
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload  # noqa: E402

import oracle_asyncio  # noqa: E402
from oracle_asyncio.sqlalchemy_dialect import OracleDialect_oracle_asyncio  # noqa: E402
from oracle_asyncio.testing import EmbeddedServer  # noqa: E402

pytestmark = pytest.mark.interop


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "sad_author"
    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    joined: Mapped[dt.datetime] = mapped_column(DateTime)
    books: Mapped[list[Book]] = relationship(back_populates="author", cascade="all, delete-orphan",
                                             order_by="Book.id")


class Book(Base):
    __tablename__ = "sad_book"
    id: Mapped[int] = mapped_column(Identity(start=10), primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("sad_author.id"))
    title: Mapped[str] = mapped_column(String(100))
    price: Mapped[decimal.Decimal] = mapped_column(Numeric(10, 2))
    summary: Mapped[str | None] = mapped_column(Text)
    cover: Mapped[bytes | None] = mapped_column(LargeBinary)
    author: Mapped[Author] = relationship(back_populates="books")


async def scenario(engine: AsyncEngine) -> list[Any]:
    """Every step's observable result, in order."""
    seen: list[Any] = []
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as s:
            day = dt.datetime(2024, 5, 6, 7, 8, 9)
            ann = Author(name="ann", joined=day, books=[
                Book(title="a1", price=decimal.Decimal("9.99"), summary="long " * 2000, cover=b"\x00\xff" * 5000),
                Book(title="a2", price=decimal.Decimal("5"))])
            s.add(ann)
            await s.flush()  # INSERT ... RETURNING id INTO
            seen.append(("flushed ids", ann.id, [b.id for b in ann.books]))
            await s.commit()
            await s.execute(insert(Author), [{"name": f"bulk{i}", "joined": day, "active": i % 2 == 0}
                                             for i in range(5)])
            await s.commit()
            seen.append(("authors", await s.scalar(select(func.count()).select_from(Author))))
            rows = await s.execute(select(Author.name, Book.title, Book.price).join(Author.books)
                                   .where(Book.price > 1).order_by(Book.price.desc()))
            seen.append(("join", rows.all()))
            page = await s.scalars(select(Author.name).where(Author.name.like("bulk%")).order_by(Author.name)
                                   .limit(2).offset(1))
            seen.append(("page", page.all()))
            inactive = Author.active == False  # noqa: E712 - SQL, not Python
            actives = await s.scalars(select(Author.name).where(inactive).order_by(Author.name))
            seen.append(("booleans", actives.all()))
            book = (await s.scalars(select(Book).where(Book.title == "a1"))).one()
            seen.append(("lobs", len(book.summary or ""), len(book.cover or b""), book.cover[:4] if book.cover else None))
            loaded = (await s.scalars(select(Author).options(selectinload(Author.books)).where(Author.name == "ann"))
                      ).one()
            seen.append(("loaded", loaded.joined, [(b.title, b.price) for b in loaded.books]))
            done = await s.execute(update(Author).where(Author.name.like("bulk%")).values(active=True))
            seen.append(("updated", done.rowcount))  # type: ignore[attr-defined]
            done = await s.execute(delete(Author).where(Author.name.in_(["bulk3", "bulk4"])))
            seen.append(("deleted", done.rowcount))  # type: ignore[attr-defined]
            await s.commit()
            async with s.begin_nested():  # SAVEPOINT, released
                s.add(Book(author_id=ann.id, title="kept", price=decimal.Decimal("1")))
            nested = await s.begin_nested()
            s.add(Book(author_id=ann.id, title="undone", price=decimal.Decimal("2")))
            await s.flush()
            await nested.rollback()  # ROLLBACK TO SAVEPOINT
            await s.commit()
            titles = await s.scalars(select(Book.title).order_by(Book.id))
            seen.append(("after savepoints", titles.all()))
            s.add(Author(name="rolled", joined=day))
            await s.flush()
            await s.rollback()
            seen.append(("after rollback", await s.scalar(select(func.count()).where(Author.name == "rolled"))))
            s.add(Book(author_id=99999, title="orphan", price=decimal.Decimal("1")))
            try:
                await s.commit()
            except IntegrityError as exc:
                seen.append(("integrity", str(exc.orig).split(":")[0]))
                await s.rollback()
            raw = await s.execute(text("select :a + 1, sysdate - sysdate from dual"), {"a": 41})
            seen.append(("text", raw.one()))

        def reflect(sync_conn: Any) -> Any:
            insp = inspect(sync_conn)
            cols = [(c["name"], type(c["type"]).__name__, c["nullable"]) for c in insp.get_columns("sad_book")]
            [fk] = insp.get_foreign_keys("sad_book")
            return (sorted(n for n in insp.get_table_names() if n.startswith("sad_")), cols,
                    fk["referred_table"], insp.get_pk_constraint("sad_author")["constrained_columns"])

        async with engine.connect() as conn:
            seen.append(("reflected", await conn.run_sync(reflect)))
    finally:
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.drop_all)
    return seen


def _url(driver: str, dsn: str) -> str:
    host, _, rest = dsn.partition(":")
    port, _, service = rest.partition("/")
    return f"oracle+{driver}://scott:tiger@{host}:{port}/?service_name={service}"


_ENGINES: dict[str, Callable[[str], AsyncEngine]] = {
    "python-oracledb": lambda dsn: create_async_engine(_url("oracledb", dsn)),
    "oracle_asyncio by entry point": lambda dsn: create_async_engine(_url("oracle_asyncio", dsn)),
    "oracle_asyncio as module": lambda dsn: create_async_engine(_url("oracledb", dsn),
                                                                module=OracledbAdaptDBAPI(oracle_asyncio)),
}


async def _run(make: Callable[[str], AsyncEngine]) -> tuple[list[Any], str]:
    async with EmbeddedServer(users={"scott": "tiger"}) as server:
        engine = make(server.dsn)
        try:
            return await scenario(engine), type(engine.dialect).__name__
        finally:
            await engine.dispose()


def test_the_orm_scenario_gives_the_same_results_through_both_drivers() -> None:
    results = {name: asyncio.run(_run(make)) for name, make in _ENGINES.items()}
    theirs, _ = results["python-oracledb"]
    assert theirs[0] == ("flushed ids", 1, [10, 11])
    assert ("authors", 6) in theirs and ("deleted", 2) in theirs and ("integrity", "ORA-02291") in theirs
    assert ("after savepoints", ["a1", "a2", "kept"]) in theirs
    for name in ("oracle_asyncio by entry point", "oracle_asyncio as module"):
        ours, dialect = results[name]
        assert ours == theirs, name
    assert results["oracle_asyncio by entry point"][1] == "OracleDialect_oracle_asyncio"


def test_the_dialect_is_registered_for_sqlalchemy() -> None:
    found = [ep for ep in entry_points(group="sqlalchemy.dialects") if ep.name == "oracle.oracle_asyncio"]
    assert [ep.load() for ep in found] == [OracleDialect_oracle_asyncio]
    dbapi = OracleDialect_oracle_asyncio.import_dbapi()
    assert dbapi.oracledb is oracle_asyncio and dbapi.paramstyle == "named"
    assert OracleDialect_oracle_asyncio.driver == "oracle_asyncio" and OracleDialect_oracle_asyncio.is_async
