"""A neutral document for reports: headings, paragraphs, facts, bullet lists, quotes and tables
whose cells may hold RAG ratings, rendered to Markdown and to HTML.

Report sections (pgmtui.report) build these blocks once; the renderers decide what each block
looks like. Text is escaped by the renderer, so a section cannot forget: a plain ``str`` is record
text (Markdown escapes every character a forge would interpret; HTML escapes everything), ``Fixed``
is our own text or a figure (HTML-escaped all the same, left as it is in Markdown).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pgmtui.domain.rag import RAG_GLYPHS, RAG_WORDS
from pgmtui.domain.text import join_clauses

# ---------------------------------------------------------------------------- inline pieces


@dataclass(frozen=True)
class Fixed:
    """Text of our own (labels, dates, figures): not record text."""

    text: str


@dataclass(frozen=True)
class Strong:
    text: Inline


@dataclass(frozen=True)
class Rag:
    """A RAG rating shown as glyph and word; `overridden` adds a star."""

    rag: str | None
    overridden: bool = False


@dataclass(frozen=True)
class Flag:
    """A warning word after a value (e.g. "overdue")."""

    text: str


@dataclass(frozen=True)
class Lines:
    """Several record texts in one cell: "; "-separated in Markdown, one per line in HTML."""

    items: tuple[str, ...]


Piece = str | Fixed | Strong | Rag | Flag | Lines | None  # None: nothing (an empty cell)
# A run of pieces shown one after the other; a single piece stands for itself.
Inline = Piece | tuple["Inline", ...]

# ---------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Heading:
    text: Inline
    anchor: str = ""
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: Inline
    small: bool = False  # the report's small print (HTML class "meta", Markdown italics)


@dataclass(frozen=True)
class Facts:
    """Labelled values on one line (HTML) or one per line (Markdown)."""

    items: tuple[tuple[str, Inline], ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class Quote:
    text: Inline


@dataclass(frozen=True)
class Table:
    anchor: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[Inline]]
    numeric: frozenset[int] = field(default_factory=frozenset)  # right-aligned columns (HTML)


Block = Heading | Paragraph | Facts | Bullets | Quote | Table


def rag_word(rag: str | None) -> str:
    return f"{RAG_GLYPHS[rag]} {RAG_WORDS[rag]}" if rag in RAG_WORDS else "– not assessed"


# ---------------------------------------------------------------------------- Markdown

_MD_SPECIAL = set("\\`*_[]<>|~")
_MD_LEADING = set("#+-=>!")
_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def md(text: Any) -> str:
    """Record text made inert for Markdown on common forges (GitHub, GitLab): characters that could
    start emphasis, code, a link, HTML, strike-through or a table cell are backslash-escaped
    everywhere, a leading heading/list/quote marker too; `&` is left as it is ("Identity & Access")
    unless it would start an entity reference (`&amp;`, `&#38;`: backslash-escaped); newlines become
    spaces (a table row is one line)."""
    if text is None:
        return ""
    flat = " ".join(str(text).split())
    out = []
    for i, ch in enumerate(flat):
        if ch == "&" and _ENTITY.match(flat, i):
            out.append("\\&")  # would start an entity (&amp; &#38;): shown literally, not decoded
        elif ch in _MD_SPECIAL or (i == 0 and ch in _MD_LEADING):
            out.append("\\" + ch)
        else:
            out.append(ch)
    result = "".join(out)
    m = re.match(r"(\d+)([.)])", result)
    if m:  # "1. …" would start an ordered list
        result = m.group(1) + "\\" + m.group(2) + result[m.end() :]
    return result


def _md_inline(text: Inline | None) -> str:
    if text is None:
        return ""
    if isinstance(text, tuple):
        return "".join(_md_inline(p) for p in text)
    if isinstance(text, str):
        return md(text)
    if isinstance(text, Fixed):
        return text.text
    if isinstance(text, Strong):
        return f"**{_md_inline(text.text)}**"
    if isinstance(text, Rag):
        return rag_word(text.rag) + ("\\*" if text.overridden else "")
    if isinstance(text, Flag):
        return f" **{md(text.text)}**"
    if isinstance(text, Lines):
        return md(join_clauses(text.items))  # escaped as one text, as a table cell is one line
    raise TypeError(f"not a report inline piece: {text!r}")


def to_markdown_blocks(blocks: Iterable[Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + _md_inline(block.text), ""]
        elif isinstance(block, Paragraph):
            text = _md_inline(block.text)
            lines += [f"_{text}_" if block.small else text, ""]
        elif isinstance(block, Facts):
            items = [f"**{label}:** {_md_inline(value) or '–'}" for label, value in block.items]
            lines += [line + "  " for line in items[:-1]] + items[-1:] + [""]
        elif isinstance(block, Bullets):
            if block.items:
                lines += [f"- {_md_inline(item)}" for item in block.items] + [""]
        elif isinstance(block, Quote):
            lines += [f"> {_md_inline(block.text)}", ""]
        elif isinstance(block, Table):
            lines += _md_table(block)
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_table(table: Table) -> list[str]:
    if not table.rows:
        return ["_None._", ""]
    out = ["| " + " | ".join(table.headers) + " |", "|" + "|".join("---" for _ in table.headers) + "|"]
    for row in table.rows:
        out.append("| " + " | ".join(_md_inline(cell) or " " for cell in row) + " |")
    return [*out, ""]


# ---------------------------------------------------------------------------- HTML


def h(text: Any) -> str:
    return "" if text is None else html.escape(str(text), quote=True)


def _html_inline(text: Inline | None) -> str:
    if text is None:
        return ""
    if isinstance(text, tuple):
        return "".join(_html_inline(p) for p in text)
    if isinstance(text, str):
        return h(text)
    if isinstance(text, Fixed):
        return h(text.text)
    if isinstance(text, Strong):
        return f"<strong>{_html_inline(text.text)}</strong>"
    if isinstance(text, Rag):
        cls = f"rag-{text.rag}" if text.rag in RAG_WORDS else "rag-none"
        return f'<span class="rag {cls}">{h(rag_word(text.rag))}{"*" if text.overridden else ""}</span>'
    if isinstance(text, Flag):
        return f' <span class="overdue">{h(text.text)}</span>'
    if isinstance(text, Lines):
        return "<br>".join(h(t) for t in text.items)
    raise TypeError(f"not a report inline piece: {text!r}")


def to_html_blocks(blocks: Iterable[Block]) -> list[str]:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            anchor = f' id="{h(block.anchor)}"' if block.anchor else ""
            parts.append(f"<h{block.level}{anchor}>{_html_inline(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            cls = ' class="meta"' if block.small else ""
            parts.append(f"<p{cls}>{_html_inline(block.text)}</p>")
        elif isinstance(block, Facts):
            facts = " · ".join(f"{h(label)} {_html_inline(value) or '–'}" for label, value in block.items)
            parts.append(f'<p class="meta">{facts}</p>')
        elif isinstance(block, Bullets):
            if block.items:
                parts.append("<ul>" + "".join(f"<li>{_html_inline(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Quote):
            parts.append(f"<blockquote>{_html_inline(block.text)}</blockquote>")
        elif isinstance(block, Table):
            parts.append(_html_table(block))
    return parts


def _html_table(table: Table) -> str:
    if not table.rows:
        return '<p class="none">None.</p>'
    head = "".join(f"<th>{h(title)}</th>" for title in table.headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{_html_inline(c)}</td>' if i in table.numeric else f"<td>{_html_inline(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in table.rows
    )
    return f'<table id="{h(table.anchor)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
