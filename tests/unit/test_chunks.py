from baton_retrieval.chunks import chunk_markdown, page_title
from baton_retrieval.fenced_pieces import whole_fences
from baton_retrieval.markdown_clean import clean_markdown
from baton_retrieval.passages import Unit, split_units

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


def is_code(unit: Unit) -> bool:
    return unit.list_id is None and unit.block == -1


def test_a_code_block_cut_by_size_is_reopened_and_closed_in_each_chunk() -> None:
    """A block longer than a chunk is cut like any text; each chunk must still read it as code,
    so the prose after it is not taken for code and the commands are not taken for prose."""
    command = "\n".join(f"--option-{n} value-{n} \\" for n in range(90))
    page = (
        "# Install\n\n## Run the server\n\n1. Start it:\n\n"
        f"~~~~bash\nserver run \\\n{command}\n-d image\n~~~~\n\n"
        "Then open the address it prints in a browser.\n"
    )
    chunks = chunk_markdown(page, source="install.md", url="https://help.example/install")
    assert len(chunks) >= 3
    for chunk in chunks:
        units = split_units(chunk.text)
        fences = [line for line in chunk.text.splitlines() if line.strip().startswith("~~~~")]
        assert len(fences) % 2 == 0, chunk.text
        prose = [unit.text for unit in units if not is_code(unit)]
        assert not any("--option-" in text for text in prose), prose
    last = split_units(chunks[-1].text)
    assert last[-1].text == "Then open the address it prints in a browser."
    assert not is_code(last[-1])
    assert all(chunk.text.count("~~~~bash") == 1 for chunk in chunks[1:])


def test_a_chunk_cut_right_after_an_opening_fence_or_before_a_closing_one_carries_no_empty_block() -> (
    None
):
    text = "Intro.\n```sh\nline one\nline two\n```\nAfter."
    pieces = ["Intro.\n```sh", "line one\nline two", "```\nAfter."]
    assert whole_fences(text, pieces) == [
        "Intro.",
        "```sh\nline one\nline two\n```",
        "After.",
    ]


def test_code_keeps_its_indentation_relative_to_its_fence() -> None:
    page = (
        "# Formula\n\n"
        "1. Write the script:\n\n"
        "   ```\n"
        "   if (status == 'New') {\n"
        "   \tassignedUserId = 'admin';\n"
        "       description = 'x';\n"
        "   }\n"
        "   ```\n\n"
        "   Then save.\n\n"
        "```json\n"
        "{\n"
        '  "a": {\n'
        '    "b": 1\n'
        "  }\n"
        "}\n"
        "```\n"
    )
    [chunk] = chunk_markdown(page, source="formula.md", url="https://help.example/formula")
    code = [unit.text for unit in split_units(chunk.text) if is_code(unit)]
    assert code == [
        "if (status == 'New') {\n\tassignedUserId = 'admin';\n    description = 'x';\n}",
        '{\n  "a": {\n    "b": 1\n  }\n}',
    ]
    assert "\u2800" not in chunk.text and "\u2801" not in chunk.text
    assert "Then save." in [unit.text for unit in split_units(chunk.text)]


def test_a_chunk_starting_on_an_indented_code_line_keeps_its_indent() -> None:
    text = "Intro.\n```\nblock {\n    inner;\n}\n```"
    assert whole_fences(text, ["Intro.\n```\nblock {", "inner;\n}\n```"]) == [
        "Intro.\n```\nblock {\n```",
        "```\n    inner;\n}\n```",
    ]
