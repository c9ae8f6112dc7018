"""Passages follow the document's structure: a numbered procedure is quoted from its first
step, no passage starts inside a list or a sentence, and references to text outside the quote
are dropped. Small fixture pages written for these tests."""

from baton_retrieval.extract import best_window, extract_answer, goal_term, quotable_units
from baton_retrieval.fusion import PageMatch, ScoredChunk
from baton_retrieval.passages import split_units
from baton_retrieval.store import Hit
from baton_retrieval.structure import clean_start, without_pointers

PROCEDURE = """Every workspace starts with five stages.

1. Go to Settings > Pipelines.
2. Click the pipeline you want to edit.
3. Click Add stage to create a stage.
4. Drag stages by their handle to change the order.
5. Click Save.

Tip: a stage with deals asks where they go."""


def texts(units: list) -> list[str]:  # type: ignore[type-arg]
    return [unit.text for unit in units]


def test_a_procedure_is_quoted_from_its_first_step_even_when_step_3_matches_best() -> None:
    units = split_units(PROCEDURE)
    scores = [0.1, 0.1, 0.1, 1.0, 0.1, 0.1, 0.1]  # "Add stage" is step 3
    window = best_window(units, scores, budget=140)
    assert window[0].text in ("1. Go to Settings > Pipelines.", units[0].text)
    assert "3. Click Add stage to create a stage." in texts(window)
    # the same scores without the rule would have started at step 2 or 3
    assert not window[0].text.startswith(("2.", "3."))


def test_no_passage_starts_inside_a_list_or_a_cut_sentence() -> None:
    units = split_units("and then it syncs nightly.\n\n- First bullet.\n- Second bullet.\n\nAfter.")
    starts = [index for index in range(len(units)) if clean_start(units, index)]
    assert texts([units[i] for i in starts]) == ["- First bullet.", "After."]


def test_a_chunk_that_begins_mid_procedure_offers_no_step_to_start_from() -> None:
    units = split_units(
        "4. Drag stages to reorder them.\n5. Click Save.\n\nStages are per pipeline."
    )
    assert [clean_start(units, i) for i in range(len(units))] == [False, False, True]
    window = best_window(units, [1.0, 0.9, 0.1], budget=40)
    assert texts(window) == ["Stages are per pipeline."]


def test_no_passage_ends_on_a_lead_in_cut_from_what_it_introduces() -> None:
    units = split_units(
        "Chats can be renamed or tagged.\n\n"
        "Once your chat is over, you can create a ticket for it with a single click:\n\n"
        "The Turn chat into ticket button appears as soon as the chat is finished."
    )
    # Room for two units only: the lead-in without its subject is no answer.
    budget = len(units[0].text) + len(units[1].text) + 2
    narrow = texts(best_window(units, [0.1, 1.0, 0.5], budget))
    assert units[1].text not in narrow and narrow == [units[2].text]
    # With room for the subject, the lead-in comes with it.
    assert texts(best_window(units, [0.1, 1.0, 0.5], budget=400))[-1].startswith("The Turn")
    # A chunk that stops on its lead-in (the splitter cut after it) drops it.
    cut = split_units("Chats are archived.\n\nTo turn a chat into a ticket:")
    assert texts(best_window(cut, [0.2, 1.0], budget=400)) == ["Chats are archived."]


SETTINGS_LIST = (
    "The form offers two protections against spam.\n\n"
    "- Honeypot: A hidden field that people never see. Bots fill in every field they find, so "
    "a filled honeypot rejects the submission. It needs no third-party service and nothing to "
    "configure, and it stops the simplest bots only. Turn it on under Channels > Form. Visitors "
    "using a screen reader never hear the field read out, since it is hidden from them too.\n"
    "- CAPTCHA: A challenge that proves the visitor is human. Several providers are offered, "
    "some invisible to the visitor and some showing a puzzle. Each provider needs a site key "
    "and a secret from its own console, and some need an API key as well."
)


def test_a_long_list_item_can_be_quoted_up_to_a_sentence_end_but_never_entered_midway() -> None:
    units = split_units(SETTINGS_LIST)
    # The item is split into sentences that read on as one paragraph (one block).
    assert units[1].text == "- Honeypot: A hidden field that people never see."
    honeypot = [u for u in units if u.block == units[1].block]
    assert len(honeypot) == 5 and honeypot[-1].text.startswith("Visitors using a screen")
    starts = texts([u for i, u in enumerate(units) if clean_start(units, i)])
    assert starts == [units[0].text, "- Honeypot: A hidden field that people never see."]
    # Room for the intro and two sentences of the first item: quoted up to a sentence end,
    # where the whole item (about 390 characters) did not fit at all.
    budget = sum(len(u.text) + 1 for u in units[:3])
    window = best_window(units, [1.0] * len(units), budget)
    assert texts(window) == texts(units[:3])
    form = PageMatch(
        "deals.md", "Form", "https://h/deals", 0.09, [_chunk("Form", SETTINGS_LIST, 0.09, 0)]
    )
    answer = extract_answer(
        "how do bots get stopped on the form", [form], lambda t: 1.0, max_chars=budget
    ).text
    # (led by the page's menu-path line, which the passage does not hold)
    assert answer.endswith(
        "The form offers two protections against spam.\n- Honeypot: A hidden field that people "
        "never see. Bots fill in every field they find, so a filled honeypot rejects the "
        "submission."
    )


