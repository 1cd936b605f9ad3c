"""scripts/guidelib/cards.py: cards from rendered pages, stable ids, problems at their line, the exports."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile

from guidelib import cards

MARKDOWN = """---
title: T
---

# Page

## Costs

- A fact about memory.
  { .fg-card data-q="How big is it?" }

## Follow-up questions

??? question "Follow-up: Why not exact search?"
    Because it is slow; see [ANN](../foundations/ann-search.md#hnsw) and [3].

??? question "Follow-up: What about `HNSW`?"
    Graphs.
"""

HTML = """<h1 id="page">Page</h1>
<h2 id="costs">Costs<a class="headerlink" href="#costs">&para;</a></h2>
<ul>
<li class="fg-card" data-q="How big is it?">A fact about memory.</li>
</ul>
<h2 id="follow-up-questions">Follow-up questions</h2>
<details class="question">
<summary>Follow-up: Why not exact search?</summary>
<p>Because it is slow; see <a href="../ann-search/#hnsw">ANN</a> and [<a class="fg-cite" href="#ref-x-3">3</a>].</p>
</details>
<details class="question">
<summary>Follow-up: What about <code>HNSW</code>?</summary>
<p>Graphs.</p>
</details>
"""


def info(markdown: str = MARKDOWN, **changes) -> cards.PageInfo:
    values = dict(src_uri="foundations/demo.md", url="foundations/demo/", title="Demo", tags=["ann"],
                  markdown=markdown)
    values.update(changes)
    return cards.PageInfo(**values)


def test_extract_finds_followups_and_facts_with_their_lines_sections_and_anchors():
    found, html, problems = cards.extract(HTML, info())
    assert problems == []
    assert [(c.kind, c.line, c.section) for c in found] == [
        ("fact", 10, "Costs"), ("followup", 14, "Follow-up questions"), ("followup", 17, "Follow-up questions")]
    fact, first, second = found
    assert fact.q == "How big is it?" and fact.a == "A fact about memory."
    assert first.q == "Why not exact search?" and second.q == "What about <code>HNSW</code>?"
    # links are made relative to the site root, so the drill page and the exports can resolve them
    assert 'href="foundations/ann-search/#hnsw"' in first.a and 'href="foundations/demo/#ref-x-3"' in first.a
    assert first.url == "foundations/demo/#fu-why-not-exact-search" and first.tags == ["ann"]
    # the page is numbered, anchored and gets one toolbar before the first follow-up
    assert '<details class="question" id="fu-why-not-exact-search">' in html
    assert 'Follow-up <span class="fg-followup-n">2</span>: What about <code>HNSW</code>?' in html
    assert html.count("data-fg-followups") == 1 and "2 follow-up questions" in html
    assert html.index("data-fg-followups") < html.index("<details")
    assert 'id="fact-how-big-is-it"' in html


def test_ids_depend_on_the_question_not_the_answer():
    before, _, _ = cards.extract(HTML, info())
    edited = HTML.replace("Because it is slow", "Because it reads every vector").replace("Graphs.", "A graph index.")
    after, _, _ = cards.extract(edited, info())
    assert [c.id for c in before] == [c.id for c in after]
    assert before[1].a != after[1].a and "reads every vector" in after[1].a
    # case, punctuation and spacing of the question do not matter; its words do
    respaced, _, _ = cards.extract(HTML.replace("Why not exact search?", "why  not exact search"), info())
    assert respaced[1].id == before[1].id
    reworded, _, _ = cards.extract(HTML.replace("Why not exact search?", "Why not brute force?"), info())
    assert reworded[1].id != before[1].id
    assert before[1].id == "followup:foundations/demo:" + cards.fingerprint("Why not exact search?")


def test_problems_are_reported_at_their_source_line():
    markdown = MARKDOWN.replace(' data-q="How big is it?"', "") + (
        '\n??? question "Follow-up: Why not exact search?"\n    Again.\n')
    html = HTML.replace(' data-q="How big is it?"', "") + (
        '<details class="question">\n<summary>Follow-up: Why not exact search?</summary>\n<p>Again.</p>\n</details>\n'
        '<details class="question">\n<summary>Follow-up: Empty?</summary>\n</details>\n')
    markdown += '\n??? question "Follow-up: Empty?"\n'
    found, _, problems = cards.extract(html, info(markdown=markdown))
    messages = [(p.line, p.message) for p in problems]
    assert messages[0][0] == 10 and "has no question: add data-q" in messages[0][1]
    assert messages[1][0] == 20 and "asked twice on this page (also at line 14)" in messages[1][1]
    assert messages[2][0] == 23 and "has no answer" in messages[2][1]
    assert len(problems) == 3 and [c.kind for c in found] == ["followup", "followup"]


def test_glossary_terms_become_cards_with_anchors():
    markdown = "# Glossary\n\n## A\n\nA/B test\n:   A randomised experiment. See [x](x.md).\n\nAUC\n:   Area under the curve.\n"
    html = ('<h2 id="a">A</h2>\n<dl>\n<dt>A/B test</dt>\n<dd>A randomised experiment. See <a href="../x/">x</a>.</dd>\n'
            "<dt>AUC</dt>\n<dd>Area under the curve.</dd>\n</dl>\n")
    found, out, problems = cards.extract(html, info(markdown=markdown, src_uri="glossary.md", url="glossary/",
                                                   glossary=True))
    assert problems == []
    assert [(c.id, c.q, c.line, c.section) for c in found] == [
        ("glossary:a-b-test", "A/B test", 5, "A"), ("glossary:auc", "AUC", 8, "A")]
    assert found[0].a == 'A randomised experiment. See <a href="x/">x</a>.'
    assert '<dt id="term-a-b-test">A/B test</dt>' in out and found[0].url == "glossary/#term-a-b-test"


def test_followups_in_code_examples_do_not_shift_the_lines():
    markdown = "# P\n\n```markdown\n??? question \"Follow-up: example\"\n    x\n```\n\n??? question \"Follow-up: Real?\"\n    Yes.\n"
    html = '<details class="question">\n<summary>Follow-up: Real?</summary>\n<p>Yes.</p>\n</details>\n'
    found, _, _ = cards.extract(html, info(markdown=markdown))
    assert [c.line for c in found] == [8]


def test_page_key_matches_the_browser_side():
    assert cards.page_key("index.md") == "index"
    assert cards.page_key("framework/index.md") == "framework"
    assert cards.page_key("framework/evaluation.md") == "framework/evaluation"


def sample_cards() -> list[cards.Card]:
    found, _, _ = cards.extract(HTML.replace("Graphs.", r'Graphs: <span class="arithmatex">\(O(\log n)\)</span>.'), info())
    return found


def test_apkg_has_one_note_per_card_with_guids_from_ids(tmp_path):
    deck = tmp_path / "deck.apkg"
    cards.write_apkg(sample_cards(), deck, "https://guide.example/", timestamp=1_700_000_000)
    with zipfile.ZipFile(deck) as package:
        assert "collection.anki2" in package.namelist()
        (tmp_path / "c.anki2").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "c.anki2") as db:
        notes = db.execute("select guid, flds, tags from notes order by id").fetchall()
        models = db.execute("select models from col").fetchone()[0]
    assert [n[0] for n in notes] == [cards.guid(c) for c in sample_cards()]
    assert len({n[0] for n in notes}) == 3
    front, back, source, kind, ident = notes[2][1].split("\x1f")
    assert front == "What about <code>HNSW</code>?" and kind == "Follow-up question"
    assert r"\(O(\log n)\)" in back and "arithmatex" not in back  # Anki's MathJax reads \( \)
    assert 'href="https://guide.example/foundations/demo/#fu-what-about-hnsw"' in source
    assert ident == sample_cards()[2].id and "page::foundations::demo" in notes[2][2]
    assert str(cards.MODEL_ID) in models


def test_csv_has_a_header_and_plain_text_rows():
    rows = list(csv.reader(io.StringIO(cards.to_csv(sample_cards(), "https://guide.example/"))))
    assert rows[0] == cards.CSV_FIELDS and len(rows) == 4
    row = dict(zip(rows[0], rows[2]))
    assert row["question"] == "Why not exact search?" and "<" not in row["answer"]
    assert row["url"] == "https://guide.example/foundations/demo/#fu-why-not-exact-search"
