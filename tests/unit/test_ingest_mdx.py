"""MDX pages (Docusaurus, Mintlify, Nextra styles) read as the text a visitor sees rendered."""

from pathlib import Path

from baton_ingestion.formats import format_for, read_document
from baton_ingestion.formats.mdx import mdx_to_markdown
from baton_retrieval.chunks import Document, chunk_document

FIXTURES = Path(__file__).parent / "fixtures" / "mdx"


def read(name: str) -> Document:
    return read_document(name, (FIXTURES / name).read_bytes(), "mdx")


def page_text(document: Document) -> str:
    return "\n".join(section.text for section in document.sections)


def assert_in_order(text: str, passages: list[str]) -> None:
    positions = [text.index(words) for words in passages]
    assert positions == sorted(positions)


def test_mdx_is_a_format_by_suffix_and_when_served_as_plain_text() -> None:
    assert format_for("docs/intro.mdx") == "mdx"
    assert format_for("https://h/docs/intro.mdx", "text/plain") == "mdx"


def test_docusaurus_page_keeps_front_matter_words_and_drops_code_of_the_page() -> None:
    document = read("docusaurus.mdx")
    text = page_text(document)

    assert document.title == "Export your contacts"
    assert text.startswith("Download every contact of a list as a CSV file.")
    assert "import Tabs" not in text.split("```")[0]
    assert "export const toc" not in text
    assert "sidebar_position" not in text
    # A heading id ({#export}) is not text; the heading still names the section.
    assert [section.path for section in document.sections][1] == (
        "Export your contacts",
        "Export a list",
    )
    assert "{#export}" not in text


def test_tabs_and_admonitions_keep_their_labels_and_words_in_order() -> None:
    text = page_text(read("docusaurus.mdx"))

    order = [
        "Before you start",
        "Only admins see the **Export** button.",
        "In the browser",
        "1. Open **Contacts > Lists**.",
        "2. Pick the list and click **Export**.",
        "In the desktop app",
        "Use **File > Export contacts** instead.",
    ]
    assert_in_order(text, order)
    assert ":::" not in text
    assert "<TabItem" not in text and "</Tabs>" not in text


def test_code_blocks_are_kept_verbatim_jsx_and_all() -> None:
    text = page_text(read("docusaurus.mdx"))

    assert "import React from 'react';" in text
    assert "return <Button onClick={() => run({limit: 10})}>Export</Button>;" in text


def test_expressions_keep_plain_strings_and_drop_code_and_comments() -> None:
    text = page_text(read("docusaurus.mdx"))

    assert "The file is named contacts.csv and holds rows." in text
    assert "props.count" not in text and "comes from the API" not in text


def test_self_closing_components_are_dropped() -> None:
    docusaurus, mintlify = page_text(read("docusaurus.mdx")), page_text(read("mintlify.mdx"))

    assert "open in any spreadsheet." in docusaurus and "Pro" not in docusaurus
    assert "Pipelines API" not in mintlify
    assert "move to the first stage." in mintlify


def test_mintlify_steps_and_accordions_keep_titles_and_bodies() -> None:
    document = read("mintlify.mdx")
    text = page_text(document)

    assert document.title == "Add a pipeline stage"
    order = [
        "Stages are the columns of a pipeline board.",
        "Changing stages affects every deal of the pipeline.",
        "Open the pipeline settings",
        "Go to **Settings > Pipelines** and pick the pipeline.",
        "Add the stage",
        "Click **Add stage**, type its name and press `<Enter>`.",
        'curl -X POST https://api.pipewell.io/v1/stages -d \'{"name": "Won"}\'',
        "Can I reorder stages?",
        "Yes: drag a stage's header to its new place.",
    ]
    assert_in_order(text, order)
    assert "<Step" not in text and "<Note>" not in text


def test_nextra_page_keeps_callouts_tabs_and_details() -> None:
    document = read("nextra.mdx")
    text = page_text(document)

    assert document.title == "Two-factor authentication"
    for words in (
        "Keep your recovery codes: without them a lost phone locks you out.",
        "Open the authenticator app and scan the QR code.",
        "Open Google Authenticator and tap **+**.",
        "Why is my code refused?",
        "a minute off makes every code wrong.",
    ):
        assert words in text
    assert "nextra/components" not in text and "items=" not in text


def test_less_than_signs_and_autolinks_are_text() -> None:
    text = page_text(read("nextra.mdx"))

    assert (
        "Prices are shown as a < b when a discount applies; see https://pipewell.io/pricing."
        in text
    )


def test_indented_component_bodies_are_not_read_as_code() -> None:
    markdown = mdx_to_markdown(
        "<Note>\n    Indented by the component.\n\n    - item one\n      - nested\n</Note>\n"
    )

    assert markdown == "Indented by the component.\n\n- item one\n  - nested\n"


def test_multi_line_tags_with_arrow_functions_in_attributes() -> None:
    markdown = mdx_to_markdown(
        '<Button\n  onClick={() => count > 2 && go("x > y")}\n  title="Save it"\n>\nPress it.\n</Button>\n'
    )

    assert markdown == "Save it\n\nPress it.\n"


def test_pages_chunk_into_passages() -> None:
    chunks = chunk_document(read("mintlify.mdx"), source="stages.mdx", url="https://h/stages")

    assert chunks and all("<" not in chunk.text.replace("`<Enter>`", "") for chunk in chunks)
