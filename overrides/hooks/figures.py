"""MkDocs hook: charts drawn at build time by `figures/<name>.py` scripts (matplotlib), light and dark.

A page places a figure with a line of its own (indented like the text around it, so it also works
inside an admonition or a list item):

    <!-- figure: reliability-diagram -->

Before any page is built (on_pre_build), every script whose cache key changed (the script, the shared
`figures/_*.py`, the matplotlib and numpy versions: see scripts/guidelib/figures.py) is run in a
subprocess that draws it in both themes into `.cache/figures/`. A script that raises stops the build
with `figures/<name>.py:<line>: <error>`, every failing script listed.

Each marker becomes a <figure class="fg-figure">: the light and the dark SVG (shown per the palette,
with the diagrams' classes, so they share the stylesheet and the full-screen viewer), the script's ALT
as alt text, its CAPTION as the caption, and a collapsed "How this figure was made" with the script's
source (kept out of the search index). The SVGs are written to `assets/figures/`. The substitution
happens in on_page_content, before mkdocs-print-site-plugin keeps each page's HTML for the print page,
so the PDF gets the same figures (print.css shows the light one, as vectors, and hides the source).

A marker naming no script, or written wrongly, is reported as `docs/<page>.md:<line>: …` (a WARNING,
so the strict build fails); so is a script no page places.
"""

from __future__ import annotations

import difflib
import html
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from guidelib import figures as figlib  # noqa: E402

log = logging.getLogger("mkdocs.hooks.figures")

MARKER = re.compile(r"^(?P<indent>[ \t]*)<!--\s*figure:\s*(?P<name>[A-Za-z0-9_-]+)\s*-->\s*$")
LOOSE = re.compile(r"^\s*<!--\s*figures?\b", re.I)  # looks like a marker: checked against MARKER
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
TOKEN = "FGFIGUREPLACEHOLDER{}X"
PLACED = re.compile(r"<p>FGFIGUREPLACEHOLDER(\d+)X</p>")
LEFTOVER = re.compile(r"FGFIGUREPLACEHOLDER\d+X")
OUT_DIR = "assets/figures"
# Floors for the smallest label, in CSS px, as for the diagrams: 12 on a wide screen, 10 on a phone,
# 7 pt in print. The figure shrinks with the column down to these widths, then its frame scrolls.
FLOOR_DESKTOP, FLOOR_PHONE, FLOOR_PRINT = 12.0, 10.0, 7 * 96 / 72


class State:
    def __init__(self):
        self.base = ROOT
        self.folder = ROOT / "figures"
        self.cache: figlib.FigureCache | None = None
        self.scripts: dict[str, Path] = {}
        self.keys: dict[str, str] = {}
        self.renderings: dict[str, figlib.Rendering] = {}
        self.placements: list[tuple[str, str, int]] = []  # (name, page source path, line), in order
        self.page_tokens: dict[int, str] = {}
        self.written: dict[str, str] = {}  # file name under OUT_DIR -> svg text
        self.used: set[str] = set()
        self.rendered: list[str] = []


state = State()


