"""MDX pages (Docusaurus, Mintlify, Nextra) read as the Markdown a visitor sees rendered.

MDX is Markdown plus JSX: `import`/`export` statements, components such as `<Callout>`,
`<Tabs>`, `<Steps>` or `<Accordion>` around Markdown, and `{...}` expressions. The words a
component wraps, and a title or label it is given, are what the page says, so they stay in
order; self-closing components (icons, embeds, cards without children) and expressions that
are code go. Fenced code and inline code spans are copied untouched: JSX-looking text in them
is an example, not markup.
"""

import re
import textwrap
from dataclasses import dataclass, field

from baton_ingestion.formats.front_matter import FrontMatter, read_front_matter
from baton_retrieval.chunks import Document, markdown_document

# Statements MDX evaluates; they never render. Only at the start of a line, as MDX requires,
# and shaped like code, so a sentence opening with "export" is still prose.
_ESM_START = re.compile(
    r"^(?:import\s+[\w*{\"']|export\s+(?:const|let|var|function|async|class|default|\{|\*))"
)
_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# Docusaurus admonitions: ":::tip Title" / ":::note[Title]" open, ":::" closes.
_ADMONITION = re.compile(r"^[ \t]*:::+[ \t]*(\w+)?(?:[ \t]*\[(.*)\]|[ \t]+(.+))?[ \t]*$")
_TAG_START = re.compile(r"<(/?)([A-Za-z][\w.:-]*)")
_FRAGMENT = re.compile(r"</?>")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^\s<>]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>")
# The attributes whose value is text the reader sees: a step's, tab's or accordion's title.
_LABEL = re.compile(
    r"\b(?:title|label|summary|heading)\s*=\s*"
    r"(?:\"([^\"]*)\"|'([^']*)'|\{\s*[\"'`]([^\"'`$]*)[\"'`]\s*\})"
)
_PLAIN_STRING = re.compile(r"""\A\s*(?:"([^"\\]*)"|'([^'\\]*)'|`([^`\\$]*)`)\s*\Z""")


def mdx_document(text: str, *, fallback_title: str) -> Document:
    """The page's front-matter title and description, then its body with the JSX taken out."""
    meta, body = read_front_matter(text)
    markdown = mdx_to_markdown(body)
    lead = f"{meta.description}\n\n" if meta.description else ""
    if meta.title and not re.search(r"^#\s", markdown, flags=re.MULTILINE):
        # The title heads the page as its h1, so the description is the title's own section.
        markdown = f"# {meta.title}\n\n{lead}{markdown}"
    elif lead:
        markdown = _after_first_h1(markdown, lead)
    return markdown_document(markdown, fallback_title=meta.title or _label_of(meta, fallback_title))


def mdx_to_markdown(body: str) -> str:
    """The Markdown an MDX body renders to, JSX reduced to its text."""
    reader = _Reader(body)
    reader.read()
    return reader.markdown()


def _label_of(meta: FrontMatter, fallback: str) -> str:
    return meta.sidebar_label or fallback


def _after_first_h1(markdown: str, lead: str) -> str:
    match = re.search(r"^#\s.*$\n?", markdown, flags=re.MULTILINE)
    if match is None:
        return lead + markdown
    return f"{markdown[: match.end()]}\n{lead}{markdown[match.end() :]}"


