from baton_agent.domain import OUT_OF_DOCS_TEXT, compose_answer
from baton_retrieval.store import Hit


def hit(
    page: str, similarity: float, text: str = "Go to **Settings > Import**. Pick the file."
) -> Hit:
    return Hit(
        chunk_id=page + str(similarity),
        text=text,
        title=page.title(),
        url=f"https://h/{page}#s",
        source=f"{page}.md",
        heading=page,
        similarity=similarity,
    )


def test_low_confidence_escalates_without_guessing() -> None:
    answer = compose_answer([hit("import", 0.2)], min_confidence=0.35, max_chars=600)
    assert answer.escalate and answer.reason == "out_of_docs"
    assert answer.text == OUT_OF_DOCS_TEXT and answer.sources == ()


def test_no_hits_escalates() -> None:
    assert compose_answer([], min_confidence=0.35, max_chars=600).escalate


def test_cites_close_pages_once_each() -> None:
    hits = [hit("import", 0.8), hit("import", 0.79), hit("export", 0.77), hit("deals", 0.5)]
    answer = compose_answer(hits, min_confidence=0.35, max_chars=600)
    assert [s.title for s in answer.sources] == ["Import", "Export"]
    assert answer.confidence == 0.8 and not answer.escalate
    assert "**Settings > Import**" in answer.text


def test_long_passage_is_cut_at_a_sentence() -> None:
    text = "First sentence here. " * 60
    answer = compose_answer([hit("import", 0.9, text)], min_confidence=0.35, max_chars=200)
    assert len(answer.text) <= 202
    assert answer.text.endswith("…")
    assert "sentence here." in answer.text
