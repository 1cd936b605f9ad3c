"""check_links.py — every internal link and anchor of the built site, checked by linkchecker.

Usage (from the repository root):
    .venv/bin/python scripts/check_links.py [--site DIR] [--config mkdocs.yml] [--docs DIR]
                                            [--external] [--report reports/links.json]
                                            [--page docs/PAGE.md ...] [--no-cache]

1. Builds the site with `mkdocs build --no-strict` into a temp dir (broken links must reach the
   checker rather than stop the build), or takes a built one with `--site DIR`.
2. Serves it on 127.0.0.1 on a free port and runs the pip-installed `.venv/bin/linkchecker` over
   it with its AnchorCheck plugin, starting from every built page (so pages nobody links to are
   checked too). External links are only syntax-checked unless `--external` is given (this machine
   has no internet). Not crawled, to keep it fast: print_page/ (the print-site plugin's copy of every
   page, with its own rewritten anchors), assets/vendor/ (Mermaid/KaTeX files) and 404.html (its
   links are absolute to site_url, so they only resolve on the deployed site).
3. Maps each broken link or anchor back to the Markdown page it came from (docs/….md, from the built
   URL) and to the line of the link in that page, found by resolving every link of the page the way
   MkDocs does; links that come from the theme are reported against the built HTML file and line.
`--page` checks only the links of the given pages (the pages a change touched): linkchecker starts
from them and from the pages their text links to (it checks an anchor only on a page it parses), one
level deep, without crawling the rest of the site.

A passing run is remembered in .cache/links/ (or $FG_LINKS_CACHE) under a key that covers every
HTML file of the site byte for byte, the name and size of every other file, the pages checked, the
linkchecker version and this checker's code: the same site is not checked twice (`--no-cache`
checks it anyway). A failure is never remembered.

Prints `path:line: message` per problem and a summary line; writes a JSON report (default
reports/links.json). Exit 1 on problems, 2 on usage errors. Never modifies a contributor file.
linkchecker drops root privileges to `nobody`, so its config lives in a world-readable temp dir.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from guidelib import markdown as md  # noqa: E402
from guidelib.paths import ROOT, VENV_BIN  # noqa: E402
from guidelib.report import Report, UsageError, display_path, run_cli  # noqa: E402
from guidelib.site import Project, build, link_url, load_project, serve  # noqa: E402

EXCLUDED = ["print_page/", "assets/vendor/", "404.html"]

# Same-page anchors the theme and extensions generate for every page: the table of contents, heading
# permalinks, the skip link, code line numbers and footnote pairs. They point at ids generated from the
# same source, so they cannot break; but linkchecker fetches and parses the page again for each
# `page#anchor` URL, which made a run take minutes. They are removed from the HTML linkchecker is served
# (the site on disk is untouched); every link written in the Markdown is still checked.
THEME_ANCHOR_CLASSES = re.compile(r'class="[^"]*\b(headerlink|md-nav__link|md-skip|footnote-ref|footnote-backref)\b')
SAME_PAGE_LINK = re.compile(r'<a\b[^>]*\bhref="#[^"]*"[^>]*>')
# Formulas rendered at build time (overrides/hooks/math.py marks them) hold no links, only markup that
# linkchecker would parse again for every `page#anchor` URL: they are left out of what it is served.
RENDERED_MATH = re.compile(r"<!--fg-math-->.*?<!--/fg-math-->", re.S)
LINKCHECKER_TIMEOUT = 1200  # a guard against a hung run, not a speed target (scripts/bench_checks.py measures speed)


@dataclass
class Broken:
    """One failing URL as linkchecker reported it."""

    url: str  # absolute URL that failed (with #anchor for anchor failures)
    written: str  # the href as written in the parent page
    parent: str  # absolute URL of the page that links to it
    html_line: int
    anchor: str | None  # the missing anchor, for anchor failures
    result: str  # linkchecker's result for broken links

    def message(self, written: str) -> str:
        if self.anchor is not None:
            return f"broken anchor '{written}': the target page has no id '{self.anchor}'"
        return f"broken link '{written}': {self.result}"


def normalise(url: str) -> str:
    """Comparable form of an absolute URL: unquoted path, `index.html` dropped, fragment kept."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return urlunsplit((parts.scheme, parts.netloc, path, "", unquote(parts.fragment)))


