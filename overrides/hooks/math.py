"""MkDocs hook: render every formula with KaTeX at build time.

pymdownx.arithmatex (generic mode) leaves `<span class="arithmatex">\\(…\\)</span>` and
`<div class="arithmatex">\\[…\\]</div>` in the page. This hook replaces their TeX with KaTeX's HTML
(plus MathML for screen readers), marks them `data-rendered`, and links katex.min.css from the
head of the pages that have maths, so a reader's browser runs no KaTeX and nothing shifts when
the maths appears. The print page (written by print-site after the pages) gets the same treatment.

A formula KaTeX cannot parse is reported as `docs/<page>.md:<line>: math: <KaTeX's message>` (a
warning, so `mkdocs build --strict` fails) and left as TeX. Without Node or node_modules/katex the
build says so once and docs/javascripts/render.js renders the formulas in the browser instead.
"""

from __future__ import annotations

import html
import logging
import re
import sys
from pathlib import Path

from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from guidelib.katex import Renderer, RenderError  # noqa: E402
from guidelib.site import print_page  # noqa: E402

log = logging.getLogger("mkdocs.hooks.math")

MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
DELIMITERS = re.compile(r"^\\[(\[]|\\[)\]]$")
STYLESHEET = "assets/vendor/katex/katex.min.css"
# The two faces nearly every formula uses, fetched with the stylesheet rather than after layout, so the
# formulas do not change size (and move the text around them) when they arrive.
PRELOAD = ("assets/vendor/katex/fonts/KaTeX_Main-Regular.woff2", "assets/vendor/katex/fonts/KaTeX_Math-Italic.woff2")


class State:
    renderer: Renderer | None = None
    fallback_said = False


state = State()


def _renderer() -> Renderer | None:
    if state.renderer is None:
        renderer = Renderer()
        if not renderer.available():
            if not state.fallback_said:
                log.info("math: Node or node_modules/katex not found; formulas will be rendered in the browser")
                state.fallback_said = True
            return None
        state.renderer = renderer
    return state.renderer


def _tex(inner: str) -> str:
    return DELIMITERS.sub("", html.unescape(inner).strip())


def _line_of(tex: str, source: str) -> int:
    """The line of the page's Markdown where `tex` first appears (1 if it cannot be found)."""
    probe = tex.strip().splitlines()[0].strip() if tex.strip() else ""
    index = source.find(probe) if probe else -1
    return source.count("\n", 0, index) + 1 if index >= 0 else 1


def render_math(output: str, url: str, where: str = "", source: str = "") -> str:
    """`output` with its arithmatex elements rendered and katex.min.css linked (if it has any)."""
    if 'class="arithmatex"' not in output:
        return output
    renderer = _renderer()
    if renderer is None:
        return output
    matches = list(MATH.finditer(output))
    results = renderer.render_many([(_tex(m.group(2)), m.group(1) == "div") for m in matches])
    pieces, last, rendered = [], 0, 0
    for match, result in zip(matches, results):
        pieces.append(output[last:match.start()])
        if isinstance(result, RenderError):
            log.warning("math: %s:%d: %s", where or url, _line_of(_tex(match.group(2)), source), result)
            pieces.append(match.group(0))
        else:
            tag = match.group(1)
            # The comments let tools that read the HTML skip the formula (scripts/check_links.py).
            pieces.append(f'<{tag} class="arithmatex" data-rendered="true"><!--fg-math-->{result}<!--/fg-math--></{tag}>')
            rendered += 1
        last = match.end()
    pieces.append(output[last:])
    output = "".join(pieces)
    if rendered and STYLESHEET not in output:
        links = "".join(f'<link rel="preload" href="{get_relative_url(font, url)}" as="font" type="font/woff2" '
                        'crossorigin>' for font in PRELOAD)
        links += f'<link rel="stylesheet" href="{get_relative_url(STYLESHEET, url)}">'
        output = output.replace("</head>", links + "</head>", 1)
    return output


def on_post_page(output, page, config, **kwargs):
    try:
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    except (OSError, TypeError):
        source = page.markdown or ""
    return render_math(output, page.url, f"docs/{page.file.src_uri}", source)


def on_post_build(config, **kwargs):
    printed = print_page(config)
    if printed is not None and printed.path.is_file():
        text = render_math(printed.path.read_text(encoding="utf-8"), printed.url, f"{printed.url} (print page)")
        printed.path.write_text(text, encoding="utf-8")
    if state.renderer is not None:
        state.renderer.close()
