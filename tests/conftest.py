"""Shared helpers for the script tests: run a check's main() in-process and parse its findings."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
sys.path.insert(0, str(ROOT / "scripts"))

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
    import shutil

    def copy(case: str) -> Path:
        target = tmp_path / case
        shutil.copytree(CORPUS / case, target)
        config = target / "mkdocs.yml"  # the snippet base_path is relative to the corpus location
        config.write_text(config.read_text().replace("../../../includes", str(ROOT / "includes")))
        return target

    return copy
