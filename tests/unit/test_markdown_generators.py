"""Markdown from site generators: their callout, tab, embed and TOC markup never reaches an
answer, and the words inside it are kept in order."""

from baton_retrieval.extract import quotable_units
from baton_retrieval.markdown_clean import clean_markdown
from baton_retrieval.passages import split_units


def words_of(markdown: str) -> list[str]:
    return [unit.text for unit in split_units(clean_markdown(markdown))]


def test_docusaurus_callouts_in_plain_markdown_become_a_label_and_their_words() -> None:
    page = ":::tip Before you start\n\nYou need the Export permission.\n\n:::\n\n:::note[Heads up]\nBody.\n:::\n\n:::warning\nCareful.\n:::\n"
    assert words_of(page) == [
        "Before you start:",
        "You need the Export permission.",
        "Heads up:",
        "Body.",
        "Warning:",
        "Careful.",
    ]


def test_gitbook_hints_tabs_and_embeds_keep_only_their_words() -> None:
    page = (
        '{% hint style="warning" %}\nExports stop at 10,000 rows.\n{% endhint %}\n\n'
        '{% tabs %}\n{% tab title="Web app" %}\nClick Export.\n{% endtab %}\n'
        '{% tab title="Mobile" %}\nTap Share.\n{% endtab %}\n{% endtabs %}\n\n'
        '{% embed url="https://www.youtube.com/watch?v=x" %}\n\n'
        '{% content-ref url="exporting.md" %}\n[exporting.md](exporting.md)\n{% endcontent-ref %}\n'
    )
    cleaned = clean_markdown(page)
    assert "{%" not in cleaned and "%}" not in cleaned and "youtube" not in cleaned
    assert words_of(page) == [
        "Warning:",
        "Exports stop at 10,000 rows.",
        "Web app:",
        "Click Export.",
        "Mobile:",
        "Tap Share.",
    ]


def test_hugo_shortcodes_go_but_not_inside_code() -> None:
    page = (
        '{{< callout type="info" >}}\nLarge exports are e-mailed to you.\n{{< /callout >}}\n\n'
        "{{% notice tip %}}\nUse filters first.\n{{% /notice %}}\n\n"
        "Write `{{< youtube id >}}` to embed a video.\n\n"
        "```\n{{< figure src=x >}}\n```\n"
    )
    cleaned = clean_markdown(page)
    assert "callout" not in cleaned and "notice" not in cleaned
    assert "Large exports are e-mailed to you." in cleaned and "Use filters first." in cleaned
    assert "`{{< youtube id >}}`" in cleaned  # documented syntax stays
    assert "```\n{{< figure src=x >}}\n```" in cleaned


def test_quotes_and_github_alerts_lose_their_marks() -> None:
    page = "Intro.\n\n> **Note:** backups run nightly.\n> They take an hour.\n\n> [!IMPORTANT]\n> Keep your key safe.\n"
    assert words_of(page) == [
        "Intro.",
        "Note: backups run nightly. They take an hour.",
        "Important:",
        "Keep your key safe.",
    ]


def test_toc_markers_and_lines_of_bare_tags_go_and_code_is_untouched() -> None:
    page = (
        '[[toc]]\n\n[TOC]\n\n<Tabs>\n  <TabItem value="web" label="Web">\n\nUse the browser.\n\n'
        "  </TabItem>\n</Tabs>\n\nOpen https://<your-domain>/admin to sign in.\n\n"
        "```\n> not a quote\n:::\n{% raw %}\n```\n"
    )
    cleaned = clean_markdown(page)
    assert "toc" not in cleaned.lower() and "TabItem" not in cleaned and "<Tabs>" not in cleaned
    assert "Use the browser." in cleaned
    assert "https://<your-domain>/admin" in cleaned  # a placeholder inside words stays
    assert "```\n> not a quote\n:::\n{% raw %}\n```" in cleaned


def test_a_fence_closes_only_on_a_line_of_its_own_and_may_be_indented() -> None:
    page = (
        "```\n``` inline example ```\n> quoted in code\n| a | b |\n```\n\n"
        '1. Paste the form:\n\n    ```html\n    <div>\n    <form id="lead">\n    ```\n\n'
        "> outside\n"
    )
    cleaned = clean_markdown(page)
    assert "> quoted in code\n| a | b |" in cleaned  # still code: neither unquoted nor a row
    assert '    <div>\n    <form id="lead">' in cleaned  # a nested fence's tags are code
    assert "\noutside" in cleaned and "> outside" not in cleaned


def test_a_code_block_holding_a_fence_like_line_stays_one_code_unit_in_the_answer() -> None:
    """The answer's units find fences as the cleaner does: a line that only mentions ``` inside
    a block does not end it, so the example after it is not quoted as prose or list items."""
    page = (
        "Write the template like this:\n\n"
        "````\n"
        "``` inline example ```\n"
        "- name: {{name}}\n"
        "````\n\n"
        "Then save it.\n"
    )
    assert [unit.text for unit in split_units(page)] == [
        "Write the template like this:",
        "``` inline example ```\n- name: {{name}}",
        "Then save it.",
    ]


def test_units_kept_per_chunk_come_back_whole_whatever_a_caller_did_with_them() -> None:
    page = "Open Administration > Export.\n\n- Pick the fields.\n- Click Export.\n"
    first = split_units(page)
    first.clear()
    assert [unit.text for unit in split_units(page)] == [
        "Open Administration > Export.",
        "- Pick the fields.",
        "- Click Export.",
    ]
    quoted = quotable_units(page)
    quoted.pop()
    assert len(quotable_units(page)) == 3
