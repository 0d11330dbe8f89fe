"""Fields that name a person, and how a typed name is matched to the people directory.

Owners stay free text (a supplier's contact need not be in the directory), but forms offer the
directory's names for these fields and `pgmtui check` lists the names that match nobody."""

from __future__ import annotations

import re

# Text fields holding a person's name, in any kind that has them (risk owner, project manager,
# lesson raised_by, engagement by, change request decided_by, …).
PERSON_FIELDS = ("owner", "manager", "raised_by", "by", "decided_by")

_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def person_key(name: str) -> str:
    """The form of a name that matching compares: case and spacing ignored, and a trailing
    note in brackets dropped, so "Rachel Stone (Finance Director)" is Rachel Stone."""
    return " ".join(_TRAILING_NOTE.sub("", name).split()).casefold()


def matching_people(people: list[tuple[str, str]], typed: str, limit: int = 6) -> list[tuple[str, str]]:
    """The directory entries (name, detail) a partly typed name may mean, best first: names
    starting with it, then names with a word starting with it, then names or details holding it
    anywhere (so "arch" finds the architects). Nothing for an empty text or a name typed in full."""
    key = " ".join(typed.split()).casefold()
    if not key or any(person_key(name) == person_key(typed) for name, _ in people):
        return []
    ranked = []
    for name, detail in people:
        folded = name.casefold()
        if folded.startswith(key):
            rank = 0
        elif any(word.startswith(key) for word in folded.split()):
            rank = 1
        elif key in folded or key in detail.casefold():
            rank = 2
        else:
            continue
        ranked.append((rank, folded, name, detail))
    ranked.sort()
    return [(name, detail) for _, _, name, detail in ranked[:limit]]
