"""overrides/hooks/repo_pages.py: CONTRIBUTING.md shown as a site page, with its GitHub links rewritten."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("repo_pages", ROOT / "overrides" / "hooks" / "repo_pages.py")
repo_pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(repo_pages)

BLOB = "https://github.com/org/repo/blob/main/"


@pytest.mark.parametrize("target, page, expected", [
    ("docs/case-studies/index.md", "contributing.md", "case-studies/index.md"),
    ("docs/foundations/metrics.md#ndcg", "contributing.md", "foundations/metrics.md#ndcg"),
    ("docs/foundations/metrics.md", "about/contributing.md", "../foundations/metrics.md"),
    ("tags.yml", "contributing.md", BLOB + "tags.yml"),
    ("./.github/CODEOWNERS", "contributing.md", BLOB + ".github/CODEOWNERS"),
    ("#check-your-work", "contributing.md", "#check-your-work"),
    ("https://example.org/x", "contributing.md", "https://example.org/x"),
    ("mailto:someone@example.org", "contributing.md", "mailto:someone@example.org"),
])
def test_rewrite_link(target, page, expected):
    assert repo_pages.rewrite_link(target, page, BLOB) == expected


def test_links_inside_code_fences_are_left_alone():
    lines = ["See [tags](tags.yml).", "```md", "[tags](tags.yml)", "```", "[t](docs/index.md)"]
    assert repo_pages.rewrite_lines(lines, "contributing.md", BLOB) == [
        f"See [tags]({BLOB}tags.yml).", "```md", "[tags](tags.yml)", "```", "[t](index.md)"]


def test_repo_urls_from_edit_uri():
    assert repo_pages.repo_urls("https://github.com/org/repo/edit/main/docs/") == (
        "https://github.com/org/repo/blob/main/", "https://github.com/org/repo/edit/main/")
    assert repo_pages.repo_urls("edit/main/docs/") == (None, None)


def test_built_contributing_page_shows_the_repository_file_with_site_links(site_build):
    assert site_build.returncode == 0, site_build.log
    html = (site_build.site / "contributing" / "index.html").read_text(encoding="utf-8")
    source = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    # Every H2 of CONTRIBUTING.md is a heading of the page: the page is the file, not a copy.
    for heading in re.findall(r"^## (.+)$", source, re.M):
        assert f">{heading}<" in html or f">{heading}<a" in html, heading
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert not [h for h in hrefs if h.startswith("docs/") or h.startswith("../docs/")]
    assert "../case-studies/" in hrefs  # docs/case-studies/index.md became a page link
    assert any(h.endswith("/blob/main/tags.yml") for h in hrefs)
    assert any(h.endswith("/edit/main/CONTRIBUTING.md") for h in hrefs)  # the edit button edits the real file
