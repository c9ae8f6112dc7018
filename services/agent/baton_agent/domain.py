"""Extractive answering: compose a short reply from the best passages and cite their pages."""

import re
from dataclasses import dataclass

from baton_events import EscalationReason, SourceRef
from baton_retrieval.store import Hit

OUT_OF_DOCS_TEXT = (
    "I couldn't find this in our help docs, so I don't want to guess. "
    "I'm bringing in a teammate who can help."
)
# Pages whose best passage scores this close to the top one are cited as well.
SECOND_SOURCE_MARGIN = 0.06
MAX_SOURCES = 2


@dataclass(frozen=True)
class Answer:
    text: str
    sources: tuple[SourceRef, ...]
    confidence: float
    escalate: bool
    reason: EscalationReason | None


def _trim(text: str, limit: int) -> str:
    """Cut at a sentence or line end, never mid-word, so steps and menu paths stay whole."""
    if len(text) <= limit:
        return text
    window = text[:limit]
    cut = max(window.rfind(". "), window.rfind("\n"))
    if cut < limit // 2:
        cut = window.rfind(" ")
    return window[: cut + 1].rstrip() + " …"


def _page_url(hit: Hit) -> str:
    return hit.url


def compose_answer(hits: list[Hit], *, min_confidence: float, max_chars: int) -> Answer:
    if not hits or hits[0].similarity < min_confidence:
        confidence = hits[0].similarity if hits else 0.0
        return Answer(
            OUT_OF_DOCS_TEXT, (), round(confidence, 4), True, EscalationReason.OUT_OF_DOCS
        )
    best = hits[0]
    body = re.sub(r"\n{3,}", "\n\n", best.text.strip())
    text = _trim(body, max_chars)
    sources: list[SourceRef] = []
    seen_pages: set[str] = set()
    for hit in hits:
        if hit.similarity < best.similarity - SECOND_SOURCE_MARGIN or len(sources) >= MAX_SOURCES:
            break
        page = hit.url.split("#", 1)[0]
        if page in seen_pages:
            continue
        seen_pages.add(page)
        sources.append(SourceRef(title=hit.title, url=_page_url(hit)))
    return Answer(text, tuple(sources), round(best.similarity, 4), False, None)
