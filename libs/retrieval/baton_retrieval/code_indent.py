"""Code keeps its indentation through LangChain's Markdown header splitter.

The splitter strips every line it reads, code included, so a formula script, a JSON example or
a server block reached the index and the visitor flat (46 of EspoCRM's 119 pages have indented
code). Before splitting, each code line's leading whitespace becomes Braille blanks: printable
and not whitespace, so neither the splitter's `strip()` nor its printable-only filter touches
them. After, they become spaces and tabs again. Indentation is taken relative to the fence, as
CommonMark does for a block inside a list item.
"""

from baton_retrieval.markdown_clean import fence_marks

_SPACE = "\u2800"
_TAB = "\u2801"
_SHIELD = str.maketrans({" ": _SPACE, "\t": _TAB})
_UNSHIELD = str.maketrans({_SPACE: " ", _TAB: "\t"})


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def shield_code_indent(markdown: str) -> str:
    lines = markdown.split("\n")
    out: list[str] = []
    fence_indent = 0
    for line, mark in zip(lines, fence_marks(lines), strict=True):
        if mark == "open":
            fence_indent = _indent(line)
        if mark != "code":
            out.append(line)
            continue
        inner = line[min(fence_indent, _indent(line)) :]
        body = inner.lstrip(" \t")
        lead = inner[: len(inner) - len(body)]
        out.append(lead.translate(_SHIELD) + body if body else "")
    return "\n".join(out)


def unshield_code_indent(text: str) -> str:
    """Only a line's leading run is read back (a page's own Braille blank there would become a
    space: no help page starts a line with one)."""
    out: list[str] = []
    for line in text.split("\n"):
        body = line.lstrip(_SPACE + _TAB)
        lead = line[: len(line) - len(body)]
        out.append(lead.translate(_UNSHIELD) + body)
    return "\n".join(out)
