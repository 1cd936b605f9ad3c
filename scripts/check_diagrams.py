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
3. Renders each diagram (mermaid.render, which runs Mermaid's parser first; a diagram that fails is
   then given to mermaid.parse, so a syntax error is reported with the parser's own message and any
   other failure as a render error) with node_modules/mermaid (ES module build served from
   127.0.0.1; never a CDN) and the site's Mermaid config (MERMAID_CONFIG,
   as docs/javascripts/render.js initialises it) in one headless Chromium, N pages (renderer
   processes) at a time. Mermaid is loaded and initialised once per page; the pages pull batches
   of diagrams, largest first, until none are left, so every core stays busy to the end. The text
   given to Mermaid is what the site gives it: the source round-tripped through HTML as
   docs/javascripts/render.js reads it back. A diagram whose text occurs twice is rendered once.
4. Remembers the diagrams that passed Mermaid in .cache/check-diagrams/successes.json, keyed by the
   diagram text, the Mermaid version (node_modules/mermaid), the config, the harness and RULES_VERSION;
   an unchanged diagram that passed before is not rendered again (the conventions of step 2 always
   run). Failures are never cached. --no-cache renders everything and leaves the cache alone.
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
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from guidelib import markdown as md  # noqa: E402
from guidelib.paths import ROOT  # noqa: E402
from guidelib.report import Report, UsageError, display_path, run_cli  # noqa: E402
from guidelib.site import load_project, serve  # noqa: E402

MERMAID_PACKAGE = ROOT / "node_modules" / "mermaid"
MERMAID_DIST = MERMAID_PACKAGE / "dist"
CACHE_DIR = ROOT / ".cache" / "check-diagrams"
# Part of the cache key: bump when the meaning of "Mermaid accepted this diagram" changes here (what is
# given to Mermaid, what counts as a failure). The harness text and MERMAID_CONFIG are keyed on their own.
RULES_VERSION = 1
CACHE_MAX_ENTRIES = 20_000
CACHE_MAX_AGE_DAYS = 60
PALETTE_FILE = "mermaid-palette.mmd"
PALETTE_CLASSES = {"online", "offline", "store", "model"}
RENDER_TIMEOUT_MS = 120_000
MAX_BATCH = 16  # diagrams per round trip to a page, at most

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

# The site's Mermaid configuration: docs/javascripts/render.js calls mermaid.initialize with exactly
# this (theme "default" for the light palette). Keep the two in step; it is part of the cache key.
MERMAID_CONFIG = {"startOnLoad": False, "securityLevel": "strict", "theme": "default"}

HARNESS = """<!doctype html>
<meta charset="utf-8">
<title>check_diagrams</title>
<body>
<!-- Offscreen, page-sized and contained: Mermaid still lays out and measures every label, but nothing
     is painted and layout stays inside the box. -->
<style>
#work { position: absolute; left: -20000px; top: 0; width: 1200px; height: 900px; overflow: hidden; contain: strict; }
</style>
<div id="work"></div>
<script type="module">
import mermaid from "./mermaid/mermaid.esm.min.mjs";
mermaid.initialize(__CONFIG__);
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
  // mermaid.render() runs the same parser as mermaid.parse() before it lays the diagram out, so a
  // diagram that renders has parsed. Only a failure is handed to mermaid.parse(), to tell a syntax
  // error (reported with Mermaid's own parser message) from a failure to lay out or draw.
  try {
    const { svg } = await mermaid.render(id, text, holder);
    if (!svg || !svg.includes("<svg")) return { key: item.key, stage: "render", message: "Mermaid rendered no SVG" };
    return { key: item.key, stage: null, message: null };
  } catch (renderError) {
    try {
      await mermaid.parse(text);
    } catch (error) {
      return { key: item.key, stage: "parse", message: String((error && error.message) || error) };
    }
    return { key: item.key, stage: "render", message: String((renderError && renderError.message) || renderError) };
  } finally {
    document.getElementById(`d${id}`)?.remove();
    document.getElementById(id)?.remove();
    holder.replaceChildren();
  }
}
// Work loop: hand back the results of the last batch, get the next one from the checker
// (window.fgExchange, a playwright binding shared by all pages), until it returns none.
window.checkAll = async () => {
  const holder = document.getElementById("work");
  let results = [];
  for (;;) {
    const batch = await window.fgExchange(results);
    if (!batch || !batch.length) return;
    results = [];
    for (const item of batch) results.push(await checkOne(item, holder));
  }
};
window.mermaidVersion = mermaid.version ? mermaid.version() : "?";
window.mermaidReady = true;
// Start at once when the checker is listening: no round trip between loading Mermaid and working.
if (typeof window.fgExchange === "function") window.checkDone = window.checkAll();
</script>
"""


