"""Shared fixtures: strict builds of both sites, a local server, one headless Chromium.

`make test` runs pytest with pytest-xdist on two workers (`-n 2 --dist loadgroup`). Tests that share
an expensive session fixture are kept on one worker by an xdist group (see pytest_collection_modifyitems):
`mkdocs serve` and the whole-book PDF are each made once. Tests that need a built site or Chromium
are marked `slow`; `make test-fast` runs the rest.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from guidelib import browser, paths  # noqa: E402
from guidelib.site import serve  # noqa: E402


@dataclass
class Build:
    config: str
    site: Path
    returncode: int
    log: str


def build_site(config: str, dest: Path) -> Build:
    """Run `mkdocs build --strict` the way `make build` does, into `dest`."""
    proc = subprocess.run(
        [str(paths.VENV_BIN / "mkdocs"), "build", "--strict", "--clean", "-f", config, "-d", str(dest)],
        cwd=paths.ROOT,
        env=paths.mkdocs_env(),
        capture_output=True,
        text=True,
    )
    return Build(config, dest, proc.returncode, proc.stdout + proc.stderr)


def prebuilt(config: str, directory: str, log: str) -> Build | None:
    """The build `make test` made just before pytest (`make check` and `make offline`), if it says so.

    The Makefile passes FG_SITE_DIR/FG_SITE_LOG and FG_OFFLINE_DIR/FG_OFFLINE_LOG: the strict build's
    output directory and everything it printed. Run on its own, pytest builds both sites itself.
    """
    site, text = os.environ.get(directory), os.environ.get(log)
    if not site or not text:
        return None
    site_path, log_path = Path(site), Path(text)
    if not (site_path / "index.html").is_file() or not log_path.is_file():
        return None
    return Build(config, site_path.resolve(), 0, log_path.read_text(encoding="utf-8", errors="replace"))


@pytest.fixture(scope="session")
def site_build(tmp_path_factory) -> Build:
    return prebuilt("mkdocs.yml", "FG_SITE_DIR", "FG_SITE_LOG") \
        or build_site("mkdocs.yml", tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def offline_build(tmp_path_factory) -> Build:
    return prebuilt("mkdocs.offline.yml", "FG_OFFLINE_DIR", "FG_OFFLINE_LOG") \
        or build_site("mkdocs.offline.yml", tmp_path_factory.mktemp("offline"))


@pytest.fixture(scope="session")
def site_url(site_build) -> str:
    assert site_build.returncode == 0, site_build.log
    with serve(site_build.site) as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    with browser.launch() as instance:
        yield instance


# Fixtures that make a test slow (a build, a browser, a server, the PDF); `make test-fast` skips them.
SLOW_FIXTURES = {"site_build", "offline_build", "site_url", "chromium", "served_url", "pdf_build", "reader",
                 "page_texts", "tiny", "repo", "repo_copy", "built"}
# Tests that build a site, start Chromium or run linkchecker in a subprocess, without a fixture saying so.
SLOW_PATHS = ("tests/site/", "tests/scripts/test_check_diagrams.py", "tests/overrides/test_diagrams_hook.py",
              "tests/scripts/test_check_links.py", "tests/scripts/test_corpus.py")
# Session fixtures made once per run: every test using one goes to the same xdist worker.
GROUPS = {"served_url": "serve", "pdf_build": "pdf"}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks
def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        where = Path(str(item.fspath)).resolve().relative_to(ROOT).as_posix()
        if names & SLOW_FIXTURES or where.startswith(SLOW_PATHS):
            item.add_marker(pytest.mark.slow)
        for fixture, group in GROUPS.items():
            if fixture in names:
                item.add_marker(pytest.mark.xdist_group(group))
                break


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def served_url() -> str:
    """The site as `make serve` runs it: `mkdocs serve` on 127.0.0.1.

    Instant navigation needs this: Material matches links against sitemap URLs whose host and
    port come from site_url, and `mkdocs serve` rewrites site_url to the address it serves on.
    """
    port = free_port()
    proc = subprocess.Popen(
        [str(paths.VENV_BIN / "mkdocs"), "serve", "--no-livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=paths.ROOT,
        env=paths.mkdocs_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "sitemap.xml", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"mkdocs serve did not start:\n{proc.stdout.read()}")
                time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# --- helpers for the checks' tests (tests/scripts/test_check_*.py) -----------------------------------

import re  # noqa: E402
import shutil  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
FINDING = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+): (?P<message>.+)$")


def corpus_config(case: str) -> str:
    return str(CORPUS / case / "mkdocs.yml")


def case_path(case: str, rel: str) -> str:
    """How a check prints a corpus file: relative to the repository root."""
    return f"tests/corpus/{case}/{rel}"


def run_check(main, argv, capsys, **kwargs):
    """(exit code, [(path, line, message)], summary line) of one in-process run of a check."""
    code = main(argv, **kwargs)
    out = capsys.readouterr().out.splitlines()
    findings = [(m["path"], int(m["line"]), m["message"]) for m in map(FINDING.match, out) if m]
    summaries = [line for line in out if re.match(r"^\w+: \d+ .*, \d+ failed, [\d.]+ s$", line)]
    assert len(summaries) == 1, out
    return code, findings, summaries[0]


def assert_findings(findings, expected):
    """Each expected (path, line, message fragment) matches exactly one finding, and nothing else was found."""
    unmatched = list(findings)
    for path, line, fragment in expected:
        hits = [f for f in unmatched if f[0] == path and f[1] == line and fragment in f[2]]
        assert hits, f"expected {path}:{line}: …{fragment}… in {findings}"
        unmatched.remove(hits[0])
    assert not unmatched, f"unexpected findings: {unmatched}"


@pytest.fixture
def tmp_case(tmp_path):
    """Copy a corpus case to a temp dir (for cases a test has to complete, e.g. with a large file)."""

    def copy(case: str) -> Path:
        target = tmp_path / case
        shutil.copytree(CORPUS / case, target)
        config = target / "mkdocs.yml"  # the snippet base_path is relative to the corpus location
        config.write_text(config.read_text().replace("../../../includes", str(ROOT / "includes")))
        return target

    return copy


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """The parts of the repository a build, the checks and the scaffold read, copied to a temp dir
    (node_modules linked), so a test can change pages, mkdocs.yml or the index freely."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("docs", "includes", "overrides", "templates"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("mkdocs.yml", "tags.yml", "CONTRIBUTING.md"):
        shutil.copy2(ROOT / name, root / name)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    (root / "scripts").symlink_to(ROOT / "scripts")  # the diagrams hook imports scripts/guidelib
    (root / "figures").symlink_to(ROOT / "figures")  # the pages place figures drawn by these scripts
    return root


def search_results(chromium, url: str, query: str) -> tuple[list[str], list[str]]:
    """(result links relative to the site, result snippets' text) for `query` typed into the search box."""
    log = browser.NetworkLog()
    context = browser.guarded_context(chromium, log)
    page = context.new_page()
    try:
        page.goto(url)
        page.locator("input.md-search__input").click()
        page.keyboard.type(query, delay=10)  # key by key, as a reader types (the offline index loads meanwhile)
        page.wait_for_selector(".md-search-result__item a", timeout=30_000)
        links, previous = None, []
        while links != previous:  # the list has settled when two reads 300 ms apart agree
            previous, links = links, page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
            page.wait_for_timeout(300)
        texts = page.eval_on_selector_all(".md-search-result__item", "els => els.map(e => e.textContent)")
    finally:
        context.close()
    assert log.blocked == []
    return [link.removeprefix(url).split("?")[0].split("#")[0] for link in links], texts
