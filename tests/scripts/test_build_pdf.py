"""scripts/build_pdf.py: the whole guide as one PDF.

The guide's PDF is built once per session (`pdf_build`): the fixture runs the script as `make pdf`
does, with --build into a temporary site, and every test reads that one file with pypdf. Failure
paths and the Letter option use a tiny docs tree (`tiny`), which builds and prints in seconds.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from guidelib.paths import CONFIG, ROOT

import build_pdf

SCRIPT = ROOT / "scripts" / "build_pdf.py"
# The book grows with the guide, so the budget is per page: text, vector diagrams and fonts come to about
# 23 KB a page; a raster image or an embedded font per chapter would push it well past this.
MAX_BYTES_PER_PAGE = 30 * 1024
MM = 72 / 25.4


def run_script(*args, timeout=1800) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@dataclass
class PdfBuild:
    site: Path
    pdf: Path
    proc: subprocess.CompletedProcess

    @property
    def reader(self) -> PdfReader:
        return PdfReader(self.pdf)


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory) -> PdfBuild:
    root = tmp_path_factory.mktemp("pdf")
    build = PdfBuild(root / "site", root / "dist" / build_pdf.PDF_NAME, None)
    built = os.environ.get("FG_SITE_DIR")
    if built and (Path(built) / "index.html").is_file():
        # `make test` built the site strictly just before (make check): print a copy of it, as `make pdf`
        # prints site/ (the export then rebuilds the copy with the download link, as it always does).
        shutil.copytree(built, build.site)
        build.proc = run_script("--site", build.site, "--output", build.pdf)
    else:
        build.proc = run_script("--build", "--site", build.site, "--output", build.pdf)
    assert build.proc.returncode == 0, build.proc.stdout + build.proc.stderr
    return build


@pytest.fixture(scope="session")
def reader(pdf_build) -> PdfReader:
    return pdf_build.reader


def _page_texts(args) -> list[str]:
    path, start, stop = args
    pages = PdfReader(path).pages
    return [pages[i].extract_text() for i in range(start, stop)]


@pytest.fixture(scope="session")
def page_texts(pdf_build, reader) -> list[str]:
    """The text layer of every page: poppler's pdftotext (seconds for the whole book) when installed
    (`make chromium` installs it with Chromium), else pypdf with the pages split over the CPUs (minutes)."""
    count = len(reader.pages)
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_build.pdf), "-"], capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        pages = done.stdout.split("\f")
        assert len(pages) >= count, (len(pages), count)
        return pages[:count]
    workers = max(1, min(os.cpu_count() or 1, 4))
    step = -(-count // workers)
    chunks = [(str(pdf_build.pdf), start, min(start + step, count)) for start in range(0, count, step)]
    with ProcessPoolExecutor(workers) as pool:
        return [text for part in pool.map(_page_texts, chunks) for text in part]


def squash(text: str) -> str:
    """Letters and digits only, lower case: compares text across line breaks and typography."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def outline_entries(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every outline item, in order."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def heading_text(page_html: str) -> str:
    """Text of the first <h1> of a built page (without the permalink)."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page_html.split('<article', 1)[-1], re.S)
    assert match, "page has no <h1>"
    text = re.sub(r'<a class="headerlink".*?</a>', "", match.group(1), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def nav_chapters(site: Path) -> list[tuple[int, str, str]]:
    """(depth, number, title) of every nav item as the book numbers it: parts by their nav title,
    pages by the heading they open with (what the reader sees at the top of the chapter)."""
    from mkdocs.utils.yaml import yaml_load

    from guidelib.site import load_project

    project = load_project(CONFIG)
    with CONFIG.open(encoding="utf-8") as handle:
        config = yaml_load(handle)
    nav = config["nav"]
    options = next(p["print-site"] for p in config["plugins"] if isinstance(p, dict) and "print-site" in p)
    excluded = set(options.get("exclude") or [])  # pages kept out of the book (plain paths here)
    found = []

    def walk(items, depth, prefix):
        def path(item):
            value = next(iter(item.values())) if isinstance(item, dict) else item
            return value if isinstance(value, str) else None

        items = [i for i in items if path(i) not in excluded]
        for index, item in enumerate(items, start=1):
            number = f"{prefix}{index}"
            title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
            if isinstance(value, list):
                found.append((depth, number, title))
                walk(value, depth + 1, number + ".")
            else:
                url = project.url_of(value)
                page = site / url / "index.html" if url.endswith("/") or not url else site / url
                found.append((depth, number, heading_text(page.read_text(encoding="utf-8"))))

    walk(nav, 0, "")
    return found


# --- the guide's PDF ------------------------------------------------------------------------------


def test_export_reports_the_pdf_and_leaves_no_temporary_file(pdf_build, reader):
    summary = pdf_build.proc.stdout.strip().splitlines()[-1]
    assert re.match(rf"pdf: .*{build_pdf.PDF_NAME}: {len(reader.pages)} pages, [\d.]+ MB, A4, version \S+, "
                    r"\d+ diagrams, \d+ answers expanded, [\d.]+ s$", summary), summary
    sheet = build_pdf.sheet_output(pdf_build.pdf)
    assert sorted(p.name for p in pdf_build.pdf.parent.iterdir()) == sorted([build_pdf.PDF_NAME, sheet.name])


def test_the_cheat_sheet_is_also_printed_on_its_own_on_two_pages(pdf_build):
    sheet = build_pdf.sheet_output(pdf_build.pdf)
    assert f"{sheet.name}: the cheat sheet, " in pdf_build.proc.stdout
    pages = PdfReader(sheet).pages
    assert 1 <= len(pages) <= 2, len(pages)
    text = squash(" ".join(page.extract_text() for page in pages))
    assert squash("Cheat sheet") in text and squash("Clarify requirements") in text


def chapter_entries(reader: PdfReader, site: Path) -> list[tuple[int, str, int]]:
    """The outline items of the nav's parts and chapters, matched in order (asserts every one is there)."""
    expected = [(depth, f"{number} {title}") for depth, number, title in nav_chapters(site)]
    found = []
    for depth, title, page in outline_entries(reader):
        if len(found) < len(expected) and (depth, title) == expected[len(found)]:
            found.append((depth, title, page))
    missing = expected[len(found):]
    assert not missing, f"not in the outline (in nav order): {missing[:3]}; outline: {outline_entries(reader)[:40]}"
    return found


