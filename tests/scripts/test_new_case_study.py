"""scripts/new_case_study.py: the scaffold a first-time contributor runs.

Each test works on a copy of the repository's site sources in a temp dir, so the real mkdocs.yml,
index and docs are never touched.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
SCRIPT = ROOT / "scripts" / "new_case_study.py"
sys.path.insert(0, str(ROOT / "scripts"))

import new_case_study  # noqa: E402

ARGS = ["--title", "Sponsored listing quality", "--tags", "ads,ranking,classification", "--difficulty", "intermediate"]
PAGE = Path("docs/case-studies/sponsored-listing-quality.md")


@pytest.fixture
def repo(repo_copy) -> Path:
    return repo_copy


def scaffold(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([PY, str(SCRIPT), "--root", str(root), *args], capture_output=True, text=True,
                          input=stdin if stdin is not None else "", cwd=root, timeout=120)


def run_script(name: str, root: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([PY, str(ROOT / "scripts" / name), "--config", str(root / "mkdocs.yml"), *args],
                          capture_output=True, text=True, cwd=root, env=env, timeout=timeout)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and "node_modules" not in p.parts}


# --- what it writes ----------------------------------------------------------------------------


def test_scaffold_writes_page_nav_and_index_once(repo):
    before_config = (repo / "mkdocs.yml").read_text()
    before_index = (repo / "docs/case-studies/index.md").read_text()
    done = scaffold(repo, *ARGS)
    assert done.returncode == 0, done.stderr
    assert "Created   docs/case-studies/sponsored-listing-quality.md" in done.stdout
    assert "make check" in done.stdout and "pull request" in done.stdout

    page = (repo / PAGE).read_text()
    front = yaml.safe_load(page.split("---\n")[1])
    assert front == {"title": "Sponsored listing quality", "description": new_case_study.DEFAULT_DESCRIPTION,
                     "tags": ["ads", "ranking", "classification"], "difficulty": "intermediate", "status": "draft"}
    headings = [line[3:] for line in page.splitlines() if line.startswith("## ")]
    from check_content import TEMPLATE
    assert headings == TEMPLATE
    assert "{{" not in page

    # mkdocs.yml: exactly one added line, inside the Case studies section, after the last study (the
    # studies are grouped by problem family; a new one joins the last family until a maintainer moves it).
    after_config = (repo / "mkdocs.yml").read_text()
    diff = [d for d in difflib.ndiff(before_config.splitlines(), after_config.splitlines()) if d[:1] in "+-"]
    assert diff == ["+           - case-studies/sponsored-listing-quality.md"]
    nav = yaml.load(after_config, Loader=yaml.BaseLoader)["nav"]
    studies = next(item["Case studies"] for item in nav if isinstance(item, dict) and "Case studies" in item)
    last_family = next(iter(studies[-1].values()))
    assert last_family[-1] == "case-studies/sponsored-listing-quality.md"
    assert after_config.count("case-studies/sponsored-listing-quality.md") == 1

    # index: exactly one added row, at the end of the table of studies.
    after_index = (repo / "docs/case-studies/index.md").read_text()
    diff = [d for d in difflib.ndiff(before_index.splitlines(), after_index.splitlines()) if d[:1] in "+-"]
    assert diff == ["+ | [Sponsored listing quality](sponsored-listing-quality.md) | Draft: in progress. "
                    "| ads, ranking, classification | intermediate |"]
    rows = [line for line in after_index.splitlines() if line.startswith("| [")]
    assert rows[-1].startswith("| [Sponsored listing quality](sponsored-listing-quality.md)")


def test_scaffolded_draft_passes_make_check_and_fails_reviewed_thresholds(repo):
    assert scaffold(repo, *ARGS, "--description", "Predict clicks on ads, calibrated for the auction.").returncode == 0
    build = subprocess.run([str(ROOT / ".venv/bin/mkdocs"), "build", "--strict", "-f", str(repo / "mkdocs.yml"),
                            "-d", str(repo / "site")], capture_output=True, text=True,
                           env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), timeout=900)
    assert build.returncode == 0, build.stderr
    assert (repo / "site/case-studies/sponsored-listing-quality/index.html").is_file()
    for name, args in (("check_content.py", ()), ("check_diagrams.py", ()),
                       # the links of the page the scaffold wrote (the rest of the site is main's, which
                       # test_check_links.test_real_site_passes checks; the index row is asserted above)
                       ("check_links.py", ("--site", str(repo / "site"), "--report", str(repo / "links.json"),
                                           "--page", str(repo / PAGE), "--no-cache"))):
        done = run_script(name, repo, *args)
        assert done.returncode == 0, f"{name}:\n{done.stdout}\n{done.stderr}"

    page = repo / PAGE
    page.write_text(page.read_text().replace("status: draft", "status: reviewed"))
    done = run_script("check_content.py", repo)
    assert done.returncode == 1
    out = done.stdout
    assert "docs/case-studies/sponsored-listing-quality.md:" in out
    assert "TODO left in a reviewed page" in out
    assert "needs at least 8" in out  # follow-ups
    assert "numbered reference(s) with a URL; needs at least 12" in out
    assert "words; needs at least 4,000" in out


def test_second_run_refuses_and_keeps_the_first_file_byte_for_byte(repo):
    assert scaffold(repo, *ARGS).returncode == 0
    page = repo / PAGE
    page.write_text(page.read_text() + "\nMy first paragraph, not yet saved anywhere else.\n")
    before = snapshot(repo)
    done = scaffold(repo, *ARGS)
    assert done.returncode == 1
    assert "docs/case-studies/sponsored-listing-quality.md: already exists; refusing to overwrite it" in done.stderr
    assert snapshot(repo) == before  # the page, mkdocs.yml and the index are all untouched


def test_refuses_a_slug_already_in_the_nav_or_index(repo):
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text().replace("          - case-studies/video-recommendation.md\n",
                                                 "          - case-studies/video-recommendation.md\n"
                                                 "          - case-studies/sponsored-listing-quality.md\n"))
    assert "case-studies/sponsored-listing-quality.md" in config.read_text()
    before = snapshot(repo)
    done = scaffold(repo, *ARGS)
    assert done.returncode == 1 and "already lists case-studies/sponsored-listing-quality.md" in done.stderr
    assert snapshot(repo) == before


def test_refuses_a_title_another_study_has(repo):
    before = snapshot(repo)
    done = scaffold(repo, "--title", "Video recommendation", "--slug", "video-recs", "--tags", "recommendation",
                    "--difficulty", "advanced")
    assert done.returncode == 1 and "already has the title 'Video recommendation'" in done.stderr
    assert snapshot(repo) == before


def test_a_close_miss_gets_a_suggestion(repo):
    typo = "recom" + "endation"  # in two pieces so that codespell passes on this file
    done = scaffold(repo, "--title", "Sponsored listing quality", "--tags", f"{typo},ads", "--difficulty", "advanced")
    assert done.returncode == 2
    assert f"unknown tag '{typo}' (did you mean 'recommendation'?)" in done.stderr


def test_unknown_tag_is_rejected_with_the_valid_list_and_nothing_written(repo):
    before = snapshot(repo)
    done = scaffold(repo, "--title", "Sponsored listing quality", "--tags", "ads,recsys", "--difficulty", "advanced")
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("new_case_study: error: unknown tag 'recsys'.")  # the last line, left on screen
    vocabulary = yaml.safe_load((repo / "tags.yml").read_text())["tags"]
    for tag in vocabulary:
        assert f"\n  {tag} " in done.stderr
    assert snapshot(repo) == before


@pytest.mark.parametrize("args, message", [
    (["--title", "X y", "--tags", "ads", "--difficulty", "expert"], "difficulty must be one of: intermediate, advanced"),
    (["--title", "   ", "--tags", "ads", "--difficulty", "advanced"], "the title is empty"),
    (["--title", "!!!", "--tags", "ads", "--difficulty", "advanced"], "pass --slug"),
    (["--tags", "ads", "--difficulty", "advanced"], "missing --title (run in a terminal"),
    (["--title", "X y", "--tags", "", "--difficulty", "advanced"], "give at least one tag"),
])
def test_bad_input_is_a_usage_error(repo, args, message):
    before = snapshot(repo)
    done = scaffold(repo, *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert snapshot(repo) == before


def test_dry_run_writes_nothing(repo):
    before = snapshot(repo)
    done = scaffold(repo, *ARGS, "--dry-run")
    assert done.returncode == 0
    assert "Would create docs/case-studies/sponsored-listing-quality.md" in done.stdout
    assert snapshot(repo) == before


def test_title_with_yaml_punctuation_round_trips(repo):
    title = "Ads: click-through rate # v2"
    done = scaffold(repo, "--title", title, "--tags", "ads", "--difficulty", "advanced",
                    "--description", "Calibrated CTR: for the auction | and pacing.")
    assert done.returncode == 0, done.stderr
    page = (repo / "docs/case-studies/ads-click-through-rate-v2.md").read_text()
    front = yaml.safe_load(page.split("---\n")[1])
    assert front["title"] == title
    assert front["description"] == "Calibrated CTR: for the auction | and pacing."
    assert f"\n# {title}\n" in page
    row = (repo / "docs/case-studies/index.md").read_text().splitlines()[-1]
    assert row == (r"| [Ads: click-through rate # v2](ads-click-through-rate-v2.md) | "
                   r"Calibrated CTR: for the auction \| and pacing. | ads | advanced |")


def test_interactive_mode_asks_for_missing_values(repo, monkeypatch, capsys):
    answers = iter(["Ranking for ride pricing", "ranking, forecasting", "advanced", ""])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert new_case_study.main(["--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "Tags (from tags.yml): recommendation, search" in out
    front = yaml.safe_load((repo / "docs/case-studies/ranking-for-ride-pricing.md").read_text().split("---\n")[1])
    assert front["tags"] == ["ranking", "forecasting"] and front["difficulty"] == "advanced"


@pytest.mark.parametrize("title, slug", [
    ("Sponsored listing quality", "sponsored-listing-quality"),
    ("People You May Know", "people-you-may-know"),
    ("Café — recommendations (v2)!", "cafe-recommendations-v2"),
    ("  Spaces   and__underscores ", "spaces-and-underscores"),
    ("ETA / delivery-time prediction", "eta-delivery-time-prediction"),
])
def test_slugify(title, slug):
    assert new_case_study.slugify(title) == slug
