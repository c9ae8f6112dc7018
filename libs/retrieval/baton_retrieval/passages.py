"""Chunk text into the units an extractive answer is built from, as plain text.

A unit is a paragraph, a list item or a code block: the pieces that must stay whole so a menu
path, a setting or a command reaches the visitor intact. The widget shows plain text, so
Markdown emphasis is removed and list markers become bullets.
"""

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from baton_retrieval.markdown_clean import fence_marks

_LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s+")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+")
# A sentence ends at . ! ? before a capital, but not after "e.g." and the like.
_SENTENCE_END = re.compile(
    r"(?<!\b[a-zA-Z]\.[a-zA-Z]\.)(?<!\betc\.)(?<!\bvs\.)(?<=[.!?])\s+(?=[A-Z0-9\"'(])"
)
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w])_(?=\S)([^_]+?)(?<=\S)_(?![\w])")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
LONG_PARAGRAPH = 320


@dataclass(frozen=True)
class Unit:
    text: str
    position: int
    list_id: int | None  # units of one list share it, so steps can be kept together
    numbered: bool
    lead_in: bool  # a short paragraph ending in ':' that introduces what follows
    block: int = -1  # sentences of one long paragraph share it, and are rejoined by a space


def plain(text: str) -> str:
    """Markdown emphasis and inline code marks off; the words stay exactly as written."""
    text = _HTML_TAG.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = _EMPHASIS.sub(r"\2", text)
    return _UNDERSCORE_EMPHASIS.sub(r"\1", text)


def split_units(chunk_text: str) -> list[Unit]:
    return list(_units_of(chunk_text))


# Answers split the same few thousand chunks question after question (the quoted passages and
# the menu-path search), as `lexical.term_set` reads their terms: kept, like it.
@lru_cache(maxsize=4096)
def _units_of(chunk_text: str) -> tuple[Unit, ...]:
    units: list[Unit] = []
    blocks = _blocks(chunk_text)
    # Long list items are split into sentences too, each item a block of its own after the
    # chunk's paragraphs: a settings list's item runs to a paragraph or more, and whole it
    # often did not fit the room left, so none of it was quoted.
    item_blocks = itertools.count(len(blocks))
    for block_index, (kind, lines) in enumerate(blocks):
        if kind == "code":
            code = "\n".join(line for line in lines if line.strip())
            if code:
                units.append(Unit(code, len(units), None, False, False))
            continue
        if kind == "list":
            for item in _list_items(lines):
                number = _NUMBERED.match(item)
                marker = number.group(0).strip() if number else "-"
                body = plain(_LIST_ITEM.sub("", item, count=1)).strip()
                if not body:
                    continue
                text = f"{marker} {body}"
                if len(text) <= LONG_PARAGRAPH:
                    units.append(Unit(text, len(units), block_index, bool(number), False))
                    continue
                item_block = next(item_blocks)
                for order, piece in enumerate(_SENTENCE_END.split(text)):
                    # Only the item's first sentence may open a passage (structure.clean_start
                    # refuses a list's later units), so no quote starts mid-item.
                    units.append(
                        Unit(
                            piece,
                            len(units),
                            block_index,
                            bool(number) and order == 0,
                            piece.endswith(":") and len(piece) < 200,
                            item_block,
                        )
                    )
            continue
        paragraph = plain(" ".join(_HEADING.sub("", line).strip() for line in lines)).strip()
        if not paragraph:
            continue
        pieces = _SENTENCE_END.split(paragraph) if len(paragraph) > LONG_PARAGRAPH else [paragraph]
        for piece in pieces:
            lead_in = piece.endswith(":") and len(piece) < 200
            units.append(Unit(piece, len(units), None, False, lead_in, block_index))
    return tuple(units)


def sentences(unit: Unit) -> list[str]:
    """A paragraph's sentences; a list item or a code block stays one piece."""
    if unit.block < 0:
        return [unit.text]
    return _SENTENCE_END.split(unit.text)


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """Paragraphs, lists and fenced code, in order."""
    blocks: list[tuple[str, list[str]]] = []
    current: list[str] = []
    kind = "text"

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append((kind, current))
        current = []

    lines = text.splitlines()
    for line, mark in zip(lines, fence_marks(lines), strict=True):
        if mark in ("open", "close"):
            flush()
            kind = "code" if mark == "open" else "text"
            continue
        if mark == "code":
            current.append(line)
            continue
        if not line.strip():
            flush()
            kind = "text"
            continue
        is_item = bool(_LIST_ITEM.match(line))
        if is_item and kind != "list":
            flush()
            kind = "list"
        elif not is_item and kind == "list" and not line.startswith((" ", "\t")):
            flush()
            kind = "text"
        current.append(line)
    flush()
    return blocks


def _list_items(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        if _LIST_ITEM.match(line) or not items:
            items.append(line.strip())
        else:
            items[-1] += " " + line.strip()
    return items
