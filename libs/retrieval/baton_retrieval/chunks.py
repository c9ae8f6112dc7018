"""Markdown pages into retrievable chunks that keep their page title and heading path."""

import hashlib
import re
from dataclasses import dataclass

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from baton_retrieval.markdown_clean import clean_markdown

CHUNK_CHARS = 900
CHUNK_OVERLAP = 120
# Part of every chunk id: bumping it makes the next ingest re-embed everything, which is what a
# change to cleaning or to the embedded text needs.
INDEX_VERSION = "3"
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

    def metadata(self) -> dict[str, str | int]:
        return {
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "heading": self.heading,
            "anchor": self.anchor,
            "position": self.position,
        }

    @property
    def embed_text(self) -> str:
        return embed_text(self.title, self.heading, self.text)


def embed_text(title: str, heading: str, text: str) -> str:
    """What gets embedded and indexed: a passage alone often never names what it is about."""
    return f"{title}\n{heading}\n{text}" if heading else f"{title}\n{text}"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def page_title(markdown: str, fallback: str) -> str:
    match = re.search(r"^#\s+(.+)$", markdown, flags=re.MULTILINE)
    return match.group(1).strip() if match else fallback


def chunk_markdown(markdown: str, *, source: str, url: str) -> list[Chunk]:
    """Split on headings first, then by size; ids hash source and content for idempotent upserts."""
    title = page_title(markdown, fallback=source)
    cleaned = clean_markdown(markdown)
    sections = MarkdownHeaderTextSplitter(_HEADERS, strip_headers=True).split_text(cleaned)
    sizer = RecursiveCharacterTextSplitter(chunk_size=CHUNK_CHARS, chunk_overlap=CHUNK_OVERLAP)
    chunks: list[Chunk] = []
    for section in sections:
        path = [
            section.metadata[key] for key in ("h1", "h2", "h3", "h4") if key in section.metadata
        ]
        heading = " > ".join(path)
        deepest = path[-1] if path else ""
        anchor = slugify(deepest) if deepest and deepest != title else ""
        for piece in sizer.split_text(section.page_content):
            body = piece.strip()
            if not body:
                continue
            key = f"{INDEX_VERSION}\n{source}\n{heading}\n{body}"
            digest = hashlib.sha256(key.encode()).hexdigest()[:32]
            chunks.append(
                Chunk(
                    chunk_id=digest,
                    text=body,
                    source=source,
                    url=f"{url}#{anchor}" if anchor else url,
                    title=title,
                    heading=heading,
                    anchor=anchor,
                    position=len(chunks),
                )
            )
    return chunks
