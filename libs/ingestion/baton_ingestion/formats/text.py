"""Bytes to text, with the checks every text format shares; plain text and Markdown pages."""

import re

from baton_ingestion.formats.errors import UnreadableFile
from baton_retrieval.chunks import Document, Section, markdown_document

_BLANK_LINES = re.compile(r"\n\s*\n")


def decode_text(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise UnreadableFile("binary content, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8 text (byte {exc.start})") from exc
    if not text.strip():
        raise UnreadableFile("empty file")
    return text


def markdown_page(text: str, *, fallback_title: str) -> Document:
    return markdown_document(text, fallback_title=fallback_title)


def text_document(text: str, *, fallback_title: str) -> Document:
    """A text file has no headings to trust: a short first line is its title, the rest one
    section, split later at blank lines by size."""
    text = text.replace("\r\n", "\n").strip()
    first, _, rest = text.partition("\n")
    if len(first) <= 80 and rest.strip() and not first.rstrip().endswith((".", ":")):
        title, body = first.strip(), rest
    else:
        title, body = fallback_title, text
    body = _BLANK_LINES.sub("\n\n", body).strip()
    return Document(title, [Section((title,), "", body)] if body else [])
