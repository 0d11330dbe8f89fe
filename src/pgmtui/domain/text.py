"""Short text for narrow places, cut at a word boundary (never mid-word), with "…" when cut."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["join_clauses", "shorten_at_word"]


def shorten_at_word(text: Any, limit: int) -> str:
    """``text`` on one line (runs of whitespace made one space), at most ``limit`` characters.

    Cut after the last whole word that fits, then "…"; a single word longer than the limit is cut
    (there is no word boundary to cut at)."""
    t = " ".join(str(text or "").split())
    if len(t) <= limit:
        return t
    room = max(limit - 1, 1)  # the "…" takes one column
    head = t[: room + 1]
    cut = head.rfind(" ")
    if cut <= 0:
        return t[:room] + "…"
    return t[:cut].rstrip(" ,;:—-") + "…"


def join_clauses(items: Iterable[Any]) -> str:
    """Clauses joined with "; ", except after one that already ends a sentence ("… re-approved."
    then " Schedule …"): never a stray ";" after a full stop. Empty items are skipped."""
    out = ""
    for item in items:
        text = " ".join(str(item or "").split())
        if not text:
            continue
        if out:
            out += " " if out[-1] in ".!?;:" else "; "
        out += text
    return out
