"""check_diagrams.py against the bad-input corpus, a clean tree and the real docs (the session's one browser)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import assert_findings, case_path, corpus_config, run_check

import check_diagrams
from guidelib import markdown as md
from guidelib import mermaid

NOTES = "docs/notes.md"

CASES = {
    "clean": [],
    "mermaid-syntax-error": [(NOTES, 11, "Parse error on line 4:")],  # line 4 of the diagram = Markdown line 11
    "unknown-diagram-type": [(NOTES, 9, "No diagram type detected matching given configuration for text: flowchat LR")],
    "diagram-without-acctitle": [(NOTES, 7, "diagram has no `accTitle:` line")],
    "adhoc-classdef": [
        (NOTES, 13, "ad-hoc `classDef` in a diagram"),
        (NOTES, 14, "unknown class 'hot'"),
        (NOTES, 15, "ad-hoc `style` in a diagram"),
    ],
    "html-in-diagram-label": [(NOTES, 11, "raw HTML `<b>`"), (NOTES, 11, "raw HTML `</b>`")],
    "onerror-handler": [(NOTES, 13, "raw HTML `<img src=x onerror=alert(1)>`")],
    "non-utf8-file": [(NOTES, 7, "file is not valid UTF-8")],
}


@pytest.fixture
def browser(chromium):
    """The session's one Chromium (tests/conftest.py): a second playwright in the same worker cannot start."""
    return chromium


@pytest.mark.parametrize("case", sorted(CASES))
def test_corpus_case(case, browser, capsys):
    code, findings, summary = run_check(check_diagrams.main, ["--config", corpus_config(case), "--no-cache"], capsys,
                                       browser=browser)
    assert_findings(findings, [(case_path(case, p), line, text) for p, line, text in CASES[case]])
    assert code == (1 if CASES[case] else 0)
    assert summary.startswith("diagrams: ")


def test_error_line_maps_through_comments_and_snippets(tmp_case, browser, capsys):
    """Mermaid drops %% comment lines before numbering; the palette snippet adds 5 lines."""
    case = tmp_case("clean")
    (case / "docs" / "notes.md").write_text(
        "---\ntitle: Notes\ndescription: d\n---\n# Notes\n\n```mermaid\nflowchart LR\n  accTitle: t\n"
        "  %% a comment Mermaid removes\n  accDescr: d\n  --8<-- \"mermaid-palette.mmd\"\n  A --> B[oops\n```\n"
    )
    code, findings, _ = run_check(check_diagrams.main, ["--config", str(case / "mkdocs.yml"), "--no-cache"], capsys,
                               browser=browser)
    assert code == 1
    assert [(f[0].endswith("docs/notes.md"), f[1]) for f in findings] == [(True, 13)], findings
    assert "Parse error" in findings[0][2]


def test_render_failure_is_reported(tmp_case, browser, capsys):
    """A diagram that parses but cannot be rendered (a subgraph that is its own parent)."""
    case = tmp_case("clean")
    (case / "docs" / "notes.md").write_text(
        "---\ntitle: Notes\ndescription: d\n---\n# Notes\n\n```mermaid\nflowchart LR\n  accTitle: t\n  accDescr: d\n"
        "  subgraph A\n    A --> B\n  end\n  --8<-- \"mermaid-palette.mmd\"\n```\n"
    )
    code, findings, _ = run_check(check_diagrams.main, ["--config", str(case / "mkdocs.yml"), "--no-cache"], capsys,
                               browser=browser)
    assert code == 1 and len(findings) == 1 and findings[0][1] == 7, findings
    assert findings[0][2].startswith("Mermaid could not render the diagram:")


def test_visible_lines_follow_mermaid_preprocessing():
    lines = md.source_lines("\n%%{init: {}}%%\nflowchart LR\n\n  %% note\n  A --> B", md.Path("x.md"))
    visible = check_diagrams.visible_lines(lines)
    # the directive leaves a blank line that is trimmed; the blank line before a comment goes with it
    assert [line.lineno for line in visible] == [3, 6]


def test_real_docs_pass(browser, capsys):
    """The repository's own diagrams, as `make check` runs it (fails while pages are mid-edit)."""
    code, findings, summary = run_check(check_diagrams.main, [], capsys, browser=browser)
    assert code == 0, findings


# --- scheduling, duplicates and the result cache ---------------------------------------------------------

PAGE = "---\ntitle: {title}\ndescription: d\n---\n# {title}\n\n```mermaid\n{diagram}\n```\n"
GOOD = "flowchart LR\n  accTitle: t\n  accDescr: d\n  A[Start] --> B[{label}]\n  --8<-- \"mermaid-palette.mmd\""
BROKEN = "flowchart LR\n  accTitle: t\n  accDescr: d\n  A[Start --> B\n  --8<-- \"mermaid-palette.mmd\""


