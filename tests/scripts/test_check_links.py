"""check_links.py against broken links and anchors in corpus sites, a clean site and the real site."""

from __future__ import annotations

import json

import pytest

from conftest import assert_findings, case_path, corpus_config, run_check

import check_links

CASES = {
    "clean": [],
    "broken-relative-link": [("docs/notes.md", 7, "broken link 'foundations/metrics.md': 404")],
    "broken-anchor": [
        ("docs/notes.md", 9, "broken anchor 'index.md#no-such-heading': the target page has no id 'no-such-heading'"),
        ("docs/notes.md", 11, "broken anchor '#not-here': the target page has no id 'not-here'"),
    ],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_corpus_case(case, tmp_path, capsys):
    report = tmp_path / "links.json"
    code, findings, summary = run_check(
        check_links.main, ["--config", corpus_config(case), "--report", str(report)], capsys)
    expected = [(case_path(case, p), line, text) for p, line, text in CASES[case]]
    assert_findings(findings, expected)
    assert code == (1 if expected else 0)
    data = json.loads(report.read_text())
    assert data["failed"] == len(expected) and data["checked"] > 10  # every page and asset was fetched
    assert [(f["path"], f["line"]) for f in data["findings"]] == sorted((p, line) for p, line, _ in expected)


def test_prebuilt_site_without_index_is_a_usage_error(tmp_path, capsys):
    assert check_links.main(["--site", str(tmp_path), "--report", str(tmp_path / "r.json")]) == 2


def test_theme_anchor_filter_keeps_authored_links():
    html = ('<a href="#a" class="md-nav__link">A</a><a class="headerlink" href="#a">¶</a>'
            '<a href="#__codelineno-0-1"></a><a href="#a">authored</a><a href="../x/#b" class="md-nav__link">x</a>')
    out = check_links.strip_theme_anchors(html)
    assert out.count('href="#a"') == 1 and "__codelineno" not in out and 'href="../x/#b"' in out


def test_real_site_passes(tmp_path, capsys):
    """The repository's site, built fresh, as `make check` checks it (fails while pages are mid-edit)."""
    code, findings, _ = run_check(check_links.main, ["--report", str(tmp_path / "links.json")], capsys)
    assert code == 0, findings
