"""Extractive answers: contiguous passages of the best chunks, the part that holds the question.

The top chunk always contributes (retrieval judged it the most relevant): whole when it fits,
else the run of paragraphs, list items and code blocks that matches the question best. Room
left goes to the next best chunks, of the same page or of a page ranked nearly as high.
Contiguous text keeps lead-ins with their steps and menu paths with what they open.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from baton_retrieval.fusion import PageMatch, ScoredChunk
from baton_retrieval.lexical import term_set, terms
from baton_retrieval.locate import has_menu_path, menu_path_sentence
from baton_retrieval.passages import Unit, split_units
from baton_retrieval.structure import clean_end, clean_start, ends_procedure, without_pointers

# A page is used next to the top one when its fused score is at least this share of the top's.
SECOND_PAGE_RATIO = 0.5
MAX_PAGES = 3
CHUNKS_PER_PAGE = 5
# A further chunk must score this share of the top chunk, and match some question word.
FURTHER_CHUNK_RATIO = 0.3
MIN_FURTHER_COVERAGE = 0.0
# Room below this is not worth a further passage.
MIN_SEGMENT_CHARS = 120
# One passage takes at most this share of the answer, so several chunks get a say.
SEGMENT_SHARE = 1.0
# A unit's relevance: this floor plus the idf-weighted share of question words it holds.
BASE_RELEVANCE = 0.1
# A how-to question's action ("add" in "How do I add a deal stage?"): a chunk that names it
# moves up by this (chunk_order units: a rank or two of fused score), so the section that does
# what was asked leads its neighbours that only share the nouns ("move deals between stages").
GOAL_WEIGHT = 0.2
_HOW_TO = re.compile(
    r"\b(?:how|where)\s+(?:do|can|could|should|would)\s+(?:i|we|you|one)\s+(\w+)"
    r"|\bhow\s+to\s+(\w+)|\b(?:can|could)\s+(?:i|we)\s+(\w+)",
    re.IGNORECASE,
)


# Verbs that name no particular action in a help center ("how do I find ...").
_LIGHT_VERBS = frozenset(
    {"be", "check", "do", "find", "get", "go", "have", "know", "make", "see", "tell", "use"}
)


def goal_term(question: str) -> str | None:
    """The action a how-to question asks about ("add" in "How do I add a deal stage?"), as a
    search term; None for other questions and for verbs that name no action."""
    match = _HOW_TO.search(question)
    if match is None:
        return None
    verb = next(group for group in match.groups() if group).lower()
    found = terms(verb)
    return found[0] if found and verb not in _LIGHT_VERBS else None


@dataclass(frozen=True)
class Segment:
    page_rank: int
    chunk: ScoredChunk
    units: list[Unit]

    @property
    def chars(self) -> int:
        return sum(len(unit.text) + 1 for unit in self.units)


@dataclass(frozen=True)
class Extract:
    text: str
    pages: list[PageMatch]


def candidate_pages(pages: list[PageMatch]) -> list[PageMatch]:
    if not pages:
        return []
    top = pages[0].score
    return [pages[0]] + [
        page for page in pages[1:MAX_PAGES] if page.score >= SECOND_PAGE_RATIO * top
    ]


def extract_answer(
    question: str, pages: list[PageMatch], weigh: Callable[[str], float], *, max_chars: int
) -> Extract:
    passages = _extract_passages(question, pages, weigh, max_chars=max_chars)
    if not passages.text or has_menu_path(passages.text):
        return passages
    where = menu_path_sentence(question, pages[0], weigh, exclude=passages.text)
    if where is None:
        return passages
    # The line comes on top of the passages' budget (at most locate.MAX_CHARS more): cutting
    # the passages to make room for it lost more answer facts than it won (docs/quality.md).
    cited = passages.pages if pages[0] in passages.pages else [pages[0], *passages.pages]
    return Extract(f"{where}\n\n{passages.text}", cited)


def _extract_passages(
    question: str, pages: list[PageMatch], weigh: Callable[[str], float], *, max_chars: int
) -> Extract:
    chosen = candidate_pages(pages)
    if not chosen:
        return Extract("", [])
    wanted = {term: weigh(term) for term in set(terms(question))}
    total = sum(wanted.values()) or 1.0

    def coverage(unit: Unit) -> float:
        found = term_set(unit.text)
        return sum(weight for term, weight in wanted.items() if term in found) / total

    goal = goal_term(question)

    def does_the_goal(chunk: ScoredChunk) -> float:
        return 1.0 if goal and goal in term_set(f"{chunk.hit.heading}\n{chunk.hit.text}") else 0.0

    ranked = sorted(
        (
            (rank, chunk)
            for rank, page in enumerate(chosen)
            for chunk in page.chunks[:CHUNKS_PER_PAGE]
        ),
        key=lambda item: -(chunk_order(item[1]) + GOAL_WEIGHT * does_the_goal(item[1])),
    )
    # The answer leads with the page the ranking put first, the page it cites first.
    lead = next(index for index, (rank, _) in enumerate(ranked) if rank == 0)
    ranked.insert(0, ranked.pop(lead))
    top_score = ranked[0][1].score
    segments: list[Segment] = []
    seen: set[str] = set()
    room = max_chars
    for page_rank, chunk in ranked:
        first = not segments
        if not first and (
            room < MIN_SEGMENT_CHARS or chunk.score < FURTHER_CHUNK_RATIO * top_score
        ):
            continue
        units = [u for u in quotable_units(chunk.hit.text) if u.text not in seen]
        scores = [BASE_RELEVANCE + coverage(unit) for unit in units]
        if not units or (not first and max(scores) - BASE_RELEVANCE < MIN_FURTHER_COVERAGE):
            continue
        window = best_window(units, scores, min(room, int(SEGMENT_SHARE * max_chars)))
        if not first and sum(len(unit.text) + 1 for unit in window) > room:
            # Only the top passage may overflow (and be trimmed): a further one would push
            # the end of the best passage out of the answer.
            continue
        segments.append(Segment(page_rank, chunk, window))
        seen.update(unit.text for unit in window)
        room -= sum(len(unit.text) + 1 for unit in window) + 1
    return _render(segments, chosen, max_chars)


def quotable_units(chunk_text: str) -> list[Unit]:
    """The chunk's units, each without references to text outside the quote."""
    return list(_quotable_units(chunk_text))