def test_references_outside_the_quote_are_dropped() -> None:
    assert without_pointers("Set the limit (see above) before you import.") == (
        "Set the limit before you import."
    )
    assert without_pointers("Use the token, as described in the next section, to sign.") == (
        "Use the token to sign."
    )
    assert without_pointers("See the next section for details.") == ""
    assert without_pointers("For more, see below.") == ""
    # words that merely contain the pointers stay
    assert without_pointers("Above all, keep the API key secret.") == (
        "Above all, keep the API key secret."
    )
    page = "Create the key first (see the previous section).\n\nSee above for details.\n\nDone."
    assert texts(quotable_units(page)) == ["Create the key first.", "Done."]


def test_a_how_to_question_names_its_action() -> None:
    assert goal_term("How do I add a deal stage?") == "add"
    assert goal_term("how can we export contacts to CSV") == "export"
    assert goal_term("How to reset my password") == "reset"
    assert goal_term("Where do I find the API key?") is None  # names no action
    assert goal_term("What is a pipeline?") is None


def _chunk(heading: str, text: str, score: float, position: int) -> ScoredChunk:
    hit = Hit(
        f"c{position}", text, "Deals", "https://h/deals#a", "deals.md", heading, 0.5, position
    )
    return ScoredChunk(hit, score, 0, 0)


def test_the_section_that_does_what_was_asked_leads_its_neighbour() -> None:
    move = _chunk(
        "Deals > Move deals between stages",
        "Drag a deal card to another stage column. Every stage change is logged.",
        score=0.09,
        position=1,
    )
    add = _chunk(
        "Deals > Set up stages",
        "1. Go to Settings > Pipelines.\n2. Click Add stage.\n3. Click Save.",
        score=0.08,
        position=0,
    )
    page = PageMatch("deals.md", "Deals", "https://h/deals", 0.09, [move, add])
    answer = extract_answer("How do I add a deal stage?", [page], lambda term: 1.0, max_chars=90)
    assert answer.text.startswith("1. Go to Settings > Pipelines."), answer.text
    # without the action in the question, the better-scored neighbour leads as before
    other = extract_answer("deal stage changes", [page], lambda term: 1.0, max_chars=90)
    assert other.text.startswith("Drag a deal card"), other.text


def test_the_answer_leads_with_the_page_the_ranking_put_first() -> None:
    """A second page's chunk fused a hair higher and closer in meaning must not take the lead
    from the page the whole ranking (titles included) chose, which the answer cites first."""
    webhooks = ScoredChunk(
        Hit(
            "w",
            " ".join(f"Webhooks send request {n} for each chosen event type." for n in range(6)),
            "Webhooks",
            "https://h/webhooks",
            "webhooks.md",
            "",
            0.50,
            0,
        ),
        0.0900,
        0,
        0,
    )
    websocket = ScoredChunk(
        Hit(
            "s",
            " ".join(
                f"The WebSocket server tells open app {n} about new accounts." for n in range(6)
            ),
            "WebSocket",
            "https://h/websocket",
            "websocket.md",
            "",
            0.70,
            0,
        ),
        0.0905,
        1,
        1,
    )
    pages = [
        PageMatch("webhooks.md", "Webhooks", "https://h/webhooks", 0.095, [webhooks]),
        PageMatch("websocket.md", "WebSocket", "https://h/websocket", 0.0905, [websocket]),
    ]
    answer = extract_answer("notify our app of new accounts", pages, lambda t: 1.0, max_chars=400)
    assert answer.text.startswith("Webhooks send request 0"), answer.text
    assert answer.pages[0].source == "webhooks.md"


IMPORT_PAGE = """The import wizard brings contacts in from a spreadsheet. This article covers file requirements, field mapping, and duplicates.

1. Go to Settings > Import > Contacts.
2. Click Upload file and select your CSV file.
3. Confirm that the first row holds column headers, then click Next.
4. Match each column in your file to a field.
5. Choose how duplicates are handled (see "Handle duplicates" below).
6. Click Start import.

Large files run in the background."""


def test_a_procedure_that_fits_is_quoted_to_its_last_step() -> None:
    """Found by exploratory testing: the run that held most question words was the intro and
    the first steps, so the step that starts the import was never quoted."""
    units = split_units(IMPORT_PAGE)
    procedure = [u for u in units if u.numbered]
    # The intro holds the question's words; steps 5 and 6 hold none of them.
    scores = [2.0 if not u.numbered else 1.0 if u.text[0] in "1234" else 0.1 for u in units]
    budget = sum(len(u.text) + 1 for u in procedure) + 10  # the steps fit, not with the intro
    window = texts(best_window(units, scores, budget))
    assert window[0].startswith("1.") and window[-1] == "6. Click Start import.", window
    # A procedure longer than the budget is still quoted from its first step, as far as it goes.
    short = texts(best_window(units, [0.1] + [1.0] * 7, budget=120))
    assert short[0].startswith("1.") and "6. Click Start import." not in short, short


def test_a_sentence_about_the_page_and_a_named_pointer_are_dropped() -> None:
    assert texts(quotable_units(IMPORT_PAGE))[0] == (
        "The import wizard brings contacts in from a spreadsheet."
    )
    assert without_pointers(
        '5. Choose how duplicates are handled (see "Handle duplicates" below).'
    ) == ("5. Choose how duplicates are handled.")
    assert (
        without_pointers("In this guide, you will learn to export. Click Export.")
        == "Click Export."
    )
    assert without_pointers("This page covers webhooks.") == ""
    # a sentence that merely mentions an article stays
    assert without_pointers("Open the article and click Publish.") == (
        "Open the article and click Publish."
    )
