"""check_diagrams.py against the bad-input corpus, a clean tree and the real docs (one browser per module)."""

from __future__ import annotations

import pytest

from conftest import assert_findings, case_path, corpus_config, run_check

import check_diagrams
from guidelib import markdown as md
from guidelib.browser import launch

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


@pytest.fixture(scope="module")
def browser():
    with launch() as instance:
        yield instance


@pytest.mark.parametrize("case", sorted(CASES))
def test_corpus_case(case, browser, capsys):
    code, findings, summary = run_check(check_diagrams.main, ["--config", corpus_config(case)], capsys, browser=browser)
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
    code, findings, _ = run_check(check_diagrams.main, ["--config", str(case / "mkdocs.yml")], capsys, browser=browser)
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
    code, findings, _ = run_check(check_diagrams.main, ["--config", str(case / "mkdocs.yml")], capsys, browser=browser)
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