def _shown(path: Path) -> str:
    """`path` as messages show it: relative to the project (the config file's folder) when inside it."""
    try:
        return path.resolve().relative_to(state.base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def on_config(config, **kwargs):
    state.__init__()
    config_file = Path(config.config_file_path or "")
    state.base = (config_file.parent if config_file.is_file() else Path.cwd()).resolve()
    state.folder = state.base / "figures"
    state.cache = figlib.FigureCache(figlib.cache_dir())
    return config


def on_serve(server, config, builder, **kwargs):
    if state.folder.is_dir():
        server.watch(str(state.folder))
    return server


def _run(paths: list[Path]) -> dict[str, dict | None]:
    """Draw `paths` into the cache in a subprocess; {name: None or {"line", "message"}}."""
    with tempfile.TemporaryDirectory(prefix="fg-build-figures-") as tmp:
        request, result = Path(tmp) / "in.json", Path(tmp) / "out.json"
        request.write_text(json.dumps({"folder": str(state.folder), "cache": str(state.cache.directory),
                                       "scripts": [str(p) for p in paths]}), encoding="utf-8")
        # One BLAS thread: the same sums in the same order on every machine (and no spinning threads
        # on a busy CI runner).
        env = {**os.environ, "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1"}
        proc = subprocess.run([sys.executable, "-m", "guidelib.figures", str(request), str(result)],
                              cwd=ROOT / "scripts", capture_output=True, text=True, env=env)
        if proc.returncode != 0 or not result.is_file():
            raise PluginError(f"figures: the figure runner failed:\n{proc.stdout}{proc.stderr}")
        return json.loads(result.read_text(encoding="utf-8"))


def on_pre_build(config, **kwargs):
    """Draw every figure whose script (or what it depends on) changed since it was cached."""
    state.scripts = figlib.scripts(state.folder)
    if not state.scripts:
        return
    env = figlib.environment(state.folder)
    state.keys = {name: figlib.key_of(path, env) for name, path in state.scripts.items()}
    missing = [path for name, path in state.scripts.items() if state.cache.get(state.keys[name]) is None]
    if missing:
        log.info("figures: rendering %d figure(s) not in %s", len(missing), state.cache.directory)
        state.rendered = [path.stem for path in missing]
        started = time.perf_counter()
        failures = {name: failure for name, failure in _run(missing).items() if failure}
        log.info("figures: drew %d figure(s) in %.1f s", len(missing) - len(failures), time.perf_counter() - started)
        if failures:
            lines = [f"{_shown(state.scripts[name])}:{failure['line']}: {failure['message']}"
                     for name, failure in sorted(failures.items())]
            raise PluginError(f"figures: {len(lines)} figure script(s) failed:\n" + "\n".join(lines))
    for name in state.scripts:
        rendering = state.cache.get(state.keys[name])
        if rendering is None:
            raise PluginError(f"figures: {_shown(state.scripts[name])}: drawn but not found in {state.cache.directory}")
        state.renderings[name] = rendering


def _warn(path: str, line: int, message: str) -> None:
    log.warning("figures: %s:%d: %s", path, line, message)


def on_page_markdown(markdown, page, config, files, **kwargs):
    """Each marker line becomes a placeholder paragraph (at the marker's indentation), filled in on_page_content."""
    if "<!--" not in markdown:
        return markdown
    source_path = Path(page.file.abs_src_path) if page.file.abs_src_path else None
    shown = _shown(source_path) if source_path else page.file.src_uri
    offset = 0
    if source_path is not None:  # the markdown here has no front matter: count its lines back in
        source = source_path.read_text(encoding="utf-8-sig")
        if source.endswith(markdown) and markdown:
            offset = source[: len(source) - len(markdown)].count("\n")
    out, fence = [], None
    for number, line in enumerate(markdown.split("\n"), start=1 + offset):
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)
        elif fence is not None and line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
            fence = None
        if fence is not None or not LOOSE.match(line):
            out.append(line)
            continue
        marker = MARKER.match(line)
        if not marker:
            _warn(shown, number, f"malformed figure marker {line.strip()!r}; write <!-- figure: NAME --> on a line "
                                 "of its own, NAME being a script figures/NAME.py")
            out.append(line)
            continue
        name, indent = marker.group("name"), marker.group("indent")
        if name not in state.scripts:
            close = difflib.get_close_matches(name, list(state.scripts), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else \
                f" (there is no {_shown(state.folder / (name + '.py'))})"
            _warn(shown, number, f"unknown figure '{name}'{hint}")
            out.append(line)
            continue
        state.placements.append((name, shown, number))
        state.used.add(name)
        index = len(state.placements) - 1
        out.extend(["", indent + TOKEN.format(index), ""])
    return "\n".join(out)


def _source_block(name: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    code = state.scripts[name].read_text(encoding="utf-8")
    body = highlight(code, PythonLexer(), HtmlFormatter(nowrap=True))
    shown = _shown(state.scripts[name])
    return (f'<div class="language-python highlight"><span class="filename">{html.escape(shown)}</span>'
            f'<pre><span></span><code>{body}</code></pre></div>')


def _title(alt: str) -> str:
    """The figure's short name for the full-screen viewer: the alt text's first sentence."""
    first = re.split(r"(?<=[a-z0-9)%])\.\s", alt, maxsplit=1)[0]
    return first.rstrip(".")


def figure_html(name: str, page_url: str) -> str:
    r = state.renderings[name]
    alt = html.escape(r.alt, quote=True)
    width, height = round(r.width), round(r.height)
    smallest = max(1.0, r.min_font)
    floors = {label: min(width, round(width * floor / smallest))
              for label, floor in (("desktop", FLOOR_DESKTOP), ("phone", FLOOR_PHONE), ("print", FLOOR_PRINT))}
    imgs = []
    for theme in figlib.THEMES:
        file_name = f"{r.key}.{theme}.svg"
        state.written[file_name] = r.svgs[theme]
        src = get_relative_url(f"{OUT_DIR}/{file_name}", page_url)
        imgs.append(f'<img class="fg-diagram__img fg-diagram__img--{theme}" src="{src}" alt="{alt}" '
                    f'width="{width}" height="{height}" loading="lazy" decoding="async">')
    style = (f"--fg-w:{width}px;--fg-min-desktop:{floors['desktop']}px;--fg-min-phone:{floors['phone']}px;"
             f"--fg-min-print:{floors['print']}px")
    title = html.escape(_title(r.alt), quote=True)
    return (f'<figure class="fg-figure" data-figure="{html.escape(name)}" style="{style}">'
            f'<div class="fg-diagram__frame">'
            f'<button type="button" class="fg-diagram__open" aria-label="Open full screen: {title}">'
            f'{"".join(imgs)}</button></div>'
            f'<figcaption class="fg-figure__caption">{html.escape(r.caption)}</figcaption>'
            f'<details class="info fg-figure__how" data-search-exclude>'
            f'<summary>How this figure was made</summary>'
            f'<p>The build runs <code>{html.escape(_shown(state.scripts[name]))}</code> (matplotlib, numpy) and '
            f'draws it again whenever the script or the shared style changes.</p>'
            f'{_source_block(name)}</details></figure>')


# Before mkdocs-print-site-plugin (priority 0) keeps the page's HTML for the print page.
@event_priority(50)
def on_page_content(html_text, page, config, files, **kwargs):
    if "FGFIGUREPLACEHOLDER" not in html_text:
        return html_text

    def place(match: re.Match) -> str:
        name, _path, _line = state.placements[int(match.group(1))]
        return figure_html(name, page.url)

    html_text = PLACED.sub(place, html_text)
    for leftover in LEFTOVER.findall(html_text):  # the marker ended up inside a table, heading or paragraph
        name, path, line = state.placements[int(leftover[len("FGFIGUREPLACEHOLDER"):-1])]
        _warn(path, line, f"figure '{name}' must stand in a block of its own (blank lines around the marker)")
    return html_text


def on_post_build(config, **kwargs):
    if state.written:
        out = Path(config.site_dir) / OUT_DIR
        out.mkdir(parents=True, exist_ok=True)
        for file_name, svg in state.written.items():
            (out / file_name).write_text(svg, encoding="utf-8")
    for name, path in state.scripts.items():
        if name not in state.used:
            _warn(_shown(path), 1, f"figure '{name}' is placed on no page; add <!-- figure: {name} --> where the "
                                   "page discusses it, or delete the script")
    if state.cache is not None and state.cache.directory.is_dir():
        state.cache.prune()
