"""PDF help documents: text per page (pypdf, pure Python), one section per page.

PDFs carry no reliable heading structure, so each page is a section linked as `#page=N`, which
browsers' PDF viewers open at that page.
"""

import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from baton_ingestion.formats.errors import UnreadableFile
from baton_retrieval.chunks import Document, Section

_HYPHENATED = re.compile(r"(\w)-\n(\w)")
_LINE_SPACE = re.compile(r"[ \t]+\n")


def pdf_document(raw: bytes, *, fallback_title: str) -> Document:
    if not raw.lstrip()[:5] == b"%PDF-":
        raise UnreadableFile("not a PDF file (no %PDF header)")
    # pypdf logs every repaired oddity of a damaged file; the per-file error says enough.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise UnreadableFile("the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata_title = (reader.metadata.title if reader.metadata else None) or ""
    except UnreadableFile:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UnreadableFile(f"broken PDF: {exc}") from exc
    texts = [_HYPHENATED.sub(r"\1\2", _LINE_SPACE.sub("\n", text)).strip() for text in pages]
    if not any(texts):
        raise UnreadableFile("the PDF has no extractable text (scanned images?)")
    title = str(metadata_title).strip() or _first_line(texts) or fallback_title
    sections = [
        Section((title,), f"page={number}", text)
        for number, text in enumerate(texts, start=1)
        if text
    ]
    return Document(title, sections)


def _first_line(texts: list[str]) -> str:
    first = next(text for text in texts if text).split("\n", 1)[0].strip()
    return first if 3 <= len(first) <= 80 else ""
