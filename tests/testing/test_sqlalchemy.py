"""SQLAlchemy 2.x (oracle+oracledb, thin) against the EmbeddedServer: an ORM application
flow (create_all with identity keys and foreign keys, inserts with RETURNING, relationships,
joins, grouping, paging, updates, deletes, drop_all), reflection, and Core set operators."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator

import pytest

sqlalchemy = pytest.importorskip("sqlalchemy")

from sqlalchemy import (  # noqa: E402
    CheckConstraint,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Identity,
    Integer,
    MetaData,
    Numeric,
    String,
    cast,
    create_engine,
    delete,
    except_,
    func,
    inspect,
    intersect,
    literal,
    select,
    text,
    union,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError  # noqa: E402
from sqlalchemy.orm import (  # noqa: E402
    DeclarativeBase,
    Mapped,
    Session,
    joinedload,
    mapped_column,
    relationship,
    selectinload,
)

from oracle_asyncio.testing import EmbeddedServer  # noqa: E402

pytestmark = pytest.mark.interop


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "sa_customer"
    __table_args__ = (CheckConstraint("length(name) > 1", name="sa_customer_name_ck"),
                      {"comment": "people who order"})
    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True, comment="display name")
    created: Mapped[dt.datetime] = mapped_column(DateTime, default=dt.datetime(2024, 1, 2, 3, 4, 5))
    orders: Mapped[list[Order]] = relationship(back_populates="customer", cascade="all, delete-orphan",
                                               order_by="Order.id")


class Order(Base):
    __tablename__ = "sa_order"
    id: Mapped[int] = mapped_column(Identity(start=100), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("sa_customer.id", ondelete="CASCADE"), index=True)
    total: Mapped[decimal.Decimal] = mapped_column(Numeric(10, 2))
    qty: Mapped[int] = mapped_column(Integer, server_default="1")
    note: Mapped[str | None] = mapped_column(String(100))
    day: Mapped[dt.date | None] = mapped_column(Date)
    customer: Mapped[Customer] = relationship(back_populates="orders")


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    with EmbeddedServer().threaded() as server:
        host, _, rest = server.dsn.partition(":")
        port, _, service = rest.partition("/")
        eng = create_engine(f"oracle+oracledb://scott:tiger@{host}:{port}/?service_name={service}")
        try:
            yield eng
        finally:
            eng.dispose()


@pytest.fixture()
def schema(engine: Engine) -> Iterator[Engine]:
    Base.metadata.create_all(engine)
    try:
        yield engine
    finally:
        Base.metadata.drop_all(engine)


def _populate(session: Session) -> None:
    for i in range(5):
        session.add(Customer(name=f"c{i}", orders=[
            Order(total=decimal.Decimal("1.50") * (j + 1), qty=j, note="x" * j or None, day=dt.date(2024, 1, j + 1))
            for j in range(i)]))
    session.commit()


def test_orm_application_flow(schema: Engine) -> None:
    assert inspect(schema).has_table("sa_customer")
    with Session(schema) as s:
        _populate(s)
        ids = s.scalars(select(Order.id).order_by(Order.id)).all()
        assert ids == list(range(100, 110))  # Identity(start=100), RETURNING ... INTO
        page = s.scalars(select(Customer).order_by(Customer.name).limit(2).offset(1)).all()
        assert [c.name for c in page] == ["c1", "c2"]
        totals = s.execute(
            select(Customer.name, func.count(Order.id), func.sum(Order.total))
            .outerjoin(Order).group_by(Customer.name).order_by(Customer.name)).all()
        assert totals == [("c0", 0, None), ("c1", 1, decimal.Decimal("1.5")), ("c2", 2, decimal.Decimal("4.5")),
                          ("c3", 3, decimal.Decimal("9")), ("c4", 4, decimal.Decimal("15"))]
        big = s.execute(select(Customer.name, Order.total).join(Customer.orders).where(Order.total > 3)
                        .order_by(Order.total.desc(), Customer.name)).all()
        assert big == [("c4", decimal.Decimal("6")), ("c3", decimal.Decimal("4.5")), ("c4", decimal.Decimal("4.5"))]
        eager = s.scalars(select(Customer).options(selectinload(Customer.orders)).order_by(Customer.id)).all()
        assert [len(c.orders) for c in eager] == [0, 1, 2, 3, 4]
        joined = s.scalars(select(Customer).options(joinedload(Customer.orders)).where(Customer.name == "c2")
                           ).unique().one()
        assert joined.created == dt.datetime(2024, 1, 2, 3, 4, 5)
        assert [(o.qty, o.note, o.day) for o in joined.orders] == [(0, None, dt.date(2024, 1, 1)),
                                                                   (1, "x", dt.date(2024, 1, 2))]
        order = s.scalars(select(Order).where(Order.note == "xxx")).one()
        assert order.customer.name == "c4"  # lazy many-to-one
        assert [o.qty for o in order.customer.orders] == [0, 1, 2, 3]  # lazy one-to-many

        s.execute(update(Order).where(Order.qty == 0).values(note="zero"))
        c3 = s.scalars(select(Customer).where(Customer.name == "c3")).one()
        c3.name = "c3b"
        c3.orders[0].total = decimal.Decimal("9.99")
        s.commit()
        assert s.scalar(select(func.max(Order.total))) == decimal.Decimal("9.99")
        assert s.scalar(select(func.count()).select_from(Order).where(Order.note == "zero")) == 4

        s.delete(s.scalars(select(Customer).where(Customer.name == "c2")).one())
        s.commit()
        assert s.scalar(select(func.count()).select_from(Order)) == 8
        s.execute(delete(Order).where(Order.total > 5))  # 9.99 and 6
        s.commit()
        assert s.scalar(select(func.count()).select_from(Order)) == 6
        assert s.execute(select(cast(Order.total, String(10))).where(Order.total == decimal.Decimal("4.5"))
                         .limit(1)).scalar() == "4.5"
        sub = select(Customer.id).where(Customer.name.like("c%"))
        assert len(s.scalars(select(Order).where(Order.customer_id.in_(sub)).limit(3)).all()) == 3

        with s.begin_nested():  # SAVEPOINT
            s.add(Order(customer_id=c3.id, total=decimal.Decimal("0.01")))
        nested = s.begin_nested()
        s.add(Order(customer_id=c3.id, total=decimal.Decimal("0.02")))
        s.flush()
        nested.rollback()  # ROLLBACK TO SAVEPOINT
        s.commit()
        assert s.scalars(select(Order.total).where(Order.total < 1)).all() == [decimal.Decimal("0.01")]

        s.add(Order(customer_id=12345, total=decimal.Decimal(1)))
        with pytest.raises(IntegrityError, match="ORA-02291"):
            s.commit()
        s.rollback()
        s.add(Customer(name="c1"))
        with pytest.raises(IntegrityError, match="ORA-00001"):
            s.commit()
        s.rollback()
        s.add(Customer(name="x"))
        with pytest.raises(IntegrityError, match="ORA-02290"):
            s.commit()


def test_core_set_operators(schema: Engine) -> None:
    with Session(schema) as s:
        _populate(s)
        names = union_all(select(Customer.name.label("n")), select(literal("zz").label("n"))).order_by("n")
        assert s.execute(names).scalars().all() == ["c0", "c1", "c2", "c3", "c4", "zz"]
        qtys = union(select(Order.qty), select(literal(7))).order_by("qty")
        assert s.execute(qtys).scalars().all() == [0, 1, 2, 3, 7]
        both = intersect(select(Order.qty), select(literal(2))).subquery()
        assert s.execute(select(func.count()).select_from(both)).scalar() == 1
        rest = except_(select(Customer.id), select(Order.customer_id)).subquery()
        assert s.execute(select(func.count()).select_from(rest)).scalar() == 1  # c0 has no orders


def test_reflection(schema: Engine) -> None:
    insp = inspect(schema)
    assert set(insp.get_table_names()) >= {"sa_customer", "sa_order"}
    cols = {c["name"]: c for c in insp.get_columns("sa_order")}
    assert list(cols) == ["id", "customer_id", "total", "qty", "note", "day"]
    identity = cols["id"].get("identity")
    assert identity is not None and identity["start"] == 100
    total, note = cols["total"]["type"], cols["note"]["type"]
    assert isinstance(total, Numeric) and (total.precision, total.scale) == (10, 2)
    assert isinstance(note, String) and note.length == 100 and cols["note"]["nullable"]
    assert cols["qty"]["default"] == "1" or cols["qty"]["default"] == "'1'"
    assert insp.get_pk_constraint("sa_order")["constrained_columns"] == ["id"]
    [fk] = insp.get_foreign_keys("sa_order")
    assert (fk["constrained_columns"], fk["referred_table"], fk["referred_columns"]) == \
        (["customer_id"], "sa_customer", ["id"])
    assert fk["options"] == {"ondelete": "CASCADE"}
    assert [ix["column_names"] for ix in insp.get_indexes("sa_order")] == [["customer_id"]]
    assert [u["column_names"] for u in insp.get_unique_constraints("sa_customer")] == [["name"]]
    assert insp.get_table_comment("sa_customer") == {"text": "people who order"}
    assert [(c["name"], c["sqltext"]) for c in insp.get_check_constraints("sa_customer")] == \
        [("sa_customer_name_ck", "length(name) > 1")]
    assert {c["name"]: c.get("comment") for c in insp.get_columns("sa_customer")}["name"] == "display name"
    meta = MetaData()
    meta.reflect(schema, only=["sa_customer", "sa_order"])
    order = meta.tables["sa_order"]
    assert [fk.target_fullname for fk in order.foreign_keys] == ["sa_customer.id"]


def test_drop_all_removes_everything(engine: Engine) -> None:
    Base.metadata.create_all(engine)
    Base.metadata.drop_all(engine)
    insp = inspect(engine)
    assert not insp.has_table("sa_customer")
    assert "sa_order" not in insp.get_table_names()


def test_views_reflect(engine: Engine) -> None:
    """SQLAlchemy's Oracle dialect lists views apart from tables (ALL_VIEWS, ALL_TABLES), reads a
    view's text and its columns (ALL_TAB_COLS)."""
    with engine.begin() as c:
        c.execute(text("create table sa_vbase (id number(9) primary key, name varchar2(20))"))
        c.execute(text("create view sa_view as select id, name from sa_vbase where id > 0"))
    insp = inspect(engine)
    assert "sa_view" in insp.get_view_names()
    assert "sa_view" not in insp.get_table_names()
    assert insp.get_view_definition("sa_view") == "select id, name from sa_vbase where id > 0"
    assert [c["name"] for c in insp.get_columns("sa_view")] == ["id", "name"]
