"""Audit the built site with Lighthouse and axe-core against the budget in audit.yml.

Usage: .venv/bin/python scripts/audit_site.py [--site site] [--budget audit.yml] [--runs N]
                                              [--only NAME ...] [--presets mobile,desktop]
                                              [--report reports/audit]

For every page of the budget and both presets, Lighthouse (tools/audit/node_modules, pinned in
tools/audit/package-lock.json) runs N times in Debian's Chromium against the site served
gzip-compressed on loopback; the run with the median performance score is kept. axe-core then
checks each page in the light and the dark palette at a phone and a desktop width, as loaded and
after a first interaction (which starts Material's script: overrides/hooks/material_on_demand.py).
The report is written as JSON and as a Markdown table; every score below its budget is printed as
`audit.yml:<line>: <page> (<preset>): <what> is <value>, the budget is <budget>` and the exit code is 1.
Bad input (an unreadable budget, a page that was not built) exits with code 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guidelib import browser, paths
from guidelib.report import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, display_path
from guidelib.site import serve

TOOLS = paths.ROOT / "tools" / "audit" / "node_modules"
LIGHTHOUSE = TOOLS / "lighthouse" / "cli" / "index.js"
AXE = TOOLS / "axe-core" / "axe.min.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PRESETS = ("mobile", "desktop")
PICKS = ("most-math", "heaviest-case-study")
SCORE_BUDGETS = ("accessibility", "best-practices", "seo", "performance-mobile", "performance-desktop")
BUDGET_KEYS = set(SCORE_BUDGETS) | {"cls", "axe-violations"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_VIEWS = (("phone", 390, 844), ("desktop", 1366, 900))


# --- the budget file ----------------------------------------------------------------------------

class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records the line of every mapping key (for `audit.yml:<line>:` messages)."""


def _construct_mapping(loader, node):
    mapping = yaml.SafeLoader.construct_mapping(loader, node)
    lines = {loader.construct_object(key): key.start_mark.line + 1 for key, _ in node.value}
    return _Mapping(mapping, lines, node.start_mark.line + 1)


class _Mapping(dict):
    def __init__(self, data, lines, line):
        super().__init__(data)
        self.lines = lines
        self.line = line

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class Page:
    name: str
    line: int
    path: str = ""
    pick: str = ""
    budget: dict = field(default_factory=dict)  # key -> (value, line)
    axe_views: list = field(default_factory=lambda: [view for view, _, _ in AXE_VIEWS])
    categories: list = field(default_factory=lambda: list(CATEGORIES))
    presets: list = field(default_factory=lambda: list(PRESETS))


@dataclass
class Budget:
    file: Path
    runs: int
    pages: list[Page]


