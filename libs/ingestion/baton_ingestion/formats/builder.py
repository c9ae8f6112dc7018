"""Collects headings and blocks, in reading order, into a `Document`'s sections.

HTML and reStructuredText readers walk their trees and report what they meet; this keeps the
heading path (a level-2 heading closes every open level-2 and deeper one) and the anchor.
"""

import re

from baton_retrieval.chunks import Document, Section

_SPACE = re.compile(r"[ \t\r\f\v]+")
# Text of nested inline elements is joined with spaces, so "<b>Save</b>." reads "Save ." first.
_SPACE_BEFORE = re.compile(r" ([,.;:!?)\]])")
_SPACE_AFTER = re.compile(r"([(\[]) ")


def squash(text: str) -> str:
    """Inline whitespace as a browser renders it."""
    text = _SPACE.sub(" ", text.replace("\n", " ").replace("\u00a0", " ")).strip()
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", text))


class SectionBuilder:
    def __init__(self) -> None:
        self._path: list[tuple[int, str]] = []
        self._anchor = ""
        self._blocks: list[str] = []
        self._sections: list[Section] = []
        self.first_heading = ""

    def heading(self, level: int, text: str, anchor: str) -> None:
        text = squash(text)
        if not text:
            return
        self._flush()
        if not self.first_heading:
            self.first_heading = text
        while self._path and self._path[-1][0] >= level:
            self._path.pop()
        self._path.append((level, text))
        self._anchor = anchor

    def block(self, text: str) -> None:
        if text.strip():
            self._blocks.append(text.strip("\n"))

    def document(self, title: str) -> Document:
        self._flush()
        sections = []
        for section in self._sections:
            # The page title heads every path, as a Markdown page's h1 does; the title's own
            # section links to the page itself.
            path = section.path if section.path[:1] == (title,) else (title, *section.path)
            anchor = "" if path == (title,) else section.anchor
            sections.append(Section(path, anchor, section.text))
        return Document(title, sections)

    def _flush(self) -> None:
        if self._blocks:
            path = tuple(text for _, text in self._path)
            self._sections.append(Section(path, self._anchor, "\n\n".join(self._blocks)))
        self._blocks = []
