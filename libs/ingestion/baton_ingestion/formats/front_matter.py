"""The YAML front matter of a page: what Docusaurus, Mintlify and Nextra put in its header."""

import re
from dataclasses import dataclass

import yaml

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


@dataclass(frozen=True)
class FrontMatter:
    title: str = ""
    description: str = ""
    # Docusaurus names a page in its sidebar this way when the page has no title of its own.
    sidebar_label: str = ""


def read_front_matter(text: str) -> tuple[FrontMatter, str]:
    """The page's front matter and the page without it. Front matter that is not a YAML
    mapping is dropped all the same: left in, it would be the page's first passage."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return FrontMatter(), text
    try:
        fields = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        fields = None
    if not isinstance(fields, dict):
        return FrontMatter(), text[match.end() :]
    return FrontMatter(
        title=_text(fields.get("title")),
        description=_text(fields.get("description")),
        sidebar_label=_text(fields.get("sidebar_label")),
    ), text[match.end() :]


def _text(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""