def test_outline_lists_every_nav_chapter_in_order(pdf_build, reader):
    entries = chapter_entries(reader, pdf_build.site)
    assert len(entries) == len(nav_chapters(pdf_build.site)) >= 5


def test_outline_nests_chapters_under_parts_and_points_at_them(pdf_build, reader):
    entries = outline_entries(reader)
    assert entries[0][1] == "Contents" and entries[0][2] == 2
    chapters = chapter_entries(reader, pdf_build.site)
    pages = [page for _, _, page in chapters]
    assert pages == sorted(pages), "chapters must appear in page order"
    assert pages[0] >= 3, "the cover and the table of contents come first"
    assert any(depth == 1 for depth, _, _ in chapters), "chapters of a part sit one level below it"
    # Sections inside a chapter are in the outline too (h2 and below), one level further in.
    assert len(entries) > 3 * len(chapters)


def test_text_layer_has_no_mermaid_source(page_texts):
    for number, text in enumerate(page_texts, start=1):
        for marker in ("flowchart", "sequenceDiagram", "accTitle", "accDescr", "classDef", "-->"):
            assert marker not in text, f"page {number} shows Mermaid source ({marker!r})"


def test_text_layer_has_every_collapsible_answer(pdf_build, page_texts):
    book = squash(" ".join(page_texts))
    print_page = (pdf_build.site / "print_page" / "index.html").read_text(encoding="utf-8")
    answers = re.findall(r'<details class="question">\s*<summary>.*?</summary>\s*<p>(.*?)</p>', print_page, re.S)
    checked = 0
    for answer in answers:
        if "arithmatex" in answer or "<abbr" in answer:
            continue  # maths and tooltips are laid out differently in the text layer
        words = squash(html.unescape(re.sub(r"<[^>]+>", " ", answer)))[:80]
        assert words in book, f"collapsible answer missing from the PDF: {answer[:120]}"
        checked += 1
    assert checked >= 10, f"only {checked} answers were checked"


def test_page_count_is_plausible(pdf_build, reader):
    print_page = (pdf_build.site / "print_page" / "index.html").read_text(encoding="utf-8")
    article = re.sub(r"<(script|style)\b.*?</\1>", " ", print_page, flags=re.S)
    words = len(re.sub(r"<[^>]+>", " ", article).split())
    pages = len(reader.pages)
    chapters = len(nav_chapters(pdf_build.site))
    assert pages >= chapters + 2, "a page per chapter at least, plus the cover and the contents"
    # Book pages hold roughly 150-700 words (diagrams and tables lower the count).
    assert words / 700 <= pages <= words / 150, f"{pages} pages for {words} words"


def test_pages_are_a4_with_numbers_in_the_footer(reader, page_texts):
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 210 * MM) < 2 and abs(float(box.height) - 297 * MM) < 2
    for index in range(1, len(page_texts)):
        lines = [line.strip() for line in page_texts[index].splitlines() if line.strip()]
        assert str(index + 1) in lines, f"page {index + 1} has no page number"


