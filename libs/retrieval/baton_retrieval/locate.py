"""Where a feature lives: the menu-path sentence of the top page, for answers that lack one.

Visitors asking how to do something need to know where to click, and help pages often say
it once, in the intro or a section of its own ("manage webhooks at Administration >
Webhooks"), while the passage that best matches the question explains how it works. An
answer that quotes no menu path gets the top page's best one as its first line.
"""

import re
from collections.abc import Callable

from baton_retrieval.fusion import PageMatch
from baton_retrieval.lexical import term_set, terms
from baton_retrieval.passages import sentences, split_units

# "Administration > Settings", "Settings › Billing", "Profile → Security", "Menu » Export".
_MENU_STEP = re.compile(r"\S\s+[>›→»]\s+\S")
_MENU_SPLIT = re.compile(r"\s[>›→»]\s")
# Where the path's last step ends: what follows is prose about it.
_STEP_END = re.compile(r"[.;,:(]")
# A sentence opening with a connective leans on one before it that the answer may lack.
_CONNECTIVE = re.compile(r"(Then|After that|Afterwards|Also|Next|Otherwise|However)\b")
_BULLET = re.compile(r"^(?:-|\d+[.)])\s+")
# How many of the top page's retrieved chunks are searched, best first.
CHUNKS_SEARCHED = 8
MAX_CHARS = 200


def has_menu_path(text: str) -> bool:
    return bool(_MENU_STEP.search(text))


def menu_path_sentence(
    question: str, page: PageMatch, weigh: Callable[[str], float], *, exclude: str
) -> str | None:
    """The page's sentence that names a menu path leading to the page's subject (its title)
    or to something the question asks about, best matching the question and title first."""
    asked = set(terms(question))
    subject = set(terms(page.title))
    asked_weight = sum(weigh(term) for term in asked) or 1.0
    subject_weight = sum(weigh(term) for term in subject) or 1.0
    best: tuple[float, str] | None = None
    for chunk in page.chunks[:CHUNKS_SEARCHED]:
        for unit in split_units(chunk.hit.text):
            if unit.list_id is None and unit.block < 0:
                continue  # code: "a > b" there is a comparison, not a menu
            if unit.numbered:
                continue  # a step of another procedure: "Go to Settings > Data > Full export."
            for sentence in sentences(unit):
                text = _BULLET.sub("", sentence).rstrip(";").strip()
                if not _usable(text, exclude) or not _leads_to(text, asked | subject):
                    continue
                found = term_set(text)
                score = (
                    sum(weigh(term) for term in asked & found) / asked_weight
                    + sum(weigh(term) for term in subject & found) / subject_weight
                )
                if best is None or score > best[0]:
                    best = (score, text)
    return best[1] if best else None


def _usable(text: str, exclude: str) -> bool:
    return (
        len(text) <= MAX_CHARS
        and "\n" not in text
        and has_menu_path(text)
        and text not in exclude
        and not _CONNECTIVE.match(text)
    )


def _leads_to(text: str, wanted: set[str]) -> bool:
    """Whether the path's last step names one of the wanted terms."""
    last_step = _STEP_END.split(_MENU_SPLIT.split(text)[-1], maxsplit=1)[0]
    return bool(set(terms(last_step)) & wanted)
