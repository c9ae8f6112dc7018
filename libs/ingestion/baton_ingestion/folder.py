"""Pages of a folder (or of uploaded files written to one): every supported file, any depth."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

from baton_ingestion.formats import FORMATS, UnreadableFile, read_document
from baton_ingestion.sources import Page

MAX_TEXT_BYTES = 5 * 1024 * 1024
MAX_PDF_BYTES = 30 * 1024 * 1024
# Build output, dependencies and hidden folders hold copies or no help text at all.
_SKIPPED_DIRS = {"_build", "_static", "_templates", "node_modules", "site-packages", "__pycache__"}


def page_url(base_url: str, source: str) -> str:
    slug = source.rsplit(".", 1)[0]
    return f"{base_url.rstrip('/')}/{slug}"


def list_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise FileNotFoundError(f"not a folder: {folder}")
    return sorted(
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in FORMATS
        and path.is_file()
        and not any(
            part.startswith(".") or part in _SKIPPED_DIRS
            for part in path.relative_to(folder).parts[:-1]
        )
    )


def max_bytes(kind: str) -> int:
    return MAX_PDF_BYTES if kind == "pdf" else MAX_TEXT_BYTES


def read_file(path: Path, source: str, url: str) -> Page:
    kind = FORMATS[path.suffix.lower()]
    try:
        limit = max_bytes(kind)
        if path.stat().st_size > limit:
            raise UnreadableFile(f"file is larger than {limit // (1024 * 1024)} MB")
        document = read_document(source, path.read_bytes(), kind)
    except UnreadableFile as exc:
        return Page(source, url, error=str(exc))
    except OSError as exc:
        return Page(source, url, error=f"cannot read the file: {exc.strerror or exc}")
    return Page(source, url, document=document)


async def folder_pages(folder: Path, base_url: str) -> tuple[int, AsyncIterator[Page]]:
    """How many files there are, and their pages (parsed off the event loop)."""
    files = await asyncio.to_thread(list_files, folder)

    async def pages() -> AsyncIterator[Page]:
        for path in files:
            source = path.relative_to(folder).as_posix()
            yield await asyncio.to_thread(read_file, path, source, page_url(base_url, source))

    return len(files), pages()
