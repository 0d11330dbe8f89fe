"""One definition per user action: it yields the key binding (with an id, so a user keymap can move
it), the footer entry, the command-palette command and the `?` help line. A screen lists its
`ACTIONS`; nothing else repeats the key, the label or the description.

Keys can be remapped in `$XDG_CONFIG_HOME/pgmtui/keymap.toml` (see `load_keymap`); the footer, the
palette and the help all read the live bindings, so they show the remapped key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Act:
    """A user action.

    id: stable binding id (`portfolio.new`), what keymap.toml names.
    key: the default key(s), comma-separated as Textual writes them.
    action: the Textual action string run by the key (`new_project`, `sort('rag')`).
    label: the short footer label ("New").
    help: one line for `?` and the palette ("Add a project to the programme").
    title: the palette command's name when the label alone is too short ("New project").
    footer: shown in the footer (the rest are in `?` and the palette).
    palette: offered in the command palette.
    writes: it changes the database (new, edit, delete, re-score, close, measure, apply…). In a
        read-only dashboard (`--read-only`, `serve --read-only`, or a file you may only read) the
        key is refused with a message and the palette does not offer it.
    """

    id: str
    key: str
    action: str
    label: str
    help: str = ""
    title: str = ""
    footer: bool = True
    palette: bool = True
    key_display: str | None = None
    priority: bool = False
    writes: bool = False

    def binding(self) -> Binding:
        return Binding(
            self.key,
            self.action,
            self.label,
            show=self.footer,
            key_display=self.key_display,
            priority=self.priority,
            id=self.id,
        )

    @property
    def description(self) -> str:
        """The help line: "New — Add a project to the programme"."""
        if self.help and self.help != self.label:
            return f"{self.label} — {self.help}"
        return self.label

    @property
    def action_name(self) -> str:
        """The action's method name without its arguments (`sort('rag')` → `sort`)."""
        return self.action.partition("(")[0]


def bindings(actions: Iterable[Act]) -> list[BindingType]:
    """The actions as key bindings, typed as Textual's `BINDINGS` (a list is invariant)."""
    return [a.binding() for a in actions]


def writing_action(node: object, action_name: str) -> Act | None:
    """The Act behind `action_name` on `node` (a screen, modal or widget) if it writes, else None.

    Looks through the `ACTIONS` of the node's class and its bases, as Textual merges bindings."""
    for klass in type(node).__mro__:
        for act in klass.__dict__.get("ACTIONS", ()):
            if isinstance(act, Act) and act.action_name == action_name:
                return act if act.writes else None
    return None


# ---------------------------------------------------------------------------- the user keymap


def keymap_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "pgmtui" / "keymap.toml"


class KeymapError(ValueError):
    pass


def load_keymap(path: Path | None = None, known_ids: Iterable[str] = ()) -> tuple[dict[str, str], list[str]]:
    """Read the user's keymap: `{binding id: keys}` and warnings for what was ignored.

    The file maps action ids to keys, at the top level or under `[keys]`:

        "portfolio.new" = "a"
        "app.quit" = "ctrl+q"

    A missing file is no keymap; a broken one raises KeymapError with a one-line reason (the app
    shows it and carries on with the default keys).
    """
    path = path or keymap_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as exc:
        raise KeymapError(f"cannot read {path}: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KeymapError(f"{path}: not valid TOML ({exc})") from None
    table = data.get("keys", data)
    if not isinstance(table, dict):
        raise KeymapError(f'{path}: [keys] must be a table of action id = "key"')
    known = set(known_ids)
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    for action_id, keys in table.items():
        if isinstance(keys, list) and all(isinstance(k, str) for k in keys):
            keys = ",".join(keys)
        if not isinstance(keys, str) or not keys.strip():
            warnings.append(f'{action_id}: the key must be a string like "ctrl+n"')
            continue
        if known and action_id not in known:
            warnings.append(f"{action_id}: no such action (see `?` for the ids)")
            continue
        keymap[action_id] = ",".join(k.strip() for k in keys.split(",") if k.strip())
    return keymap, warnings
