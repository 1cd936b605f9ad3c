"""The one Mermaid renderer: the pinned Mermaid in headless Chromium, for the diagram check and the build.

`scripts/check_diagrams.py` and the build hook (`overrides/hooks/diagrams.py`) both call `render()`,
so a diagram the check passed is the diagram readers see. Each diagram is rendered twice, with the
light and the dark theme (the dark variant swaps the shared palette for `mermaid-palette-dark.mmd`),
and the SVGs are kept in `.cache/diagrams/` under a key of (Mermaid version and entry module, config,
theme and palette, harness, rules version, text): an unchanged diagram is never rendered again.
Only successes are stored. Run as `python -m guidelib.mermaid IN.json OUT.json` it renders the
sources listed in IN.json and writes the results (the build hook uses this, so that Playwright runs
in a process of its own).
"""

from __future__ import annotations

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

from . import markdown as md
from .files import write_atomic
from .paths import ROOT
from .report import Report, UsageError
from .site import serve

MERMAID_PACKAGE = ROOT / "node_modules" / "mermaid"
MERMAID_DIST = MERMAID_PACKAGE / "dist"
CACHE_DIR = ROOT / ".cache" / "diagrams"


def cache_dir() -> Path:
    """The build's cache: CACHE_DIR, or $FG_DIAGRAM_CACHE (tests build throwaway sites with their own)."""
    return Path(os.environ.get("FG_DIAGRAM_CACHE") or CACHE_DIR)
INCLUDES = ROOT / "includes"
PALETTE_FILE = "mermaid-palette.mmd"
DARK_PALETTE_FILE = "mermaid-palette-dark.mmd"
# Part of the cache key: bump when the meaning of a stored result changes (what is given to Mermaid,
# what is measured, what counts as a failure). The harness text and the config are keyed on their own.
RULES_VERSION = 2
CACHE_MAX_AGE_DAYS = 60
RENDER_TIMEOUT_MS = 120_000
MAX_BATCH = 16  # diagrams per round trip to a page, at most
THEMES = ("light", "dark")

# The site's Mermaid configuration. Labels are SVG text, not HTML in <foreignObject>: the SVG is shown
# as an image, printed to PDF as vectors, and must not depend on the reader's HTML layout. The font
# stack is one whose metrics the build machine (DejaVu Sans) and readers (Verdana) share.
FONT_STACK = "Verdana, 'DejaVu Sans', 'Bitstream Vera Sans', sans-serif"
BASE_CONFIG = {
    "startOnLoad": False,
    "securityLevel": "strict",
    "htmlLabels": False,
    "flowchart": {"htmlLabels": False},
    "fontFamily": FONT_STACK,
    "themeVariables": {"fontFamily": FONT_STACK, "fontSize": "16px"},
}


def config_for(theme: str) -> dict:
    return {**BASE_CONFIG, "theme": "dark" if theme == "dark" else "default"}


HARNESS = """<!doctype html>
<meta charset="utf-8">
<title>mermaid harness</title>
<body>
<!-- Page-sized and contained: Mermaid lays out and measures every label; the renders are measured
     here (label sizes) and then removed. -->
<style>
#work { position: absolute; left: 0; top: 0; width: 1200px; height: 900px; overflow: hidden; contain: strict; }
</style>
<div id="work"></div>
<script type="module">
import mermaid from "./mermaid/mermaid.esm.min.mjs";
const CONFIGS = __CONFIGS__;
let current = null;
function use(theme) {
  if (current !== theme) { mermaid.initialize(CONFIGS[theme]); current = theme; }
}
// mermaid2's fence writes the source unescaped into <div class="mermaid">; the client-side fallback
// (render.js) reads it back as serialised HTML with entities decoded. Give Mermaid the same text.
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
// The smallest label font in px and the SVG's own size (its viewBox), measured in the page.
function measure(holder, svg) {
  holder.innerHTML = svg;
  const el = holder.querySelector("svg");
  const box = el.viewBox && el.viewBox.baseVal;
  let smallest = Infinity;
  for (const t of el.querySelectorAll("text, tspan")) {
    if (!t.textContent.trim()) continue;
    const size = parseFloat(getComputedStyle(t).fontSize);
    if (size > 0 && size < smallest) smallest = size;
  }
  return { width: box ? box.width : el.getBoundingClientRect().width,
           height: box ? box.height : el.getBoundingClientRect().height,
           minFont: Number.isFinite(smallest) ? smallest : 16 };
}
async function renderOne(item, holder) {
  use(item.theme);
  const text = asTheSiteReadsIt(item.source);
  const id = `fg-${item.theme}-${item.key}`;
  // mermaid.render() runs the same parser as mermaid.parse() before it lays the diagram out, so a
  // diagram that renders has parsed. Only a failure is handed to mermaid.parse(), to tell a syntax
  // error (reported with Mermaid's own parser message) from a failure to lay out or draw.
  try {
    const { svg } = await mermaid.render(id, text, holder);
    if (!svg || !svg.includes("<svg")) return { key: item.key, stage: "render", message: "Mermaid rendered no SVG" };
    return { key: item.key, stage: null, message: null, svg, ...measure(holder, svg) };
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
// Work loop: hand back the results of the last batch, get the next one from Python
// (window.fgExchange, a playwright binding shared by all pages), until it returns none.
window.renderAll = async () => {
  const holder = document.getElementById("work");
  let results = [];
  for (;;) {
    const batch = await window.fgExchange(results);
    if (!batch || !batch.length) return;
    results = [];
    for (const item of batch) results.push(await renderOne(item, holder));
  }
};
window.mermaidReady = true;
if (typeof window.fgExchange === "function") window.renderDone = window.renderAll();
</script>
"""


