"""overrides/hooks/practice.py in small projects: the generated files, stable ids across builds, the deck
cache, the markers, and `file:line: message` for a malformed card (a strict build fails)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import zipfile
from pathlib import Path

from guidelib import paths

PAGE = """---
title: Demo foundation
description: d
tags: [ann]
---

# Demo foundation

## Memory

- A billion 128-dimensional float32 vectors take 512 GB.
  { .fg-card data-q="How much memory do 10⁹ vectors of 128 dims take?" }

## Follow-up questions

??? question "Follow-up: Why compress the vectors?"
    Because 512 GB does not fit in one machine's memory.

??? question "Follow-up: When is exact search fine?"
    Offline, to measure recall.
"""

GLOSSARY = """---
title: Glossary
description: g
---

# Glossary

ANN
:   Approximate nearest neighbour search.
"""

FLASHCARDS = """---
title: Flashcards
description: f
---

# Flashcards

We have <!-- fg:card-total --> cards; the deck is <!-- fg:size-apkg -->.

<!-- fg:card-counts -->

[Deck](../assets/practice/ml-system-design-field-guide.apkg) and [CSV](../assets/practice/ml-system-design-field-guide.csv).
"""


def make_project(root: Path, page: str = PAGE) -> Path:
    docs = root / "docs"
    (docs / "foundations").mkdir(parents=True)
    (docs / "practice").mkdir()
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "foundations" / "demo.md").write_text(page, encoding="utf-8")
    (docs / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    (docs / "practice" / "flashcards.md").write_text(FLASHCARDS, encoding="utf-8")
    hooks = paths.ROOT / "overrides" / "hooks"
    config = root / "mkdocs.yml"
    config.write_text(f"""site_name: Hook test
site_url: https://guide.example/
docs_dir: docs
theme:
  name: material
  custom_dir: "{paths.ROOT / 'overrides'}"
  font: false
hooks: ["{hooks / 'practice.py'}"]
markdown_extensions: [attr_list, admonition, pymdownx.details, def_list, md_in_html]
nav: [index.md, foundations/demo.md, glossary.md, practice/flashcards.md]
""", encoding="utf-8")
    return config


def build(config: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**paths.mkdocs_env(), "FG_FLASHCARD_CACHE": str(cache)}
    return subprocess.run([str(paths.VENV_BIN / "mkdocs"), "build", "--strict", "-f", str(config)],
                          cwd=config.parent, env=env, capture_output=True, text=True, timeout=300)


def deck_notes(site: Path, tmp: Path) -> dict[str, tuple[str, str]]:
    """{guid: (front, back)} of the site's Anki package."""
    with zipfile.ZipFile(site / "assets/practice/ml-system-design-field-guide.apkg") as package:
        db = tmp / "collection.anki2"
        db.write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select guid, flds from notes").fetchall()
    return {guid: tuple(fields.split("\x1f")[:2]) for guid, fields in rows}


def test_cards_are_built_into_the_site_with_stable_ids_and_fresh_text(tmp_path):
    config = make_project(tmp_path / "p")
    docs_before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "p" / "docs").rglob("*"))
    first = build(config, tmp_path / "cache-1")
    assert first.returncode == 0, first.stderr
    site = tmp_path / "p" / "site"
    data = json.loads((site / "assets/practice/cards.json").read_text(encoding="utf-8"))
    assert data["counts"] == {"followup": 2, "fact": 1, "glossary": 1}
    ids = [c["id"] for c in data["cards"]]
    assert ids[0].startswith("fact:foundations/demo:") and ids[-1] == "glossary:ann"
    assert (site / "assets/practice/cards.js").read_text(encoding="utf-8").startswith("window.fgCardData = {")
    notes_1 = deck_notes(site, tmp_path)
    assert len(notes_1) == 4
    csv_text = (site / "assets/practice/ml-system-design-field-guide.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0] == "id,kind,question,answer,page,section,url,tags" and len(csv_text.splitlines()) == 5
    # the markers of the flashcards page are filled in, and its links to the generated files resolve
    page = (site / "practice/flashcards/index.html").read_text(encoding="utf-8")
    assert "We have 4 cards; the deck is " in page and "<!-- fg:" not in page
    assert re.search(r"<td>Follow-up questions</td><td>2</td>", page)
    assert 'href="../../assets/practice/ml-system-design-field-guide.apkg"' in page
    # the page's follow-ups are numbered, with the toolbar; nothing was written into docs/
    demo = (site / "foundations/demo/index.html").read_text(encoding="utf-8")
    assert 'Follow-up <span class="fg-followup-n">2</span>: When is exact search fine?' in demo
    assert 'data-fg-state="studied"' in demo and 'data-fg-state="attempted"' not in demo
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "p" / "docs").rglob("*")) == docs_before

    # The source changes: an answer, a definition and a fact are reworded. Same ids, new text.
    source = tmp_path / "p" / "docs" / "foundations" / "demo.md"
    source.write_text(PAGE.replace("Offline, to measure recall.", "Offline, for ground truth.")
                      .replace("take 512 GB.", "take 512 GB (decimal)."), encoding="utf-8")
    glossary = tmp_path / "p" / "docs" / "glossary.md"
    glossary.write_text(GLOSSARY.replace("Approximate nearest", "Approximate (not exact) nearest"), encoding="utf-8")
    second = build(config, tmp_path / "cache-2")  # a cold cache: the deck is generated again
    assert second.returncode == 0, second.stderr
    again = json.loads((site / "assets/practice/cards.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in again["cards"]] == ids
    changed = {c["id"]: c["a"] for c in again["cards"]}
    assert "ground truth" in changed[ids[2]] and "(decimal)" in changed[ids[0]] and "(not exact)" in changed[ids[3]]
    notes_2 = deck_notes(site, tmp_path)
    assert set(notes_2) == set(notes_1), "a re-import must update the same notes"
    assert [g for g in notes_1 if notes_1[g] != notes_2[g]] and any("ground truth" in n[1] for n in notes_2.values())


def test_an_unchanged_deck_comes_from_the_cache(tmp_path):
    config = make_project(tmp_path / "p")
    cache = tmp_path / "cache"
    first = build(config, cache)
    assert first.returncode == 0, first.stderr
    assert "Anki deck of 4 cards written" in first.stderr
    deck = (tmp_path / "p/site/assets/practice/ml-system-design-field-guide.apkg").read_bytes()
    second = build(config, cache)
    assert second.returncode == 0, second.stderr
    assert "Anki deck unchanged, taken from" in second.stderr and "written" not in second.stderr
    assert (tmp_path / "p/site/assets/practice/ml-system-design-field-guide.apkg").read_bytes() == deck
    assert len(list(cache.glob("*.apkg"))) == 1


def test_a_malformed_card_fails_the_strict_build_at_its_line(tmp_path):
    page = PAGE.replace(' data-q="How much memory do 10⁹ vectors of 128 dims take?"', "")
    page += '\n??? question "Follow-up: Why compress the vectors?"\n    Asked again.\n'
    config = make_project(tmp_path / "p", page)
    done = build(config, tmp_path / "cache")
    assert done.returncode != 0
    found = re.findall(r"practice: (\S+):(\d+): (.+)", done.stderr)
    located = [(Path(path).name, int(line), message) for path, line, message in found]
    assert located[0][:2] == ("demo.md", 12) and "has no question: add data-q" in located[0][2]
    assert located[1][:2] == ("demo.md", 22) and "asked twice on this page (also at line 16)" in located[1][2]
    assert len(located) == 2
