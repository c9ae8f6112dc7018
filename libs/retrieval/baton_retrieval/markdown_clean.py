"""Markdown as a reader of a chat answer should see it: no images, no link targets, no page TOCs.

Help centers built with static-site generators (MkDocs, Docusaurus, GitBook, Hugo, VitePress,
Sphinx-to-Markdown) repeat the same furniture on every page, and each marks its callouts, tabs
and embeds in its own syntax; left in, it pollutes both the lexical index and the answers
("{% hint style="info" %}" or "> " quoted to a visitor).
"""

import re
from collections.abc import Callable
from typing import Literal

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
# Docusaurus / VitePress callouts in plain .md too: ":::tip Title" or ":::note[Title]" opens,
# ":::" closes.
_COLON_CALLOUT = re.compile(r"^\s*:::+\s*(\w+)?(?:\s*\[(.*)\]|\s+(.+?))?\s*$")
# GitBook (Liquid) block tags on a line of their own: {% hint style="warning" %}, {% endhint %},
# {% tabs %}, {% tab title="Web" %}, {% embed url="..." %}, {% content-ref %}...
_LIQUID_LINE = re.compile(r"^\s*\{%-?\s*(\w[\w-]*)(.*?)-?%\}\s*$")
_CARD_TAGS = ("content-ref", "endcontent-ref")
_LIQUID_TITLE = re.compile(r"\btitle=\"([^\"]+)\"")
_LIQUID_STYLE = re.compile(r"\bstyle=\"(\w+)\"")
# Hugo shortcodes, opening or closing: {{< callout type="info" >}}, {{% /notice %}}.
_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*[\w-]+(?:[^{}]|\{[^{}]*\})*?[>%]\}\}")
# Generated-TOC markers of various generators: [[toc]], [TOC], {:toc}, ${toc}.
_TOC_MARKER = re.compile(r"^\s*(?:\[\[_?toc_?\]\]|\[toc\]|\{:\s*toc\s*\}|\$\{toc\})\s*$", re.I)
# GitHub's alerts: a quote opened by "> [!NOTE]".
_ALERT = re.compile(r"^\s*>\s*\[!(\w+)\]\s*$")
_QUOTE_MARK = re.compile(r"^(\s{0,3})>[ \t]?")
_TAGS_ONLY = re.compile(r"^\s*(?:</?[a-zA-Z][\w.-]*(?:\s[^<>]*)?/?>\s*)+$")


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
    lines = _generator_markup(text.splitlines())
    lines = _drop_toc(lines)
    lines = _flatten_admonitions(lines)
    lines = _rules_and_tables(lines)
    text = "\n".join(lines)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _ESCAPED.sub(r"\1", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _generator_markup(lines: list[str]) -> list[str]:
    """Site generators' own markup, outside code: callout and tab markers become a label
    paragraph ("Warning:", the tab's title), embeds, TOC markers, shortcodes and lines of bare
    HTML/JSX tags go, and quote marks (">") are taken off the words they quote."""
    out: list[str] = []
    in_card = False
    for line, in_code in zip(lines, code_lines(lines), strict=True):
        if in_code:
            out.append(line)
            continue
        card = _LIQUID_LINE.match(line)
        if card and card.group(1) in _CARD_TAGS:
            # a link card to another page: navigation, nothing to quote
            in_card = card.group(1) == _CARD_TAGS[0]
            continue
        if in_card:
            continue
        label = _marker_label(line)
        if label is not None:
            if label:
                out.extend(["", f"{label}:", ""])
            continue
        if _TOC_MARKER.match(line) or _TAGS_ONLY.match(line):
            continue
        line = _QUOTE_MARK.sub(r"\1", _QUOTE_MARK.sub(r"\1", line))
        stripped = _outside_inline_code(line, lambda part: _SHORTCODE.sub("", part))
        if stripped.strip() or not line.strip():
            out.append(stripped)
    return out


def _marker_label(line: str) -> str | None:
    """For a line that only marks a block: the label it gives ("" for none); None for any
    other line."""
    alert = _ALERT.match(line)
    if alert:
        return alert.group(1).capitalize()
    callout = _COLON_CALLOUT.match(line)
    if callout:
        title = callout.group(2) or callout.group(3)
        kind = callout.group(1)
        return (title or "").strip() or (kind.capitalize() if kind else "")
    liquid = _LIQUID_LINE.match(line)
    if liquid:
        name, arguments = liquid.group(1), liquid.group(2)
        title = _LIQUID_TITLE.search(arguments)
        style = _LIQUID_STYLE.search(arguments)
        if name == "tab" and title:
            return title.group(1).strip()
        if name == "hint" and style:
            return style.group(1).capitalize()
        return ""
    return None


def _outside_inline_code(line: str, change: Callable[[str], str]) -> str:
    """`change` applied to the parts of the line outside `inline code`."""
    if "`" not in line:
        return change(line)
    parts = line.split("`")
    return "`".join(change(part) if index % 2 == 0 else part for index, part in enumerate(parts))


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


# Any indentation: help pages nest code in list items ("1. Run:" then an indented fence).
_FENCE_OPEN = re.compile(r"^\s*(`{3,}(?!.*`)|~{3,})")


FenceMark = Literal["text", "open", "code", "close"]


def opening_fence(line: str) -> str | None:
    """The fence a line opens ("```", "~~~~"), without its info string; None if it opens none."""
    opening = _FENCE_OPEN.match(line)
    return opening.group(1) if opening else None


def fence_marks(lines: list[str]) -> list[FenceMark]:
    """What each line is to fenced code: outside it, its opening fence, inside, or its closing
    fence. A fence closes only on a line of its own character, at least as long, and nothing
    else (CommonMark): a line like "``` some text ```" inside a block does not close it."""
    marks: list[FenceMark] = []
    fence: str | None = None
    for line in lines:
        if fence is None:
            fence = opening_fence(line)
            marks.append("open" if fence is not None else "text")
            continue
        stripped = line.strip()
        if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
            fence = None
            marks.append("close")
        else:
            marks.append("code")
    return marks


def code_lines(lines: list[str]) -> list[bool]:
    """Whether each line is part of a fenced code block, fences included."""
    return [mark != "text" for mark in fence_marks(lines)]


_RULE = re.compile(r"^\s*([-*_])(?:\s*\1){2,}\s*$")
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")


def _rules_and_tables(lines: list[str]) -> list[str]:
    """Horizontal rules go (a quoted "----" helps no one); table rows become one list item
    each, "- cell | cell", so an answer can quote the row that holds the setting."""
    out: list[str] = []
    for line, in_code in zip(lines, code_lines(lines), strict=True):
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
