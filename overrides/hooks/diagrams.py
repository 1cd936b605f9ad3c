"""MkDocs hook: every Mermaid diagram is an SVG rendered at build time, in a light and a dark variant.

Before any page is rendered (on_env), every ```mermaid fence of the docs is collected the way
scripts/check_diagrams.py collects it, and the ones not yet in `.cache/diagrams/` are rendered by
the pinned Mermaid in headless Chromium (guidelib.mermaid, run in a subprocess). After each page is
rendered (on_post_page, so the print page gets the same treatment), every `<div class="mermaid">`
that mermaid2's fence wrote is replaced by a figure: two <img> (light and dark, shown per the
palette), alt text from accTitle/accDescr, the natural size, and the floors under which the
stylesheet never shrinks it. The SVGs are written to `assets/diagrams/`. Readers get no Mermaid
JavaScript.

Without Chromium (a contributor's machine), the diagrams stay as <div class="mermaid"> and
docs/javascripts/render.js draws them in the browser with the site's own copy of Mermaid, which is
then copied into the site. The build says so once, at INFO level, so `mkdocs serve` still works.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from types import SimpleNamespace

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from guidelib import mermaid  # noqa: E402
from guidelib.browser import chromium_path  # noqa: E402
from guidelib.report import Report, UsageError  # noqa: E402
from guidelib.site import Project, print_page  # noqa: E402

log = logging.getLogger("mkdocs.hooks.diagrams")

DIV = re.compile(r'<div\s+class="mermaid">(.*?)\n?</div>', re.S)
ACC_TITLE = re.compile(r"^\s*accTitle\s*:\s*(.*)$", re.M)
ACC_DESCR = re.compile(r"^\s*accDescr\s*:\s*(.*)$", re.M)
# Floors for the smallest label, in CSS px: 12 on a wide screen, 10 on a phone, 7 pt in print.
FLOOR_DESKTOP, FLOOR_PHONE, FLOOR_PRINT = 12.0, 10.0, 7 * 96 / 72
OUT_DIR = "assets/diagrams"
# Where the palette legend lives; the full-screen viewer links to it.
LEGEND = "about.md#diagram-palette"


def key_of(source: str) -> str:
    return mermaid.normalise(textwrap.dedent(source))


class State:
    def __init__(self):
        self.cache: mermaid.SvgCache | None = None
        self.renderings: dict[str, dict] = {}
        self.written: dict[str, str] = {}  # file name under OUT_DIR -> svg text
        self.fallback = False
        self.announced = False
        self.errors: dict[str, str] = {}  # source -> Mermaid's message


state = State()


def _render(sources: list[str]) -> dict[str, dict]:
    """Render `sources` into the cache in a subprocess (Playwright must not share mkdocs' process).
    {source: {theme: Rendering or None}}; Mermaid's message for each failure is kept in state.errors."""
    with tempfile.TemporaryDirectory(prefix="fg-build-diagrams-") as tmp:
        listing, result = Path(tmp) / "in.json", Path(tmp) / "out.json"
        listing.write_text(json.dumps(sources), encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "guidelib.mermaid", str(listing), str(result),
                               "--cache-dir", str(state.cache.directory)],
                              cwd=ROOT / "scripts", capture_output=True, text=True)
        if proc.returncode != 0:
            raise PluginError(f"diagrams: rendering failed:\n{proc.stdout}{proc.stderr}")
        failures = json.loads(result.read_text(encoding="utf-8"))
    for index, source in enumerate(sources):
        for failure in failures[str(index)].values():
            if failure:
                state.errors[source] = failure["message"]
    out = {}
    for source in sources:
        out[source] = {theme: state.cache.get(source, theme) for theme in mermaid.THEMES}
    return out


def _go_fallback(reason: str) -> None:
    state.fallback = True
    if not state.announced:
        log.info("diagrams: %s; diagrams will be drawn in the browser by the site's copy of Mermaid "
                 "(install Debian's chromium to render them at build time, as CI does)", reason)
        state.announced = True


def on_config(config, **kwargs):
    state.__init__()
    try:
        chromium_path()
    except RuntimeError:
        _go_fallback("Chromium not found")
        return config
    try:
        state.cache = mermaid.SvgCache(mermaid.cache_dir(), mermaid.environment())
    except UsageError as error:
        raise PluginError(f"diagrams: {error}") from error
    return config


def project_of(config) -> Project:
    """The project as this build sees it (the config may have come from stdin, as build_pdf.py's does):
    its docs, exclusions and snippet options, with paths resolved where mkdocs resolves them."""
    path = Path(config.config_file_path or "")
    base = path.parent if path.is_file() else Path.cwd()
    data = {"exclude_docs": config.exclude_docs or "", "markdown_extensions": [
        {name: options} for name, options in config.mdx_configs.items() if name == "pymdownx.snippets"]}
    return Project(base / "mkdocs.yml", Path(config.docs_dir), data, None)


