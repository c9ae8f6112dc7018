"""The generative answerer's prompt and citation checks."""

from baton_answering.citations import check_reply, select_passages, user_prompt
from baton_retrieval.fusion import PageMatch, ScoredChunk
from baton_retrieval.store import Hit


def page(source: str, *texts: str) -> PageMatch:
    match = PageMatch(source, source.title(), f"https://h/{source}", 1.0)
    for index, text in enumerate(texts):
        hit = Hit(f"{source}{index}", text, source.title(), f"https://h/{source}#s{index}", source,
                  f"{source.title()} > S{index}", 0.5, index)  # fmt: skip
        match.chunks.append(ScoredChunk(hit, 1.0 - index / 10, 0, 0))
    return match


PAGES = [
    page("import", "Open Settings > Import.", "CSV only.", "third"),
    page("export", "Use Export."),
]


def test_passages_are_the_best_chunks_numbered_and_the_prompt_holds_them() -> None:
    passages = select_passages(PAGES, max_passages=6)
    assert [(p.number, p.page.source, p.text) for p in passages] == [
        (1, "import", "Open Settings > Import."),
        (2, "import", "CSV only."),
        (3, "export", "Use Export."),
    ]
    prompt = user_prompt("How to import?", passages)
    assert "[1] Import > S0\nOpen Settings > Import." in prompt
    assert prompt.endswith("Question: How to import?")
    assert len(select_passages(PAGES, max_passages=1)) == 1


def test_only_given_passages_count_each_page_once_and_markers_leave_the_text() -> None:
    passages = select_passages(PAGES, max_passages=6)
    checked = check_reply("Open Settings > Import [1][2]. CSV only [2, 3] and see [7].", passages)
    assert checked.text == "Open Settings > Import. CSV only and see."
    assert [p.source for p in checked.pages] == ["import", "export"]
    assert check_reply("Nothing cited [9].", passages).pages == []
    assert check_reply(" NO_ANSWER. ", passages).no_answer
