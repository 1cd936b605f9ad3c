"""The shared library: line origins through snippets, front matter lines, fences, links, reports."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

from guidelib import markdown as md
from guidelib.report import Report
from guidelib.site import load_project, link_url


def test_snippet_lines_remember_their_origin():
    expander = md.SnippetExpander({"base_path": ["includes"], "check_paths": True}, ROOT)
    page = Path("page.md")
    lines, errors = expander.expand(md.source_lines('a\n  --8<-- "mermaid-palette.mmd"\nb\n--8<-- "nope.mmd"', page))
    assert [str(line) for line in lines[:2]] == ["a", "  classDef online fill:#e8f0fe,stroke:#1a56db,color:#0b2e6f"]
    palette = lines[1]
    assert palette.path.name == "mermaid-palette.mmd" and palette.lineno == 1 and palette.top.lineno == 2
    assert lines[-1] == "b" and lines[-1].lineno == 3
    assert [(e.line.lineno, "nope.mmd" in e.message) for e in errors] == [(4, True)]


def test_front_matter_lines():
    fm = md.parse_front_matter(md.source_lines("---\ntitle: T\ntags:\n  - a\n  - b\n---\n# T", Path("p.md")))
    assert fm.data == {"title": "T", "tags": ["a", "b"]}
    assert (fm.line_of("title"), fm.line_of("tags", 1), fm.body_start) == (2, 5, 7)


def test_fences_inside_admonitions_and_links_outside_code():
    text = '!!! note\n    ```mermaid\n    flowchart LR\n    ```\n\n`[no](x.md)` [yes](y.md#z)\n```\n[no](w.md)\n```'
    fences, outside = md.scan_fences(md.source_lines(text, Path("p.md")))
    assert [(f.lang, f.line, f.source) for f in fences] == [("mermaid", 2, "flowchart LR"), ("", 7, "[no](w.md)")]
    assert [(link.target, link.line.lineno) for link in md.links(outside)] == [("y.md#z", 6)]


def test_link_urls_follow_mkdocs():
    project = load_project(ROOT / "tests" / "corpus" / "clean" / "mkdocs.yml")
    assert link_url(project, "notes.md", "case-studies/draft.md#x") == "case-studies/draft/#x"
    assert link_url(project, "case-studies/draft.md", "../index.md") == ""
    assert link_url(project, "notes.md", "https://example.com/") is None


def test_report_format(capsys):
    report = Report("demo", checked=3)
    report.add(ROOT / "docs" / "x.md", 4, "bad thing")
    assert report.emit() == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "docs/x.md:4: bad thing"
    assert out[1].startswith("demo: 3 checked, 1 failed, ")