@pytest.fixture
def spy(monkeypatch):
    """The diagram texts each run hands to Mermaid (a list per guidelib.mermaid.run call; light variants)."""
    calls = []
    real = mermaid.run

    def recording(items, browser, jobs):
        calls.append([item["source"] for item in items if item["theme"] == "light"])
        assert sorted(item["theme"] for item in items) == sorted(mermaid.THEMES * (len(items) // 2))
        return real(items, browser, jobs)

    monkeypatch.setattr(mermaid, "run", recording)
    return calls


def svgs(cache):
    return sorted(cache.glob("*.svg")) if cache.exists() else []


def write_page(case, name, diagram, title="Notes"):
    (case / "docs" / name).write_text(PAGE.format(title=title, diagram=diagram), encoding="utf-8")


@pytest.fixture
def one_diagram(tmp_case):
    """The clean case with its home-page diagram removed: notes.md holds the only diagram."""
    case = tmp_case("clean")
    (case / "docs" / "index.md").write_text("---\ntitle: Home\ndescription: d\n---\n# Home\n\nText.\n")
    return case


def run_cached(case, cache, browser, capsys, *extra):
    return run_check(check_diagrams.main, ["--config", str(case / "mkdocs.yml"), "--cache-dir", str(cache), *extra],
                     capsys, browser=browser)


def test_work_queue_hands_out_every_item_once_biggest_first_and_collects_results():
    items = [{"key": i, "source": "x" * (i % 7)} for i in range(50)]
    queue = mermaid.WorkQueue(items, workers=2)
    handed, sizes, results = [], [], None
    while True:
        batch = queue.exchange(results)
        if not batch:
            break
        sizes.append(len(batch))
        handed.extend(batch)
        results = [{"key": item["key"], "stage": None, "message": None} for item in batch]
    assert sorted(item["key"] for item in handed) == list(range(50))
    assert [len(item["source"]) for item in handed] == sorted((len(i["source"]) for i in items), reverse=True)
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] == 1 and max(sizes) <= mermaid.MAX_BATCH
    assert sorted(r["key"] for r in queue.results) == list(range(50))


def test_duplicate_diagram_is_rendered_once_and_reported_everywhere(tmp_case, browser, capsys, spy):
    case = tmp_case("clean")
    write_page(case, "notes.md", BROKEN)
    write_page(case, "index.md", BROKEN, title="Home")
    code, findings, summary = run_check(check_diagrams.main, ["--config", str(case / "mkdocs.yml"), "--no-cache"],
                                        capsys, browser=browser)
    assert code == 1 and summary.startswith("diagrams: 2 checked, 2 failed")
    assert sorted((f[0].rsplit("/", 1)[-1], f[1]) for f in findings) == [("index.md", 12), ("notes.md", 12)], findings
    assert all("Parse error" in f[2] for f in findings)
    assert [len(sources) for sources in spy] == [1]


def test_cached_success_is_reused_and_a_changed_diagram_is_checked_again(one_diagram, tmp_path, browser, capsys, spy):
    case, cache = one_diagram, tmp_path / "cache"
    write_page(case, "notes.md", GOOD.format(label="End"))
    assert run_cached(case, cache, browser, capsys)[0] == 0
    first = spy[-1]
    assert len(first) == 1 and "B[End]" in first[0]
    assert len(svgs(cache)) == 2  # light and dark, kept for the build

    code, findings, summary = run_cached(case, cache, browser, capsys)
    assert (code, findings, spy[-1]) == (0, [], [])  # nothing handed to Mermaid
    assert summary.startswith("diagrams: 1 checked, 0 failed")

    write_page(case, "notes.md", GOOD.format(label="Finish"))
    assert run_cached(case, cache, browser, capsys)[0] == 0
    assert len(spy[-1]) == 1 and "B[Finish]" in spy[-1][0]

    write_page(case, "notes.md", GOOD.format(label="End"))  # back to a text that passed before
    assert run_cached(case, cache, browser, capsys)[0] == 0
    assert spy[-1] == []


def test_conventions_are_checked_even_when_mermaid_is_cached(one_diagram, tmp_path, browser, capsys, spy, monkeypatch):
    """The cache holds Mermaid's verdict only; the content rules run on every diagram every time."""
    case, cache = one_diagram, tmp_path / "cache"
    write_page(case, "notes.md", GOOD.format(label="End") + "\n  class B store")
    assert run_cached(case, cache, browser, capsys)[0] == 0
    monkeypatch.setattr(check_diagrams, "PALETTE_CLASSES", {"online", "offline", "model"})  # as if the rules changed
    code, findings, _ = run_cached(case, cache, browser, capsys)
    assert spy[-1] == []  # Mermaid's verdict came from the cache…
    assert code == 1 and [f[2].split(":")[0] for f in findings] == ["unknown class 'store'"], findings  # …not the rules


def test_failure_is_never_cached(one_diagram, tmp_path, browser, capsys, spy):
    case, cache = one_diagram, tmp_path / "cache"
    write_page(case, "notes.md", BROKEN)
    for _ in range(2):
        code, findings, _ = run_cached(case, cache, browser, capsys)
        assert code == 1 and len(findings) == 1 and "Parse error" in findings[0][2], findings
        assert len(spy[-1]) == 1  # handed to Mermaid on every run
    assert svgs(cache) == []


def test_cache_key_covers_mermaid_config_and_rules(one_diagram, tmp_path, browser, capsys, spy, monkeypatch):
    case, cache = one_diagram, tmp_path / "cache"
    write_page(case, "notes.md", GOOD.format(label="End"))
    run_cached(case, cache, browser, capsys)
    run_cached(case, cache, browser, capsys)
    assert spy[-1] == []
    monkeypatch.setattr(mermaid, "RULES_VERSION", mermaid.RULES_VERSION + 1)
    run_cached(case, cache, browser, capsys)
    assert len(spy[-1]) == 1
    monkeypatch.setattr(mermaid, "BASE_CONFIG", {**mermaid.BASE_CONFIG, "securityLevel": "antiscript"})
    run_cached(case, cache, browser, capsys)
    assert len(spy[-1]) == 1
    environment = json.loads(mermaid.environment())
    version = json.loads((mermaid.MERMAID_PACKAGE / "package.json").read_text())["version"]
    assert environment["mermaid"] == version and environment["configs"]["dark"]["securityLevel"] == "antiscript"
    assert '"antiscript"' in mermaid.harness()  # the page Mermaid runs in uses the keyed config


def test_dark_variant_uses_the_dark_palette():
    light = GOOD.format(label="End").replace('--8<-- "mermaid-palette.mmd"',
                                             (mermaid.INCLUDES / "mermaid-palette.mmd").read_text().strip())
    dark = mermaid.themed(light, "dark")
    assert dark != light and dark.count("\n") == light.count("\n")  # same lines, so error lines still match
    for line in (mermaid.INCLUDES / "mermaid-palette-dark.mmd").read_text().split("\n"):
        if line.strip():
            assert line.strip() in dark
    assert mermaid.themed(light, "light") == light


def test_mermaid_config_is_the_sites():
    """The client-side fallback (docs/javascripts/render.js) initialises Mermaid as the build does."""
    render_js = (mermaid.ROOT / "docs" / "javascripts" / "render.js").read_text(encoding="utf-8")
    found = re.search(r"const MERMAID_CONFIG = (\{.*?\});", render_js)
    assert found, "render.js no longer declares const MERMAID_CONFIG = {...};"
    assert json.loads(found.group(1)) == mermaid.BASE_CONFIG
    assert re.search(r'theme:\s*isDark\(\)\s*\?\s*"dark"\s*:\s*"default"', render_js)


def test_no_cache_checks_everything_and_writes_nothing(one_diagram, tmp_path, browser, capsys, spy):
    case, cache = one_diagram, tmp_path / "cache"
    write_page(case, "notes.md", GOOD.format(label="End"))
    run_cached(case, cache, browser, capsys)
    before = {path.name: path.read_bytes() for path in svgs(cache)}
    assert run_cached(case, cache, browser, capsys, "--no-cache")[0] == 0
    assert len(spy[-1]) == 1
    assert {path.name: path.read_bytes() for path in svgs(cache)} == before
    empty = tmp_path / "unused"
    run_cached(case, empty, browser, capsys, "--no-cache")
    assert not empty.exists()


def test_unreadable_cache_counts_as_empty(one_diagram, tmp_path, browser, capsys, spy):
    case, cache = one_diagram, tmp_path / "cache"
    write_page(case, "notes.md", GOOD.format(label="End"))
    assert run_cached(case, cache, browser, capsys)[0] == 0
    for meta in cache.glob("*.json"):
        meta.write_text("{not json")
    assert run_cached(case, cache, browser, capsys)[0] == 0
    assert len(spy[-1]) == 1
    assert all(json.loads(meta.read_text())["width"] > 0 for meta in cache.glob("*.json"))
