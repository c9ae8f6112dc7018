import math

from baton_retrieval.extract import best_window
from baton_retrieval.fusion import add_page_ranking, fuse, group_pages
from baton_retrieval.hybrid import LexicalSnapshot
from baton_retrieval.lexical import Bm25Index, terms
from baton_retrieval.passages import plain, split_units
from baton_retrieval.store import Hit


def hit(chunk_id: str, source: str, similarity: float = 0.0, text: str = "") -> Hit:
    return Hit(chunk_id, text, source.title(), f"https://h/{source}#a", source, "", similarity)


def test_terms_drop_filler_and_meet_inflections() -> None:
    assert terms("How do I import my contacts, please?") == ["import", "contact"]
    assert terms("importing") == ["import"]


def test_bm25_prefers_the_document_with_the_rare_word() -> None:
    index = Bm25Index(["export your data to csv", "import contacts from csv", "csv csv csv"])
    ranked = index.top("import csv", 3)
    assert ranked[0][0] == 1
    assert index.idf["import"] > index.idf["csv"]


def test_bm25_scores_are_okapi_and_ties_go_by_document_order() -> None:
    documents = ["alpha beta", "gamma beta", "alpha alpha gamma delta", "beta gamma"]
    index = Bm25Index(documents)
    lengths = [len(terms(document)) for document in documents]
    average = sum(lengths) / len(lengths)

    def okapi(doc: int, term: str) -> float:
        frequency = terms(documents[doc]).count(term)
        norm = 1 - 0.75 + 0.75 * lengths[doc] / average
        return index.idf[term] * frequency * 2.2 / (frequency + 1.2 * norm)

    scores = index.scores("alpha gamma")
    assert scores.keys() == {0, 1, 2, 3}
    for doc, score in scores.items():
        assert math.isclose(score, okapi(doc, "alpha") + okapi(doc, "gamma"))
    # Documents 1 and 3 hold the same terms: equal scores, the earlier document first.
    assert [doc for doc, _ in index.top("beta gamma", 4)][:2] == [1, 3]
    assert index.top("alpha gamma", 2) == sorted(scores.items(), key=lambda kv: -kv[1])[:2]


def test_bm25_over_empty_texts_finds_nothing() -> None:
    assert Bm25Index(["", "  "]).top("anything", 3) == []
    assert Bm25Index([]).top("anything", 3) == []


def test_rrf_rewards_agreement_and_groups_chunks_by_page() -> None:
    dense = [hit("a1", "a.md", 0.8), hit("b1", "b.md", 0.7), hit("a2", "a.md", 0.6)]
    lexical = [hit("b1", "b.md"), hit("c1", "c.md")]
    fused = fuse(dense, lexical)
    assert fused[0].hit.chunk_id == "b1"  # second in one list, first in the other
    assert fused[0].hit.similarity == 0.7  # the dense copy keeps its similarity
    pages = group_pages(fused)
    assert [p.source for p in pages] == ["b.md", "a.md", "c.md"]
    assert [c.hit.chunk_id for c in pages[1].chunks] == ["a1", "a2"]
    assert pages[1].url == "https://h/a.md"


def test_snapshot_knows_which_names_the_docs_never_mention() -> None:
    snapshot = LexicalSnapshot.build("r1", [hit("a", "a.md", text="Connect Gmail and Outlook.")])
    assert snapshot.unknown_names("Do you sync with QuickBooks or Gmail?") == ["QuickBooks"]
    assert snapshot.unknown_names("Is it HIPAA compliant? We need it.") == ["HIPAA"]
    assert snapshot.search("gmail", 5)[0].chunk_id == "a"


def test_units_keep_lists_code_and_lead_ins_as_plain_text() -> None:
    text = (
        "To install:\n\n1. Go to **Administration > Extensions**.\n2. Click *Install*.\n\n"
        "```\nphp command.php upgrade\n```\n\nDone `now`."
    )
    units = split_units(text)
    assert [u.text for u in units] == [
        "To install:",
        "1. Go to Administration > Extensions.",
        "2. Click Install.",
        "php command.php upgrade",
        "Done now.",
    ]
    assert units[0].lead_in and units[1].numbered and units[1].list_id == units[2].list_id
    assert plain("a **b** _c_ snake_case") == "a b c snake_case"


def test_best_window_is_the_most_relevant_contiguous_run_that_fits() -> None:
    units = split_units("Intro text here.\n\nNoise one.\n\nKey step.\n\nKey detail.\n\nTail.")
    scores = [0.1, 0.1, 1.0, 0.9, 0.1]
    window = best_window(units, scores, budget=26)
    assert [u.text for u in window] == ["Key step.", "Key detail."]
    assert best_window(units, scores, budget=1000) == units


def test_a_page_named_for_the_topic_wins_a_near_tie_but_not_a_clear_loss() -> None:
    dense = [hit("a1", "a.md", 0.8), hit("b1", "b.md", 0.79)]
    lexical = [hit("b1", "b.md"), hit("a1", "a.md")]
    tied = group_pages(fuse(dense, lexical))
    assert tied[0].score == tied[1].score
    boosted = add_page_ranking(tied, ["b.md", "a.md"], weight=0.3)
    assert [p.source for p in boosted] == ["b.md", "a.md"]
    clear = group_pages(fuse([hit("a1", "a.md"), hit("b1", "b.md")], [hit("a1", "a.md")]))
    assert add_page_ranking(clear, ["b.md", "a.md"], weight=0.3)[0].source == "a.md"