@lru_cache(maxsize=4096)
def _quotable_units(chunk_text: str) -> tuple[Unit, ...]:
    # The same chunks are quoted question after question; their cleanup is kept (split_units).
    units = []
    for unit in split_units(chunk_text):
        text = without_pointers(unit.text)
        if text:
            units.append(replace(unit, text=text))
    return tuple(units)


def chunk_order(chunk: ScoredChunk) -> float:
    """Fused rank first; among chunks fused nearly alike, the semantically closer one."""
    return 10 * chunk.score + chunk.hit.similarity


def best_window(units: list[Unit], scores: list[float], budget: int) -> list[Unit]:
    """The contiguous run of units with the highest total relevance that fits the budget,
    starts where a passage may (`structure.clean_start`: never inside a list or a sentence, a
    numbered procedure from its first step) and ends where one may (`structure.clean_end`:
    never on a lead-in cut from what it introduces).

    A unit longer than the whole budget is taken alone (and trimmed later) when nothing fits;
    a chunk with no clean start at all is windowed as if every unit were one.
    """
    lengths = [len(unit.text) + 1 for unit in units]
    starts = [index for index in range(len(units)) if clean_start(units, index)] or list(
        range(len(units))
    )
    ends = {end for end in range(1, len(units) + 1) if clean_end(units, end)}
    if sum(lengths[starts[0] :]) <= budget and len(units) in ends:
        return units[starts[0] :]
    # A procedure that fits is quoted whole; a longer one from its first step, as far as
    # the budget goes.
    too_long = _procedures_longer_than(units, budget)
    ends = {end for end in ends if ends_procedure(units, end) or units[end - 1].list_id in too_long}
    return _best_run(units, scores, budget, starts, ends) or [
        units[max(range(len(units)), key=lambda index: scores[index])]
    ]


def _procedures_longer_than(units: list[Unit], budget: int) -> set[int]:
    """The numbered lists of `units` whose steps together exceed `budget`."""
    lengths: dict[int, int] = {}
    for unit in units:
        if unit.numbered and unit.list_id is not None:
            lengths[unit.list_id] = lengths.get(unit.list_id, 0) + len(unit.text) + 1
    return {list_id for list_id, length in lengths.items() if length > budget}


def _best_run(
    units: list[Unit], scores: list[float], budget: int, starts: list[int], ends: set[int]
) -> list[Unit]:
    """The highest-scoring run from one of `starts` to one of `ends` within the budget; []
    when none fits."""
    lengths = [len(unit.text) + 1 for unit in units]
    best: tuple[float, int, int] = (-1.0, 0, 1)
    for start in starts:
        used = 0
        gained = 0.0
        for end in range(start, len(units)):
            if used + lengths[end] > budget:
                break
            used += lengths[end]
            gained += scores[end]
            if gained > best[0] and end + 1 in ends:
                best = (gained, start, end + 1)
    return units[best[1] : best[2]] if best[0] >= 0 else []


def _render(segments: list[Segment], pages: list[PageMatch], max_chars: int) -> Extract:
    used_pages = sorted({segment.page_rank for segment in segments})
    parts: list[str] = []
    for page_rank in used_pages:
        in_page = sorted(
            (s for s in segments if s.page_rank == page_rank), key=lambda s: s.chunk.hit.position
        )
        parts.append(_join([unit for segment in in_page for unit in segment.units]))
    text = _trim("\n\n".join(parts), max_chars)
    return Extract(text, [pages[rank] for rank in used_pages])


def _join(units: list[Unit]) -> str:
    """One line per unit, except sentences of one paragraph, which read on as a paragraph."""
    text = ""
    for index, unit in enumerate(units):
        if index:
            previous = units[index - 1]
            same_paragraph = unit.block >= 0 and unit.block == previous.block
            text += " " if same_paragraph else "\n"
        text += unit.text
    return text


def _trim(text: str, limit: int) -> str:
    """Cut at a sentence or line end, never mid-word, so steps and menu paths stay whole."""
    if len(text) <= limit:
        return text
    window = text[:limit]
    cut = max(window.rfind(". "), window.rfind("\n"))
    if cut < limit // 2:
        cut = window.rfind(" ")
    return window[: cut + 1].rstrip() + " …"