def load_budget(file: Path) -> Budget:
    where = display_path(file)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as err:
        raise UsageError(f"{where}:1: cannot read the budget: {err.strerror}") from None
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise UsageError(f"{where}:{mark.line + 1 if mark else 1}: not valid YAML: "
                         f"{getattr(err, 'problem', err)}") from None
    if not isinstance(data, _Mapping):
        raise UsageError(f"{where}:1: expected a mapping with runs, budget and pages")

    def fail(line, message):
        raise UsageError(f"{where}:{line}: {message}")

    for key in data:
        if key not in ("runs", "budget", "pages"):
            fail(data.line_of(key), f"unknown key '{key}' (expected runs, budget, pages)")
    runs = data.get("runs", 3)
    if not isinstance(runs, int) or isinstance(runs, bool) or not 1 <= runs <= 15:
        fail(data.line_of("runs"), f"runs must be a whole number from 1 to 15, not {runs!r}")

    def budget_values(mapping, allow_extra=()):
        values = {}
        for key, value in mapping.items():
            if key in allow_extra:
                continue
            if key not in BUDGET_KEYS:
                fail(mapping.line_of(key), f"unknown budget '{key}' (expected one of {', '.join(sorted(BUDGET_KEYS))})")
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                fail(mapping.line_of(key), f"budget '{key}' must be a number, not {value!r}")
            if key in SCORE_BUDGETS and value > 100:
                fail(mapping.line_of(key), f"budget '{key}' is a score out of 100, not {value!r}")
            values[key] = (value, mapping.line_of(key))
        return values

    defaults = data.get("budget")
    if not isinstance(defaults, _Mapping):
        fail(data.line_of("budget"), "budget must be a mapping of budgets (accessibility: 100, ...)")
    defaults = budget_values(defaults)
    missing = BUDGET_KEYS - defaults.keys()
    if missing:
        fail(data.line_of("budget"), f"budget misses {', '.join(sorted(missing))}")

    entries = data.get("pages")
    if not isinstance(entries, list) or not entries:
        fail(data.line_of("pages"), "pages must be a list of pages to audit")
    pages, names = [], set()
    for entry in entries:
        if not isinstance(entry, _Mapping) or "name" not in entry:
            fail(getattr(entry, "line", data.line_of("pages")), "each page needs a name and a path or a pick")
        name, line = str(entry["name"]), entry.line
        if name in names:
            fail(line, f"page '{name}' is listed twice")
        names.add(name)
        has_path, has_pick = "path" in entry, "pick" in entry
        if has_path == has_pick:
            fail(line, f"page '{name}' needs exactly one of path or pick")
        if has_pick and entry["pick"] not in PICKS:
            fail(entry.line_of("pick"), f"unknown pick '{entry['pick']}' (expected {' or '.join(PICKS)})")
        path = str(entry.get("path") or "")
        if path.startswith(("/", "http:", "https:")) or ".." in path:
            fail(entry.line_of("path"), f"path '{path}' must be relative to the site root")
        views = entry.get("axe-views", [view for view, _, _ in AXE_VIEWS])
        known = [view for view, _, _ in AXE_VIEWS]
        if not isinstance(views, list) or not views or any(v not in known for v in views):
            fail(entry.line_of("axe-views"), f"axe-views must list some of {', '.join(known)}, not {views!r}")
        categories = entry.get("lighthouse-categories", list(CATEGORIES))
        if not isinstance(categories, list) or "performance" not in categories or \
                any(c not in CATEGORIES for c in categories):
            fail(entry.line_of("lighthouse-categories"), "lighthouse-categories must list performance and any "
                 f"of {', '.join(CATEGORIES[1:])}, not {categories!r}")
        presets = entry.get("lighthouse-presets", list(PRESETS))
        if not isinstance(presets, list) or not presets or any(p not in PRESETS for p in presets):
            fail(entry.line_of("lighthouse-presets"), f"lighthouse-presets must list mobile and/or desktop, not {presets!r}")
        own = budget_values(entry, allow_extra=("name", "path", "pick", "axe-views", "lighthouse-categories",
                                                "lighthouse-presets"))
        pages.append(Page(name, line, path, str(entry.get("pick") or ""), {**defaults, **own}, views, categories, presets))
    return Budget(file, runs, pages)


# --- choosing pages -----------------------------------------------------------------------------

def page_file(site: Path, path: str) -> Path:
    target = site / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def resolve_picks(site: Path, pages: list[Page]) -> None:
    """Fill in `path` for pages chosen by a pick rule, from the built site."""
    for page in pages:
        if page.pick == "most-math":
            counts = {}
            for html in site.rglob("index.html"):
                rel = html.parent.relative_to(site).as_posix()
                if rel.startswith(("print_page", "practice")) or rel == ".":
                    continue
                counts[rel + "/"] = html.read_text(encoding="utf-8", errors="replace").count('class="arithmatex"')
            page.path = max(sorted(counts), key=counts.get)
        elif page.pick == "heaviest-case-study":
            weights = {}
            for html in (site / "case-studies").glob("*/index.html"):
                text = html.read_text(encoding="utf-8", errors="replace")
                size = html.stat().st_size
                for src in set(re.findall(r'<img[^>]+src="([^"]+)"', text)):
                    image = (html.parent / src.split("#")[0]).resolve()
                    if image.is_file():
                        size += image.stat().st_size
                weights[html.parent.relative_to(site).as_posix() + "/"] = size
            page.path = max(sorted(weights), key=weights.get)


# --- Lighthouse ---------------------------------------------------------------------------------

