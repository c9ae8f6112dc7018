"""Every supported format reads into a title and sections with heading paths and anchors."""

import pytest

from baton_ingestion.formats import UnreadableFile, format_for, read_document
from baton_retrieval.chunks import chunk_document
from tests.support.pdf import text_pdf

SPHINX_HTML = """<!doctype html><html><head><title>Importing contacts — Orbit docs</title>
<script>var tracking = 1;</script></head><body>
<nav class="sidebar"><a href="/">Home</a><a href="/export.html">Export</a></nav>
<div role="main"><section id="importing-contacts">
<h1>Importing contacts<a class="headerlink" href="#importing-contacts">¶</a></h1>
<p>Bring contacts in from a <strong>spreadsheet</strong>, then review them.</p>
<section id="steps"><h2>Steps<a class="headerlink" href="#steps">¶</a></h2>
<ol><li>Open <b>Settings &gt; Import</b>.</li><li>Upload a CSV<ul><li>UTF-8 only</li></ul></li></ol>
<pre>orbit import contacts.csv</pre>
<table><tr><th>Field</th><th>Type</th></tr><tr><td>Email</td><td>text</td></tr></table>
</section></section></div>
<footer>© Orbit</footer></body></html>"""

SPHINX_RST = """.. _importing:

Importing contacts
==================

Bring contacts in from a spreadsheet; see :ref:`the export guide <exporting>`.

.. toctree::
   :maxdepth: 1

   advanced

Steps
-----

1. Open :menuselection:`Settings --> Import`.
2. Press :guilabel:`&Upload` and pick a file.

.. note:: Rows with the same e-mail are merged.

.. code-block:: console

   $ orbit import contacts.csv
"""


def test_html_keeps_the_main_content_headings_and_their_ids() -> None:
    document = read_document("import.html", SPHINX_HTML.encode(), "html")
    assert document.title == "Importing contacts"
    intro, steps = document.sections
    assert intro.path == ("Importing contacts",) and intro.anchor == ""
    assert intro.text == "Bring contacts in from a spreadsheet, then review them."
    assert steps.path == ("Importing contacts", "Steps") and steps.anchor == "steps"
    assert "1. Open Settings > Import.\n2. Upload a CSV\n  - UTF-8 only" in steps.text
    assert "```\norbit import contacts.csv\n```" in steps.text
    assert "- Email | text" in steps.text
    whole = " ".join(s.text for s in document.sections)
    assert "tracking" not in whole and "Home" not in whole and "¶" not in whole
    assert "Orbit" not in whole  # the footer


def test_rst_reads_sphinx_roles_and_directives_as_rendered_text() -> None:
    document = read_document("import.rst", SPHINX_RST.encode(), "rst")
    assert document.title == "Importing contacts"
    intro, steps = document.sections
    assert intro.text == "Bring contacts in from a spreadsheet; see the export guide."
    assert steps.path == ("Importing contacts", "Steps") and steps.anchor == "steps"
    assert "1. Open Settings > Import." in steps.text
    assert "2. Press Upload and pick a file." in steps.text
    assert "Note: Rows with the same e-mail are merged." in steps.text
    assert "$ orbit import contacts.csv" in steps.text
    assert "advanced" not in intro.text + steps.text  # the toctree is navigation


FIGURES_AND_PROJECT_ROLES = """Chat
====

Admins find more in the :admin-docs:`chat channel documentation </channels/chat.html>`.
Unlock accounts via :docs:`the console <admin/console.html>` or :kb-x:`API`.

Once your chat is over, you can create a ticket for it with a single click:

.. figure:: /images/chat-create-ticket.jpg
   :alt: Completed chat window
   :align: center

   The Turn chat into ticket button appears as soon as the chat is finished.

.. image:: /images/decoration.png
   :alt: not a word of this is page text
"""


def test_rst_keeps_figure_captions_and_reads_a_projects_own_roles_as_their_label() -> None:
    document = read_document("chat.rst", FIGURES_AND_PROJECT_ROLES.encode(), "rst")
    (section,) = document.sections
    assert "Admins find more in the chat channel documentation." in section.text
    assert "Unlock accounts via the console or API." in section.text
    assert "single click:\n\nThe Turn chat into ticket button appears" in section.text
    assert "/images/" not in section.text and "Completed chat window" not in section.text
    assert ":admin-docs:" not in section.text and "not a word" not in section.text


SETTINGS_RST = """Ticket
======

Base
----

Ticket Hook
   The identifier for a ticket, e.g. Ticket#.

   Default: ``Ticket#``

Ticket Hook Position
   Where the ticket number is inserted in the subject.

   Right
      Adds the reference on the right.

   None
      Removes ticket references from the subject.

   .. warning::

      Keep one reference for follow-ups.

Changes apply to new tickets only.

Glossary
--------

Agent
   A teammate who answers tickets.
Customer
   Who writes in.
"""


