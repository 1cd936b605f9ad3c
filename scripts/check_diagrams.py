"""check_diagrams.py — every Mermaid diagram the site will render, parsed and rendered by the pinned Mermaid.

Usage (from the repository root):
    .venv/bin/python scripts/check_diagrams.py [--config mkdocs.yml] [--docs DIR] [--jobs N]
                                               [--no-cache] [--cache-dir DIR]

1. Finds every ```mermaid fence in the docs pages after pymdownx.snippets expansion (configured
   from mkdocs.yml: base_path resolved against the config's directory), so fences pulled in from
   includes/ and the `--8<-- "mermaid-palette.mmd"` lines are seen exactly as the site renders them.
2. Enforces the diagram conventions of CONTENT_GUIDE.md: `accTitle:`/`accDescr:` present; flowcharts
   include the shared palette; classes only online/offline/store/model; no classDef/style/linkStyle
   lines outside the palette snippet; no raw HTML tags except <br/> and no &-entities (mermaid2's
   fence writes the source into the page unescaped, so the browser would eat them).
3. Renders each diagram, light and dark, with guidelib.mermaid: the same renderer, config and cache
   the build uses (overrides/hooks/diagrams.py), so the check and the site never disagree.
   mermaid.render runs Mermaid's parser first; a diagram that fails is then given to mermaid.parse,
   so a syntax error is reported with the parser's own message and any other failure as a render
   error. node_modules/mermaid is served from 127.0.0.1 (never a CDN) to one headless Chromium, N
   pages (renderer processes) at a time, pulling batches until none are left. A diagram whose text
   occurs twice is rendered once.
4. The SVGs of diagrams that rendered are kept in .cache/diagrams/, keyed by the text, the theme, the
   Mermaid version, the config, the palettes, the harness and the rules version; an unchanged diagram
   is not rendered again (the conventions of step 2 always run), and the next build uses the SVGs.
   Failures are never cached. --no-cache renders everything and leaves the cache alone.
Prints `path:line: message` per problem (Mermaid's own error text; the line is the Markdown line
of the error when Mermaid names one, else the fence's opening line) and a summary line.
Exit 1 on problems, 2 on usage errors. Never modifies a tracked file (only its cache).

Time (scripts/bench_checks.py: 300 generated diagrams, 2 cores): a warm run with unchanged diagrams
takes < 1 s. A cold run takes 16-22 s and is bound by Mermaid's own CPU time: once V8 has warmed up,
parse + render cost 70-95 ms of one core per 10-node flowchart (about half of it Mermaid deep-copying
its config on every internal getConfig() call), 25-30 ms per sequence diagram, and both cores stay
busy to the end; startup (Chromium, loading Mermaid in each page) is about 2 s.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from guidelib import markdown as md  # noqa: E402
from guidelib import mermaid  # noqa: E402
from guidelib.mermaid import Diagram, collect  # noqa: E402
from guidelib.report import Report, display_path, run_cli  # noqa: E402
from guidelib.site import load_project  # noqa: E402

PALETTE_FILE = mermaid.PALETTE_FILE
PALETTE_CLASSES = {"online", "offline", "store", "model"}

ACC_TITLE = re.compile(r"^\s*accTitle\s*:")
ACC_DESCR = re.compile(r"^\s*accDescr\s*(:|\{)")
STYLE_LINE = re.compile(r"^\s*(classDef|style|linkStyle)\b")
CLASS_LINE = re.compile(r"^\s*class\s+\S.*?\s+([\w-]+)\s*;?\s*$")
SHORTHAND_CLASS = re.compile(r":::([\w-]+)")
HTML_TAG = re.compile(r"<\s*[/!?]?\s*[A-Za-z][^>]*>?")
ALLOWED_TAG = re.compile(r"^<br\s*/?>$", re.I)
ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)
FLOWCHART = re.compile(r"^\s*(flowchart|graph)\b")
ERROR_LINE = re.compile(r"\bline:? (\d+)", re.I)

# --- conventions ----------------------------------------------------------------------------------


def from_palette(line: md.SourceLine) -> bool:
    return line.path.name == PALETTE_FILE


def where(line: md.SourceLine) -> tuple[Path, int]:
    """Where to report a diagram line: the page line, or the snippet directive for lines of the palette."""
    target = line
    while from_palette(target) and target.via is not None:
        target = target.via
    return target.path, target.lineno


def check_conventions(diagram: Diagram, report: Report) -> None:
    lines = diagram.fence.lines
    opening = diagram.open
    if not any(ACC_TITLE.match(line) for line in lines):
        report.add(opening.path, opening.lineno, "diagram has no `accTitle:` line (CONTENT_GUIDE: every diagram "
                                                 "starts with accTitle and accDescr)", "accessibility")
    if not any(ACC_DESCR.match(line) for line in lines):
        report.add(opening.path, opening.lineno, "diagram has no `accDescr:` line (CONTENT_GUIDE: every diagram "
                                                 "starts with accTitle and accDescr)", "accessibility")
    first = next((line for line in lines if line.strip() and not line.strip().startswith("%%")), None)
    uses_palette = any(from_palette(line) for line in lines)
    uses_classes = any(CLASS_LINE.match(line) or SHORTHAND_CLASS.search(line) for line in lines if not from_palette(line))
    if first is not None and FLOWCHART.match(first) and not uses_palette:
        report.add(opening.path, opening.lineno, f'flowchart does not include the shared palette '
                                                 f'(add the line `--8<-- "{PALETTE_FILE}"`)', "palette")
    elif uses_classes and not uses_palette:
        report.add(opening.path, opening.lineno, f'diagram assigns classes but does not include the shared palette '
                                                 f'(`--8<-- "{PALETTE_FILE}"`)', "palette")
    for line in lines:
        if from_palette(line):
            continue
        style = STYLE_LINE.match(line)
        if style:
            report.add(line.path, line.lineno, f"ad-hoc `{style.group(1)}` in a diagram: use the shared palette "
                                               f"classes ({', '.join(sorted(PALETTE_CLASSES))}) with `class A,B online`",
                       "palette")
            continue
        names = [m.group(1) for m in SHORTHAND_CLASS.finditer(line)]
        class_line = CLASS_LINE.match(line)
        if class_line:
            names.append(class_line.group(1))
        for name in names:
            if name not in PALETTE_CLASSES:
                report.add(line.path, line.lineno, f"unknown class '{name}': only the palette classes "
                                                   f"{', '.join(sorted(PALETTE_CLASSES))} exist", "palette")
        for tag in HTML_TAG.finditer(line):
            if not ALLOWED_TAG.match(tag.group(0)):
                report.add(line.path, line.lineno, f"raw HTML `{tag.group(0)}` in a diagram: mermaid2 writes the "
                                                   "source into the page unescaped; only <br/> is allowed "
                                                   "(write 'under 10 ms', '≤', '≥' instead of < and >)", "html")
        for entity in ENTITY.finditer(line):
            report.add(line.path, line.lineno, f"HTML entity `{entity.group(0)}` in a diagram: the page decodes it "
                                               "before Mermaid sees it; write the character itself", "html")


# --- Mermaid ------------------------------------------------------------------------------------


def visible_lines(lines: list[md.SourceLine]) -> list[md.SourceLine]:
    """The fence lines Mermaid numbers: what remains after render.js's trim() and Mermaid's preprocessing
    (front matter, %%{…}%% directives and %% comment lines dropped, leading blank lines trimmed)."""
    remaining = list(lines)
    while remaining and not remaining[0].strip():
        remaining.pop(0)
    if remaining and remaining[0].strip() == "---":
        for end in range(1, len(remaining)):
            if remaining[end].strip() == "---":
                remaining = remaining[end + 1:]
                break
    kept: list[md.SourceLine] = []
    for line in remaining:
        stripped = line.strip()
        if stripped.startswith("%%") and not stripped.startswith("%%{") and len(stripped) > 2:
            while kept and not kept[-1].strip():  # Mermaid's comment regex also eats blank lines before it
                kept.pop()
            continue
        if stripped.startswith("%%{") and stripped.endswith("}%%"):
            kept.append(line.retext(""))
            continue
        kept.append(line)
    while kept and not kept[0].strip():
        kept.pop(0)
    return kept


def condense(message: str) -> str:
    """Mermaid's multi-line error as one line: the caret line dropped, the rest joined with ' | '."""
    parts = [part.strip() for part in message.strip().splitlines()]
    parts = [part for part in parts if part and not re.fullmatch(r"-*\^", part)]
    if parts and parts[0].startswith("No diagram type detected"):
        parts = parts[:1]  # the rest is the whole diagram
    return " | ".join(parts).replace(": |", ":", 1) if parts else "Mermaid error"


