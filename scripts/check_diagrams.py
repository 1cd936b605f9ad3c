"""check_diagrams.py — every Mermaid diagram the site will render, parsed and rendered by the pinned Mermaid.

Usage (from the repository root):
    .venv/bin/python scripts/check_diagrams.py [--config mkdocs.yml] [--docs DIR] [--jobs N]

1. Finds every ```mermaid fence in the docs pages after pymdownx.snippets expansion (configured
   from mkdocs.yml: base_path resolved against the config's directory), so fences pulled in from
   includes/ and the `--8<-- "mermaid-palette.mmd"` lines are seen exactly as the site renders them.
2. Enforces the diagram conventions of CONTENT_GUIDE.md: `accTitle:`/`accDescr:` present; flowcharts
   include the shared palette; classes only online/offline/store/model; no classDef/style/linkStyle
   lines outside the palette snippet; no raw HTML tags except <br/> and no &-entities (mermaid2's
   fence writes the source into the page unescaped, so the browser would eat them).
3. Parses (mermaid.parse) and renders (mermaid.render) each diagram with node_modules/mermaid (ES
   module build served from 127.0.0.1; never a CDN) in one headless Chromium, N pages at a time.
   The text given to Mermaid is what the site gives it: the source round-tripped through HTML as
   docs/javascripts/render.js reads it back.
Prints `path:line: message` per problem (Mermaid's own error text; the line is the Markdown line
of the error when Mermaid names one, else the fence's opening line) and a summary line.
Exit 1 on problems, 2 on usage errors. Never modifies a file.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from guidelib import markdown as md  # noqa: E402
from guidelib.paths import ROOT  # noqa: E402
from guidelib.report import Report, UsageError, run_cli  # noqa: E402
from guidelib.site import load_project, serve  # noqa: E402

MERMAID_DIST = ROOT / "node_modules" / "mermaid" / "dist"
PALETTE_FILE = "mermaid-palette.mmd"
PALETTE_CLASSES = {"online", "offline", "store", "model"}
RENDER_TIMEOUT_MS = 120_000

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

HARNESS = """<!doctype html>
<meta charset="utf-8">
<title>check_diagrams</title>
<body><div id="work"></div>
<script type="module">
import mermaid from "./mermaid/mermaid.esm.min.mjs";
mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });
// mermaid2's fence writes the source unescaped into <div class="mermaid">; render.js reads it back
// as serialised HTML with entities decoded. Give Mermaid the same text.
// An inert document: markup in a contributor's diagram (an <img onerror=…>) must not load or run here.
const inert = document.implementation.createHTMLDocument("");
function asTheSiteReadsIt(source) {
  const div = inert.createElement("div");
  div.className = "mermaid";
  div.innerHTML = source + "\\n";
  const decoder = inert.createElement("textarea");
  decoder.innerHTML = div.innerHTML;
  return decoder.value.trim();
}
async function checkOne(item, holder) {
  const text = asTheSiteReadsIt(item.source);
  const id = `fg-check-${item.key}`;
  try {
    await mermaid.parse(text);
  } catch (error) {
    return { key: item.key, stage: "parse", message: String((error && error.message) || error) };
  }
  try {
    const { svg } = await mermaid.render(id, text, holder);
    if (!svg || !svg.includes("<svg")) return { key: item.key, stage: "render", message: "Mermaid rendered no SVG" };
    return { key: item.key, stage: null, message: null };
  } catch (error) {
    return { key: item.key, stage: "render", message: String((error && error.message) || error) };
  } finally {
    document.getElementById(`d${id}`)?.remove();
    document.getElementById(id)?.remove();
    holder.replaceChildren();
  }
}
window.checkDiagrams = (items) => {
  const holder = document.getElementById("work");
  window.checkResults = (async () => {
    const results = [];
    for (const item of items) results.push(await checkOne(item, holder));
    return results;
  })();
};
window.mermaidVersion = mermaid.version ? mermaid.version() : "?";
window.mermaidReady = true;
</script>
"""


@dataclass
class Diagram:
    key: int
    fence: md.Fence

    @property
    def open(self) -> md.SourceLine:
        return self.fence.open

    @property
    def source(self) -> str:
        return self.fence.source


def collect(project, report: Report) -> list[Diagram]:
    """Every mermaid fence of every page (snippets expanded); a fence included twice is checked once."""
    options = project.extension_options("pymdownx.snippets")
    expander = md.SnippetExpander(options, project.base_dir) if options is not None else None
    diagrams: list[Diagram] = []
    seen = set()
    for path in project.pages():
        text, error = md.read_source(path)
        if error:
            report.add(path, error.line, error.message, "utf-8")
            continue
        lines = md.source_lines(text, path)
        if expander is not None:
            lines, errors = expander.expand(lines)
            for snippet_error in errors:
                report.add(snippet_error.line.path, snippet_error.line.lineno, snippet_error.message, "snippet")
        for fence in md.find_fences(lines, "mermaid"):
            where = (fence.open.path, fence.open.lineno)
            if where in seen:
                continue
            seen.add(where)
            if not fence.closed:
                report.add(fence.open.path, fence.open.lineno, "mermaid fence is never closed", "fence")
            diagrams.append(Diagram(len(diagrams), fence))
    return diagrams


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


def make_server_root() -> Path:
    if not (MERMAID_DIST / "mermaid.esm.min.mjs").is_file():
        raise UsageError(f"{MERMAID_DIST}/mermaid.esm.min.mjs not found: run `npm ci` to install the pinned Mermaid")
    root = Path(tempfile.mkdtemp(prefix="fg-diagrams-"))
    (root / "index.html").write_text(HARNESS, encoding="utf-8")
    (root / "mermaid").symlink_to(MERMAID_DIST, target_is_directory=True)
    return root


def run_mermaid(diagrams: list[Diagram], browser, jobs: int) -> list[dict]:
    """Parse and render every diagram in `jobs` pages of one browser, all pages working at once."""
    if not diagrams:
        return []
    from guidelib import browser as browser_mod

    root = make_server_root()
    try:
        with serve(root) as base:
            log = browser_mod.NetworkLog()
            jobs = max(1, min(jobs, len(diagrams)))
            # One context per worker: separate contexts get separate renderer processes (and cores).
            contexts = [browser_mod.guarded_context(browser, log) for _ in range(jobs)]
            try:
                pages = [context.new_page() for context in contexts]
                for page in pages:
                    page.goto(base + "index.html")
                for page in pages:
                    page.wait_for_function("window.mermaidReady === true", timeout=RENDER_TIMEOUT_MS)
                shares = [diagrams[i::jobs] for i in range(jobs)]
                for page, share in zip(pages, shares):  # start all pages, then collect
                    page.evaluate("items => window.checkDiagrams(items)",
                                  [{"key": d.key, "source": d.source} for d in share])
                results = []
                for page in pages:
                    results.extend(page.evaluate("() => window.checkResults"))
            finally:
                for context in contexts:
                    context.close()
            if log.blocked:
                raise RuntimeError(f"the diagram check tried to reach non-local hosts: {log.blocked}")
            return results
    finally:
        shutil.rmtree(root, ignore_errors=True)


def check(project, browser=None, jobs: int = 2) -> Report:
    report = Report("diagrams", noun="checked")
    diagrams = collect(project, report)
    report.checked = len(diagrams)
    for diagram in diagrams:
        check_conventions(diagram, report)
    if browser is None and diagrams:
        from guidelib.browser import launch

        with launch() as own_browser:
            results = run_mermaid(diagrams, own_browser, jobs)
    else:
        results = run_mermaid(diagrams, browser, jobs)
    by_key = {d.key: d for d in diagrams}
    for result in results:
        if result["message"] is None:
            continue
        diagram = by_key[result["key"]]
        path, line = locate_error(diagram, result["message"])
        prefix = "" if result["stage"] == "parse" else "Mermaid could not render the diagram: "
        report.add(path, line, prefix + condense(result["message"]), "mermaid-" + result["stage"])
    return report


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, help="mkdocs.yml (default: the repository's)")
    parser.add_argument("--docs", type=Path, help="docs dir (default: the config's docs_dir)")
    parser.add_argument("--jobs", type=int, default=max(2, os.cpu_count() or 2),
                        help="browser pages working at once (default: number of CPUs, at least 2)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def main(argv: list[str] | None = None, browser=None) -> int:
    """CLI entry point; tests pass a shared `browser` to avoid starting Chromium per call."""
    args = parse_args(argv)

    def body() -> int:
        project = load_project(args.config, args.docs)
        return check(project, browser, args.jobs).emit()

    return run_cli(body, "check_diagrams")


if __name__ == "__main__":
    sys.exit(main())