def text_left_edge(page) -> float:
    """Left edge of the text on a page, in points. Chromium shrinks every page (and the margins
    grow) when something is wider than the page or the CSS page size differs from the paper."""
    edges = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            edges.append(cm[0] * tm[4] + cm[2] * tm[5] + cm[4])

    page.extract_text(visitor_text=visit)
    return min(edges)


def test_pages_are_not_shrunk_to_fit(reader):
    assert abs(text_left_edge(reader.pages[2]) - 17 * MM) < 3, "17 mm margin of print.css expected"


def iter_fonts(reader: PdfReader):
    def from_resources(resources, seen):
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            yield font.get_object()
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
                seen.add(id(xobject))
                yield from from_resources(xobject.get("/Resources"), seen)

    for page in reader.pages:
        yield from from_resources(page.get("/Resources"), set())


def test_fonts_are_embedded(reader):
    fonts = {}
    for font in iter_fonts(reader):
        fonts[str(font.get("/BaseFont", font.get("/Name", "Type3")))] = font
    assert fonts
    for name, font in fonts.items():
        if font.get("/Subtype") == "/Type3":
            assert font.get("/CharProcs"), f"{name}: Type 3 font without glyph procedures"
            continue
        if font.get("/Subtype") == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, f"{name} has no font descriptor (not embedded)"
        descriptor = descriptor.get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} is not embedded"


def test_file_is_at_most_30_kb_a_page(pdf_build, reader):
    assert pdf_build.pdf.stat().st_size <= MAX_BYTES_PER_PAGE * len(reader.pages)


def test_pdf_is_tagged_with_title_and_language(reader):
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root.get("/Lang", "")).startswith("en")
    assert reader.metadata.title == "ML System Design Field Guide"


def test_cover_has_title_version_and_date(page_texts):
    cover = page_texts[0]
    assert "ML System Design Field Guide" in cover
    assert re.search(r"Version\s*([0-9a-f]{7,40}(-dirty)?|unversioned)\b", cover), cover
    assert re.search(r"\b20\d\d-\d\d-\d\d\b", cover)


def test_contents_pages_link_to_every_chapter_with_its_page_number(pdf_build, reader, page_texts):
    chapters = nav_chapters(pdf_build.site)
    assert squash("Contents") in squash(page_texts[1])
    first_chapter = min(page for _, _, page in chapter_entries(reader, pdf_build.site))
    internal = []
    for index in range(1, first_chapter - 1):  # the Contents pages, between the cover and chapter 1
        for annot in reader.pages[index].get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and ("/Dest" in annot or annot.get("/A", {}).get("/S") == "/GoTo"):
                internal.append(annot)
    assert len(internal) >= len(chapters), "every entry of the contents should be a clickable link"
    # Each entry shows the page its link leads to (build_pdf.py writes the numbers in after a first printing).
    named = {str(name).lstrip("/"): dest for name, dest in reader.named_destinations.items()}

    def target(annot):
        dest = annot.get("/Dest") if "/Dest" in annot else annot["/A"].get("/D")
        if isinstance(dest, str):
            return reader.get_destination_page_number(named[dest.lstrip("/")]) + 1
        return reader.get_page_number(dest[0].get_object()) + 1

    shown = {int(n) for n in re.findall(r"\b\d+\b", " ".join(page_texts[1:first_chapter - 1]))}
    targets = {target(annot) for annot in internal}
    assert targets and targets <= shown, f"pages linked but not printed in the contents: {sorted(targets - shown)[:10]}"


def test_cross_references_are_internal_links_and_none_point_at_the_export_server(pdf_build, reader):
    internal, local = 0, []
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A") or {}
            if "/Dest" in annot or action.get("/S") == "/GoTo":
                internal += 1
            elif action.get("/S") == "/URI" and re.match(r"https?://(127\.|localhost|\[::1\])", str(action["/URI"])):
                local.append((number, str(action["/URI"])))
    assert not local, f"links to the temporary export server (dead in the PDF): {local[:5]}"
    assert internal >= 3 * len(nav_chapters(pdf_build.site)), "links between chapters should stay clickable"


def test_no_site_chrome_in_the_pdf(page_texts):
    text = "\n".join(page_texts)
    for chrome in ("Skip to content", "Switch to dark mode", "Made with", "Back to top", "On this page"):
        assert chrome not in text, f"site chrome in the PDF: {chrome!r}"


