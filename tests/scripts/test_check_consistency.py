"""check_consistency.py: the guide's shared constants agree; a contradiction is reported at its line."""

from __future__ import annotations

from conftest import run_check

import check_consistency


def test_real_docs_agree(capsys):
    code, findings, summary = run_check(check_consistency.main, [], capsys)
    assert (code, findings) == (0, []), findings
    assert summary.startswith("consistency: ")


def test_every_rule_finds_its_constant_in_the_guide():
    """A rule whose pattern matches nothing would pass forever: each must see the guide state its value."""
    from guidelib.paths import DOCS

    for rule in check_consistency.RULES:
        found = [m.group("value") for page in sorted(DOCS.rglob("*.md"))
                 for _line, text in check_consistency.statements(page) for m in rule.pattern.finditer(text)]
        assert found, f"rule {rule.name!r} matches nothing in docs/"


def test_a_contradiction_is_reported_with_file_and_line(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\nKeep the calibration ratio within 0.95–1.05 per city.\n")
    (docs / "b.md").write_text("# B\n\nText.\n\nAlert when the calibration ratio leaves 0.98–1.02.\n"
                               "Page when PSI above 0.2.\n\n```python\nPSI above 0.3  # code is not prose\n```\n")
    code, findings, _ = run_check(check_consistency.main, ["--docs", str(docs)], capsys)
    assert code == 1
    assert [(f[0].rsplit("/", 1)[-1], f[1]) for f in findings] == [("b.md", 5), ("b.md", 6)], findings
    assert "calibration band is 0.98–1.02 here; the guide uses" in findings[0][2] and "a.md:3" in findings[0][2]
    assert "PSI cut-off is 0.2 here" in findings[1][2]


def test_a_figure_and_its_page_must_state_the_same_numbers(tmp_path, capsys):
    docs, figures = tmp_path / "docs", tmp_path / "figures"
    docs.mkdir(), figures.mkdir()
    (figures / "drift.py").write_text('"""A figure."""\n\nPSI = 0.197\nassert round(PSI, 3) == 0.197\n'
                                      'ON_PAGE = ["0.197", "0.25"]\n')
    (figures / "plain.py").write_text('"""A simulation with no number on its page."""\n')
    (docs / "a.md").write_text("# A\n\nThe PSI is 0.197, between the cut-offs.\n\n<!-- figure: drift -->\n\n"
                               "<!-- figure: plain -->\n\n```text\n0.25 in code does not count\n```\n")
    code, findings, _ = run_check(check_consistency.main, ["--docs", str(docs)], capsys)
    assert code == 1
    assert [(f[0].rsplit("/", 1)[-1], f[1]) for f in findings] == [("drift.py", 5)], findings
    assert "the figure gives '0.25', which docs/a.md does not state" in findings[0][2]
    (docs / "a.md").write_text("# A\n\nThe PSI is 0.197, below 0.25.\n\n<!-- figure: drift -->\n")
    code, findings, _ = run_check(check_consistency.main, ["--docs", str(docs)], capsys)
    assert (code, findings) == (0, [])


def test_every_placed_figure_with_numbers_declares_them():
    """The figures whose captions quote the page's numbers list them, so the check above sees them."""
    from guidelib.paths import ROOT

    declared = {p.stem for p in (ROOT / "figures").glob("*.py") if check_consistency.on_page_numbers(p)}
    assert len(declared) >= 12, sorted(declared)
