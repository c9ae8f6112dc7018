"""Markdown as a reader of a chat answer should see it: no images, no link targets, no page TOCs.

Help centers built with static-site generators (MkDocs, Docusaurus, Sphinx-to-Markdown) repeat
the same furniture on every page; left in, it pollutes both the lexical index and the answers.
"""

import re

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
# A list item that is only a link: an in-page TOC entry, or "See also" / "Related" navigation.
# Without its target (the widget shows text), the label alone tells the visitor nothing.
_TOC_ITEM = re.compile(r"^\s*(?:[*+-]|\d+\.)\s+\[[^\]]+\]\([^)]*\)\s*[.;,]?\s*$")
_ADMONITION = re.compile(r"^(?:!!!|\?\?\?\+?)\s*(\w+)(?:\s+\"([^\"]*)\")?\s*$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", flags=re.DOTALL)
_INDENT = "    "
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
# YAML (---) or TOML (+++) front matter of Jekyll, Hugo, MkDocs, Docusaurus pages.
_FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\n(.*?\n)?\1[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_TITLE = re.compile(r"^title\s*[:=]\s*[\"']?(.+?)[\"']?\s*$", re.MULTILINE)


def split_front_matter(markdown: str) -> tuple[str | None, str]:
    """The front matter's title (if any) and the page without its front matter.

    Left in, `search: boost: 2` and the like become the first passage of the page.
    """
    match = _FRONT_MATTER.match(markdown)
    if not match:
        return None, markdown
    title = _FRONT_TITLE.search(match.group(2) or "")
    return (title.group(1).strip() if title else None), markdown[match.end() :]


def clean_markdown(markdown: str) -> str:
    text = _HTML_COMMENT.sub("", markdown)
    lines = _drop_toc(text.splitlines())
    lines = _flatten_admonitions(lines)
    lines = _rules_and_tables(lines)
    text = "\n".join(lines)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _ESCAPED.sub(r"\1", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _drop_toc(lines: list[str]) -> list[str]:
    """Drop link-only list items, and the short label just before them ("See also:")."""
    kept: list[str] = []
    for line in lines:
        if _TOC_ITEM.match(line):
            while kept and not kept[-1].strip():
                kept.pop()
            if kept and kept[-1].rstrip().endswith(":") and len(kept[-1]) < 40:
                kept.pop()
            continue
        kept.append(line)
    return kept


def _flatten_admonitions(lines: list[str]) -> list[str]:
    """`!!! warning` blocks become a plain 'Warning:' paragraph with their body dedented."""
    out: list[str] = []
    inside = False
    for line in lines:
        match = _ADMONITION.match(line)
        if match:
            label = match.group(2) or match.group(1).capitalize()
            out.append(f"{label}:")
            inside = True
            continue
        if inside:
            if line.startswith(_INDENT):
                out.append(line[len(_INDENT) :])
                continue
            if not line.strip():
                out.append("")
                continue
            inside = False
        out.append(line)
    return out


_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^\s*([-*_])(?:\s*\1){2,}\s*$")
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")


def _rules_and_tables(lines: list[str]) -> list[str]:
    """Horizontal rules go (a quoted "----" helps no one); table rows become one list item
    each, "- cell | cell", so an answer can quote the row that holds the setting."""
    out: list[str] = []
    in_code = False
    for line in lines:
        if _FENCE.match(line):
            in_code = not in_code
        if in_code:
            out.append(line)
            continue
        if _RULE.match(line) or _TABLE_SEPARATOR.match(line):
            continue
        row = _TABLE_ROW.match(line)
        if row:
            cells = [cell.strip() for cell in row.group(1).split("|")]
            out.append("- " + " | ".join(cell for cell in cells if cell))
            continue
        out.append(line)
    return out
