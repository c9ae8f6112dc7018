"""Where a quoted passage may begin, and what a quote must not carry out of its page.

A numbered procedure is quoted from its first step or not at all: step 3 alone leaves the
visitor without the menu that steps 1 and 2 open. No passage starts inside a list or inside a
sentence (a chunk can begin mid-sentence where the splitter cut a long section), and none ends
on a lead-in ("you can create a ticket with a single click:") whose subject it cuts off, nor
inside a procedure when the whole of it fits. A
reference to
text outside the quote ("see above", "the next section") is dropped with the words around it
that only carry it, since the visitor has no "above" in a chat bubble.
"""

import re

from baton_retrieval.passages import Unit

_FIRST_STEP = re.compile(r"^(?:1|a|i)[.)]\s", re.IGNORECASE)
# A parenthesis that only points elsewhere: "(see above)", "(described in the next section)".
_POINTER = (
    r"(?:above|below|earlier|later|"
    r"(?:in\s+)?the\s+(?:next|previous|following|preceding|last|first)\s+"
    r"(?:section|step|steps|chapter|paragraph|table|list|example)s?)"
)
_PAREN_POINTER = re.compile(
    rf"\s*\((?:(?:see|as|as\s+described|described|shown|explained|mentioned|listed)\s+)?"
    rf"{_POINTER}[^)]{{0,40}}\)",
    re.IGNORECASE,
)
# A parenthesis that points at a named part elsewhere: '(see "Handle duplicates" below)'.
_PAREN_NAMED_POINTER = re.compile(
    r"\s*\((?:see|refer\s+to|read)\s+[^()]{1,60}?\s+(?:above|below)\)", re.IGNORECASE
)
# A sentence about the page itself, not its subject: "This article covers file requirements,
# field mapping, and duplicates." In a chat bubble there is no article around it.
_ABOUT_THE_PAGE = re.compile(
    r"(?:^|(?<=[.!?])\s+)(?:"
    r"(?:this|the\s+following)\s+(?:article|page|guide|section|document|topic|tutorial)\s+"
    r"(?:covers|explains|describes|shows|outlines|walks\s+you\s+through|will\s+show)\b"
    r"|in\s+this\s+(?:article|page|guide|section|tutorial),\s"
    r")[^.!?]*[.!?]",
    re.IGNORECASE,
)
# A clause that only points elsewhere: "as described above, ", ", as shown below".
_CLAUSE_POINTER = re.compile(
    rf"(?:,\s*|\b)(?:as\s+)?(?:described|shown|explained|mentioned|listed|noted)\s+{_POINTER}"
    r"(?:\s*,)?",
    re.IGNORECASE,
)
# A sentence that is nothing but a pointer: "See the next section for details."
_POINTER_SENTENCE = re.compile(
    rf"^(?:for\s+(?:details|more)[^,]{{0,30}},\s*)?(?:see|refer\s+to|read)\s+{_POINTER}"
    r"[^.]{0,60}\.?$",
    re.IGNORECASE,
)


def clean_start(units: list[Unit], index: int) -> bool:
    """Whether a passage may begin at units[index]."""
    unit = units[index]
    if unit.list_id is not None:
        if any(earlier.list_id == unit.list_id for earlier in units[:index]):
            return False  # inside a list
        # The chunk may begin inside a numbered list the splitter cut: only step 1 opens it.
        return not unit.numbered or bool(_FIRST_STEP.match(unit.text))
    first_char = unit.text.lstrip()[:1]
    # A lowercase opening is the tail of a sentence cut before this chunk began.
    return not (index == 0 and first_char.islower())


def clean_end(units: list[Unit], end: int) -> bool:
    """Whether a passage may end after units[end - 1]: not on a line that announces what
    follows (it ends in ':'), since the visitor would get the promise without the thing."""
    return not units[end - 1].text.rstrip().endswith(":")


def ends_procedure(units: list[Unit], end: int) -> bool:
    """Whether units[end - 1] is not a numbered step with a further step after it: a
    procedure quoted up to step 4 of 6 leaves the visitor short of the step that does it."""
    last = units[end - 1]
    return not (
        last.numbered
        and end < len(units)
        and units[end].list_id is not None
        and units[end].list_id == last.list_id
    )


def without_pointers(text: str) -> str:
    """The unit's text without references to text outside the quote; "" when that was all."""
    if _POINTER_SENTENCE.match(text.strip()):
        return ""
    text = _ABOUT_THE_PAGE.sub("", text)
    text = _PAREN_POINTER.sub("", text)
    text = _PAREN_NAMED_POINTER.sub("", text)
    text = _CLAUSE_POINTER.sub("", text)
    return re.sub(r"\s{2,}", " ", text).strip()
