"""Findings, the one output format of the checks, and their exit codes.

Every problem is a `Finding` printed as `path:line: message` (path relative to the repository
root when it is inside it). Under GitHub Actions (GITHUB_ACTIONS=true) each finding is also
emitted as an `::error file=…,line=…::message` workflow annotation. Each check ends with one
summary line, e.g. `diagrams: 143 checked, 0 failed, 3.2 s`.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

from .paths import ROOT

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad command line or unusable input (missing config, docs dir…): exit code 2."""


def display_path(path: Path | str) -> str:
    """`path` relative to the repository root when inside it, else as given (absolute)."""
    path = Path(path)
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place. `line` is 1-based; `rule` names the check that found it."""

    path: str
    line: int
    message: str
    rule: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _escape_annotation(text: str, property_: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


@dataclass
class Report:
    """Collects the findings of one check and prints them in the shared format."""

    name: str
    checked: int = 0
    noun: str = "checked"
    findings: list[Finding] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    def add(self, path: Path | str, line: int, message: str, rule: str = "") -> None:
        shown = display_path(path) if isinstance(path, Path) else path
        self.findings.append(Finding(shown, max(int(line or 1), 1), message, rule))

    @property
    def failed(self) -> int:
        """Number of distinct findings."""
        return len(set(self.findings))

    def sorted_findings(self) -> list[Finding]:
        return sorted(set(self.findings), key=lambda f: (f.path, f.line, f.message))

    def summary(self) -> str:
        elapsed = time.perf_counter() - self.started
        return f"{self.name}: {self.checked} {self.noun}, {self.failed} failed, {elapsed:.1f} s"

    def emit(self, out: TextIO | None = None) -> int:
        """Print the findings, annotations (under Actions) and summary line; return the exit code."""
        out = out or sys.stdout
        annotate = os.environ.get("GITHUB_ACTIONS") == "true"
        for finding in self.sorted_findings():
            print(finding, file=out)
            if annotate:
                print(
                    f"::error file={_escape_annotation(finding.path, True)},line={finding.line},"
                    f"title={_escape_annotation(self.name, True)}::{_escape_annotation(finding.message)}",
                    file=out,
                )
        print(self.summary(), file=out)
        out.flush()
        return EXIT_FAILED if self.findings else EXIT_OK

    def to_json(self, **extra) -> dict:
        return {
            "check": self.name,
            "checked": self.checked,
            "failed": self.failed,
            "seconds": round(time.perf_counter() - self.started, 3),
            "findings": [asdict(f) for f in self.sorted_findings()],
            **extra,
        }

    def write_json(self, path: Path, **extra) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(**extra), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def run_cli(main_body, report_name: str) -> int:
    """Run `main_body()` (returning an exit code), turning UsageError into exit code 2."""
    try:
        return main_body()
    except UsageError as error:
        print(f"{report_name}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
