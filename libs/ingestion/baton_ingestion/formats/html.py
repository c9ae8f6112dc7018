"""HTML help pages: the main content only, headings as heading paths, their ids as anchors.

Reads what static-site generators write (Sphinx, MkDocs, Docusaurus, Zendesk-like exports):
navigation, headers, footers, scripts and "¶" permalinks are dropped; lists, tables and code
blocks become the Markdown-like blocks the answer composer quotes whole.
"""

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

from baton_ingestion.formats.builder import SectionBuilder, squash
from baton_ingestion.formats.errors import UnreadableFile
from baton_retrieval.chunks import Document

_DROP = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg",
    "template", "button", "iframe", "select", "input", "canvas", "head",
)  # fmt: skip
# Where the content lives, most specific first; `body` when no generator marker is there.
_MAIN = ("main", "article", "[role=main]", "div.body", "div.document", "div.content", "#content")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {"p", "ul", "ol", "pre", "table", "dl", "blockquote", "figure"}
_PERMALINK_CLASSES = {"headerlink", "anchor", "anchorjs-link", "hash-link", "permalink"}
# Real pages nest a few dozen levels; past this the rest of a subtree is read as one block of
# text (bs4's get_text does not recurse), so a hostile page cannot exhaust Python's stack.
MAX_DEPTH = 100


def html_document(html: str, *, fallback_title: str) -> Document:
    soup = BeautifulSoup(html, "html.parser")
    page_title = squash(soup.title.get_text()) if soup.title else ""
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for link in soup.find_all("a"):
        if _PERMALINK_CLASSES & set(link.get("class") or []) or link.get_text(strip=True) in (
            "¶",
            "#",
            "🔗",
        ):
            link.decompose()
    root = next((found for selector in _MAIN if (found := soup.select_one(selector))), None)
    root = root or soup.body or soup
    builder = SectionBuilder()
    _walk(root, builder, 0)
    title = builder.first_heading or page_title or fallback_title
    document = builder.document(title)
    if not document.sections:
        raise UnreadableFile("no text found in the page")
    return document


def _named_anchor(tag: Tag) -> bool:
    return tag.name == "a" and bool(tag.get("id") or tag.get("name"))


def _anchor(heading: Tag) -> str:
    """The id a link to this heading uses: its own, a named anchor inside, or its section's."""
    if heading.get("id"):
        return str(heading["id"])
    inner = heading.find(_named_anchor)
    if isinstance(inner, Tag):
        return str(inner.get("id") or inner.get("name"))
    parent = heading.parent
    if isinstance(parent, Tag) and parent.get("id") and parent.name in ("section", "div"):
        first = parent.find(list(_HEADINGS))
        if first is heading:
            return str(parent["id"])
    return ""


def _walk(node: Tag, builder: SectionBuilder, depth: int) -> None:
    if depth > MAX_DEPTH:
        _text_block(node, builder)
        return
    loose: list[str] = []  # inline text directly inside a container, read as one paragraph

    def flush_loose() -> None:
        text = squash(" ".join(loose))
        if text:
            builder.block(text)
        loose.clear()

    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment, CDATA or doctype
                loose.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name in _HEADINGS:
            flush_loose()
            builder.heading(_HEADINGS[name], child.get_text(" "), _anchor(child))
        elif name in _BLOCKS:
            flush_loose()
            _block(child, builder, depth + 1)
        elif name == "br":
            loose.append("\n")
        elif _is_inline(child):
            loose.append(child.get_text(" "))
        else:
            flush_loose()
            _walk(child, builder, depth + 1)
    flush_loose()


_INLINE = {
    "a", "abbr", "b", "code", "em", "i", "kbd", "mark", "q", "s", "samp", "small", "span",
    "strong", "sub", "sup", "time", "u", "var", "img", "label", "cite", "dfn", "del", "ins",
}  # fmt: skip


def _is_inline(tag: Tag) -> bool:
    return tag.name in _INLINE and not tag.find(list(_HEADINGS) + list(_BLOCKS))


def _text_block(tag: Tag, builder: SectionBuilder) -> None:
    text = squash(tag.get_text(" "))
    if text:
        builder.block(text)


def _block(tag: Tag, builder: SectionBuilder, depth: int) -> None:
    name = tag.name
    if name == "pre":
        code = tag.get_text().strip("\n")
        if code.strip():
            builder.block(f"```\n{code}\n```")
    elif name in ("ul", "ol"):
        builder.block("\n".join(_list_lines(tag, 0)))
    elif name == "table":
        rows = []
        for row in _table_rows(tag):
            cells = [squash(cell.get_text(" ")) for cell in row.find_all(_CELLS, recursive=False)]
            if any(cells):
                rows.append("- " + " | ".join(cells))
        builder.block("\n".join(rows))
    elif name == "dl":
        items = []
        for term in tag.find_all("dt", recursive=False):
            definition = term.find_next_sibling("dd")
            text = squash(definition.get_text(" ")) if definition else ""
            items.append(f"- {squash(term.get_text(' '))}: {text}".rstrip(": "))
        builder.block("\n".join(items))
    elif name in ("blockquote", "figure") or tag.find(list(_HEADINGS) + list(_BLOCKS)):
        _walk(tag, builder, depth)
    else:
        builder.block(squash(tag.get_text(" ")))


_CELLS = ["th", "td"]


def _table_rows(table: Tag) -> list[Tag]:
    """The table's own rows: a table nested in a cell is read as that cell's text, and
    searching it again for each outer row would cost the cube of the nesting depth."""
    sections = [table, *table.find_all(["thead", "tbody", "tfoot"], recursive=False)]
    rows = [row for section in sections for row in section.find_all("tr", recursive=False)]
    return sorted(rows, key=lambda row: row.sourceline or 0)


def _list_lines(tag: Tag, depth: int) -> list[str]:
    lines = []
    numbered = tag.name == "ol"
    for number, item in enumerate(tag.find_all("li", recursive=False), start=1):
        nested = item.find_all(["ul", "ol"], recursive=False)
        for sub in nested:
            sub.extract()
        marker = f"{number}." if numbered else "-"
        text = squash(item.get_text(" "))
        if text:
            lines.append(f"{'  ' * depth}{marker} {text}")
        for sub in nested:
            if depth < MAX_DEPTH:
                lines.extend(_list_lines(sub, depth + 1))
            elif sub_text := squash(sub.get_text(" ")):
                lines.append(f"{'  ' * (depth + 1)}- {sub_text}")
    return lines