def harness() -> str:
    configs = {theme: config_for(theme) for theme in THEMES}
    return HARNESS.replace("__CONFIGS__", json.dumps(configs, sort_keys=True))


# --- the palette and the dark variant ----------------------------------------------------------


def _palette_lines(name: str) -> list[str]:
    return [line.strip() for line in (INCLUDES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def palettes() -> dict[str, str]:
    """{light classDef line: dark classDef line}, matched by class name."""
    light = _palette_lines(PALETTE_FILE)
    dark = {line.split()[1]: line for line in _palette_lines(DARK_PALETTE_FILE)}
    missing = [line.split()[1] for line in light if line.split()[1] not in dark]
    if missing:
        raise UsageError(f"includes/{DARK_PALETTE_FILE} has no dark colours for: {', '.join(missing)}")
    return {line: dark[line.split()[1]] for line in light}


def normalise(source: str) -> str:
    """The diagram text as both the check and the build see it: trailing spaces and blank ends dropped."""
    return "\n".join(line.rstrip() for line in source.strip("\n").splitlines()).strip("\n")


def themed(source: str, theme: str, swap: dict[str, str] | None = None) -> str:
    """The text rendered for `theme`: the dark variant uses the dark palette's classDef lines."""
    if theme != "dark":
        return source
    swap = palettes() if swap is None else swap
    out = []
    for line in source.split("\n"):
        stripped = line.strip()
        out.append(line.replace(stripped, swap[stripped]) if stripped in swap else line)
    return "\n".join(out)


# --- environment and cache ---------------------------------------------------------------------


def environment() -> str:
    """What a rendering depends on besides the text: the pinned Mermaid (package version and its entry
    module, whose imports name every chunk by content hash), the configs, the palettes, the harness
    and RULES_VERSION."""
    try:
        version = json.loads((MERMAID_PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
        entry = hashlib.sha256((MERMAID_DIST / "mermaid.esm.min.mjs").read_bytes()).hexdigest()
    except (OSError, ValueError, KeyError) as error:
        raise UsageError(f"cannot read the pinned Mermaid under {MERMAID_PACKAGE}: {error} (run `npm ci`)") from error
    return json.dumps({
        "mermaid": version,
        "entry": entry,
        "configs": {theme: config_for(theme) for theme in THEMES},
        "palettes": palettes(),
        "harness": hashlib.sha256(harness().encode("utf-8")).hexdigest(),
        "rules": RULES_VERSION,
    }, sort_keys=True)


@dataclass
class Rendering:
    """One diagram in one theme, as Mermaid drew it."""

    svg: str
    width: float
    height: float
    min_font: float


class SvgCache:
    """Successful renderings on disk: `<key>.svg` plus `<key>.json` (size and smallest label)."""

    def __init__(self, directory: Path, env: str):
        self.directory = directory
        self.env = env

    def key(self, source: str, theme: str) -> str:
        return hashlib.sha256(f"{self.env}\0{theme}\0{normalise(source)}".encode("utf-8")).hexdigest()[:32]

    def get(self, source: str, theme: str) -> Rendering | None:
        key = self.key(source, theme)
        try:
            meta = json.loads((self.directory / f"{key}.json").read_text(encoding="utf-8"))
            svg = (self.directory / f"{key}.svg").read_text(encoding="utf-8")
            os.utime(self.directory / f"{key}.json")  # recently used: kept by prune()
            return Rendering(svg, float(meta["width"]), float(meta["height"]), float(meta["min_font"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, source: str, theme: str, rendering: Rendering) -> None:
        key = self.key(source, theme)
        try:
            for suffix, text in ((".svg", rendering.svg), (".json", json.dumps(
                    {"width": rendering.width, "height": rendering.height, "min_font": rendering.min_font}))):
                write_atomic(self.directory / f"{key}{suffix}", text)
        except OSError as error:  # a cache that cannot be written only costs time
            print(f"diagrams: warning: cannot write the cache {self.directory}: {error}", file=sys.stderr)

    def prune(self) -> None:
        oldest = time.time() - CACHE_MAX_AGE_DAYS * 86400
        for meta in self.directory.glob("*.json"):
            try:
                if meta.stat().st_mtime < oldest:
                    meta.unlink()
                    meta.with_suffix(".svg").unlink(missing_ok=True)
            except OSError:
                pass


# --- the diagrams of a project ---------------------------------------------------------------


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


# --- running Mermaid ---------------------------------------------------------------------------


def make_server_root() -> Path:
    if not (MERMAID_DIST / "mermaid.esm.min.mjs").is_file():
        raise UsageError(f"{MERMAID_DIST}/mermaid.esm.min.mjs not found: run `npm ci` to install the pinned Mermaid")
    root = Path(tempfile.mkdtemp(prefix="fg-diagrams-"))
    (root / "index.html").write_text(harness(), encoding="utf-8")
    (root / "mermaid").symlink_to(MERMAID_DIST, target_is_directory=True)
    return root


class WorkQueue:
    """Items handed to the pages in batches, biggest first, as each page asks for more.

    Guided self-scheduling: a batch is a share of what is left (large while there is plenty, single
    items at the end), so no page sits idle while another still has a backlog.
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


def run(items: list[dict], browser, jobs: int) -> list[dict]:
    """Render every item ({key, source, theme}) in `jobs` pages of one browser; one result per item."""
    if not items:
        return []
    from . import browser as browser_mod

    root = make_server_root()
    try:
        with serve(root) as base:
            log = browser_mod.NetworkLog()
            jobs = max(1, min(jobs, len(items)))
            queue = WorkQueue(items, jobs)
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
                    page.evaluate("() => window.renderDone")
            finally:
                context.close()
            if log.blocked:
                raise RuntimeError(f"the Mermaid harness tried to reach non-local hosts: {log.blocked}")
            if len(queue.results) != len(items):
                raise RuntimeError(f"Mermaid returned {len(queue.results)} results for {len(items)} renderings")
            return queue.results
    finally:
        shutil.rmtree(root, ignore_errors=True)


def render(sources: list[str], browser=None, jobs: int = 2, cache: SvgCache | None = None,
           ) -> dict[str, dict[str, Rendering | dict]]:
    """{source: {theme: Rendering, or {"stage", "message"} for a failure}} for every source and theme.

    Renderings found in `cache` are not redone; new successes are added to it. With no `browser`,
    one is launched for the run (only when something is not cached).
    """
    swap = palettes()
    out: dict[str, dict] = {source: {} for source in sources}
    items = []
    for source in sources:
        for theme in THEMES:
            hit = cache.get(source, theme) if cache is not None else None
            if hit is not None:
                out[source][theme] = hit
            else:
                items.append({"key": len(items), "source": themed(normalise(source), theme, swap),
                              "theme": theme, "_source": source})
    payload = [{k: v for k, v in item.items() if not k.startswith("_")} for item in items]
    if browser is None and items:
        from .browser import launch

        with launch() as own:
            results = run(payload, own, jobs)
    else:
        results = run(payload, browser, jobs)
    for result in results:
        item = items[result["key"]]
        if result["message"] is None:
            rendering = Rendering(result["svg"], result["width"], result["height"], result["minFont"])
            out[item["_source"]][item["theme"]] = rendering
            if cache is not None:
                cache.put(item["_source"], item["theme"], rendering)
        else:
            out[item["_source"]][item["theme"]] = {"stage": result["stage"], "message": result["message"]}
    return out


def main(argv: list[str]) -> int:
    """`python -m guidelib.mermaid IN.json OUT.json [--jobs N] [--cache-dir DIR]`: render the sources in IN
    (a JSON list of strings) into the cache; OUT gets {index: {theme: null | {stage, message}}}."""
    import argparse

    parser = argparse.ArgumentParser(prog="guidelib.mermaid")
    parser.add_argument("sources", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--jobs", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    args = parser.parse_args(argv)
    sources = json.loads(args.sources.read_text(encoding="utf-8"))
    cache = SvgCache(args.cache_dir, environment())
    results = render(sources, jobs=args.jobs, cache=cache)
    failures = {str(i): {theme: (None if isinstance(r, Rendering) else r) for theme, r in results[s].items()}
                for i, s in enumerate(sources)}
    args.out.write_text(json.dumps(failures), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
