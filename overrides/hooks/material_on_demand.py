"""MkDocs hook: Material's script starts when the reader first interacts, not while the page loads.

Material's bundle enhances the page as it loads: it mounts every component at once, and each mount
makes the browser restyle and lay out the page again. On a phone (Lighthouse's mobile preset: a 4x
slower CPU) that is 0.5-2 s of blocked main thread on a chapter, during which a tap does nothing.
Without the bundle the same pages score 95-100 for performance; nothing a reader sees before they
touch the page needs it: the text, the diagrams, the maths, the navigation drawer and the tabs
(CSS), the palette toggle (partials/javascripts/palette.html) and the progress marks (the guide's
own scripts) all work without it.

Two things Material does as it mounts would move the page under a reader who has started reading,
so they are done here instead:
- each Markdown table is wrapped in Material's scrolling frame (div.md-typeset__scrollwrap >
  div.md-typeset__table) at build time; when the bundle mounts it wraps them again, and the loader
  takes its extra frame out in the same task, before the page is drawn again;
- Material's script waits for DOMContentLoaded, long past when it arrives: the loader fires the
  event again for it (the guide's own scripts listen with `once`, so they do not run twice).

The print page has no loader and no bundle: it is for printing, and Material's search and
navigation are hidden on it anyway.

So each page carries a small loader in place of the bundle's <script> tag. The loader adds the
bundle the first time the reader moves the pointer, touches, scrolls, turns the wheel or presses
a key, or at once when the address asks for a search (?q=) or a highlight (?h=). A key press that
was a Material shortcut (/ s f to search, n p , . to page) is replayed once the bundle has started,
so it is not lost. `window.fgMaterial()` starts it on demand; `document` then receives the event
`fg:material`. The guide's scripts run their per-page work for the loaded page and, once the
bundle is there, again on every instant navigation (window.fgOnPage in main.html).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from guidelib.site import print_page  # noqa: E402

TABLE = re.compile(r"<table>(.*?)</table>", re.S)
WRAPPED = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table>{}</table></div></div>'

BUNDLE = re.compile(r'<script src="(?P<src>[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')

LOADER = """<script>
  (() => {
    const src = %s;
    const triggers = ["pointerdown", "pointermove", "touchstart", "wheel", "scroll", "keydown"];
    const shortcuts = new Set(["/", "s", "f", "n", "p", ",", "."]);
    let started = false, replay = null;
    const start = (event) => {
      if (started) return;
      started = true;
      for (const type of triggers) removeEventListener(type, start, true);
      if (event && event.type === "keydown" && shortcuts.has(event.key) && !event.target.closest?.("input, textarea, select, [contenteditable]"))
        replay = event;
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => {
        document.dispatchEvent(new Event("DOMContentLoaded"));  // Material mounts on it
        for (const inner of document.querySelectorAll(".md-typeset__scrollwrap > .md-typeset__table > .md-typeset__scrollwrap"))
          inner.parentElement.parentElement.replaceWith(inner);  // Material's second frame round a table framed at build time
        document.dispatchEvent(new CustomEvent("fg:material"));
        if (replay) {
          const { key, code, shiftKey, altKey, ctrlKey, metaKey } = replay;
          window.dispatchEvent(new KeyboardEvent("keydown", { key, code, shiftKey, altKey, ctrlKey, metaKey, bubbles: true, cancelable: true }));
        }
      };
      document.body.append(script);
    };
    window.fgMaterial = () => start(null);
    for (const type of triggers) addEventListener(type, start, { capture: true, passive: true });
    if (/[?&](q|h)=/.test(location.search)) start(null);
  })();
</script>"""


def wrap_tables(content: str) -> str:
    """Every plain <table> in Material's scrolling frame, as Material's script would put it."""
    return TABLE.sub(lambda m: WRAPPED.format(m.group(1)), content) if "<table>" in content else content


def defer_bundle(output: str, where: str) -> str:
    """`output` with Material's bundle tag replaced by the loader. Exactly one tag is expected."""
    matches = list(BUNDLE.finditer(output))
    if len(matches) != 1:
        raise ValueError(f"{where}: expected Material's bundle <script> once, found it {len(matches)} times "
                         "(has Material's base.html changed? see overrides/hooks/material_on_demand.py)")
    match = matches[0]
    return output[:match.start()] + LOADER % json.dumps(match.group("src")) + output[match.end():]


def drop_bundle(output: str, where: str) -> str:
    matches = list(BUNDLE.finditer(output))
    if len(matches) != 1:
        raise ValueError(f"{where}: expected Material's bundle <script> once, found it {len(matches)} times")
    return BUNDLE.sub("", output)


def on_page_content(content, page, config, files, **kwargs):
    return wrap_tables(content)


def on_post_page(output, page, config, **kwargs):
    printed = print_page(config)
    if printed is not None and page.file.src_uri == printed.src_uri:
        return output  # written again by print-site after the build: see on_post_build
    return defer_bundle(output, page.file.src_uri)


def on_post_build(config, **kwargs) -> None:
    """The print page, which print-site writes from the pages' content as it was before the hooks'."""
    printed = print_page(config)
    if printed is None or not printed.path.is_file():
        return
    html = printed.path.read_text(encoding="utf-8")
    printed.path.write_text(wrap_tables(drop_bundle(html, printed.src_uri)), encoding="utf-8")


def on_post_template(output_content, template_name, config, **kwargs):
    if BUNDLE.search(output_content):  # 404.html
        return defer_bundle(output_content, template_name)
    return output_content
