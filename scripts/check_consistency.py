"""check_consistency.py — the constants several pages state must have one value across the guide.

Usage (from the repository root): .venv/bin/python scripts/check_consistency.py [--docs DIR]

Each rule below names a shared constant, the pattern that finds where a page states it, and the
guide's value. A page that states it with another value is reported as `path:line: message`, with the
value the rest of the guide uses and where. The rules are the contradictions reviewers found between
chapters (calibration band, PSI cut-offs, the running example's volume, RRF's k, the GPU reference
figures, the GBDT serving cost); add a rule when a new constant starts to be quoted on several pages.

Figures drawn from code (figures/<name>.py, placed with `<!-- figure: name -->`) state the numbers
the page gives in `ON_PAGE = ["0.197", ...]`, and assert that their own computation gives them. Each
of those strings must appear in the prose of every page the figure is placed on, so an edit to the
page's number without the figure's (or the reverse) fails here: `figures/<name>.py:<line>: …`.
Exit 1 on a disagreement, 0 otherwise; never modifies a file.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from guidelib import markdown as md  # noqa: E402
from guidelib.paths import DOCS  # noqa: E402
from guidelib.report import Report, run_cli  # noqa: E402


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern  # group "value" is the stated value
    allowed: frozenset[str]
    why: str


def rule(name: str, pattern: str, allowed: set[str], why: str) -> Rule:
    return Rule(name, re.compile(pattern, re.I), frozenset(allowed), why)


RULES = [
    rule("calibration band", r"calibrat[^.|]{0,90}?(?P<value>0\.\d+\s*[–-]\s*1\.\d+)", {"0.95–1.05", "0.95-1.05"},
         "monitoring.md: Poisson noise of a 5,000-order city is ±1.4%, so the band is 0.95–1.05"),
    rule("PSI cut-off", r"\bPSI\s*(?:above|over|below|under|of at least|>|≥|<|≤)\s*(?P<value>0\.\d+)", {"0.1", "0.25", "0.10"},
         "the guide's drift rule: ticket at PSI 0.1, page at 0.25"),
    rule("RRF k", r"(?:\bRRF\b|reciprocal rank fusion)[^.]{0,60}?\$?\bk\s*=\s*(?P<value>\d+)", {"60"},
         "reciprocal rank fusion is used with k = 60 (Cormack et al.) everywhere"),
    rule("DishDash impressions a day", r"(?P<value>[\d.]+)\s*B\s+impressions\s+(?:a|per)\s+day", {"0.45"},
         "the running example: about 15 of 50 cards viewed per load, 0.45 B impressions a day"),
    rule("H100 SXM memory bandwidth", r"H100[^.]{0,80}?(?P<value>[\d.]+)\s*TB/s", {"3.35"},
         "NVIDIA H100 SXM datasheet: 3.35 TB/s"),
    rule("H100 dense BF16", r"H100[^.]{0,80}?(?P<value>[\d,]+)\s*TFLOP/s(?! with sparsity)", {"989", "1,979", "3,958"},
         "NVIDIA H100 SXM datasheet: 989 TFLOP/s dense BF16 (1,979 with sparsity, 1,979/3,958 FP8)"),
    rule("A100 dense BF16", r"A100[^.]{0,60}?(?P<value>[\d,]+)\s*TFLOP/s", {"312", "624"},
         "NVIDIA A100 datasheet: 312 TFLOP/s dense BF16 (624 with sparsity)"),
    rule("GBDT cost per row", r"(?P<value>\d+\s*[–-]\s*\d+)\s*µs\s+(?:per|a)\s+row\s+for\s+1,000\s+trees", {"33–100", "33-100"},
         "estimation.md measured 33–100 µs per row for a 1,000-tree model"),
]


def statements(path: Path):
    """(line, text) of the prose lines of a page (fenced code and diagrams left out)."""
    text, error = md.read_source(path)
    if error:
        return
    lines = md.source_lines(text, path)
    _fences, outside = md.scan_fences(lines)
    for line in outside:
        yield line, md.mask_code_spans(line)


FIGURE_MARKER = re.compile(r"<!--\s*figure:\s*(?P<name>[a-z0-9-]+)\s*-->")


def on_page_numbers(script: Path) -> tuple[int, list[str]] | None:
    """The line and the strings of a figure script's ON_PAGE list (None if it has none)."""
    try:
        tree = ast.parse(script.read_text(encoding="utf-8"), str(script))
    except (OSError, SyntaxError, ValueError):
        return None  # the figures hook reports scripts that do not parse
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "ON_PAGE" for t in node.targets):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                return node.lineno, []
            return node.lineno, [str(v) for v in value] if isinstance(value, (list, tuple)) else []
    return None


def check_figures(docs: Path, pages: list[Path], report: Report) -> None:
    figures = docs.parent / "figures"
    placed: dict[str, list[Path]] = {}
    for page in pages:
        text, error = md.read_source(page)
        if not error:
            for match in FIGURE_MARKER.finditer(text):
                placed.setdefault(match.group("name"), []).append(page)
    for name, where in sorted(placed.items()):
        script = figures / f"{name}.py"
        found = on_page_numbers(script) if script.is_file() else None
        if found is None:
            continue
        line, numbers = found
        if not numbers:
            report.add(script, line, "ON_PAGE must be a list of the numbers the page states", "consistency")
        for page in where:
            prose = " ".join(text for _line, text in statements(page)).replace("\u202f", " ")
            for number in numbers:
                if number not in prose:
                    report.add(script, line, f"the figure gives {number!r}, which {page.relative_to(docs.parent)} "
                               "does not state: change the page and the figure together", "consistency")


def check(docs: Path) -> Report:
    report = Report("consistency", noun="pages")
    pages = sorted(docs.rglob("*.md"))
    report.checked = len(pages)
    check_figures(docs, pages, report)
    for rule_ in RULES:
        seen: list[tuple[md.SourceLine, str]] = []
        for page in pages:
            for line, text in statements(page):
                for match in rule_.pattern.finditer(text):
                    seen.append((line, match.group("value").replace(" ", "")))
        agreed = [(line, value) for line, value in seen if value in rule_.allowed]
        for line, value in seen:
            if value in rule_.allowed:
                continue
            elsewhere = f" (as on {agreed[0][0].path.relative_to(docs.parent)}:{agreed[0][0].lineno})" if agreed else ""
            report.add(line.path, line.lineno,
                       f"{rule_.name} is {value} here; the guide uses {' / '.join(sorted(rule_.allowed))}"
                       f"{elsewhere}: {rule_.why}", "consistency")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=DOCS, help="docs dir (default: the repository's)")
    args = parser.parse_args(argv)
    return run_cli(lambda: check(args.docs).emit(), "check_consistency")


if __name__ == "__main__":
    sys.exit(main())
