from baton_answering.answer import (
    ASKED_FOR_HUMAN_TEXT,
    OUT_OF_DOCS_TEXT,
    Confidence,
    compose_answer,
    hand_over,
)
from baton_answering.calibration import CONFIDENCE_CURVE, ConfidenceCurve
from baton_answering.escalation_rules import Escalation
from baton_events import EscalationReason
from baton_retrieval.fusion import fuse, group_pages
from baton_retrieval.hybrid import Retrieval
from baton_retrieval.store import Hit

CONFIDENCE = Confidence(min_similarity=0.35, named_similarity=0.6)


def hit(page: str, similarity: float, text: str, position: int = 0) -> Hit:
    return Hit(
        chunk_id=f"{page}-{position}",
        text=text,
        title=page.title(),
        url=f"https://h/{page}#s{position}",
        source=f"{page}.md",
        heading=page,
        similarity=similarity,
        position=position,
    )


def retrieval(
    hits: list[Hit], unknown: list[str] | None = None, agreement: float = 1.0
) -> Retrieval:
    pages = group_pages(fuse(hits, []))
    top = max((h.similarity for h in hits), default=0.0)
    return Retrieval(pages, top, unknown or [], lambda term: 1.0, agreement)


IMPORT_STEPS = "To import contacts:\n\n1. Go to **Settings > Import**.\n2. Pick the file."


def test_low_confidence_escalates_without_guessing() -> None:
    answer = compose_answer(
        "import?",
        retrieval([hit("import", 0.2, IMPORT_STEPS)]),
        confidence=CONFIDENCE,
        max_chars=600,
    )
    assert answer.escalate and answer.reason == "out_of_docs"
    assert answer.text == OUT_OF_DOCS_TEXT and answer.sources == ()
    # A notice quotes nothing: staff see no confidence on it.
    assert answer.confidence is None


def test_no_hits_escalates() -> None:
    answer = compose_answer("x", retrieval([]), confidence=CONFIDENCE, max_chars=600)
    assert answer.escalate and answer.reason == "out_of_docs"


def test_a_name_the_docs_never_mention_needs_more_confidence() -> None:
    hits = [hit("invoices", 0.55, "Invoices can be printed to PDF.")]
    named = compose_answer(
        "Do you sync with QuickBooks?",
        retrieval(hits, unknown=["QuickBooks"]),
        confidence=CONFIDENCE,
        max_chars=600,
    )
    plain = compose_answer(
        "Can invoices be printed?", retrieval(hits), confidence=CONFIDENCE, max_chars=600
    )
    assert named.reason == "out_of_docs" and not plain.escalate


def test_answer_quotes_steps_whole_as_plain_text_and_cites_each_page_once() -> None:
    hits = [
        hit("import", 0.8, IMPORT_STEPS, 0),
        hit("import", 0.79, "Imported contacts keep their owner.", 1),
        hit("export", 0.77, "Export contacts from Settings > Export.", 0),
    ]
    answer = compose_answer(
        "how do I import contacts", retrieval(hits), confidence=CONFIDENCE, max_chars=600
    )
    assert not answer.escalate and answer.similarity == 0.8
    assert answer.confidence == CONFIDENCE_CURVE.confidence(1.0)
    assert "1. Go to Settings > Import.\n2. Pick the file." in answer.text
    assert "**" not in answer.text
    assert [s.url for s in answer.sources] == ["https://h/import", "https://h/export"]
    assert answer.source_paths == ("import.md", "export.md")
    assert answer.ranking[:2] == ("import.md", "export.md")


def test_long_paragraph_is_quoted_in_whole_sentences() -> None:
    text = "First sentence here. " * 60
    answer = compose_answer(
        "sentence", retrieval([hit("import", 0.9, text)]), confidence=CONFIDENCE, max_chars=200
    )
    assert 100 < len(answer.text) <= 200
    assert answer.text.startswith("First sentence here. First")
    assert answer.text.endswith("sentence here.")


def test_one_overlong_sentence_is_cut_at_a_word() -> None:
    text = "word " * 200
    answer = compose_answer(
        "word", retrieval([hit("import", 0.9, text)]), confidence=CONFIDENCE, max_chars=200
    )
    assert len(answer.text) <= 202 and answer.text.endswith("word …")


def test_hand_over_tells_the_visitor_a_teammate_is_coming() -> None:
    answer = hand_over(Escalation(EscalationReason.ASKED_FOR_HUMAN, "asked"))
    assert answer.escalate and answer.reason == "asked_for_human"
    assert answer.text == ASKED_FOR_HUMAN_TEXT and "teammate" in answer.text
    assert answer.sources == ()


def test_the_confidence_shown_follows_the_rankings_agreement_not_the_similarity() -> None:
    hits = [hit("import", 0.8, IMPORT_STEPS)]
    curve = ConfidenceCurve(intercept=-3.0, slope=5.0)

    def shown(agreement: float) -> float | None:
        return compose_answer(
            "how do I import contacts",
            retrieval(hits, agreement=agreement),
            confidence=CONFIDENCE,
            max_chars=600,
            curve=curve,
        ).confidence

    # The same similarity: only the rankings' agreement moves the number staff see.
    assert shown(0.2) == 0.1192
    assert shown(1.0) == 0.8808
    answer = compose_answer(
        "how", retrieval(hits, agreement=0.5), confidence=CONFIDENCE, max_chars=600
    )
    assert answer.agreement == 0.5 and answer.similarity == 0.8
