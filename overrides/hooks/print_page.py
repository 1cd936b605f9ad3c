"""MkDocs hook: give mkdocs-print-site-plugin's combined page a relative base URL.

print-site renders its page with Material's `__config.base` set to the path of `site_url`
("/" here). Material resolves the search worker, the sitemap used by instant navigation and
other assets against that base, so the page breaks wherever the site is not served from that
exact path: the offline build opened from disk (file://), and any local server on a sub-path.
Every other page has a relative base; this hook gives the print page one too. Hooks run after
plugins, so the print page already exists when on_post_build is called here.

print-site also adds its stylesheets and script to every page, where they do nothing but delay the
first paint (two render-blocking requests): every page but the print page loses them here.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from guidelib.site import print_page  # noqa: E402

BASE = re.compile(r'("base":\s*)"[^"]*"')
PRINT_SITE_ASSETS = re.compile(r'\s*(?:<link rel="stylesheet" href="[^"]*css/print-site(?:-material)?\.css">'
                               r'|<script src="[^"]*js/print-site\.js"></script>)')


def on_post_build(config, **kwargs) -> None:
    printed = print_page(config)
    if printed is None or not printed.path.is_file():
        return
    base = ".." if config.use_directory_urls else "."  # from print_page/ or print_page.html to the root
    html = printed.path.read_text(encoding="utf-8")
    fixed, count = BASE.subn(rf'\1"{base}"', html, count=1)
    if count:
        printed.path.write_text(fixed, encoding="utf-8")


def on_post_page(output, page, config, **kwargs):
    printed = print_page(config)
    if printed is not None and page.file.src_uri == printed.src_uri:
        return output
    return PRINT_SITE_ASSETS.sub("", output)