def on_env(env, config, files, **kwargs):
    """Render, in one batch, every diagram of the docs that the cache does not hold yet."""
    if state.fallback:
        return env
    report = Report("diagrams")
    diagrams = mermaid.collect(project_of(config), report)
    sources = sorted({key_of(d.source) for d in diagrams})
    missing = [s for s in sources if any(state.cache.get(s, theme) is None for theme in mermaid.THEMES)]
    if missing:
        log.info("diagrams: rendering %d diagram(s) not in %s", len(missing), state.cache.directory)
        state.renderings.update(_render(missing))
    failed = []
    for diagram in diagrams:  # a diagram Mermaid cannot draw fails the strict build, at its line
        message = state.errors.get(key_of(diagram.source))
        if message:
            title = (ACC_TITLE.search(diagram.source) or [None, ""])[1].strip()
            name = f' "{title}"' if title else ""
            reason = " ".join(message.split())[:300]
            failed.append(f"{diagram.open.path}:{diagram.open.lineno}: diagram{name} could not be rendered: {reason}")
            log.warning("diagrams: %s", failed[-1])
    if failed and config.strict:  # also when warnings are silenced (mkdocs build -q does not count them)
        raise PluginError(f"diagrams: {len(failed)} diagram(s) could not be rendered:\n" + "\n".join(failed))
    return env


def _figure(source: str, page, config) -> str | None:
    got = state.renderings.get(source)
    if got is None:
        got = {theme: state.cache.get(source, theme) for theme in mermaid.THEMES}
        if any(r is None for r in got.values()):
            got = _render([source])[source]
        state.renderings[source] = got
    if any(r is None for r in got.values()):
        # Mermaid failed (on_env warned, so a strict build stops): no source reaches the reader.
        return ('<div class="mermaid mermaid--error" data-error="diagram could not be rendered">'
                'This diagram could not be drawn.</div>')
    title = (ACC_TITLE.search(source) or [None, "Diagram"])[1].strip()
    descr = (ACC_DESCR.search(source) or [None, ""])[1].strip()
    alt = html.escape(f"{title}. {descr}".strip() if descr else title, quote=True)
    light = got["light"]
    width, height = round(light.width), round(light.height)
    smallest = max(1.0, light.min_font)
    floors = {name: min(width, round(width * floor / smallest))
              for name, floor in (("desktop", FLOOR_DESKTOP), ("phone", FLOOR_PHONE), ("print", FLOOR_PRINT))}
    imgs = []
    for theme, rendering in got.items():
        name = f"{state.cache.key(source, theme)}.svg"
        state.written[name] = rendering.svg
        src = get_relative_url(f"{OUT_DIR}/{name}", page.url)
        imgs.append(f'<img class="fg-diagram__img fg-diagram__img--{theme}" src="{src}" alt="{alt}" '
                    f'width="{width}" height="{height}" loading="lazy" decoding="async">')
    legend = get_relative_url(LEGEND.replace(".md", "/") if config.use_directory_urls else LEGEND.replace(".md", ".html"),
                              page.url)
    wide = " fg-diagram--wide" if floors["print"] > 640 else ""
    style = (f"--fg-w:{width}px;--fg-min-desktop:{floors['desktop']}px;--fg-min-phone:{floors['phone']}px;"
             f"--fg-min-print:{floors['print']}px")
    return (f'<figure class="fg-diagram{wide}" style="{style}" data-legend="{legend}">'
            f'<div class="fg-diagram__frame">'
            f'<button type="button" class="fg-diagram__open" aria-label="Open full screen: {html.escape(title)}">'
            f'{"".join(imgs)}</button></div></figure>')


def figures(output: str, url: str, config) -> str:
    """`output` with every mermaid div replaced by its figure (the page is at `url`)."""
    if state.fallback or 'class="mermaid"' not in output:
        return output
    page = SimpleNamespace(url=url)
    return DIV.sub(lambda match: _figure(key_of(match.group(1)), page, config) or match.group(0), output)


def on_post_page(output, page, config, **kwargs):
    return figures(output, page.url, config)


def on_post_build(config, **kwargs):
    site = Path(config.site_dir)
    # print-site writes its combined page in its own on_post_build (plugins run before hooks).
    printed = print_page(config)
    if printed is not None and not state.fallback and printed.path.is_file():
        printed.path.write_text(figures(printed.path.read_text(encoding="utf-8"), printed.url, config), encoding="utf-8")
    if state.written:
        out = site / OUT_DIR
        out.mkdir(parents=True, exist_ok=True)
        for name, svg in state.written.items():
            (out / name).write_text(svg, encoding="utf-8")
    if state.fallback:  # the browser draws the diagrams: ship the site's copy of Mermaid
        dist = ROOT / "node_modules" / "mermaid" / "dist"
        if not dist.is_dir():
            raise PluginError("diagrams: node_modules/mermaid not found; run `npm ci` (or `make build`)")
        vendor = site / "assets" / "vendor" / "mermaid"
        shutil.copytree(dist / "chunks" / "mermaid.esm.min", vendor / "chunks" / "mermaid.esm.min", dirs_exist_ok=True,
                        ignore=lambda _d, names: [n for n in names if n.endswith(".map")])
        shutil.copy2(dist / "mermaid.esm.min.mjs", vendor / "mermaid.esm.min.mjs")
        shutil.copy2(dist / "mermaid.min.js", vendor / "mermaid.min.js")
    if state.cache is not None:
        state.cache.prune()
