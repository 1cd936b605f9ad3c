"""build_pdf.py — the whole guide as one book-quality PDF, diagrams rendered.

Usage (from the repository root; `make pdf [PAPER=letter]` runs it after the strict build):
    .venv/bin/python scripts/build_pdf.py [--site site] [--config mkdocs.yml] [--build]
        [--paper a4|letter] [--output dist/ml-system-design-field-guide.pdf] [--no-link]

1. Opens mkdocs-print-site-plugin's combined page (<site>/print_page/index.html), served from
   127.0.0.1, in headless Debian Chromium (playwright; every non-local request is blocked).
2. Waits for docs/javascripts/render.js (<html data-render="done">: the maths), then requires every
   diagram's and every figure's build-time SVG to load (a div.mermaid left in the page is a diagram
   the build could not render; a figure is named by its script and the line of its marker) and no page error, failed request or KaTeX error to have happened.
   Each problem is printed as `path:line: message`, naming the Markdown page and the diagram
   (its number on the page and its accTitle); the export then stops with exit code 1 and no PDF
   is written, so raw diagram source is never printed.
   While render.js works, the book's content is kept out of layout (HOLD_LAYOUT_JS): about 2.5x
   faster on the whole guide.
3. Forces the light palette, opens every <details> (the `??? question` answers), fills in the
   cover's version (`git describe --always --dirty`) and date, writes part/chapter numbers as
   text, scales down any block wider than the page (else Chromium shrinks every page), and
   prints with page.pdf():
   A4 or Letter, tagged PDF, outline (bookmarks) from the headings, page numbers from print.css.
   Then writes the PDF atomically (temporary file in the same directory, then os.replace).
4. Unless --no-link: rebuilds the site with `extra.pdf` set (the header button and the home
   page's `<!-- pdf-download -->` marker become links; see overrides/partials/pdf-link.html) and
   copies the PDF into it. A plain `make build` sets nothing, so it never links a missing PDF.

--build first builds the site (mkdocs build --strict) into --site. Exit 0 on success, 1 when the
export failed, 2 on usage errors (no built site, bad options).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from guidelib import browser  # noqa: E402
from guidelib import markdown as md  # noqa: E402
from guidelib.files import write_atomic  # noqa: E402,F401  (tests call build_pdf.write_atomic)
from guidelib.paths import CONFIG, ROOT, SITE, VENV_BIN, mkdocs_env  # noqa: E402
from guidelib.report import EXIT_FAILED, EXIT_OK, Report, UsageError, display_path, run_cli  # noqa: E402
from guidelib.site import serve  # noqa: E402
from guidelib.site import Project, load_project  # noqa: E402

PDF_NAME = "ml-system-design-field-guide.pdf"
# The cheat sheet (docs/practice/cheat-sheet.md) is also printed on its own, beside the book: two pages.
CHEAT_SHEET = "practice/cheat-sheet/index.html"
DEFAULT_OUTPUT = ROOT / "dist" / PDF_NAME
PAPERS = {"a4": "A4", "letter": "Letter"}
PAPER_WIDTH_MM = {"a4": 210.0, "letter": 215.9}
SIDE_MARGINS_MM = 2 * 17  # @page margin in docs/stylesheets/print.css (left + right)
RENDER_TIMEOUT_MS = 120_000

# Every diagram, in page order: the build renders them to SVG images (overrides/hooks/diagrams.py);
# load the light image of each (they are lazy) and report which page section it is in, its number on
# that page, whether it loaded, and its accTitle (to name it). A <div class="mermaid"> left in the page
# is a diagram the build could not render.
DIAGRAMS_JS = """async () => {
  const all = [...document.querySelectorAll('figure.fg-diagram, div.mermaid')];
  const out = [];
  for (const el of all) {
    const section = el.closest('section.print-page:not(.md-section)');
    const siblings = [...(section || document).querySelectorAll('figure.fg-diagram, div.mermaid')];
    const img = el.matches('figure') ? el.querySelector('img.fg-diagram__img--light') : null;
    let error = img ? null : (el.dataset.error || 'not rendered at build time');
    if (img) {
      img.loading = 'eager';
      try { await img.decode(); } catch (e) { error = `image did not load: ${img.getAttribute('src')}`; }
    }
    const label = el.querySelector('.fg-diagram__open')?.getAttribute('aria-label') || '';
    out.push({
      page: section ? section.id : '',
      index: siblings.indexOf(el) + 1,
      count: siblings.length,
      rendered: error === null && img.naturalWidth > 0,
      error,
      title: label.replace(/^Open full screen: /, ''),
    });
  }
  return out;
}"""

# Every figure drawn by a figures/<name>.py script (overrides/hooks/figures.py): its light image must load.
FIGURES_JS = """async () => {
  const out = [];
  for (const el of document.querySelectorAll('figure.fg-figure')) {
    const section = el.closest('section.print-page:not(.md-section)');
    const img = el.querySelector('img.fg-diagram__img--light');
    let error = img ? null : 'no light image';
    if (img) {
      img.loading = 'eager';
      try { await img.decode(); } catch (e) { error = `image did not load: ${img.getAttribute('src')}`; }
    }
    out.push({ page: section ? section.id : '', name: el.dataset.figure, error });
  }
  return out;
}"""

MATH_ERRORS_JS = """() => [...document.querySelectorAll('.katex-error')].map((el) => {
  const section = el.closest('section.print-page:not(.md-section)');
  return { page: section ? section.id : '', message: el.getAttribute('title') || el.textContent };
})"""

# While render.js works, the combined page's content is kept out of layout: Mermaid measures its
# labels in a scratch element, and every measurement would otherwise lay out the whole book again
# (about 1,000 layouts). The diagrams keep the sizes Mermaid computed. Removed before printing.
HOLD_LAYOUT_JS = """(() => {
  const hold = () => {
    if (document.getElementById('fg-pdf-hold')) return;
    const style = document.createElement('style');
    style.id = 'fg-pdf-hold';
    style.textContent = '#print-site-page { display: none !important; }';
    (document.head || document.documentElement).appendChild(style);
  };
  if (document.documentElement) hold(); else document.addEventListener('readystatechange', hold, { once: true });
})();"""

# Make the page the book: light palette, answers open, cover filled in, the title for the PDF's
# metadata, chapter numbers as text (print-site draws them with ::before, which neither the outline
# nor the text layer sees), and heading levels for the outline (a chapter inside a part sits one
# level below the part).
PREPARE_JS = r"""(info) => {
  document.getElementById('fg-pdf-hold')?.remove();
  if (document.body.getAttribute('data-md-color-scheme') !== 'default') {
    document.body.setAttribute('data-md-color-scheme', 'default');  // print.css prints the light diagrams
  }
  for (const details of document.querySelectorAll('details')) details.open = true;
  for (const el of document.querySelectorAll('[data-pdf-version]')) el.textContent = info.version;
  for (const el of document.querySelectorAll('[data-pdf-date]')) el.textContent = info.date;
  document.title = info.title;
  const book = document.getElementById('print-site-page');
  book.classList.remove('print-site-enumerate-headings');
  for (const section of book.querySelectorAll('section.print-page[heading-number]')) {
    const title = section.querySelector(':scope > h1');
    if (!title || title.querySelector('.fg-number')) continue;
    const number = document.createElement('span');
    number.className = 'fg-number';
    number.textContent = section.getAttribute('heading-number');
    title.prepend(number, ' ');
  }
  const depth = (el) => {
    let count = 0;
    for (let up = el.parentElement.closest('section.md-section'); up; up = up.parentElement.closest('section.md-section')) count++;
    return count;
  };
  for (const part of book.querySelectorAll('section.md-section')) {
    part.querySelector(':scope > h1')?.setAttribute('aria-level', String(Math.min(6, 1 + depth(part))));
  }
  // The outline takes a heading's title from its laid-out lines, which drop the space where a long
  // heading wraps ("forranking"). Kept spaces (white-space: pre-wrap) stay in the line; the heading's
  // whitespace is collapsed first so that nothing else changes.
  for (const heading of book.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    heading.querySelectorAll('a.headerlink').forEach((a) => a.remove());  // the ¶ never prints
    const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    const nodes = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      node.data = node.data.replace(/\s+/g, ' ');
      nodes.push(node);
    }
    const words = nodes.filter((node) => node.data.trim());
    if (words.length) {  // no space before the first word or after the last one
      const first = nodes.indexOf(words[0]);
      const last = nodes.indexOf(words[words.length - 1]);
      nodes.forEach((node, i) => { if (i < first || i > last) node.data = ''; });
      words[0].data = words[0].data.trimStart();
      words[words.length - 1].data = words[words.length - 1].data.trimEnd();
    }
    heading.style.whiteSpace = 'pre-wrap';
  }
  for (const section of book.querySelectorAll('section.print-page:not(.md-section)')) {
    const shift = depth(section);
    if (!shift) continue;
    for (const heading of section.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
      heading.setAttribute('aria-level', String(Math.min(6, Number(heading.tagName[1]) + shift)));
    }
  }
  return {
    details: document.querySelectorAll('details').length,
    closed: document.querySelectorAll('details:not([open])').length,
    chapters: [...book.querySelectorAll('section.print-page[heading-number] > h1')].map((h) => h.textContent.trim()),
  };
}"""

# Blocks wider than the page would make Chromium shrink every page to fit them; scale just those
# blocks down instead (display maths, tables, code). Run in print media at the page's content width.
FIT_JS = """() => {
  const fitted = [];
  const blocks = document.querySelectorAll(
    '#print-site-page div.arithmatex, #print-site-page .md-typeset__table, #print-site-page .highlight');
  for (const el of blocks) {
    const room = el.clientWidth, need = el.scrollWidth;
    if (room > 0 && need > room + 1) {
      el.style.zoom = (room / need).toFixed(3);
      fitted.push((el.closest('section.print-page[id]') || {}).id || '');
    }
  }
  const root = document.documentElement;
  return { fitted, overflow: root.scrollWidth - root.clientWidth };
}"""

THEMED_JS = """() => document.documentElement.dataset.render === 'done'"""


# The id each Contents entry links to; Chromium makes every id a named destination of the PDF.
TOC_TARGETS_JS = """() => [...document.querySelectorAll('#print-page-toc a.md-nav__link')]
  .map((a) => decodeURIComponent(new URL(a.href, location.href).hash.replace(/^#/, '')))"""

# Write each entry's page number into the Contents (Chromium has no target-counter()).
TOC_NUMBERS_JS = """(pages) => {
  const links = [...document.querySelectorAll('#print-page-toc a.md-nav__link')];
  links.forEach((a, i) => {
    let span = a.querySelector('.fg-toc-page');
    if (!span) { span = document.createElement('span'); span.className = 'fg-toc-page'; a.appendChild(span); }
    span.textContent = pages[i] ? String(pages[i]) : '';
  });
}"""


def heading_pages(data: bytes, targets: list[str]) -> list[int | None]:
    """The printed page number (1-based, as in the footer) of each target id, from the PDF's named
    destinations."""
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    pages = {name.lstrip("/"): reader.get_destination_page_number(dest) + 1
             for name, dest in reader.named_destinations.items()}
    return [pages.get(target) for target in targets]


def number_contents(page, print_pdf, report: Report, print_file: Path) -> bytes:
    """Print, read where each Contents entry landed, write the page numbers in and print again (the
    numbers take no extra lines, so nothing moves; a third pass is made if something did)."""
    headings = page.evaluate(TOC_TARGETS_JS)  # the ids the entries link to
    data = print_pdf()
    if not headings:
        return data
    numbers = heading_pages(data, headings)
    for _ in range(3):
        page.evaluate(TOC_NUMBERS_JS, numbers)
        data = print_pdf()
        again = heading_pages(data, headings)
        if again == numbers:
            break
        numbers = again
    missing = [heading for heading, number in zip(headings, numbers) if number is None]
    if missing:
        report.add(print_file, 1, f"{len(missing)} Contents entr(y/ies) not found in the PDF: {missing[:3]}", "contents")
    return data


class ExportError(Exception):
    """The export cannot go on (the build failed, Chromium failed); message says why."""


@dataclass
class Result:
    output: Path
    paper: str
    pages: int = 0
    size: int = 0
    diagrams: int = 0
    details: int = 0
    version: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    sheet: Path | None = None
    sheet_pages: int = 0


# --- inputs -----------------------------------------------------------------------------------


def git_version(root: Path = ROOT) -> str:
    """`git describe --always --dirty` (the short hash, `-dirty` with local changes), or "unversioned"."""
    try:
        proc = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=root,
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "unversioned"
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else "unversioned"


def print_page_file(site: Path) -> Path:
    for candidate in (site / "print_page" / "index.html", site / "print_page.html"):
        if candidate.is_file():
            return candidate
    raise UsageError(f"{display_path(site)} has no print page (print_page/index.html): build the site first "
                     "(`make build`, or pass --build)")


def page_key(url: str) -> str:
    """mkdocs-print-site-plugin's id for a page's section on the print page."""
    from mkdocs_print_site_plugin.urls import get_page_key

    return get_page_key(url)


def diagram_lines(project: Project) -> dict[str, tuple[Path, list[int]]]:
    """print-page section id -> (Markdown file, opening line of each mermaid fence in page order)."""
    options = project.extension_options("pymdownx.snippets")
    expander = md.SnippetExpander(options, project.base_dir) if options is not None else None
    found: dict[str, tuple[Path, list[int]]] = {}
    for path in project.pages():
        src = project.src_uri(path)
        text, error = md.read_source(path)
        lines: list = [] if error else md.source_lines(text, path)
        if expander is not None and lines:
            lines, _ = expander.expand(lines)
        fences = md.find_fences(lines, "mermaid")
        found[page_key(project.url_of(src))] = (path, [fence.open.top.lineno for fence in fences])
    return found


def figure_line(path: Path, name: str) -> int:
    """The line of `path` that places figure `name` (`<!-- figure: name -->`), or 1."""
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.match(rf"^\s*<!--\s*figure:\s*{re.escape(name)}\s*-->\s*$", line):
                return number
    except OSError:
        pass
    return 1


# --- building the site ------------------------------------------------------------------------


def build_site(config: Path, site: Path, extra: dict | None = None) -> None:
    """`mkdocs build --strict --clean` of `config` into `site`; with `extra`, merged into config.extra.

    The extra keys go through a config read from stdin that INHERITs the real one, run from the
    config's directory so every relative path in it resolves as usual.
    """
    command = [str(VENV_BIN / "mkdocs"), "build", "--strict", "--clean", "-q", "-d", str(site)]
    stdin = None
    if extra:
        command += ["-f", "-"]
        stdin = json.dumps({"INHERIT": config.name, "extra": extra})  # JSON is YAML
    else:
        command += ["-f", str(config)]
    proc = subprocess.run(command, cwd=config.parent, env=mkdocs_env(), input=stdin,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        log = (proc.stdout + proc.stderr).strip()
        raise ExportError(f"mkdocs build --strict -f {display_path(config)} failed:\n{log}")


# --- printing ---------------------------------------------------------------------------------


def check_render(page, print_file: Path, sources: dict, report: Report) -> int:
    """Add a finding per diagram, math or page problem; return the number of diagrams."""
    diagrams = page.evaluate(DIAGRAMS_JS)
    for diagram in diagrams:
        if diagram["rendered"] and not diagram["error"]:
            continue
        path, lines = sources.get(diagram["page"], (print_file, []))
        line = lines[diagram["index"] - 1] if len(lines) >= diagram["index"] else 1
        name = f'diagram {diagram["index"]} of {diagram["count"]}'
        if diagram["title"]:
            name += f' ("{diagram["title"]}")'
        reason = diagram["error"] or "did not render (no SVG)"
        report.add(path, line, f"{name}: {' '.join(reason.split())}", "diagram")
    for figure in page.evaluate(FIGURES_JS):
        if figure["error"]:
            path, _ = sources.get(figure["page"], (print_file, []))
            line = figure_line(path, figure["name"])
            report.add(path, line, f"figure '{figure['name']}': {' '.join(figure['error'].split())}", "figure")
    for error in page.evaluate(MATH_ERRORS_JS):
        path, _ = sources.get(error["page"], (print_file, []))
        report.add(path, 1, f"KaTeX error: {' '.join(error['message'].split())}", "math")
    return len(diagrams)


def render_pdf(site: Path, project: Project, paper: str, version: str, date: str, report: Report,
               timings: dict[str, float]) -> tuple[bytes | None, int, int]:
    """Print the site's print page; (PDF bytes or None when findings were added, diagrams, details)."""
    print_file = print_page_file(site)
    sources = diagram_lines(project)
    started = time.perf_counter()
    with serve(site) as base, browser.launch() as chromium:
        timings["launch"] = time.perf_counter() - started
        log = browser.NetworkLog()
        # Lay out at the width of the printed text block, as page.pdf() will.
        width = round((PAPER_WIDTH_MM[paper] - SIDE_MARGINS_MM) / 25.4 * 96)
        context = browser.guarded_context(chromium, log, color_scheme="light", viewport={"width": width, "height": 1000})
        context.add_init_script(HOLD_LAYOUT_JS)
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda msg: msg.type == "error" and not msg.text.startswith("Mermaid:")
                and problems.append(f"console error: {msg.text}"))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("requestfailed", lambda r: r.url not in log.blocked
                and problems.append(f"request failed: {r.url} ({r.failure})"))
        url = base + print_file.relative_to(site).as_posix().removesuffix("index.html")
        step = time.perf_counter()
        page.goto(url, wait_until="load")
        try:
            page.wait_for_function("document.documentElement.dataset.render === 'done'", timeout=RENDER_TIMEOUT_MS)
        except Exception:  # playwright's TimeoutError
            problems.append(f"diagrams and maths did not finish rendering within {RENDER_TIMEOUT_MS // 1000} s")
        timings["render"] = time.perf_counter() - step
        diagrams = check_render(page, print_file, sources, report)
        for url_ in log.blocked:
            problems.append(f"request to a non-local host blocked: {url_}")
        for problem in dict.fromkeys(problems):
            report.add(print_file, 1, problem, "page")
        if report.findings:
            context.close()
            return None, diagrams, 0
        step = time.perf_counter()
        state = page.evaluate(PREPARE_JS, {"version": version, "date": date, "title": project.config.get("site_name", "")})
        if state["closed"]:
            report.add(print_file, 1, f"{state['closed']} collapsible block(s) could not be opened", "page")
            context.close()
            return None, diagrams, state["details"]
        page.wait_for_function(THEMED_JS, timeout=RENDER_TIMEOUT_MS)
        page.evaluate("document.fonts.ready.then(() => true)")
        page.emulate_media(media="print", color_scheme="light")
        fit = page.evaluate(FIT_JS)
        if fit["overflow"] > 1:
            print(f"pdf: warning: content is {fit['overflow']} px wider than the page; Chromium will shrink "
                  "the pages to fit", file=sys.stderr)
        timings["prepare"] = time.perf_counter() - step
        step = time.perf_counter()
        data = number_contents(page, lambda: page.pdf(format=PAPERS[paper], print_background=True, outline=True,
                                                      tagged=True, prefer_css_page_size=True), report, print_file)
        timings["print"] = time.perf_counter() - step
        context.close()
    return data, diagrams, state["details"]


def sheet_output(output: Path) -> Path:
    return output.with_name(f"{output.stem}-cheat-sheet.pdf")


def render_sheet(site: Path, paper: str) -> bytes:
    """The cheat sheet page printed on its own, as a reader's browser prints it (print.css)."""
    with serve(site) as base, browser.launch() as chromium:
        log = browser.NetworkLog()
        context = browser.guarded_context(chromium, log, color_scheme="light")
        page = context.new_page()
        page.goto(base + CHEAT_SHEET.removesuffix("index.html"), wait_until="load")
        page.wait_for_function("document.documentElement.dataset.render === 'done'", timeout=RENDER_TIMEOUT_MS)
        page.evaluate("document.fonts.ready.then(() => true)")
        page.emulate_media(media="print", color_scheme="light")
        data = page.pdf(format=PAPERS[paper], print_background=True, tagged=True, prefer_css_page_size=True)
        context.close()
    if log.blocked:
        raise ExportError(f"the cheat sheet requested a non-local host: {log.blocked[0]}")
    return data


def count_pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def export(site: Path, config: Path, output: Path, paper: str = "a4", build: bool = False, link: bool = True,
           report: Report | None = None) -> Result | None:
    """The whole export; None when `report` got findings (nothing written)."""
    report = report or Report("pdf")
    project = load_project(config)
    result = Result(output, paper, version=git_version(project.docs_dir))
    started = time.perf_counter()
    if build:
        build_site(config, site)
        result.timings["build"] = time.perf_counter() - started
    date = dt.date.today().isoformat()
    from playwright.sync_api import Error as PlaywrightError

    try:
        data, result.diagrams, result.details = render_pdf(site, project, paper, result.version, date, report,
                                                           result.timings)
    except PlaywrightError as error:
        raise ExportError(f"Chromium failed: {error}") from error
    report.checked = result.diagrams
    if data is None:
        return None
    step = time.perf_counter()
    write_atomic(output, data)
    result.size = len(data)
    result.pages = count_pages(data)
    result.timings["write"] = time.perf_counter() - step
    if (site / CHEAT_SHEET).is_file():
        step = time.perf_counter()
        try:
            sheet = render_sheet(site, paper)
        except PlaywrightError as error:
            raise ExportError(f"Chromium failed on the cheat sheet: {error}") from error
        result.sheet, result.sheet_pages = sheet_output(output), count_pages(sheet)
        write_atomic(result.sheet, sheet)
        result.timings["sheet"] = time.perf_counter() - step
    if link:
        step = time.perf_counter()
        info = f"{PAPERS[paper]}, {result.pages} pages, {result.size / 1e6:.1f} MB, version {result.version}"
        build_site(config, site, {"pdf": output.name, "pdf_info": info})
        shutil.copy2(output, site / output.name)
        result.timings["link"] = time.perf_counter() - step
    result.timings["total"] = time.perf_counter() - started
    return result


# --- command line ------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Print the whole guide to one PDF (diagrams rendered).")
    parser.add_argument("--site", type=Path, default=SITE, help="built site to print (default: site/)")
    parser.add_argument("--config", type=Path, default=CONFIG, help="MkDocs config (default: mkdocs.yml)")
    parser.add_argument("--build", action="store_true", help="build the site (--strict) into --site first")
    parser.add_argument("--paper", type=str.lower, choices=sorted(PAPERS), default="a4",
                        help="paper size (default: a4)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"PDF to write (default: dist/{PDF_NAME})")
    parser.add_argument("--no-link", dest="link", action="store_false",
                        help="do not rebuild the site with a link to the PDF")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    report = Report("pdf", noun="diagrams")

    def body() -> int:
        args = parse_args(argv)
        try:
            result = export(args.site.resolve(), args.config.resolve(), args.output.resolve(), args.paper,
                            args.build, args.link, report)
        except ExportError as error:
            print(f"pdf: error: {error}", file=sys.stderr)
            return EXIT_FAILED
        if result is None:
            return report.emit()
        if result.sheet is not None:
            print(f"pdf: {display_path(result.sheet)}: the cheat sheet, {result.sheet_pages} pages")
        print(f"pdf: {display_path(result.output)}: {result.pages} pages, {result.size / 1e6:.1f} MB, "
              f"{PAPERS[result.paper]}, version {result.version}, {result.diagrams} diagrams, "
              f"{result.details} answers expanded, {result.timings['total']:.1f} s")
        return EXIT_OK

    return run_cli(body, "pdf")


if __name__ == "__main__":
    sys.exit(main())