def locate_error(diagram: Diagram, message: str) -> tuple[Path, int]:
    match = ERROR_LINE.search(message)
    if match:
        visible = visible_lines(diagram.fence.lines)
        number = int(match.group(1))
        if 1 <= number <= len(visible):
            return where(visible[number - 1])
        if visible and number == len(visible) + 1:  # unexpected end of input: Mermaid counts a final newline
            return where(visible[-1])
    return diagram.open.path, diagram.open.lineno


def check(project, browser=None, jobs: int = 2, cache_dir: Path | None = None) -> Report:
    """Conventions and Mermaid for every diagram; with `cache_dir`, diagrams whose SVGs are cached (same
    text, Mermaid, config, palettes and rules) are not handed to Mermaid again."""
    report = Report("diagrams", noun="checked")
    diagrams = collect(project, report)
    report.checked = len(diagrams)
    for diagram in diagrams:
        check_conventions(diagram, report)
    by_source: dict[str, list[Diagram]] = {}
    for diagram in diagrams:  # the same text gives Mermaid the same answer: ask once
        by_source.setdefault(diagram.source, []).append(diagram)
    cache = mermaid.SvgCache(cache_dir, mermaid.environment()) if cache_dir is not None and by_source else None
    if cache is not None:
        reused = sum(len(group) for source, group in by_source.items()
                     if all(cache.get(source, theme) for theme in mermaid.THEMES))
        if reused:
            print(f"diagrams: {reused} of {len(diagrams)} rendered on an earlier run with the same text, Mermaid, "
                  f"config and rules; not rendered again (cache: {display_path(cache.directory)}; --no-cache checks all)",
                  file=sys.stderr)
    results = mermaid.render(list(by_source), browser, jobs, cache)
    for source, themes in results.items():
        failure = next((r for r in themes.values() if not isinstance(r, mermaid.Rendering)), None)
        if failure is None:
            continue
        for diagram in by_source[source]:
            path, line = locate_error(diagram, failure["message"])
            prefix = "" if failure["stage"] == "parse" else "Mermaid could not render the diagram: "
            report.add(path, line, prefix + condense(failure["message"]), "mermaid-" + failure["stage"])
    return report


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, help="mkdocs.yml (default: the repository's)")
    parser.add_argument("--docs", type=Path, help="docs dir (default: the config's docs_dir)")
    parser.add_argument("--jobs", type=int, default=max(2, os.cpu_count() or 2),
                        help="browser pages working at once (default: number of CPUs, at least 2)")
    parser.add_argument("--cache-dir", type=Path, default=mermaid.CACHE_DIR,
                        help="where rendered diagrams are kept (default: .cache/diagrams, shared with the build)")
    parser.add_argument("--no-cache", action="store_true",
                        help="hand every diagram to Mermaid; neither read nor write the cache")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def main(argv: list[str] | None = None, browser=None) -> int:
    """CLI entry point; tests pass a shared `browser` to avoid starting Chromium per call."""
    args = parse_args(argv)

    def body() -> int:
        project = load_project(args.config, args.docs)
        return check(project, browser, args.jobs, None if args.no_cache else args.cache_dir).emit()

    return run_cli(body, "check_diagrams")


if __name__ == "__main__":
    sys.exit(main())
