"""Pieces of a section cut by size, each made whole Markdown again where a cut fell in code.

The size splitter cuts a long code block like any text, so the next piece started with the
block's last lines and its closing fence, which then read as an opening one: the commands
after it became prose and the prose after it code. Each piece cut inside a block now reopens
it with the block's own fence line and closes it at its end.
"""

import bisect
import itertools

from baton_retrieval.markdown_clean import fence_marks, opening_fence


def _first_line_dropped(piece: str) -> str:
    return piece.split("\n", 1)[1] if "\n" in piece else ""


def _last_line_dropped(piece: str) -> str:
    return piece.rsplit("\n", 1)[0] if "\n" in piece else ""


def whole_fences(text: str, pieces: list[str]) -> list[str]:
    """`pieces` (substrings of `text`, in order) with every fence they cut reopened or closed."""
    lines = text.split("\n")
    marks = fence_marks(lines)
    line_starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    openers: list[str | None] = []
    opener: str | None = None
    for line, mark in zip(lines, marks, strict=True):
        opener = line.strip() if mark == "open" else opener if mark != "text" else None
        openers.append(opener)
    out: list[str] = []
    search_from = 0
    for piece in pieces:
        at = text.find(piece, search_from) if piece else -1
        if at < 0:  # not found as is (never expected): keep it unchanged rather than guess
            out.append(piece)
            continue
        search_from = at
        first = bisect.bisect_right(line_starts, at) - 1
        last = bisect.bisect_right(line_starts, at + len(piece) - 1) - 1
        whole = piece
        if marks[last] == "open":
            whole = _last_line_dropped(whole)
        elif marks[last] == "code":
            fence = opening_fence(openers[last] or "")
            whole = f"{whole}\n{fence or '```'}"
        if marks[first] == "close":
            whole = _first_line_dropped(whole).lstrip()
        elif marks[first] == "code" and openers[first]:
            # The splitter strips a piece, so a code line it starts on lost its indentation.
            indent = text[line_starts[first] : at]
            whole = f"{openers[first]}\n{indent if not indent.strip() else ''}{whole}"
        out.append(whole.rstrip())
    return out