def test_a_settings_list_reads_each_setting_once_with_its_options_on_its_line() -> None:
    document = read_document("ticket.rst", SETTINGS_RST.encode(), "rst")
    by_path = {section.path: section.text for section in document.sections}
    base = by_path[("Ticket", "Base")]
    lines = base.split("\n")
    assert lines[0] == "- Ticket Hook: The identifier for a ticket, e.g. Ticket#. Default: Ticket#"
    assert lines[1].startswith("- Ticket Hook Position: Where the ticket number is inserted")
    assert "None Removes ticket references from the subject." in lines[1]
    # The nested options are not read a second time as lines of their own.
    assert base.count("Removes ticket references") == 1 and len(lines) == 2 + 2
    assert base.endswith("Changes apply to new tickets only.")
    glossary = by_path[("Ticket", "Glossary")]
    assert glossary == "- Agent: A teammate who answers tickets.\n- Customer: Who writes in."


def test_an_admonition_without_a_title_reads_as_one_labelled_paragraph() -> None:
    page = "Mail\n====\n\n.. warning::\n\n   Keep one reference for follow-ups.\n\n   Really.\n"
    (section,) = read_document("mail.rst", page.encode(), "rst").sections
    assert section.text == "Warning: Keep one reference for follow-ups.\n\nReally."


def test_text_takes_a_short_first_line_as_title() -> None:
    document = read_document(
        "notes.txt", b"Backups\n\nWe back up nightly.\n\nKeep 30 days.", "text"
    )
    assert document.title == "Backups"
    assert document.sections[0].text == "We back up nightly.\n\nKeep 30 days."
    untitled = read_document("n.txt", b"We back up nightly. Keep 30 days.", "text")
    assert untitled.title == "N"


def test_a_page_without_a_title_is_named_by_its_file_name_in_words() -> None:
    figure_only = b".. figure:: /images/archive.png\n\nArchive mode imports old mail quietly.\n"
    document = read_document("email/archive-mode.rst", figure_only, "rst")
    assert document.title == "Archive mode"
    page = read_document("https://help.test/docs/set_up-SSO/", b"Sign in once.", "text")
    assert page.title == "Set up SSO"


def test_pdf_pages_become_sections_linked_by_page_number() -> None:
    raw = text_pdf([["Open Settings > Export."], ["Backups run nightly."]], title="Export guide")
    document = read_document("export.pdf", raw, "pdf")
    assert document.title == "Export guide"
    assert [s.anchor for s in document.sections] == ["page=1", "page=2"]
    chunks = chunk_document(document, source="export.pdf", url="https://h/export.pdf")
    assert chunks[1].url == "https://h/export.pdf#page=2"
    assert "Backups run nightly." in chunks[1].text


@pytest.mark.parametrize(
    ("name", "raw", "kind", "message"),
    [
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "pdf", "broken PDF"),
        ("fake.pdf", b"<html>not a pdf</html>", "pdf", "not a PDF"),
        ("image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "markdown", "binary"),
        ("empty.html", b"   \n", "html", "empty"),
        ("nav-only.html", b"<html><body><nav>Home</nav></body></html>", "html", "no text"),
        ("latin1.rst", "Caf\xe9\n====\n".encode("latin-1"), "rst", "UTF-8"),
    ],
)
def test_unreadable_files_say_why(name: str, raw: bytes, kind: str, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        read_document(name, raw, kind)


def test_format_by_suffix_or_content_type() -> None:
    assert format_for("guide/a.RST") == "rst"
    assert format_for("a.docx") is None
    assert format_for("https://h/docs/", "text/html; charset=utf-8") == "html"
    assert format_for("https://h/a.md", "text/plain") == "markdown"
    assert format_for("https://h/file", "application/pdf") == "pdf"


TABS_RST = """Links
=====

Context
   Where the link shows. You can select from:

   - Login Screen
   - Signup Screen

      .. tabs::

         .. tab:: Login Screen

            .. figure:: /images/login.png
               :alt: Screenshot of the login page
               :height: 540px

            The link sits under the sign-in button.

         .. tab:: Signup Screen

            Shown below the form.

.. tab-set::

   .. tab-item:: Cloud
      :sync: cloud

      Open Settings > Links.

.. unknown-widget:: some argument

   Words inside a directive nobody registered.

.. This comment is the author's, not the page's.
"""


def test_sphinx_tabs_and_unknown_directives_keep_their_words_and_no_error_report() -> None:
    (section,) = read_document("links.rst", TABS_RST.encode(), "rst").sections
    text = section.text
    # Inside a setting's definition, read whole: the tabs' labels and words, in order.
    assert "Login Screen The link sits under the sign-in button. Signup Screen Shown below" in text
    assert "Cloud\n\nOpen Settings > Links." in text
    assert "some argument\n\nWords inside a directive nobody registered." in text
    for leaked in ("ERROR", "INFO", "Unknown directive", ":height:", ".. tab", "comment is"):
        assert leaked not in text
