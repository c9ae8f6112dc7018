"""reStructuredText as Sphinx projects write it, read with docutils.

Plain docutils does not know Sphinx's directives and roles (`code-block`, `note`, `toctree`,
`:ref:`, `:menuselection:`...); they are registered here as tolerant stand-ins, so a Sphinx
page reads as its rendered text: a menu selection stays "Settings > Import", a cross-reference
keeps its label, a toctree is dropped.
"""

import re
from typing import Any, ClassVar

import docutils.core
from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.languages import en as docutils_english
from docutils.utils import SystemMessage

from baton_ingestion.formats.builder import SectionBuilder, squash
from baton_ingestion.formats.errors import UnreadableFile
from baton_retrieval.chunks import Document

_EXPLICIT_TARGET = re.compile(r"^(.*?)\s*<([^<>]+)>$", flags=re.DOTALL)
# Reports and comments are taken out of the tree before it is read (rst_document).
_SKIP = (nodes.target, nodes.substitution_definition)
_SETTINGS = {
    "report_level": 5,  # silent: unknown constructs are handled, not reported
    "halt_level": 5,
    "warning_stream": False,
    "doctitle_xform": False,  # keep the top section, so its title heads every heading path
    "file_insertion_enabled": False,  # `.. include::` must not read files off the server
    "raw_enabled": False,
    "input_encoding": "unicode",
}


