"""A quicker way to build the frozen, slotted dataclasses made once per call.

A frozen dataclass's generated ``__init__`` sets each field through
``object.__setattr__`` (the class's own ``__setattr__`` refuses), and parses
its arguments by keyword: about three times what setting the slots directly
costs.  A record of 17 fields, such as ``ErrorInfo`` at the end of every call,
then costs more than decoding its bytes.  :func:`positional_maker` writes, once
per class, a function that takes every field positionally in field order and
sets the slots through their descriptors; the instance is the same object the
class would build (equal, hashable, still frozen to its users).

When a class's fields are not plain slots (a compiled build makes them native
attributes) or it has a ``__post_init__``, the maker calls the class itself.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["positional_maker"]

T = TypeVar("T")


def positional_maker(cls: type[T]) -> Callable[..., T]:
    """A function ``make(*values)`` equal to ``cls(**dict(zip(field names, values)))``.

    Every field must be passed, in the order ``dataclasses.fields(cls)`` gives.
    """
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]  # cls is a dataclass
    descriptors = [cls.__dict__.get(name) for name in names]
    plain = all(type(d) is types.MemberDescriptorType for d in descriptors) and not hasattr(cls, "__post_init__")
    params = ", ".join(names)
    if not plain:
        call = ", ".join(f"{name}={name}" for name in names)
        source = f"def make({params}):\n    return cls({call})\n"
        namespace: dict[str, Any] = {"cls": cls}
    else:
        lines = [f"def make({params}):", "    obj = new(cls)"]
        lines += [f"    set_{i}(obj, {name})" for i, name in enumerate(names)]
        lines.append("    return obj")
        source = "\n".join(lines) + "\n"
        namespace = {"cls": cls, "new": object.__new__}
        namespace.update({f"set_{i}": d.__set__ for i, d in enumerate(descriptors)})  # type: ignore[union-attr]
    exec(compile(source, f"<positional_maker {cls.__qualname__}>", "exec"), namespace)  # noqa: S102 - fixed names only
    make: Callable[..., T] = namespace["make"]
    return make