def harness() -> str:
    """The checking page, with the site's Mermaid config."""
    return HARNESS.replace("__CONFIG__", json.dumps(MERMAID_CONFIG, sort_keys=True))


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


# --- cache ---------------------------------------------------------------------------------------


def mermaid_environment() -> str:
    """What a Mermaid verdict depends on besides the diagram: the pinned Mermaid (package version and
    its entry module, whose imports name every chunk by content hash), the site's Mermaid config, the
    harness that feeds it and this script's rules version."""
    try:
        version = json.loads((MERMAID_PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
        entry = hashlib.sha256((MERMAID_DIST / "mermaid.esm.min.mjs").read_bytes()).hexdigest()
    except (OSError, ValueError, KeyError) as error:
        raise UsageError(f"cannot read the pinned Mermaid under {MERMAID_PACKAGE}: {error} (run `npm ci`)") from error
    return json.dumps({
        "mermaid": version,
        "entry": entry,
        "config": MERMAID_CONFIG,
        "harness": hashlib.sha256(harness().encode("utf-8")).hexdigest(),
        "rules": RULES_VERSION,
    }, sort_keys=True)


class ResultCache:
    """Diagram sources the pinned Mermaid parsed and rendered without error, for warm runs.

    One JSON file, {sha256(environment, source): last run that used it}. Only successes are stored, so a
    failing diagram is handed to Mermaid on every run. Entries of other environments (another Mermaid,
    config or rules version) never match and age out. Written atomically and merged with what another
    run may have written meanwhile; an unreadable file counts as empty.
    """

    def __init__(self, directory: Path, environment: str):
        self.path = directory / "successes.json"
        self.environment = environment
        self.now = int(time.time())
        self.entries = self._read()
        self.used: set[str] = set()

    def _read(self) -> dict[str, int]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            entries = data["entries"] if data.get("format") == 1 else {}
            return {str(k): int(v) for k, v in entries.items()}
        except (OSError, ValueError, TypeError, AttributeError, KeyError):
            return {}

    def key(self, source: str) -> str:
        return hashlib.sha256(f"{self.environment}\0{source}".encode("utf-8")).hexdigest()

    def passed(self, source: str) -> bool:
        key = self.key(source)
        if key in self.entries:
            self.used.add(key)
            return True
        return False

    def add(self, source: str) -> None:
        self.used.add(self.key(source))

    def save(self) -> None:
        entries = self._read()  # what other runs added since this one started
        for key in self.used:
            entries[key] = self.now
        oldest = self.now - CACHE_MAX_AGE_DAYS * 86400
        kept = sorted(((k, v) for k, v in entries.items() if v >= oldest), key=lambda kv: -kv[1])[:CACHE_MAX_ENTRIES]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".successes-", suffix=".json", dir=self.path.parent)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"format": 1, "entries": dict(sorted(kept))}, out, indent=0)
            os.chmod(temp, 0o644)
            os.replace(temp, self.path)
        except OSError as error:  # a cache that cannot be written only costs time
            print(f"check_diagrams: warning: cannot write the cache {self.path}: {error}", file=sys.stderr)


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
    (root / "index.html").write_text(harness(), encoding="utf-8")
    (root / "mermaid").symlink_to(MERMAID_DIST, target_is_directory=True)
    return root


