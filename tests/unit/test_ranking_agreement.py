"""How far the separate rankings agree on the first page: the confidence's only input."""

from baton_retrieval.hybrid import LexicalSnapshot, page_order, rank, ranking_agreement
from baton_retrieval.store import Hit


def hit(page: str, similarity: float, text: str, position: int = 0) -> Hit:
    return Hit(
        f"{page}-{position}",
        text,
        page.title(),
        f"https://h/{page}",
        f"{page}.md",
        "",
        similarity,
        position,
    )


def test_every_ranking_putting_the_page_first_is_full_agreement() -> None:
    assert ranking_agreement("a.md", [["a.md", "b.md"], ["a.md"], ["a.md", "c.md"]]) == 1.0


def test_places_count_by_their_reciprocal_and_absence_counts_zero() -> None:
    agreement = ranking_agreement("a.md", [["a.md"], ["b.md", "a.md"], ["c.md"]])
    assert agreement == (1 + 1 / 2 + 0) / 3


def test_a_ranking_that_found_nothing_does_not_count_against_the_page() -> None:
    # A bot without title vectors yet: the title ranking is empty, not a vote against.
    assert ranking_agreement("a.md", [["a.md"], ["a.md"], []]) == 1.0
    assert ranking_agreement("a.md", [[], []]) == 0.0


def test_pages_are_ordered_by_their_first_passage() -> None:
    assert page_order(["b.md", "a.md", "b.md", "c.md", "a.md"]) == ["b.md", "a.md", "c.md"]


def test_rank_reports_the_agreement_on_its_first_page() -> None:
    chunks = [
        hit("import", 0.0, "Import contacts from a CSV file in Settings."),
        hit("export", 0.0, "Export your contacts to a spreadsheet."),
    ]
    snapshot = LexicalSnapshot.build("r1", chunks)
    dense = [hit("import", 0.7, chunks[0].text), hit("export", 0.6, chunks[1].text)]

    agreed = rank("import contacts csv", dense, snapshot, ["import.md", "export.md"])
    split = rank("import contacts csv", dense, snapshot, ["export.md", "import.md"])

    assert agreed.pages[0].source == "import.md" and agreed.agreement == 1.0
    # The title ranking puts the page second: one of three rankings at half weight.
    assert split.pages[0].source == "import.md"
    assert split.agreement == (1 + 1 + 1 / 2) / 3


def test_the_topic_ranking_breaks_a_near_tie_between_passages_and_leaves_a_clear_lead() -> None:
    chunks = [
        hit("hub", 0.0, "Tickets overview: macros, filters, tabs and spam in one line each."),
        hit("macros", 0.0, "Macros run several ticket actions at once."),
    ]
    snapshot = LexicalSnapshot.build("r1", chunks)
    # Dense and BM25 each put a different page first: the passages alone are a near tie.
    dense = [hit("hub", 0.61, chunks[0].text), hit("macros", 0.60, chunks[1].text)]
    question = "run ticket actions on spam tickets"

    without = rank(question, dense, snapshot)
    with_topics = rank(question, dense, snapshot, topic_ranking=["macros.md", "hub.md"])

    assert without.pages[0].source == "hub.md"
    assert with_topics.pages[0].source == "macros.md"
    # The agreement (the confidence's input) reads the dense, BM25 and title rankings only.
    assert with_topics.agreement == ranking_agreement(
        "macros.md",
        [["hub.md", "macros.md"], page_order(h.source for h in snapshot.search(question, 50)), []],
    )