def test_diagrams_are_vectors(pdf_build, reader):
    print_page = (pdf_build.site / "print_page" / "index.html").read_text(encoding="utf-8")
    assert 'class="mermaid"' not in print_page and print_page.count('<figure class="fg-diagram') >= 10
    assert not re.search(r'<img(?![^>]*fg-diagram__img)', print_page), "a raster image in the book?"
    for number, page in enumerate(reader.pages, start=1):  # the SVG diagrams must print as vectors
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        images = [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
        assert not images, f"page {number} has a raster image (a diagram printed as a bitmap?)"


def test_figures_print_with_their_captions_and_without_their_scripts(pdf_build, page_texts):
    """Every figure (figures/<name>.py) is in the book as vectors (test_diagrams_are_vectors), with its
    caption in the text layer; the "How this figure was made" script stays on the site."""
    book = squash(" ".join(page_texts))
    print_page = (pdf_build.site / "print_page" / "index.html").read_text(encoding="utf-8")
    captions = re.findall(r'<figcaption class="fg-figure__caption">(.*?)</figcaption>', print_page, re.S)
    assert len(captions) >= 12
    for caption in captions:
        words = squash(html.unescape(caption))[:60]
        assert words in book, f"figure caption missing from the PDF: {caption[:100]}"
    assert "How this figure was made" not in " ".join(page_texts) and "def draw(s)" not in " ".join(page_texts)


def test_site_links_the_pdf_it_was_built_with(pdf_build):
    copied = pdf_build.site / build_pdf.PDF_NAME
    assert copied.read_bytes() == pdf_build.pdf.read_bytes()
    home = (pdf_build.site / "index.html").read_text(encoding="utf-8")
    assert f'href="{build_pdf.PDF_NAME}"' in home and "fg-pdf-button" in home
    chapter = (pdf_build.site / "about" / "index.html").read_text(encoding="utf-8")
    assert f'href="../{build_pdf.PDF_NAME}"' in chapter


# --- a tiny docs tree: failures, Letter paper, links ------------------------------------------------

TINY_PAGES = {
    "index.md": "# Tiny guide\n\n<!-- pdf-download -->\n\nHome page.\n",
    "chapter.md": (
        "# A chapter\n\n"
        "```mermaid\nflowchart LR\n  accTitle: Fine one\n  accDescr: Works.\n  A --> B\n```\n\n"
        "??? question \"Follow-up: hidden?\"\n\n    The collapsible answer text is printed.\n\n"
        "```mermaid\nflowchart LR\n  accTitle: Broken one\n  accDescr: Does not parse.\n  A --> B -->\n```\n"
    ),
}
BROKEN_LINE = 14  # the opening fence of the second diagram in chapter.md


@pytest.fixture
def tiny(tmp_path) -> Path:
    """A minimal project with the guide's theme, hooks, assets and print-site options; returns mkdocs.yml."""
    from mkdocs.utils.yaml import yaml_load

    with CONFIG.open(encoding="utf-8") as handle:
        real = yaml_load(handle)
    print_site = next(p["print-site"] for p in real["plugins"] if isinstance(p, dict) and "print-site" in p)
    docs = tmp_path / "docs"
    for folder in ("javascripts", "stylesheets"):
        shutil.copytree(ROOT / "docs" / folder, docs / folder)
    for name, text in TINY_PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    hooks = ROOT / "overrides" / "hooks"
    q = json.dumps  # JSON scalars, lists and objects are valid YAML flow values
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"""site_name: Tiny guide
docs_dir: docs
theme:
  name: material
  custom_dir: {q(str(ROOT / "overrides"))}
  font: false
  features: [navigation.sections]
hooks: [{q(str(hooks / "vendor_assets.py"))}, {q(str(hooks / "diagrams.py"))}, {q(str(hooks / "print_page.py"))}]
plugins:
  - print-site: {q(print_site)}
markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:mermaid2.fence_mermaid
extra_css: {q(real["extra_css"])}
extra_javascript: {q(real["extra_javascript"])}
nav:
  - Home: index.md
  - Part:
      - chapter.md
""", encoding="utf-8")
    return config


def fix_tiny(config: Path) -> None:
    chapter = config.parent / "docs" / "chapter.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("A --> B -->", "A --> B"), encoding="utf-8")