def _text_role(transform: Any = None) -> Any:
    def role(
        name: str,
        rawtext: str,
        text: str,
        lineno: int,
        inliner: Any,
        options: Any = None,
        content: Any = None,
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        shown = transform(text) if transform else _label(text)
        return [nodes.literal(rawtext, shown) if name in _LITERAL_ROLES else nodes.Text(shown)], []

    return role


def _label(text: str) -> str:
    """`label <target>` shows the label; a bare target shows its last part ("~a.b.c" -> "c")."""
    match = _EXPLICIT_TARGET.match(text)
    if match:
        return match.group(1)
    return text.lstrip("~!").rsplit("/", 1)[-1] if text.startswith(("~", "/")) else text.lstrip("!")


def _menu(text: str) -> str:
    return " > ".join(part.strip().replace("&", "") for part in text.split("-->"))


_LITERAL_ROLES = {"file", "command", "program", "option", "envvar", "samp", "kbd", "code"}
_ROLES = {
    "menuselection": _menu,
    "guilabel": lambda text: text.replace("&", ""),
}
_PLAIN_ROLES = (
    "ref", "doc", "term", "numref", "download", "abbr", "dfn", "keyword", "mailheader",
    "mimetype", "newsgroup", "regexp", "makevar", "pep", "rfc", "any", "class", "func", "meth",
    "attr", "mod", "data", "const", "exc", "obj", "py:class", "py:func", "py:meth", "py:attr",
    "py:mod", "py:obj", "py:data", "py:const", "py:exc",
    *_LITERAL_ROLES,
)  # fmt: skip


class _Admonition(Directive):  # type: ignore[misc]
    """`.. note::`, `.. versionadded::` and kin: the body, led by the directive's name."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "class": directives.unchanged,
        "name": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        label = self.name.replace("version", "version ").capitalize()  # "Version added"
        lead = " ".join(self.arguments)
        body = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, body)
        children = list(body.children)
        if not lead and children and isinstance(children[0], nodes.paragraph):
            # "Warning: Disabling this ..." in one paragraph: a bare "Warning:" line would be
            # a lead-in a passage could be cut after.
            first = children.pop(0)
            lead = first.astext()
        paragraph = nodes.paragraph(text=f"{label}: {lead}".strip() if lead else f"{label}:")
        return [paragraph, *children]


class _Code(Directive):  # type: ignore[misc]
    optional_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        return [nodes.literal_block(text="\n".join(self.content))]


class _Figure(Directive):  # type: ignore[misc]
    """`.. figure::`: the picture is not text, but its caption and legend are, and help
    centers put steps there ("The Turn chat into ticket button appears ...")."""

    # The image path and the :alt:/:align:/:scale: lines are read as arguments and left out.
    optional_arguments = 10
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        body = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, body)
        return list(body.children)


class _AnyOption(dict[str, Any]):
    """Every option a directive of another project may take (`:sync:`, `:class-card:`) is
    accepted and ignored: an unknown one would fail the whole directive."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged


class _Container(Directive):  # type: ignore[misc]
    """Directives of Sphinx extensions that hold page text (sphinx-tabs' `tabs`/`tab`,
    sphinx-design's `tab-set`/`tab-item`/`dropdown`/`card`/`grid`, and any other directive the
    page uses that neither docutils nor this reader knows): their words, in order, led by their
    label (a tab's name). docutils would replace each by an error report quoting its source."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = _AnyOption(name=directives.unchanged)

    def run(self) -> list[nodes.Node]:
        body = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, body)
        label = " ".join(self.arguments).strip()
        lead = [nodes.paragraph(text=label)] if label else []
        return [*lead, *body.children]


class _Dropped(Directive):  # type: ignore[misc]
    """toctree, index, automodule...: navigation or generated content, not page text."""

    optional_arguments = 10
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        return []


_ADMONITIONS = (
    "note", "warning", "tip", "hint", "important", "caution", "danger", "attention", "error",
    "seealso", "versionadded", "versionchanged", "deprecated", "todo", "admonition",
)  # fmt: skip
_DROPPED = (
    "toctree", "index", "automodule", "autoclass", "autofunction", "automethod", "autosummary",
    "only", "ifconfig", "tabularcolumns", "highlight", "literalinclude", "include", "raw",
    "image", "meta", "sectionauthor", "moduleauthor", "codeauthor", "currentmodule",
    "module", "contents", "glossary", "productionlist", "graphviz", "uml", "mermaid",
    "plantuml", "ditaa", "youtube", "vimeo", "video", "raw-html",
)  # fmt: skip
_CODE = ("code-block", "sourcecode", "code")
_OWN_DIRECTIVES = frozenset((*_ADMONITIONS, *_CODE, *_DROPPED, "figure"))
_registered = False
# `.. name::` opening a directive, at any indentation.
_DIRECTIVE_IN_USE = re.compile(r"^[ \t]*\.\.[ \t]+([A-Za-z][\w.:+-]*?)::", flags=re.MULTILINE)
_DOCUTILS_DIRECTIVES = frozenset(docutils_english.directives) | frozenset(
    docutils_english.directives.values()
)
_project_directives: set[str] = set()
# `:name:` before a backquote: a role in use, e.g. `:admin-docs:`Chat </channels/chat.html>``.
_ROLE_IN_USE = re.compile(r"(?<![\w`:]):([A-Za-z][\w.+-]*(?::[A-Za-z][\w.+-]*)?):`")
# Roles docutils itself reads (emphasis, sub, math...): left to it.
_DOCUTILS_ROLES = frozenset(docutils_english.roles) | frozenset(docutils_english.roles.values())
_project_roles: set[str] = set()


def _register_project_roles(text: str) -> None:
    """Roles a Sphinx project defines for itself (extlinks such as `:admin-docs:`, custom
    cross-references) read as their label; docutils would leave the raw markup in the page,
    and the visitor would see ":docs:`Console <...>`" in an answer."""
    for name in set(_ROLE_IN_USE.findall(text)) - _project_roles:
        if name.lower() in _DOCUTILS_ROLES or name in _PLAIN_ROLES or name in _ROLES:
            continue
        roles.register_local_role(name, _text_role())
        _project_roles.add(name)


def _register_project_directives(text: str) -> None:
    known = _DOCUTILS_DIRECTIVES | _OWN_DIRECTIVES | _project_directives
    for name in set(_DIRECTIVE_IN_USE.findall(text)) - known:
        directives.register_directive(name, _Container)
        _project_directives.add(name)


def _register() -> None:
    global _registered
    if _registered:
        return
    for name in _PLAIN_ROLES:
        roles.register_local_role(name, _text_role())
    for name, transform in _ROLES.items():
        roles.register_local_role(name, _text_role(transform))
    for name in _ADMONITIONS:
        directives.register_directive(name, _Admonition)
    for name in _CODE:
        directives.register_directive(name, _Code)
    for name in _DROPPED:
        directives.register_directive(name, _Dropped)
    directives.register_directive("figure", _Figure)
    _registered = True


def rst_document(text: str, *, fallback_title: str) -> Document:
    _register()
    _register_project_roles(text)
    _register_project_directives(text)
    try:
        tree = docutils.core.publish_doctree(text, settings_overrides=_SETTINGS)
    except (SystemMessage, ValueError, IndexError, AttributeError) as exc:
        raise UnreadableFile(f"not readable as reStructuredText: {exc}") from exc
    # docutils' reports ("Unknown directive type ...", with the source quoted) and comments
    # sit inside the nodes whose text is read whole (a setting's definition, a table cell):
    # out of the tree, they cannot reach an answer.
    for node in list(tree.findall(_is_report_or_comment)):
        if node.parent is not None:
            node.parent.remove(node)
    builder = SectionBuilder()
    _walk(tree, builder, depth=0)
    document = builder.document(builder.first_heading or fallback_title)
    if not document.sections:
        raise UnreadableFile("no text found in the page")
    return document


def _is_report_or_comment(node: nodes.Node) -> bool:
    return isinstance(node, nodes.system_message | nodes.comment)


def _walk(node: nodes.Element, builder: SectionBuilder, depth: int) -> None:
    for child in node.children:
        if isinstance(child, _SKIP) or not isinstance(child, nodes.Element):
            continue
        if isinstance(child, nodes.section):
            title = next((c for c in child.children if isinstance(c, nodes.title)), None)
            ids = child.get("ids") or []
            if title is not None:
                builder.heading(depth + 1, title.astext(), ids[0] if ids else "")
            _walk(child, builder, depth + 1)
        elif isinstance(child, nodes.title):
            continue  # read with its section
        elif isinstance(child, nodes.literal_block):
            builder.block(f"```\n{child.astext()}\n```")
        elif isinstance(child, nodes.bullet_list | nodes.enumerated_list):
            builder.block("\n".join(_list_lines(child, 0)))
        elif isinstance(child, nodes.definition_list):
            builder.block("\n".join(_definitions(child)))
        elif isinstance(child, nodes.table):
            builder.block("\n".join(_table_rows(child)))
        elif isinstance(child, nodes.field_list):
            builder.block("\n".join(_fields(child)))
        elif isinstance(
            child, nodes.paragraph | nodes.line_block | nodes.rubric | nodes.attribution
        ):
            builder.block(squash(child.astext()))
        else:  # admonitions, containers, block quotes, topics: read what they hold
            _walk(child, builder, depth)


def _list_lines(node: nodes.Element, depth: int) -> list[str]:
    lines = []
    numbered = isinstance(node, nodes.enumerated_list)
    for number, item in enumerate(node.children, start=1):
        if not isinstance(item, nodes.list_item):
            continue
        marker = f"{number}." if numbered else "-"
        texts, nested = [], []
        for part in item.children:
            if isinstance(part, nodes.bullet_list | nodes.enumerated_list):
                nested.extend(_list_lines(part, depth + 1))
            elif isinstance(part, nodes.Element) and not isinstance(part, _SKIP):
                texts.append(squash(part.astext()))
        text = " ".join(t for t in texts if t)
        if text:
            lines.append(f"{'  ' * depth}{marker} {text}")
        lines.extend(nested)
    return lines


def _items(node: nodes.Element) -> list[tuple[nodes.term, nodes.definition | None]]:
    pairs = []
    for item in node.children:
        if not isinstance(item, nodes.definition_list_item):
            continue
        term = next((c for c in item.children if isinstance(c, nodes.term)), None)
        definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
        if term is not None:
            pairs.append((term, definition))
    return pairs


def _definitions(node: nodes.Element) -> list[str]:
    """One line per term, a nested list read into its parent's line (once: reading nested
    items again as lines of their own repeated every option).

    Tried and dropped: each term of a settings list as a sub-heading (Zammad recall@3 0.725
    -> 0.65, docs/quality.md)."""
    lines = []
    for term, definition in _items(node):
        body = squash(definition.astext()) if definition is not None else ""
        lines.append(f"- {squash(term.astext())}: {body}".rstrip(": "))
    return lines


def _fields(node: nodes.Element) -> list[str]:
    lines = []
    for field in node.findall(nodes.field):
        name, body = field.children[0], field.children[1]
        lines.append(f"- {squash(name.astext())}: {squash(body.astext())}")
    return lines


def _table_rows(node: nodes.Element) -> list[str]:
    rows = []
    for row in node.findall(nodes.row):
        cells = [squash(entry.astext()) for entry in row.children]
        if any(cells):
            rows.append("- " + " | ".join(cells))
    return rows
