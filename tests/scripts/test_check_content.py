"""check_content.py against the bad-input corpus, a clean tree and the real docs."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from conftest import CORPUS, ROOT, assert_findings, case_path, corpus_config, run_check

import check_content

CS = "docs/case-studies/draft.md"

CASES = {
    "clean": [],
    "bad-front-matter-yaml": [("docs/notes.md", 3, "front matter is not valid YAML")],
    "unknown-tag": [(CS, 6, "unknown tag 'blockchain' (not in tags.yml)")],
    "bad-case-study-front-matter": [
        (CS, 1, "front matter is missing `tags` (a case study)"),
        (CS, 4, "`difficulty` must be one of intermediate, advanced (got 'easy')"),
        (CS, 5, "`status` must be one of draft, reviewed (got 'done')"),
    ],
    "missing-template-section": [(CS, 30, "missing section '## 5. Evaluation' (expected before '## 6. Serving')")],
    "sections-out-of-order": [(CS, 26, "section '## 3. Data and features' is out of order: it must come before "
                                       "'## 4. Model' (line 22)")],
    "reviewed-below-thresholds": [
        (CS, 6, "reviewed case study has 1 Mermaid diagram(s); needs at least 3"),
        (CS, 43, "no Mermaid diagram under '## 6. Serving'"),
        (CS, 51, "1 follow-up question(s)"),
        (CS, 60, "1 numbered reference(s) with a URL; needs at least 12"),
        (CS, 6, "reviewed case study has 133 words; needs at least 4,000"),
        (CS, 10, '`## Problem` has no `!!! tip "Start your attempt"` box'),
        (CS, 10, '`## Problem` has no `??? abstract "At a glance (open after your attempt)"` box'),
        (CS, 10, '`## Problem` has no `??? abstract "The 45-minute version"` box'),
    ],
    "reviewed-with-todo": [("docs/notes.md", 12, "TODO left in a reviewed page")],
    "broken-relative-link": [("docs/notes.md", 7, "link to 'foundations/metrics.md': there is no docs/foundations/metrics.md")],
    "orphan-page": [("docs/orphan.md", 1, "page is not in the nav")],
    "wrapped-reference": [
        ("docs/notes.md", 15, "citation [4] has no reference 4 (the list has 2)"),
        ("docs/notes.md", 20, "reference 1 wraps onto a line that starts with '2016.'"),
    ],
    "caret-power": [
        ("docs/notes.md", 15, "'10^10' renders wrong (pymdownx.caret reads ^…^ as superscript): write '10¹⁰'"),
        ("docs/notes.md", 15, "'10^8' renders wrong"),
    ],
    "spoiler-layout": [
        (CS, 14, 'this box comes before "Start your attempt"'),
        (CS, 14, "this box gives the answer away: make it collapsed"),
    ],
    "link-to-page-missing-from-nav": [
        ("docs/notes.md", 7, "link to extra.md, which is not in the nav"),
        ("docs/extra.md", 1, "page is not in the nav"),
    ],
    "nav-entry-without-file": [("mkdocs.yml", 24, "nav entry 'ghost.md' has no file")],
    "duplicate-title": [("docs/notes.md", 2, "duplicate title 'Home'")],
    "raw-script": [("docs/notes.md", 9, "raw <script> tag")],
    "onerror-handler": [
        ("docs/notes.md", 7, "inline event handler `onerror=`"),
        ("docs/notes.md", 13, "inline event handler `onerror=`"),  # inside a mermaid fence
    ],
    "javascript-link": [("docs/notes.md", 7, "javascript: URL")],
    "iframe": [("docs/notes.md", 7, "raw <iframe> tag")],
    "absolute-links": [
        ("docs/notes.md", 7, "absolute link '/index.md'"),
        ("docs/notes.md", 8, "absolute site URL"),
    ],
    "non-utf8-file": [("docs/notes.md", 7, "file is not valid UTF-8 (byte 0xe9 at column 4)")],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_corpus_case(case, capsys):
    code, findings, summary = run_check(check_content.main, ["--config", corpus_config(case)], capsys)
    assert_findings(findings, [(case_path(case, p), line, text) for p, line, text in CASES[case]])
    assert code == (1 if CASES[case] else 0)
    assert summary.startswith("content: ") and f", {len(CASES[case])} failed" in summary


def test_oversized_image_is_reported_where_it_is_used(tmp_case, capsys):
    case = tmp_case("oversized-image")
    (case / "docs" / "img").mkdir()
    (case / "docs" / "img" / "photo.png").write_bytes(b"\x89PNG" + bytes(600 * 1024))
    code, findings, _ = run_check(check_content.main, ["--config", str(case / "mkdocs.yml")], capsys)
    assert code == 1
    assert [(f[0].endswith("oversized-image/docs/notes.md"), f[1]) for f in findings] == [(True, 7)]
    assert "is 600 KB (limit 500 KB)" in findings[0][2]


def test_small_image_passes(tmp_case, capsys):
    case = tmp_case("oversized-image")
    (case / "docs" / "img").mkdir()
    (case / "docs" / "img" / "photo.png").write_bytes(b"\x89PNG" + bytes(10 * 1024))
    code, findings, _ = run_check(check_content.main, ["--config", str(case / "mkdocs.yml")], capsys)
    assert (code, findings) == (0, [])


def test_freshly_scaffolded_draft_passes_but_reviewed_does_not(tmp_case, capsys):
    case = tmp_case("clean")
    page = case / "docs" / "case-studies" / "draft.md"
    assert run_check(check_content.main, ["--config", str(case / "mkdocs.yml")], capsys)[0] == 0
    page.write_text(page.read_text().replace("status: draft", "status: reviewed"))
    code, findings, _ = run_check(check_content.main, ["--config", str(case / "mkdocs.yml")], capsys)
    # diagrams, serving diagram, follow-ups, references, words; the attempt box, At a glance, 45-minute box
    assert code == 1 and len(findings) == 8


def test_github_annotations(capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    check_content.main(["--config", corpus_config("raw-script")])
    out = capsys.readouterr().out
    assert "::error file=tests/corpus/raw-script/docs/notes.md,line=9," in out


def test_usage_errors_exit_2(capsys):
    assert check_content.main(["--config", str(CORPUS / "no-such-case" / "mkdocs.yml")]) == 2
    with pytest.raises(SystemExit) as exit_:
        check_content.main(["--no-such-option"])
    assert exit_.value.code == 2


def test_does_not_modify_files(capsys):
    files = sorted(p for p in (CORPUS / "onerror-handler").rglob("*") if p.is_file())
    before = [hashlib.sha256(p.read_bytes()).hexdigest() for p in files]
    check_content.main(["--config", corpus_config("onerror-handler")])
    assert before == [hashlib.sha256(p.read_bytes()).hexdigest() for p in files]


def test_real_docs_pass():
    """The repository's own docs, as `make check` runs it (fails while pages are mid-edit)."""
    done = subprocess.run([sys.executable, "scripts/check_content.py"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:]