def lighthouse(url: str, preset: str, out: Path, categories: list[str] = list(CATEGORIES)) -> dict:
    flags = " ".join(browser.CHROMIUM_ARGS + ["--headless=new"]
                     + (["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []))
    cmd = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
           f"--only-categories={','.join(categories)}", f"--chrome-flags={flags}", "--max-wait-for-load=90000"]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    done = subprocess.run(cmd, env=dict(os.environ, CHROME_PATH=browser.chromium_path()),
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not out.is_file():
        raise RuntimeError(f"lighthouse failed on {url} ({preset}):\n{done.stderr[-3000:]}")
    return summarise(json.loads(out.read_text(encoding="utf-8")))


def summarise(report: dict) -> dict:
    audits = report["audits"]
    scores = {name: (None if name not in report["categories"] or report["categories"][name]["score"] is None
                     else round(report["categories"][name]["score"] * 100)) for name in CATEGORIES}
    failing = sorted(ref["id"] for name in ("accessibility", "best-practices", "seo") if name in report["categories"]
                     for ref in report["categories"][name]["auditRefs"]
                     if ref.get("weight", 0) > 0 and audits[ref["id"]].get("score") not in (None, 1))
    value = lambda key: audits[key].get("numericValue")  # noqa: E731
    return {
        "scores": scores,
        "fcp_ms": round(value("first-contentful-paint") or 0),
        "lcp_ms": round(value("largest-contentful-paint") or 0),
        "tbt_ms": round(value("total-blocking-time") or 0),
        "cls": round(value("cumulative-layout-shift") or 0, 4),
        "speed_index_ms": round(value("speed-index") or 0),
        "bytes": int(value("total-byte-weight") or 0),
        "requests": len(audits.get("network-requests", {}).get("details", {}).get("items", [])),
        "failing_audits": failing,
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score (ties: the one with the median blocking time)."""
    ordered = sorted(runs, key=lambda r: ((r["scores"]["performance"] or 0), -r["tbt_ms"]))
    return ordered[(len(ordered) - 1) // 2]


# --- axe-core -----------------------------------------------------------------------------------

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')), count: v.nodes.length}));
}"""


def axe_checks(chromium, url: str, views: list[str]) -> list[dict]:
    """axe-core's violations on `url` in both palettes at the given widths (phone, desktop)."""
    script = AXE.read_text(encoding="utf-8")
    found = []
    for scheme in ("light", "dark"):
        for view, width, height in AXE_VIEWS:
            if view not in views:
                continue
            log = browser.NetworkLog()
            context = browser.guarded_context(chromium, log, color_scheme=scheme,
                                              viewport={"width": width, "height": height})
            page = context.new_page()
            try:
                page.goto(url, wait_until="load", timeout=180_000)
                page.wait_for_function("document.documentElement.dataset.render === 'done'", timeout=120_000)
                page.add_script_tag(content=script)
                for violation in page.evaluate(AXE_RUN, AXE_TAGS):
                    found.append({**violation, "scheme": scheme, "view": view, "state": "as loaded"})
                # Material's script starts on the reader's first interaction: check the page after it too
                if page.evaluate("typeof window.fgMaterial === 'function'"):
                    browser.start_material(page)
                    for violation in page.evaluate(AXE_RUN, AXE_TAGS):
                        found.append({**violation, "scheme": scheme, "view": view, "state": "after a first interaction"})
            finally:
                context.close()
            if log.blocked:
                found.append({"id": "external-request", "impact": "serious", "scheme": scheme, "view": view,
                              "help": "the page requested a host other than loopback", "nodes": log.blocked[:5],
                              "count": len(log.blocked)})
    return found


# --- the report and the verdict -----------------------------------------------------------------

def check(budget: Budget, results: list[dict]) -> list[str]:
    where = display_path(budget.file)
    problems = []
    for result in results:
        page = next(p for p in budget.pages if p.name == result["name"])
        label = f"{page.name} ({page.path or 'home'}"
        for preset, run in result["lighthouse"].items():
            if "error" in run:
                problems.append(f"{where}:{page.line}: {label}, {preset}): Lighthouse could not measure the page: "
                                f"{run['error']}")
                continue
            for category in page.categories:
                key = f"performance-{preset}" if category == "performance" else category
                limit, line = page.budget[key]
                score = run["scores"][category]
                if score is None or score < limit:
                    extra = f"; failing audits: {', '.join(run['failing_audits'])}" \
                        if category != "performance" and run["failing_audits"] else ""
                    problems.append(f"{where}:{line}: {label}, {preset}): {category} is {score}, "
                                    f"the budget is {limit}{extra}")
            limit, line = page.budget["cls"]
            if run["cls"] >= limit:
                problems.append(f"{where}:{line}: {label}, {preset}): cumulative layout shift is {run['cls']}, "
                                f"the budget is below {limit}")
        limit, line = page.budget["axe-violations"]
        if len(result["axe"]) > limit:
            listed = "; ".join(f"{v['id']} ({v['scheme']}, {v['view']}, {v.get('state', 'as loaded')}: "
                               f"{v['count']} × {', '.join(v['nodes'][:2])})"
                               for v in result["axe"][:6])
            problems.append(f"{where}:{line}: {label}): {len(result['axe'])} axe-core violation(s), "
                            f"the budget is {limit}: {listed}")
    return problems


def markdown(results: list[dict], runs: int) -> str:
    lines = [f"Lighthouse 12.2.3 in Debian's Chromium, median of {runs} run(s) by performance score; "
             "site served gzip-compressed on loopback.", "",
             "| Page | Preset | Perf | A11y | BP | SEO | FCP | LCP | TBT | CLS | Bytes | axe |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for result in results:
        for preset, run in result["lighthouse"].items():
            if "error" in run:
                lines.append(f"| {result['name']} (`/{result['path']}`) | {preset} | failed: {run['error'][:80]} "
                             "| | | | | | | | | |")
                continue
            s = {k: ("–" if v is None else v) for k, v in run["scores"].items()}
            lines.append(f"| {result['name']} (`/{result['path']}`) | {preset} | {s['performance']} | "
                         f"{s['accessibility']} | {s['best-practices']} | {s['seo']} | {run['fcp_ms']:,} ms | "
                         f"{run['lcp_ms']:,} ms | {run['tbt_ms']:,} ms | {run['cls']} | "
                         f"{run['bytes'] / 1024:,.0f} KB | {len(result['axe'])} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=paths.ROOT / "site")
    parser.add_argument("--budget", type=Path, default=paths.ROOT / "audit.yml")
    parser.add_argument("--runs", type=int, help="Lighthouse runs per page and preset (default: the budget's)")
    parser.add_argument("--only", nargs="*", default=[], help="audit only the pages with these names")
    parser.add_argument("--presets", default="mobile,desktop")
    parser.add_argument("--no-axe", action="store_true", help="skip the axe-core checks")
    parser.add_argument("--no-lighthouse", action="store_true", help="run only the axe-core checks")
    parser.add_argument("--report", type=Path, default=paths.ROOT / "reports" / "audit")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        budget = load_budget(args.budget)
        presets = [p.strip() for p in args.presets.split(",") if p.strip()]
        if not presets or any(p not in PRESETS for p in presets):
            raise UsageError(f"audit: --presets takes mobile and/or desktop, not {args.presets!r}")
        runs = args.runs or budget.runs
        if not args.site.joinpath("index.html").is_file():
            raise UsageError(f"{display_path(args.site)}: no built site here; run `make build` first")
        pages = [p for p in budget.pages if not args.only or p.name in args.only]
        unknown = set(args.only) - {p.name for p in budget.pages}
        if unknown:
            raise UsageError(f"audit: no page named {', '.join(sorted(unknown))} in {display_path(args.budget)}")
        resolve_picks(args.site, pages)
        for page in pages:
            if not page_file(args.site, page.path).is_file():
                raise UsageError(f"{display_path(args.budget)}:{page.line}: page '{page.name}' "
                                 f"({page.path or 'home'}) is not in the built site")
        for tool in (LIGHTHOUSE, AXE):
            if not tool.is_file():
                raise UsageError(f"{display_path(tool)}: missing; run `make audit` (it installs "
                                 "tools/audit/package-lock.json with npm ci)")
    except UsageError as err:
        print(err, file=sys.stderr)
        return EXIT_USAGE

    raw = args.report / "lighthouse"
    raw.mkdir(parents=True, exist_ok=True)
    results = []
    with serve(args.site, compress=True) as url, browser.launch() as chromium:
        for page in pages:
            entry = {"name": page.name, "path": page.path, "lighthouse": {}, "runs": {}}
            for preset in ([] if args.no_lighthouse else [p for p in presets if p in page.presets]):
                measured = []
                for n in range(1, runs + 1):
                    slug = (page.path.strip("/").replace("/", "-") or "home")
                    try:
                        measured.append(lighthouse(url + page.path, preset, raw / f"{slug}.{preset}.{n}.json",
                                                   page.categories))
                    except (RuntimeError, subprocess.TimeoutExpired) as err:
                        print(f"audit: {page.name} {preset} run {n}: {str(err).strip().splitlines()[-1]}", flush=True)
                        continue
                    print(f"audit: {page.name} {preset} run {n}: performance {measured[-1]['scores']['performance']}, "
                          f"TBT {measured[-1]['tbt_ms']} ms", flush=True)
                if measured:
                    entry["lighthouse"][preset] = median_run(measured)
                    entry["runs"][preset] = [m["scores"]["performance"] for m in measured]
                else:
                    entry["lighthouse"][preset] = {"error": "every run failed (see the lines above)"}
            entry["axe"] = [] if args.no_axe else axe_checks(chromium, url + page.path, page.axe_views)
            results.append(entry)

    problems = check(budget, results)
    args.report.mkdir(parents=True, exist_ok=True)
    (args.report / "audit.json").write_text(json.dumps({"runs": runs, "pages": results}, indent=2) + "\n")
    table = markdown(results, runs)
    (args.report / "audit.md").write_text(table)
    print(table)
    for problem in problems:
        print(problem)
    print(f"audit: {len(results)} pages × {len(presets)} presets × {runs} runs, {len(problems)} over budget, "
          f"{time.perf_counter() - started:.0f} s; report in {display_path(args.report)}/audit.md")
    return EXIT_FAILED if problems else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
