"""Derived figures kept from one model build to the next while their inputs are the same objects.

The live refresh rebuilds the Model after every write anyone makes. It re-reads only the tables
whose change counter moved and reuses the very same row lists and records for the others (see
pgmtui.services.snapshot), so "this input has not changed" is "this input is the same object".
A `Memo` keeps each result with the inputs it was computed from and hands it back while they are
identical (`is`) and its plain key (today, a tolerance) is equal; anything else computes afresh.
Only what the latest build asked for is kept, so memory stays bounded by one build's worth.

Results must be immutable (or never mutated by their users): they are shared between Models.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """What the previous build computed, by name; see the module docstring."""

    def __init__(self) -> None:
        self._previous: dict[Hashable, tuple[Hashable, tuple[Any, ...], Any]] = {}
        self._current: dict[Hashable, tuple[Hashable, tuple[Any, ...], Any]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, name: Hashable, key: Hashable, inputs: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, or its earlier result for the same ``name`` when ``key`` is equal and
        every one of ``inputs`` is the same object as then."""
        found = self._current.get(name)
        if found is None:
            found = self._previous.get(name)
        if (
            found is not None
            and found[0] == key
            and len(found[1]) == len(inputs)
            and all(a is b for a, b in zip(found[1], inputs, strict=True))
        ):
            self._current[name] = found
            self.hits += 1
            return found[2]
        value = compute()
        self._current[name] = (key, inputs, value)
        self.misses += 1
        return value

    def previous(self, name: Hashable) -> tuple[Hashable, tuple[Any, ...], Any] | None:
        """The last entry stored under ``name`` (key, inputs, value), for results a caller updates
        in part (e.g. the RAG evidence of the projects that changed)."""
        return self._current.get(name) or self._previous.get(name)

    def put(self, name: Hashable, key: Hashable, inputs: tuple[Any, ...], value: Any) -> None:
        self._current[name] = (key, inputs, value)

    def next_build(self) -> None:
        """A build finished: keep what it used, forget what it did not."""
        self._previous, self._current = self._current, {}


class NoMemo(Memo):
    """Computes every time: a one-off rollup (`pgmtui rollup`, a report) has nothing to reuse."""

    def get(self, name: Hashable, key: Hashable, inputs: tuple[Any, ...], compute: Callable[[], T]) -> T:
        return compute()

    def previous(self, name: Hashable) -> None:
        return None

    def put(self, name: Hashable, key: Hashable, inputs: tuple[Any, ...], value: Any) -> None:
        return None


NO_MEMO = NoMemo()
