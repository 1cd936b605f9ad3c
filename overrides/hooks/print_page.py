"""MkDocs hook: give mkdocs-print-site-plugin's combined page a relative base URL.

print-site renders its page with Material's `__config.base` set to the path of `site_url`
("/" here). Material resolves the search worker, the sitemap used by instant navigation and
other assets against that base, so the page breaks wherever the site is not served from that
exact path: the offline build opened from disk (file://), and any local server on a sub-path.
Every other page has a relative base; this hook gives the print page one too. Hooks run after
plugins, so the print page already exists when on_post_build is called here.

print-site also adds its stylesheets and script to every page, where they do nothing but delay the
first paint (two render-blocking requests): every page but the print page loses them here.

On the print page, print-site's script copies the "On this page" list into the book's Contents and
hides Material's navigation sidebar, tabs and search once the whole book is parsed; by then the
book's first pages have been drawn, so everything on them jumps (a layout shift of 0.55 on a
desktop). Both are done here instead: the Contents are written into the page and the three parts are
hidden by a style in its head, and print-site's script is no longer loaded.

print-site takes each page's HTML before the hooks change it, so the print page also gets the
accessibility fixes here (guidelib/a11y.py), and its tag lists, plain text under each chapter's
title, are no longer navigation landmarks without names (axe-core: landmark-unique).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from guidelib import a11y  # noqa: E402
from guidelib.site import print_page  # noqa: E402

BASE = re.compile(r'("base":\s*)"[^"]*"')
PRINT_SITE_ASSETS = re.compile(r'\s*(?:<link rel="stylesheet" href="[^"]*css/print-site(?:-material)?\.css">'
                               r'|<script src="[^"]*js/print-site\.js"></script>)')


PRINT_SITE_ONLOAD = re.compile(r'<script type="text/javascript">\s*document\.addEventListener\(\'DOMContentLoaded\', '
                               r'function \(\) \{\s*remove_material_navigation\(\);remove_mkdocs_theme_navigation\(\);'
                               r'(?P<toc>generate_toc\(\);)?\s*\}\)\s*</script>')
TOC_NAV = "<h1 class='print-page-toc-title'>Contents</h1>"
TOC_LIST = re.compile(r'<nav class="md-nav md-nav--secondary"[^>]*>.*?(<ul class="md-nav__list" data-md-component="toc"[^>]*>)', re.S)
PRINT_SITE_SCRIPT = re.compile(r'\s*<script src="[^"]*js/print-site\.js"></script>')
TAGS = re.compile(r"<nav class='md-tags'>(.*?)</nav>", re.S)
HIDDEN = "<style>.md-sidebar--primary, .md-tabs, .md-search, .md-header__button[for=__search] { display: none !important; }</style>"


def balanced_list(html: str, start: int) -> str:
    """The <ul> element that opens at `start`, with the lists nested in it."""
    depth, pos = 0, start
    for match in re.compile(r"<(/?)ul\b[^>]*>").finditer(html, start):
        depth += -1 if match.group(1) else 1
        pos = match.end()
        if depth == 0:
            return html[start:pos]
    raise ValueError("print page: the \"On this page\" list is not closed")


def contents_at_build_time(html: str) -> str:
    """print-site's page with its Contents written in and its navigation hidden by a style, not by script."""
    onload = PRINT_SITE_ONLOAD.search(html)
    if onload is None:
        raise ValueError("print page: print-site's DOMContentLoaded script was not found "
                         "(has mkdocs-print-site-plugin changed? see overrides/hooks/print_page.py)")
    html = html[:onload.start()] + HIDDEN + html[onload.end():]
    if onload.group("toc"):
        found = TOC_LIST.search(html)
        if found is None or html.count(TOC_NAV) != 1:
            raise ValueError("print page: the Contents or the \"On this page\" list was not found")
        toc = balanced_list(html, found.start(1)).replace(' data-md-component="toc"', "", 1)
        html = html.replace(TOC_NAV, TOC_NAV + toc, 1)
    html = TAGS.sub(r"<div class='md-tags'>\1</div>", html)
    return a11y.fix(PRINT_SITE_SCRIPT.sub("", html))


def on_post_build(config, **kwargs) -> None:
    printed = print_page(config)
    if printed is None or not printed.path.is_file():
        return
    base = ".." if config.use_directory_urls else "."  # from print_page/ or print_page.html to the root
    html = printed.path.read_text(encoding="utf-8")
    html = BASE.sub(rf'\1"{base}"', html, count=1)
    printed.path.write_text(contents_at_build_time(html), encoding="utf-8")


def on_post_page(output, page, config, **kwargs):
    printed = print_page(config)
    if printed is not None and page.file.src_uri == printed.src_uri:
        return output
    return PRINT_SITE_ASSETS.sub("", output)
