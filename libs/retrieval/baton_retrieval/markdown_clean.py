"""Markdown as a reader of a chat answer should see it: no images, no link targets, no page TOCs.

Help centers built with static-site generators (MkDocs, Docusaurus, Sphinx-to-Markdown) repeat
the same furniture on every page; left in, it pollutes both the lexical index and the answers.
"""

import re

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_TOC_ITEM = re.compile(r"^\s*(?:[*+-]|\d+\.)\s+\[[^\]]+\]\(#[^)]*\)\s*$")
_ADMONITION = re.compile(r"^(?:!!!|\?\?\?\+?)\s*(\w+)(?:\s+\"([^\"]*)\")?\s*$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", flags=re.DOTALL)
_INDENT = "    "
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")


def clean_markdown(markdown: str) -> str:
    text = _HTML_COMMENT.sub("", markdown)
    lines = _drop_toc(text.splitlines())
    lines = _flatten_admonitions(lines)
    text = "\n".join(lines)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _ESCAPED.sub(r"\1", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _drop_toc(lines: list[str]) -> list[str]:
    """Drop lists made only of in-page anchor links, and the short label just before them."""
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
