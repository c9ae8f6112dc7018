"""The menu-path line an extractive answer gets when its passages never say where to click."""

from dataclasses import replace

from baton_retrieval.extract import extract_answer
from baton_retrieval.fusion import PageMatch, ScoredChunk
from baton_retrieval.locate import has_menu_path, menu_path_sentence
from baton_retrieval.store import Hit

HOW_IT_WORKS = (
    "Every time the event occurs, the system sends a POST request with a payload to the "
    "URL of the webhook. The receiving app must answer with a 200 status."
)
WHERE_IT_LIVES = (
    "Webhooks are created by API users. An administrator can manage webhooks at "
    "Administration > Webhooks. It's possible to remove or edit them there."
)


def page(title: str, *texts: str) -> PageMatch:
    source = title.lower().replace(" ", "-") + ".md"
    chunks = [
        ScoredChunk(
            Hit(f"{source}-{n}", text, title, f"https://h/{source}#s{n}", source, "", 0.6, n),
            1.0 - n / 10,
            n,
            n,
        )
        for n, text in enumerate(texts)
    ]
    return PageMatch(source, title, f"https://h/{source}", 1.0, chunks)


def weigh(term: str) -> float:
    return 1.0


def test_an_answer_without_a_menu_path_gets_the_line_that_leads_to_the_feature() -> None:
    webhooks = page("Webhooks", HOW_IT_WORKS, WHERE_IT_LIVES)
    answer = extract_answer(
        "does the app send a request when something happens, like a webhook?",
        [webhooks],
        weigh,
        max_chars=160,
    )
    first_line, _, rest = answer.text.partition("\n\n")
    assert first_line == "An administrator can manage webhooks at Administration > Webhooks."
    assert rest.startswith("Every time the event occurs")
    assert answer.pages == [webhooks]


def test_an_answer_that_already_says_where_to_click_is_left_alone() -> None:
    webhooks = page("Webhooks", WHERE_IT_LIVES, HOW_IT_WORKS)
    answer = extract_answer("where do I manage webhooks?", [webhooks], weigh, max_chars=400)
    assert answer.text.count("Administration > Webhooks") == 1
    assert has_menu_path(answer.text)


def test_a_path_to_something_else_a_leaning_sentence_or_code_is_not_used() -> None:
    webhooks = page(
        "Webhooks",
        HOW_IT_WORKS,
        "A debit note can be created at Invoices tab > top right menu > Create Debit Note.",
        "Then, at Administration > Webhooks, click Create.",
        "```\nif ($count > 3) { webhook(); }\n```",
    )
    found = menu_path_sentence("how do webhooks work", webhooks, weigh, exclude=HOW_IT_WORKS)
    assert found is None


def test_a_step_of_another_procedure_never_leads_an_answer() -> None:
    """Found by exploratory testing: "how do I export all my contacts to CSV?" was answered
    with the CSV steps led by "Go to Settings > Data > Full export.", step 1 of the page's
    other procedure (the whole-account ZIP export)."""
    csv_steps = (
        "1. Click Contacts in the left sidebar.\n2. Click Export, then Export to CSV.\n"
        "3. Click Export."
    )
    full_export = (
        "A full account export contains all data in one ZIP file.\n\n"
        "1. Go to Settings > Data > Full export.\n2. Click Request export."
    )
    exporting = page("Exporting Data", csv_steps, full_export)
    answer = extract_answer(
        "how do I export all my contacts to CSV?", [exporting], weigh, max_chars=90
    )
    assert answer.text.startswith("1. Click Contacts"), answer.text
    assert "Full export" not in answer.text


def test_menu_paths_are_recognised_with_the_usual_separators() -> None:
    assert has_menu_path("Open Settings › Billing to change the plan.")
    assert has_menu_path("Profile → Security → Two-factor")
    assert not has_menu_path("Amounts greater than 5 (amount>5) are flagged.")


def test_a_further_passage_that_does_not_fit_never_cuts_the_best_one() -> None:
    long_intro = "Webhook payloads " + "carry every attribute of the record " * 8 + "too."
    webhooks = page("Webhooks", HOW_IT_WORKS, long_intro)
    # The long passage comes first on the page, so it would be rendered before the best one.
    webhooks.chunks[1] = replace(
        webhooks.chunks[1], hit=replace(webhooks.chunks[1].hit, position=-1)
    )
    answer = extract_answer("webhook request payload", [webhooks], weigh, max_chars=300)
    assert answer.text.endswith("The receiving app must answer with a 200 status.")
    assert "…" not in answer.text
