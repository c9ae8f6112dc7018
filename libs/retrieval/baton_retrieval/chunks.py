"""Help pages into retrievable chunks that keep their page title, heading path and anchor.

Every format (Markdown here; HTML, reStructuredText, PDF and text in the ingest service) is
first read into a `Document`: a title and sections, each with its heading path, its anchor and
a Markdown-like body (paragraphs, `-` list items, fenced code). `chunk_document` then splits
each section by size, so a chunk never straddles two headings.
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from baton_retrieval.code_indent import shield_code_indent, unshield_code_indent
from baton_retrieval.fenced_pieces import whole_fences
from baton_retrieval.markdown_clean import clean_markdown, split_front_matter

CHUNK_CHARS = 900
CHUNK_OVERLAP = 120
# Part of every chunk id: bumping it makes the next ingest re-embed everything, which is what a
# change to cleaning or to the embedded text needs.
INDEX_VERSION = "6"
_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3"), ("####", "h4")]


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    text: str
    source: str
    url: str
    title: str
    heading: str
    anchor: str
    position: int = 0  # order within its page, so an answer quotes a page's passages in order
    origin: str = ""  # the knowledge source (folder, site, upload) the page came from

    def metadata(self) -> dict[str, str | int]:
        return {
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "heading": self.heading,
            "anchor": self.anchor,
            "position": self.position,
            "origin": self.origin,
        }

    @property
    def embed_text(self) -> str:
        return embed_text(self.title, self.heading, self.text)


@dataclass(frozen=True)
class Section:
    """A run of a page under one heading: `path` from the page title down, `text` Markdown-like."""

    path: tuple[str, ...]
    anchor: str
    text: str


@dataclass(frozen=True)
class Document:
    title: str
    sections: Sequence[Section] = field(default_factory=tuple)


def embed_text(title: str, heading: str, text: str) -> str:
    """What gets embedded and indexed: a passage alone often never names what it is about."""
    return f"{title}\n{heading}\n{text}" if heading else f"{title}\n{text}"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def page_title(markdown: str, fallback: str) -> str:
    match = re.search(r"^#\s+(.+)$", markdown, flags=re.MULTILINE)
    return match.group(1).strip() if match else fallback


def markdown_document(markdown: str, *, fallback_title: str) -> Document:
    meta_title, markdown = split_front_matter(markdown)
    title = page_title(markdown, fallback=meta_title or fallback_title)
    cleaned = clean_markdown(markdown)
    sections = []
    splitter = MarkdownHeaderTextSplitter(_HEADERS, strip_headers=True)
    for split in splitter.split_text(shield_code_indent(cleaned)):
        path = tuple(
            split.metadata[key] for key in ("h1", "h2", "h3", "h4") if key in split.metadata
        )
        deepest = path[-1] if path else ""
        anchor = slugify(deepest) if deepest and deepest != title else ""
        sections.append(Section(path, anchor, unshield_code_indent(split.page_content)))
    return Document(title, sections)


def chunk_markdown(markdown: str, *, source: str, url: str, origin: str = "") -> list[Chunk]:
    return chunk_document(
        markdown_document(markdown, fallback_title=source), source=source, url=url, origin=origin
    )


def chunk_id(origin: str, source: str, heading: str, body: str) -> str:
    """Content-addressed: an unchanged passage keeps its id, so re-ingest writes nothing."""
    key = f"{INDEX_VERSION}\n{origin}\n{source}\n{heading}\n{body}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def chunk_document(document: Document, *, source: str, url: str, origin: str = "") -> list[Chunk]:
    """Split each section by size; ids hash origin, source and content for idempotent upserts."""
    sizer = RecursiveCharacterTextSplitter(chunk_size=CHUNK_CHARS, chunk_overlap=CHUNK_OVERLAP)
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for section in document.sections:
        heading = " > ".join(section.path)
        for piece in whole_fences(section.text, sizer.split_text(section.text)):
            body = piece.strip()
            if not body:
                continue
            digest = chunk_id(origin, source, heading, body)
            if digest in seen:  # a passage repeated verbatim under one heading: keep one
                continue
            seen.add(digest)
            chunks.append(
                Chunk(
                    chunk_id=digest,
                    text=body,
                    source=source,
                    url=f"{url}#{section.anchor}" if section.anchor else url,
                    title=document.title,
                    heading=heading,
                    anchor=section.anchor,
                    position=len(chunks),
                    origin=origin,
                )
            )
    return chunks
