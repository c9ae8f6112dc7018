"""The generative answerer's prompt and how its reply is checked. Pure functions, no I/O.

The model sees numbered passages and must cite them as [n]. Only numbers it was given count:
each maps to a page, every cited page is linked once, and the markers leave the text (the
widget shows the links under the answer). A reply citing nothing valid is not used.
"""

import re
from dataclasses import dataclass

from baton_retrieval.fusion import PageMatch, page_url

NO_ANSWER = "NO_ANSWER"
MAX_PAGES = 3
CHUNKS_PER_PAGE = 2
_CITATION = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([.,;:!?])")
_DOUBLE_SPACE = re.compile(r"[ \t]{2,}")

SYSTEM_PROMPT = """You answer questions from visitors of a product's help center.
Use ONLY the numbered passages from the help docs that the user message gives you.
- Cite every passage you use with its number in square brackets, like [1] or [2].
- Keep menu paths, setting names, commands and steps exactly as the passages write them.
- Answer in plain text (no Markdown), in at most {max_chars} characters.
- If the passages do not answer the question, reply with exactly {no_answer} and nothing else.
Never use knowledge from outside the passages and never invent links."""


@dataclass(frozen=True)
class Passage:
    number: int
    page: PageMatch
    heading: str
    text: str


@dataclass(frozen=True)
class CheckedReply:
    text: str
    pages: list[PageMatch]  # cited pages, in order of first citation, each once
    no_answer: bool = False


def select_passages(pages: list[PageMatch], max_passages: int) -> list[Passage]:
    """The best chunks of the best pages, numbered from 1, best first."""
    passages: list[Passage] = []
    for page in pages[:MAX_PAGES]:
        for chunk in page.chunks[:CHUNKS_PER_PAGE]:
            if len(passages) == max_passages:
                return passages
            passages.append(
                Passage(len(passages) + 1, page, chunk.hit.heading or page.title, chunk.hit.text)
            )
    return passages


def user_prompt(question: str, passages: list[Passage]) -> str:
    blocks = [f"[{p.number}] {p.heading}\n{p.text}" for p in passages]
    return "Passages:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question}"


def check_reply(reply: str, passages: list[Passage]) -> CheckedReply:
    text = reply.strip()
    if text.strip(" .\"'`") == NO_ANSWER:
        return CheckedReply("", [], no_answer=True)
    by_number = {p.number: p.page for p in passages}
    cited: dict[str, PageMatch] = {}
    for match in _CITATION.finditer(text):
        for number in (int(n) for n in match.group(1).split(",")):
            page = by_number.get(number)
            if page is not None:
                cited.setdefault(page_url(page.url), page)
    plain = _CITATION.sub("", text)
    plain = _SPACE_BEFORE_PUNCT.sub(r"\1", _DOUBLE_SPACE.sub(" ", plain))
    plain = "\n".join(line.rstrip() for line in plain.splitlines()).strip()
    return CheckedReply(plain, list(cited.values()))