def test_broken_diagram_fails_naming_page_and_diagram_and_keeps_the_old_pdf(tiny, tmp_path):
    """The build renders the diagrams, so a broken one stops the export at the build, at its line."""
    assert TINY_PAGES["chapter.md"].splitlines()[BROKEN_LINE - 1] == "```mermaid"
    output = tmp_path / "dist" / "tiny.pdf"
    output.parent.mkdir()
    output.write_bytes(b"previous export")
    proc = run_script("--config", tiny, "--build", "--site", tmp_path / "site", "--output", output)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    chapter = (tmp_path / "docs" / "chapter.md").as_posix()
    messages = proc.stdout + proc.stderr
    assert re.search(rf'{re.escape(chapter)}:{BROKEN_LINE}: diagram "Broken one" could not be rendered: Parse error',
                     messages), messages
    assert "Fine one" not in messages, "only the broken diagram is reported"
    assert output.read_bytes() == b"previous export", "a failed export must not touch the previous PDF"
    assert sorted(p.name for p in output.parent.iterdir()) == ["tiny.pdf"], "no temporary file is left behind"


def test_diagram_missing_from_the_page_fails_the_export(tiny, tmp_path):
    """A diagram whose SVG is missing from the built site is named by page, number and title."""
    fix_tiny(tiny)
    site = tmp_path / "site"
    proc = run_script("--config", tiny, "--build", "--site", site, "--output", tmp_path / "ok.pdf", "--no-link")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print_page = (site / "print_page" / "index.html").read_text(encoding="utf-8")
    second = re.findall(r'fg-diagram__img--light" src="\.\./([^"]+)"', print_page)[1]
    (site / second).unlink()
    output = tmp_path / "broken.pdf"
    proc = run_script("--config", tiny, "--site", site, "--output", output, "--no-link")
    assert proc.returncode == 1
    chapter = (tmp_path / "docs" / "chapter.md").as_posix()
    assert f'{chapter}:{BROKEN_LINE}: diagram 2 of 2 ("Broken one"): image did not load' in proc.stdout, proc.stdout
    assert re.search(r"^pdf: 2 diagrams, [1-9]\d* failed, [\d.]+ s$", proc.stdout, re.M), proc.stdout
    assert not output.exists()


def test_page_error_fails_the_export(tiny, tmp_path):
    fix_tiny(tiny)
    site = tmp_path / "site"
    proc = run_script("--config", tiny, "--build", "--site", site, "--output", tmp_path / "ok.pdf", "--no-link")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print_page = site / "print_page" / "index.html"
    print_page.write_text(print_page.read_text(encoding="utf-8").replace(
        "</body>", "<script>throw new Error('boom from a test')</script></body>"), encoding="utf-8")
    output = tmp_path / "broken.pdf"
    proc = run_script("--config", tiny, "--site", site, "--output", output, "--no-link")
    assert proc.returncode == 1
    assert re.search(r"print_page/index\.html:1: page error: .*boom from a test", proc.stdout), proc.stdout
    assert not output.exists()


def test_letter_paper_and_link_to_the_pdf(tiny, tmp_path):
    fix_tiny(tiny)
    site = tmp_path / "site"
    output = tmp_path / "out" / "tiny-guide.pdf"
    proc = run_script("--config", tiny, "--build", "--site", site, "--output", output, "--paper", "letter")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ", Letter, " in proc.stdout
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 612) < 2 and abs(float(box.height) - 792) < 2
    assert abs(text_left_edge(reader.pages[2]) - 17 * MM) < 3, "Letter pages must not be A4 pages shrunk"
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "The collapsible answer text is printed." in text
    assert [title for title in (item.title for item in reader.outline if not isinstance(item, list))][:3] == [
        "Contents", "1 Tiny guide", "2 Part"]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'class="fg-pdf-download"' in home and 'href="tiny-guide.pdf"' in home, "the home page marker becomes a link"
    assert "<!-- pdf-download -->" not in home
    assert (site / "tiny-guide.pdf").read_bytes() == output.read_bytes()


def test_plain_build_links_no_pdf(tiny, tmp_path):
    fix_tiny(tiny)
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "--strict", "-q", "-f", str(tiny),
                           "-d", str(tmp_path / "site")], cwd=tiny.parent, capture_output=True, text=True,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for page in (tmp_path / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fg-pdf-button" not in text and "fg-pdf-download" not in text and ".pdf\"" not in text, page
    assert "<!-- pdf-download -->" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_missing_print_page_is_a_usage_error(tmp_path):
    proc = run_script("--site", tmp_path, "--output", tmp_path / "x.pdf", "--no-link")
    assert proc.returncode == 2
    assert "has no print page" in proc.stderr


def test_write_atomic_replaces_and_cleans_up(tmp_path, monkeypatch):
    target = tmp_path / "out.pdf"
    build_pdf.write_atomic(target, b"one")
    build_pdf.write_atomic(target, b"two")
    assert target.read_bytes() == b"two"

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        build_pdf.write_atomic(target, b"three")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]