@dataclass
class _Reader:
    """One pass over the body. Output is kept as blocks: a component's opening or closing tag
    on a line of its own ends a block, and each block is dedented on its own, since Markdown
    inside a component is indented by the component's nesting, not by what it says."""

    text: str
    position: int = 0
    blocks: list[list[str]] = field(default_factory=lambda: [[]])

    def read(self) -> None:
        while self.position < len(self.text):
            if self._at_line_start() and self._line_statement():
                continue
            char = self.text[self.position]
            if char == "`":
                self._code_span()
            elif char == "{":
                self._expression()
            elif char == "<":
                self._tag()
            else:
                self._emit(char)
                self.position += 1

    def markdown(self) -> str:
        parts = [textwrap.dedent("".join(block)).strip("\n") for block in self.blocks]
        text = "\n\n".join(part for part in parts if part.strip())
        return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text).strip() + "\n"

    # -- line-level constructs ------------------------------------------------------------
    def _at_line_start(self) -> bool:
        return self.position == 0 or self.text[self.position - 1] == "\n"

    def _line_statement(self) -> bool:
        """An import/export statement, a code fence or an admonition marker at this line."""
        line_end = self._line_end(self.position)
        line = self.text[self.position : line_end]
        if _ESM_START.match(line):
            self.position = self._statement_end(self.position)
            return True
        fence = _FENCE_OPEN.match(line)
        if fence:
            end = self._fence_end(line_end, fence.group(1))
            self._emit(self.text[self.position : end])
            self.position = end
            return True
        admonition = _ADMONITION.match(line)
        if admonition:
            self._break_block()
            label = admonition.group(2) or admonition.group(3)
            if label:
                self._emit(label.strip() + "\n")
                self._break_block()
            self.position = min(line_end + 1, len(self.text))
            return True
        return False

    def _line_end(self, start: int) -> int:
        end = self.text.find("\n", start)
        return len(self.text) if end < 0 else end

    def _statement_end(self, start: int) -> int:
        """Past an ESM statement: until its brackets close on a line that does not go on."""
        depth = 0
        position = start
        while position < len(self.text):
            line_end = self._line_end(position)
            line = self.text[position:line_end]
            depth += sum(line.count(c) for c in "{([") - sum(line.count(c) for c in "})]")
            position = min(line_end + 1, len(self.text))
            stripped = line.rstrip()
            if depth <= 0 and not stripped.endswith((",", "=", "=>", "(", "{", "[")):
                break
        return position

    def _fence_end(self, line_end: int, marker: str) -> int:
        closing = re.compile(rf"^[ \t]*{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$")
        position = min(line_end + 1, len(self.text))
        while position < len(self.text):
            end = self._line_end(position)
            if closing.match(self.text[position:end]):
                return min(end + 1, len(self.text))
            position = end + 1
        return len(self.text)

    # -- inline constructs ----------------------------------------------------------------
    def _code_span(self) -> None:
        run = 1
        while self.text.startswith("`", self.position + run):
            run += 1
        ticks = "`" * run
        close = self.text.find(ticks, self.position + len(ticks))
        # An unmatched run of backticks is literal text, as in Markdown.
        end = self.position + len(ticks) if close < 0 else close + len(ticks)
        self._emit(self.text[self.position : end])
        self.position = end

    def _expression(self) -> None:
        end = _closing_brace(self.text, self.position)
        if end is None:
            self._emit("{")
            self.position += 1
            return
        string = _PLAIN_STRING.match(self.text[self.position + 1 : end])
        self.position = end + 1
        if string:
            self._emit(next(group for group in string.groups() if group is not None))
        else:
            self._close_gap()

    def _tag(self) -> None:
        autolink = _AUTOLINK.match(self.text, self.position)
        if autolink:
            self._emit(autolink.group(1))
            self.position = autolink.end()
            return
        fragment = _FRAGMENT.match(self.text, self.position)
        start = _TAG_START.match(self.text, self.position)
        end: int | None = None
        if fragment:
            end = fragment.end() - 1
        elif start:
            end = _tag_end(self.text, self.position)
        if end is None:
            # "a < b" and the like: a plain less-than sign.
            self._emit("<")
            self.position += 1
            return
        tag = self.text[self.position : end + 1]
        alone = self._alone_on_line(end)
        if alone:
            self._break_block()
        opening = start is not None and not start.group(1) and not tag.endswith("/>")
        label = _LABEL.search(tag) if opening else None
        if label:
            words = next(group for group in label.groups() if group is not None)
            self._emit(words.strip() + ("\n" if alone else " "))
            if alone:
                self._break_block()
        self.position = end + 1
        if alone:
            # The line's end goes with the tag, so the next block starts on a line of its own.
            self.position = min(self._line_end(self.position) + 1, len(self.text))
        elif not label:
            self._close_gap()

    def _alone_on_line(self, end: int) -> bool:
        line_start = self.text.rfind("\n", 0, self.position) + 1
        after = self.text[end + 1 : self._line_end(end + 1)]
        return not self.text[line_start : self.position].strip() and not after.strip()

    # -- output ---------------------------------------------------------------------------
    def _emit(self, text: str) -> None:
        self.blocks[-1].append(text)

    def _close_gap(self) -> None:
        """After an inline element that left nothing, no double space and no space before
        punctuation ("holds {count} rows", "the first stage <Icon />.")."""
        block = self.blocks[-1]
        following = self.text[self.position : self.position + 1]
        if block and block[-1].endswith((" ", "\t")) and following in ("", " ", "\n", *".,;:!?)"):
            block[-1] = block[-1].rstrip(" \t")

    def _break_block(self) -> None:
        if self.blocks[-1]:
            self.blocks.append([])


def _skip_string(text: str, position: int) -> int:
    """The index just past the JS string literal opening at `position`."""
    quote = text[position]
    position += 1
    while position < len(text) and text[position] != quote:
        position += 2 if text[position] == "\\" else 1
    return position + 1


def _closing_brace(text: str, start: int) -> int | None:
    """The index of the `}` closing the expression opened at `start`, strings skipped."""
    depth = 0
    position = start
    while position < len(text):
        char = text[position]
        if char in "\"'`":
            position = _skip_string(text, position)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    return None


def _tag_end(text: str, start: int) -> int | None:
    """The index of the `>` ending the tag opened at `start`: attribute strings and `{...}`
    values (which may hold `>`, as in `onClick={() => a > b}`) skipped."""
    position = start + 1
    while position < len(text):
        char = text[position]
        if char in "\"'":
            position = _skip_string(text, position)
            continue
        if char == "{":
            end = _closing_brace(text, position)
            if end is None:
                return None
            position = end + 1
            continue
        if char == ">":
            return position
        if char == "<":
            return None
        position += 1
    return None
