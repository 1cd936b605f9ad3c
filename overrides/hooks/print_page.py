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
from pathlib import Path

BASE = re.compile(r'("base":\s*)"[^"]*"')
PRINT_SITE_ASSETS = re.compile(r'\s*(?:<link rel="stylesheet" href="[^"]*css/print-site(?:-material)?\.css">'
                               r'|<script src="[^"]*js/print-site\.js"></script>)')


def print_page_file(config) -> tuple[Path, str] | None:
    """The print page's file and the relative base it should have, or None without print-site."""
    plugin = config.plugins.get("print-site")
    if plugin is None or not plugin.config.get("enabled", True):
        return None
    name = plugin.config.get("print_page_basename", "print_page")
    site = Path(config.site_dir)
    if config.use_directory_urls:
        return site / name / "index.html", ".."
    return site / f"{name}.html", "."


def on_post_build(config, **kwargs) -> None:
    found = print_page_file(config)
    if found is None or not found[0].is_file():
        return
    path, base = found
    html = path.read_text(encoding="utf-8")
    fixed, count = BASE.subn(rf'\1"{base}"', html, count=1)
    if count:
        path.write_text(fixed, encoding="utf-8")


def on_post_page(output, page, config, **kwargs):
    plugin = config.plugins.get("print-site")
    if plugin is not None and page.file.src_uri == plugin.config.get("print_page_basename", "print_page") + ".md":
        return output
    return PRINT_SITE_ASSETS.sub("", output)
