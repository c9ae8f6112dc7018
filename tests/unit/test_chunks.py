from baton_retrieval.chunks import chunk_markdown, page_title
from baton_retrieval.markdown_clean import clean_markdown

PAGE = """# Importing contacts

Bring your contacts in from a spreadsheet.

## How do I import my contacts?

1. Open **Settings > Import > Contacts**.
2. Upload a CSV file.

## Duplicates

Rows with the same e-mail are merged.
"""


def test_chunks_keep_title_heading_path_anchor_and_order() -> None:
    chunks = chunk_markdown(
        PAGE, source="importing-contacts.md", url="https://h/importing-contacts"
    )
    assert {c.title for c in chunks} == {"Importing contacts"}
    steps = next(c for c in chunks if "Settings > Import" in c.text)
    assert steps.heading == "Importing contacts > How do I import my contacts?"
    assert steps.url == "https://h/importing-contacts#how-do-i-import-my-contacts"
    assert steps.embed_text.startswith("Importing contacts\nImporting contacts > How do I")
    intro = next(c for c in chunks if "spreadsheet" in c.text)
    assert intro.url == "https://h/importing-contacts"
    assert [c.position for c in chunks] == list(range(len(chunks)))


def test_chunk_ids_are_stable_and_content_addressed() -> None:
    first = chunk_markdown(PAGE, source="a.md", url="u")
    again = chunk_markdown(PAGE, source="a.md", url="u")
    edited = chunk_markdown(PAGE.replace("merged", "skipped"), source="a.md", url="u")
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    changed = {c.chunk_id for c in first} ^ {c.chunk_id for c in edited}
    assert len(changed) == 2  # only the Duplicates chunk differs
    other_source = chunk_markdown(PAGE, source="b.md", url="u")
    assert not {c.chunk_id for c in first} & {c.chunk_id for c in other_source}


def test_title_falls_back_to_source() -> None:
    assert page_title("no heading here", fallback="x.md") == "x.md"


def test_cleaning_drops_images_link_targets_and_page_tocs() -> None:
    page = """# Import

In this article:

* [Step 1](#step-1)
* [Errors](#errors)

See [the guide](https://x.test/guide) ![shot](img/a.png) now.

!!! warning

    Revert doesn't work with updated records.

2\\. Configure cron.
"""
    cleaned = clean_markdown(page)
    assert "In this article" not in cleaned and "#step-1" not in cleaned
    assert "See the guide  now." in cleaned
    assert "Warning:\n\nRevert doesn't work with updated records." in cleaned
    assert "2. Configure cron." in cleaned


def test_front_matter_is_dropped_and_its_title_is_the_fallback() -> None:
    page = "---\nsearch:\n  boost: 2\n---\n\n# Export\n\nExport to CSV.\n"
    chunks = chunk_markdown(page, source="export.md", url="u")
    assert [c.text for c in chunks] == ["Export to CSV."]
    titled = chunk_markdown(
        "---\ntitle: 'Data export'\n---\nExport to CSV.\n", source="e.md", url="u"
    )
    assert titled[0].title == "Data export"


def test_rules_go_and_table_rows_become_items_outside_code() -> None:
    page = "# T\n\ntext\n\n----\n\n| Type | Parallel? |\n|:--|:--|\n| Exclusive | no |\n\n```\n---\n| kept |\n```\n"
    cleaned = clean_markdown(page)
    assert "----" not in cleaned and ":--" not in cleaned
    assert "- Type | Parallel?\n- Exclusive | no" in cleaned
    assert "```\n---\n| kept |\n```" in cleaned
