"""Command palette (ctrl+p): jump to any project, risk or benefit by code, name or title."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from pgmtui.app import PgmApp


class JumpProvider(Provider):
    """Searches the current model; each hit opens the record on its own screen."""

    def _targets(self) -> list[tuple[str, str, Callable[[], None]]]:
        """(text, help, open it) for every record the palette can jump to."""
        app = self.app
        if not isinstance(app, PgmApp) or app.model is None:
            return []
        model = app.model
        open_record = app.open_record
        targets: list[tuple[str, str, Callable[[], None]]] = []
        for p in model.rows("project"):
            targets.append(
                (
                    f"Project {p['code']} — {p['name']}",
                    "open the project detail",
                    partial(open_record, "project", p["id"]),
                )
            )
        for r in model.rows("risk"):
            code = model.project_code(r.get("project_id")) or "programme"
            targets.append(
                (
                    f"Risk #{r['id']} {r['title']} ({code})",
                    "open the risk",
                    partial(open_record, "risk", r["id"]),
                )
            )
        for b in model.rows("benefit"):
            targets.append(
                (f"Benefit {b['name']}", "open the benefit profile", partial(open_record, "benefit", b["id"]))
            )
        return targets

    async def discover(self) -> Hits:
        for text, help_text, open_target in self._targets()[:30]:
            yield DiscoveryHit(Content(text), open_target, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, open_target in self._targets():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, _highlight(matcher, text), open_target, help=help_text)


def _highlight(matcher: Matcher, text: str) -> Content:
    """Like Matcher.highlight, but the text is data: never parsed as markup."""
    content = Content(text)
    _, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize("bold underline", offset, offset + 1)
    return content
