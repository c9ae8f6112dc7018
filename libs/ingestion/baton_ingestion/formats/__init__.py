"""Help pages of any supported format read into a `Document` (title, sections with anchors).

Each reader raises `UnreadableFile` with a message a person can act on; the pipeline records
it for that file and goes on with the rest.
"""

import re
from pathlib import PurePosixPath

import structlog

from baton_ingestion.formats.errors import UnreadableFile
from baton_ingestion.formats.html import html_document
from baton_ingestion.formats.mdx import mdx_document
from baton_ingestion.formats.pdf import pdf_document
from baton_ingestion.formats.rst import rst_document
from baton_ingestion.formats.text import decode_text, markdown_page, text_document
from baton_retrieval.chunks import Document

__all__ = ["FORMATS", "UnreadableFile", "format_for", "read_document"]

log = structlog.get_logger()

# File suffix -> format name.
FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "mdx",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".text": "text",
    ".rst": "rst",
    ".pdf": "pdf",
}
_CONTENT_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": "text",
    "text/x-rst": "rst",
    "text/mdx": "mdx",
    "application/pdf": "pdf",
}


def format_for(name: str, content_type: str | None = None) -> str | None:
    """The format of a file by its suffix, or of a fetched page by its Content-Type."""
    if content_type:
        media = content_type.split(";", 1)[0].strip().lower()
        if media in _CONTENT_TYPES:
            by_suffix = FORMATS.get(PurePosixPath(name).suffix.lower())
            # A server sends Markdown, MDX and reStructuredText sources as text/plain.
            if _CONTENT_TYPES[media] == "text" and by_suffix in ("markdown", "mdx", "rst"):
                return by_suffix
            return _CONTENT_TYPES[media]
    return FORMATS.get(PurePosixPath(name).suffix.lower())


def read_document(name: str, raw: bytes, kind: str) -> Document:
    """`name` is the page's path or URL: the title when the page names none. Whatever a
    reader fails with becomes `UnreadableFile`: one hostile page is that page's error in the
    job's report, never the end of the job that reads the good pages around it."""
    try:
        return _read(name, raw, kind)
    except UnreadableFile:
        raise
    except RecursionError as exc:
        raise UnreadableFile("the page nests too deeply to read") from exc
    except Exception as exc:
        log.warning("reader_failed", page=name, kind=kind, error=repr(exc))
        raise UnreadableFile(f"the {kind} reader failed: {type(exc).__name__}") from exc


def readable_name(name: str) -> str:
    """The title of a page that names none: its file or URL name as words ("archive-mode.rst"
    -> "Archive mode"), since visitors see it on the answer's link."""
    last = PurePosixPath(name.rstrip("/")).name or name
    words = re.sub(r"[-_\s]+", " ", PurePosixPath(last).stem).strip()
    return words[:1].upper() + words[1:] if words else last


def _read(name: str, raw: bytes, kind: str) -> Document:
    fallback = readable_name(name)
    if kind == "pdf":
        return pdf_document(raw, fallback_title=fallback)
    text = decode_text(raw)
    if kind == "html":
        return html_document(text, fallback_title=fallback)
    if kind == "rst":
        return rst_document(text, fallback_title=fallback)
    if kind == "markdown":
        return markdown_page(text, fallback_title=fallback)
    if kind == "mdx":
        return mdx_document(text, fallback_title=fallback)
    if kind == "text":
        return text_document(text, fallback_title=fallback)
    raise UnreadableFile(f"unsupported format: {kind}")
