"""check_links.py against broken links and anchors in corpus sites, a clean site and the real site."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import assert_findings, case_path, corpus_config, run_check

import check_links
from guidelib import site

CASES = {
    "clean": [],
    "broken-relative-link": [("docs/notes.md", 7, "broken link 'foundations/metrics.md': 404")],
    "broken-anchor": [
        ("docs/notes.md", 9, "broken anchor 'index.md#no-such-heading': the target page has no id 'no-such-heading'"),
        ("docs/notes.md", 11, "broken anchor '#not-here': the target page has no id 'not-here'"),
    ],
}


@pytest.fixture(autouse=True)
def links_cache(tmp_path, monkeypatch, request):
    """Each test remembers passing runs in its own cache (the real site's test uses the repository's)."""
    if request.node.name != "test_real_site_passes":
        monkeypatch.setenv("FG_LINKS_CACHE", str(tmp_path / "links-cache"))
    return tmp_path / "links-cache"


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
    math = ('<p>Cost <span class="arithmatex" data-rendered="true"><!--fg-math--><span class="katex">'
            '<math><mi>x</mi></math></span><!--/fg-math--></span> and <a href="#c">c</a>.</p>')
    assert check_links.strip_theme_anchors(math) == \
        '<p>Cost <span class="arithmatex" data-rendered="true"></span> and <a href="#c">c</a>.</p>'


@pytest.mark.slow
def test_real_site_passes(tmp_path, capsys):
    """The repository's site as `make check` checks it (fails while pages are mid-edit): the site `make test`
    just built (FG_SITE_DIR; a site that passed before is not crawled again), or one built fresh."""
    built = os.environ.get("FG_SITE_DIR")
    site = ["--site", built] if built and os.path.isfile(os.path.join(built, "index.html")) else []
    code, findings, _ = run_check(check_links.main, [*site, "--report", str(tmp_path / "links.json")], capsys)
    assert code == 0, findings


def built_corpus(case: str, dest: Path) -> Path:
    """The corpus case built the way check_links builds it (not strict: its broken links must survive)."""
    done = site.build(site.load_project(Path(corpus_config(case))), dest)
    assert done.returncode == 0, done.stderr
    return dest


def test_a_passing_site_is_remembered_and_a_changed_page_is_checked_again(tmp_path, capsys, links_cache):
    built = built_corpus("clean", tmp_path / "site")
    args = ["--config", corpus_config("clean"), "--site", str(built), "--report", str(tmp_path / "r.json")]
    code, findings, first = run_check(check_links.main, args, capsys)
    assert code == 0 and not findings and len(list(links_cache.glob("*.json"))) == 1
    code, findings, again = run_check(check_links.main, args, capsys)
    count = lambda summary: summary.split(" URLs")[0]  # noqa: E731
    assert code == 0 and count(again) == count(first)  # the same count, from the cache
    assert json.loads((tmp_path / "r.json").read_text())["cached"] is True
    # One changed byte in one page: checked again, and a link broken there is found.
    page = next(p for p in sorted(built.rglob("index.html")) if p.parent != built)
    page.write_text(page.read_text().replace("</body>", '<a href="../no-such-page/">x</a></body>', 1))
    code, findings, _ = run_check(check_links.main, args, capsys)
    assert code == 1 and findings
    assert len(list(links_cache.glob("*.json"))) == 1, "a failure must not be remembered"


def test_no_cache_checks_and_remembers_nothing(tmp_path, capsys, links_cache):
    built = built_corpus("clean", tmp_path / "site")
    args = ["--config", corpus_config("clean"), "--site", str(built), "--report", str(tmp_path / "r.json"), "--no-cache"]
    code, _, _ = run_check(check_links.main, args, capsys)
    assert code == 0 and not links_cache.exists()
    assert "cached" not in json.loads((tmp_path / "r.json").read_text())


def test_page_option_checks_only_that_pages_links(tmp_path, capsys):
    built = built_corpus("broken-anchor", tmp_path / "site")
    docs = os.path.dirname(corpus_config("broken-anchor"))
    base = ["--config", corpus_config("broken-anchor"), "--site", str(built), "--report", str(tmp_path / "r.json")]
    code, findings, _ = run_check(check_links.main, [*base, "--page", os.path.join(docs, "docs", "notes.md")], capsys)
    expected = [(case_path("broken-anchor", p), line, text) for p, line, text in CASES["broken-anchor"]]
    assert code == 1
    assert_findings(findings, expected)
    # The draft links to nothing broken; its neighbours' links are checked one level deep, the notes' are not.
    draft = os.path.join(docs, "docs", "case-studies", "draft.md")
    code, findings, _ = run_check(check_links.main, [*base, "--page", draft], capsys)
    assert code == 0 and not findings, findings
    assert json.loads((tmp_path / "r.json").read_text())["checked"] < 60
    assert check_links.main([*base, "--page", os.path.join(docs, "docs", "missing.md")]) == 2