def strip_theme_anchors(html: str) -> str:
    """Drop the href of theme-generated same-page anchor links (see THEME_ANCHOR_CLASSES), and the
    markup of formulas rendered at build time (RENDERED_MATH)."""

    def drop(match: re.Match) -> str:
        tag = match.group(0)
        if THEME_ANCHOR_CLASSES.search(tag) or 'href="#__' in tag:
            return re.sub(r'\shref="#[^"]*"', "", tag, count=1)
        return tag

    return SAME_PAGE_LINK.sub(drop, RENDERED_MATH.sub("", html))


def start_urls(site: Path, base: str, pages: list[Path] | None = None) -> list[str]:
    """Every built HTML page not excluded from crawling (or only `pages`, built HTML files)."""
    urls = []
    for path in (pages if pages is not None else sorted(site.rglob("*.html"))):
        rel = path.relative_to(site).as_posix()
        if any(rel == ex or rel.startswith(ex) for ex in EXCLUDED):
            continue
        urls.append(base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return urls


def linkchecker_config(directory: Path, external: bool) -> Path:
    """A linkcheckerrc readable by `nobody` (linkchecker drops root privileges to that user)."""
    ignore = "\n ".join(f"/{posixpath.join('', ex)}" for ex in EXCLUDED)
    config = directory / "linkcheckerrc"
    config.write_text(
        "[checking]\nthreads=8\ntimeout=30\nmaxrequestspersecond=1000\n"
        f"[filtering]\ncheckextern={1 if external else 0}\n"
        f"ignore=\n {ignore}\n"
        "[AnchorCheck]\n",
        encoding="utf-8",
    )
    config.chmod(0o644)
    return config


def run_linkchecker(site: Path, base: str, external: bool,
                    pages: list[Path] | None = None) -> tuple[list[Broken], int]:
    """Run linkchecker over the served site; return the failures and the number of URLs checked."""
    work = Path(tempfile.mkdtemp(prefix="fg-links-"))
    try:
        work.chmod(0o755)
        config = linkchecker_config(work, external)
        ignores = [arg for ex in EXCLUDED for arg in ("--ignore-url", "^" + base.replace(".", r"\.") + ex)]
        command = [str(VENV_BIN / "linkchecker"), "-f", str(config), "--no-status", "--verbose", "-o", "xml",
                   "--no-robots", *ignores, *(["--check-extern"] if external else []),
                   *(["--recursion-level=1"] if pages is not None else []), *start_urls(site, base, pages)]
        env = {**os.environ, "HOME": str(work), "XDG_CONFIG_HOME": str(work), "XDG_DATA_HOME": str(work)}
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=work, timeout=LINKCHECKER_TIMEOUT)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if done.returncode not in (0, 1) or "<linkchecker" not in done.stdout:
        raise RuntimeError(f"linkchecker failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    return parse_xml(done.stdout)


def parse_xml(output: str) -> tuple[list[Broken], int]:
    root = ET.fromstring(output[output.index("<?xml") if "<?xml" in output else 0:])
    broken, checked = [], 0
    for item in root.iter("urldata"):
        checked += 1
        real = item.findtext("realurl") or item.findtext("url") or ""
        written = item.findtext("url") or ""
        parent = item.find("parent")
        valid = item.find("valid")
        anchor_warnings = [w.text or "" for w in item.iter("warning") if "Anchor" in (w.text or "")]
        anchor = None
        if valid is not None and valid.text == "0":
            pass
        elif anchor_warnings:
            anchor = unquote(urlsplit(written).fragment or urlsplit(real).fragment)
        else:
            continue
        result = valid.get("result") if valid is not None else ""
        if anchor_warnings and "#" not in real:
            real = real + "#" + urlsplit(written).fragment
        parent_url = parent.text if parent is not None and parent.text else ""
        line = int(parent.get("line") or 1) if parent is not None else 1
        broken.append(Broken(real, written, parent_url, line, anchor, result or "failed"))
    return broken, checked


class SourceMap:
    """Built URL -> Markdown page, and (page, absolute link URL) -> Markdown lines."""

    def __init__(self, project: Project, base: str):
        self.project, self.base = project, base
        self.pages: dict[str, Path] = {}
        for path in project.pages():
            self.pages[normalise(urljoin(base, project.url_of(project.src_uri(path))))] = path
        options = project.extension_options("pymdownx.snippets")
        self.snippets = md.SnippetExpander(options, project.base_dir) if options is not None else None
        self._links: dict[Path, dict[str, list[md.SourceLine]]] = {}

    def page_for(self, url: str) -> Path | None:
        return self.pages.get(normalise(urlsplit(url)._replace(fragment="").geturl()))

    def links_of(self, page: Path) -> dict[str, list[tuple[md.SourceLine, str]]]:
        if page not in self._links:
            found: dict[str, list[tuple[md.SourceLine, str]]] = {}
            text, error = md.read_source(page)
            if not error:
                lines = md.source_lines(text, page)
                if self.snippets is not None:
                    lines, _errors = self.snippets.expand(lines)
                _fences, outside = md.scan_fences(lines)
                src = self.project.src_uri(page)
                for link in md.links(outside):
                    target = link.target.strip()
                    found.setdefault("written:" + target, []).append((link.line, target))
                    relative = link_url(self.project, src, target)
                    if relative is not None:
                        found.setdefault(normalise(urljoin(self.base, relative)), []).append((link.line, target))
            self._links[page] = found
        return self._links[page]


def locate(broken: Broken, sources: SourceMap, site: Path, base: str) -> list[tuple[Path | str, int, str]]:
    page = sources.page_for(broken.parent)
    if page is not None:
        links = sources.links_of(page)
        # MkDocs rewrites links to existing pages (foo.md -> ../foo/) and leaves others as written.
        lines = links.get(normalise(broken.url)) or links.get("written:" + broken.written, [])
        if lines:
            return [(line.path, line.lineno, broken.message(target)) for line, target in lines]
        return [(page, 1, broken.message(broken.written) + " (link not found in the Markdown: it comes from the theme or raw HTML; "
                                          f"built HTML line {broken.html_line})")]
    rel = urlsplit(broken.parent).path.lstrip("/")
    built = site / (rel + "index.html" if rel.endswith("/") or not rel else rel)
    return [(display_path(built), broken.html_line, broken.message(broken.written) + " (in a page not built from docs/)")]


def html_of(project: Project, site: Path, page: Path) -> Path | None:
    """The built HTML file of a Markdown page of the project (None if it is not one)."""
    try:
        src = project.src_uri(page) if page.suffix == ".md" and page.is_file() else None
    except ValueError:  # not under the docs dir
        return None
    if src is None:
        return None
    html = site / project.url_of(src)
    if html.suffix != ".html":
        html = html / "index.html"
    return html if html.is_file() else None


def linked_pages(project: Project, site: Path, pages: list[Path]) -> list[Path]:
    """The built HTML of `pages` and of every page their Markdown links to, in a stable order (the
    theme's navigation, which links every page, is left to the full check)."""
    base = "http://site.invalid/"
    sources = SourceMap(project, base)
    found = dict.fromkeys(html_of(project, site, page) for page in pages)
    for page in pages:
        for url in sources.links_of(page):
            target = sources.page_for(url) if url.startswith(base) else None
            html = html_of(project, site, target) if target is not None else None
            if html is not None:
                found.setdefault(html)
    return list(found)


def cache_dir() -> Path:
    return Path(os.environ.get("FG_LINKS_CACHE") or ROOT / ".cache" / "links")


def cache_key(site: Path, external: bool, pages: list[Path] | None) -> str:
    """A key for everything a passing result depends on (see the module docstring)."""
    digest = hashlib.sha256()
    digest.update(f"linkchecker {importlib.metadata.version('linkchecker')} external={external}\n".encode())
    here = Path(__file__).resolve()
    for code in [here, *sorted((here.parent / "guidelib").glob("*.py"))]:
        digest.update(code.name.encode() + b"\0" + code.read_bytes())
    digest.update(("pages:" + ",".join(p.relative_to(site).as_posix() for p in pages) if pages is not None
                   else "pages: all").encode())
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            digest.update(b"\0html " + rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        else:
            digest.update(f"\0file {rel} {path.stat().st_size}".encode())
    return digest.hexdigest()


def check(project: Project, site: Path | None, external: bool, report: Report,
          pages: list[Path] | None = None, use_cache: bool = True) -> dict:
    temp = None
    if site is None:
        temp = Path(tempfile.mkdtemp(prefix="fg-site-"))
        site = temp / "site"
        done = build(project, site)
        if done.returncode != 0:
            report.add(project.config_path, 1, "mkdocs build failed: " + " ".join(done.stderr.split())[-1500:], "build")
            shutil.rmtree(temp, ignore_errors=True)
            return {"site": None, "broken": []}
    elif not (site / "index.html").is_file():
        raise UsageError(f"--site {site}: no index.html there (build the site first)")
    built = None
    if pages is not None:
        for page in pages:
            if html_of(project, site, page) is None:
                raise UsageError(f"--page {page}: not a page of {display_path(project.docs_dir)} built into the site")
        built = linked_pages(project, site, pages)
    key = cache_key(site, external, built)
    remembered = cache_dir() / f"{key}.json"
    if use_cache and remembered.is_file():
        try:
            report.checked = int(json.loads(remembered.read_text(encoding="utf-8"))["checked"])
            print(f"links: the same site passed on an earlier run ({remembered.name[:12]}…); not checked again "
                  "(--no-cache checks it)")
            if temp is not None:
                shutil.rmtree(temp, ignore_errors=True)
            return {"site": str(site) if temp is None else "(temporary build)", "cached": True, "broken": []}
        except (OSError, ValueError, KeyError):
            pass  # an unreadable entry counts as no entry
    try:
        with serve(site, transform=strip_theme_anchors) as base:
            broken, checked = run_linkchecker(site, base, external, built)
            if use_cache and not broken:
                remembered.parent.mkdir(parents=True, exist_ok=True)
                remembered.write_text(json.dumps({"checked": checked}) + "\n", encoding="utf-8")
            sources = SourceMap(project, base)
            report.checked = checked
            for item in broken:
                for path, line, message in locate(item, sources, site, base):
                    report.add(path, line, message, "link")
            return {
                "site": str(site) if temp is None else "(temporary build)",
                "excluded_from_crawl": EXCLUDED,
                "external_checked": external,
                "broken": [
                    {"url": b.url.replace(base, "/"), "written": b.written, "parent": b.parent.replace(base, "/"),
                     "html_line": b.html_line, "missing_anchor": b.anchor, "result": b.result}
                    for b in broken
                ],
            }
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an already built site (default: build one into a temp dir)")
    parser.add_argument("--config", type=Path, help="mkdocs.yml (default: the repository's)")
    parser.add_argument("--docs", type=Path, help="docs dir the site was built from (default: the config's)")
    parser.add_argument("--external", action="store_true", help="also check external links (needs internet)")
    parser.add_argument("--report", type=Path, default=ROOT / "reports" / "links.json",
                        help="JSON report path (default: reports/links.json)")
    parser.add_argument("--page", type=Path, action="append", dest="pages",
                        help="check only the links of this Markdown page (repeat for more pages)")
    parser.add_argument("--no-cache", action="store_true",
                        help="check even if the same site passed before (and remember nothing)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def body() -> int:
        project = load_project(args.config, args.docs)
        report = Report("links", noun="URLs checked")
        pages = [page.resolve() for page in args.pages] if args.pages else None
        details = check(project, args.site.resolve() if args.site else None, args.external, report,
                        pages=pages, use_cache=not args.no_cache)
        report.write_json(args.report, **details)
        return report.emit()

    return run_cli(body, "check_links")


if __name__ == "__main__":
    sys.exit(main())