class WorkQueue:
    """Diagrams handed to the pages in batches, biggest first, as each page asks for more.

    Guided self-scheduling: a batch is a share of what is left (large while there is plenty, single
    diagrams at the end), so no page sits idle while another still has a backlog.
    """

    def __init__(self, items: list[dict], workers: int):
        self.items = sorted(items, key=lambda item: -len(item["source"]))
        self.workers = max(1, workers)
        self.results: list[dict] = []

    def exchange(self, results: list[dict] | None) -> list[dict]:
        self.results.extend(results or [])
        size = max(1, min(MAX_BATCH, len(self.items) // (2 * self.workers)))
        batch, self.items = self.items[:size], self.items[size:]
        return batch


def run_mermaid(sources: list[str], browser, jobs: int) -> list[dict]:
    """Parse and render every source in `jobs` pages of one browser; one result per source, keyed by index."""
    if not sources:
        return []
    from guidelib import browser as browser_mod

    root = make_server_root()
    try:
        with serve(root) as base:
            log = browser_mod.NetworkLog()
            jobs = max(1, min(jobs, len(sources)))
            queue = WorkQueue([{"key": i, "source": s} for i, s in enumerate(sources)], jobs)
            # One context, one page per worker: each page is a renderer process of its own (a core each).
            context = browser_mod.guarded_context(browser, log)
            try:
                context.expose_binding("fgExchange", lambda _source, results: queue.exchange(results))
                pages = [context.new_page() for _ in range(jobs)]
                for page in pages:  # all pages load Mermaid at once, and start working as soon as it is loaded
                    page.goto(base + "index.html", wait_until="commit")
                for page in pages:
                    page.wait_for_function("window.mermaidReady === true", timeout=RENDER_TIMEOUT_MS)
                for page in pages:
                    page.evaluate("() => window.checkDone")
            finally:
                context.close()
            if log.blocked:
                raise RuntimeError(f"the diagram check tried to reach non-local hosts: {log.blocked}")
            if len(queue.results) != len(sources):
                raise RuntimeError(f"Mermaid returned {len(queue.results)} results for {len(sources)} diagrams")
            return queue.results
    finally:
        shutil.rmtree(root, ignore_errors=True)


def check(project, browser=None, jobs: int = 2, cache_dir: Path | None = None) -> Report:
    """Conventions and Mermaid for every diagram; with `cache_dir`, sources that passed Mermaid before
    (same Mermaid, config and rules) are not handed to it again."""
    report = Report("diagrams", noun="checked")
    diagrams = collect(project, report)
    report.checked = len(diagrams)
    for diagram in diagrams:
        check_conventions(diagram, report)
    by_source: dict[str, list[Diagram]] = {}
    for diagram in diagrams:  # the same text gives Mermaid the same answer: ask once
        by_source.setdefault(diagram.source, []).append(diagram)
    cache = ResultCache(cache_dir, mermaid_environment()) if cache_dir is not None and by_source else None
    sources = [source for source in by_source if cache is None or not cache.passed(source)]
    if cache is not None and len(sources) < len(by_source):
        pending = set(sources)
        reused = sum(len(group) for source, group in by_source.items() if source not in pending)
        print(f"diagrams: {reused} of {len(diagrams)} passed Mermaid on an earlier run with the same text, Mermaid, "
              f"config and rules; not rendered again (cache: {display_path(cache.path)}; --no-cache checks all)",
              file=sys.stderr)
    if browser is None and sources:
        from guidelib.browser import launch

        with launch() as own_browser:
            results = run_mermaid(sources, own_browser, jobs)
    else:
        results = run_mermaid(sources, browser, jobs)
    for result in results:
        source = sources[result["key"]]
        if result["message"] is None:
            if cache is not None:
                cache.add(source)
            continue
        for diagram in by_source[source]:
            path, line = locate_error(diagram, result["message"])
            prefix = "" if result["stage"] == "parse" else "Mermaid could not render the diagram: "
            report.add(path, line, prefix + condense(result["message"]), "mermaid-" + result["stage"])
    if cache is not None:
        cache.save()
    return report


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, help="mkdocs.yml (default: the repository's)")
    parser.add_argument("--docs", type=Path, help="docs dir (default: the config's docs_dir)")
    parser.add_argument("--jobs", type=int, default=max(2, os.cpu_count() or 2),
                        help="browser pages working at once (default: number of CPUs, at least 2)")
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR,
                        help="where diagrams that passed Mermaid are remembered (default: .cache/check-diagrams)")
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
