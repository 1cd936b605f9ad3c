"""The GitHub side of the contribution workflow: workflows, issue forms, PR template, owners,
pre-commit. Workflows are linted with real tools from PyPI: check-jsonschema (SchemaStore's
GitHub schemas, vendored in the package) and zizmor (GitHub Actions static analysis, --offline).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")


def tool(name: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / name), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)


def load(path: Path) -> dict:
    # BaseLoader keeps `on:` a string key (the default loader reads it as the boolean True).
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def test_the_expected_files_exist():
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "links.yml", "pages.yml"]
    assert [p.name for p in FORMS] == ["content-error.yml", "propose-case-study.yml", "site-bug.yml"]
    for name in ("PULL_REQUEST_TEMPLATE.md", "CODEOWNERS", "dependabot.yml", "zizmor.yml"):
        assert (GITHUB / name).is_file(), name
    assert (ROOT / "CODE_OF_CONDUCT.md").is_file() and (ROOT / "CONTRIBUTING.md").is_file()


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_github_workflow_schema(workflow):
    done = tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", workflow)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_pass_zizmor():
    done = tool("zizmor", "--offline", "--no-progress", ".github/workflows")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_linters_catch_a_broken_workflow(tmp_path):
    """The two linters are not rubber stamps: a misspelt key and an unpinned third-party action fail."""
    broken = tmp_path / ".github" / "workflows"
    broken.mkdir(parents=True)
    shutil.copy2(GITHUB / "zizmor.yml", tmp_path / ".github" / "zizmor.yml")
    text = (GITHUB / "workflows" / "ci.yml").read_text()
    bad_key = broken / "bad-key.yml"
    bad_key.write_text(text.replace("runs-on:", "run-on:", 1))
    done = tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", bad_key)
    assert done.returncode == 1 and "run-on" in done.stdout + done.stderr

    unpinned = broken / "unpinned.yml"
    unpinned.write_text(text.replace("uses: actions/cache@v4", "uses: someone/cache-action@v1", 1))
    done = tool("zizmor", "--offline", "--no-progress", ".github/workflows", cwd=tmp_path)
    assert done.returncode != 0 and "unpinned-uses" in done.stdout + done.stderr


@pytest.mark.parametrize("form", FORMS, ids=lambda p: p.name)
def test_issue_form_matches_the_schema(form):
    done = tool("check-jsonschema", "--builtin-schema", "vendor.github-issue-forms", form)
    assert done.returncode == 0, done.stdout + done.stderr


def test_issue_config_and_dependabot_match_their_schemas():
    for schema, path in (("vendor.github-issue-config", GITHUB / "ISSUE_TEMPLATE" / "config.yml"),
                         ("vendor.dependabot", GITHUB / "dependabot.yml")):
        done = tool("check-jsonschema", "--builtin-schema", schema, path)
        assert done.returncode == 0, done.stdout + done.stderr


def steps_of(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def test_ci_runs_make_test_on_pushes_and_pull_requests_and_keeps_the_site_and_pdf():
    ci = load(GITHUB / "workflows" / "ci.yml")
    assert "pull_request" in ci["on"] and ci["on"]["push"]["branches"] == ["main"]
    steps = steps_of(ci, "test")
    runs = [s.get("run", "") for s in steps]
    assert "make test" in runs and "make pdf" in runs
    assert runs.index("make test") < runs.index("make pdf")
    uploads = {s["with"]["name"]: s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact")}
    assert uploads["site"] == "site/" and uploads["pdf"] == "dist/ml-system-design-field-guide.pdf"
    cache_keys = " ".join(s.get("with", {}).get("key", "") + s.get("with", {}).get("cache", "") for s in steps)
    assert "hashFiles('requirements.txt')" in cache_keys and "npm" in cache_keys
    # Debian, so the Makefile's `apt-get install chromium` is Debian's Chromium, as on maintainers' machines.
    assert "bookworm" in ci["jobs"]["test"]["container"]
    assert int(ci["jobs"]["test"]["timeout-minutes"]) <= 90


def test_pages_deploys_the_site_with_the_pdf_from_main():
    pages = load(GITHUB / "workflows" / "pages.yml")
    assert pages["on"]["push"]["branches"] == ["main"]
    build = steps_of(pages, "build")
    assert any("make pdf" in s.get("run", "") for s in build)
    artifact = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert artifact["with"]["path"] == "site/"
    deploy = pages["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])


def test_links_runs_weekly_with_external_links_and_files_an_issue_on_failure():
    links = load(GITHUB / "workflows" / "links.yml")
    assert links["on"]["schedule"][0]["cron"].split()[4] in {"0", "1", "2", "3", "4", "5", "6"}
    steps = steps_of(links, "links")
    check = next(s for s in steps if "check_links.py" in s.get("run", ""))
    assert "--external" in check["run"]
    issue = next(s for s in steps if "gh issue" in s.get("run", ""))
    assert "failure()" in issue["if"] and "gh issue comment" in issue["run"] and "gh issue create" in issue["run"]
    assert links["jobs"]["links"]["permissions"]["issues"] == "write"


def test_pull_request_template_mirrors_the_checks():
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text()
    boxes = re.findall(r"^- \[ \] (.+)$", text, re.M)
    assert len(boxes) >= 10
    for needle in ("make check", "make test", "accTitle", "## 6. Serving", "6 follow-up", "5 numbered references",
                   "tags.yml", "TODO", "primary source", "own words"):
        assert needle in text, needle


def test_codeowners_patterns_name_paths_that_exist():
    for line in (GITHUB / "CODEOWNERS").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *owners = line.split()
        assert owners and all(o.startswith("@") for o in owners), line
        if pattern != "*":
            assert (ROOT / pattern.strip("/")).exists(), pattern


# --- pre-commit ------------------------------------------------------------------------------------


def test_pre_commit_config_is_valid_and_its_tools_are_installed():
    done = tool("pre-commit", "validate-config", ".pre-commit-config.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert all(repo["repo"] == "local" for repo in config["repos"])  # nothing fetched from GitHub
    for hook in hooks:
        executable = hook["entry"].split()[0]
        assert (ROOT / executable).exists() or shutil.which(executable), hook["id"]
    assert {"trailing-whitespace", "end-of-file-fixer", "check-yaml", "codespell", "check-content"} <= {h["id"] for h in hooks}


def test_codespell_passes_on_the_repository_and_catches_a_typo(tmp_path):
    done = tool("codespell")
    assert done.returncode == 0, done.stdout + done.stderr
    page = tmp_path / "page.md"
    typo = "re" + "cieve"  # spelt in two pieces so that codespell passes on this file
    page.write_text(f"# Page\n\nWe {typo} the request.\n")
    done = tool("codespell", page, cwd=tmp_path)
    assert done.returncode != 0
    assert f"{page}:3: {typo} ==> receive" in done.stdout
