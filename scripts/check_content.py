"""check_content.py — front matter, template structure, navigation and safety of every page.

Usage (from the repository root):
    .venv/bin/python scripts/check_content.py [--config mkdocs.yml] [--docs DIR] [--tags tags.yml]

Checks, per page of the docs dir (Markdown after snippet expansion, as MkDocs sees it):
  - files are UTF-8; front matter is valid YAML; every page has `title` and `description`;
    case studies (case-studies/*.md except index.md) need `tags`, `difficulty` (intermediate|advanced),
    `status` (draft|reviewed); framework/ and foundations/ pages need `tags` and `status`; any tag
    must be in tags.yml;
  - case studies carry the template's H2 headings exactly and in order (also when draft);
    reviewed case studies have >= 3 Mermaid diagrams (one under `## 6. Serving`), >= 8
    `??? question` follow-ups, >= 12 numbered references with URLs and >= 4,000 words; reviewed
    framework and foundations pages have >= 1 diagram and >= 6 (framework step) / >= 4
    (foundations) follow-ups; no reviewed page keeps a TODO (the scaffold's guidance boxes), in its
    text, front matter or diagrams;
  - every page is in the nav, every nav entry has a file, relative links point at files that exist
    (with a suggestion for a near miss) and not at pages missing from the nav; no duplicate titles,
    page URLs or explicit heading ids;
  - no raw <script>, <iframe>/<object>/<embed>, inline event handlers (on…=) or javascript: URLs
    anywhere outside non-Mermaid code (Mermaid fences included); internal links are relative
    (no leading-slash paths, no absolute site URLs); images are at most 500 KB.
Prints `path:line: message` per problem and a summary line; exit 1 on problems, 2 on usage errors.
Never modifies a file.
"""

from __future__ import annotations

import argparse
import difflib
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from guidelib import markdown as md
from guidelib import reading_rules  # noqa: E402
from guidelib.paths import ROOT  # noqa: E402
from guidelib.report import Report, UsageError, display_path, run_cli  # noqa: E402
from guidelib.site import Project, load_project, resolve_link  # noqa: E402
from guidelib.tags import load_vocabulary  # noqa: E402

TEMPLATE = [
    "Problem",
    "1. Clarify requirements",
    "2. Frame the ML task",
    "3. Data and features",
    "4. Model",
    "5. Evaluation",
    "6. Serving",
    "7. Monitoring and iteration",
    "Follow-up questions",
    "Common pitfalls",
    "References",
]
SERVING = "6. Serving"
DIFFICULTIES = ("intermediate", "advanced")
STATUSES = ("draft", "reviewed")
MIN_CASE_DIAGRAMS, MIN_CASE_FOLLOWUPS, MIN_CASE_REFERENCES = 3, 8, 12  # CONTENT_GUIDE: the case-study standard
MIN_CASE_WORDS = 4000  # CONTENT_GUIDE: a case study is 4,000-6,500 words
TODO = re.compile(r"\bTODO\b")
MIN_FOLLOWUPS = {"framework-step": 6, "framework-overview": 0, "foundation": 4}
MAX_IMAGE_BYTES = 500 * 1024
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".bmp", ".ico"}
TEXT_SUFFIXES = {".md", ".css", ".js", ".mjs", ".html", ".svg", ".yml", ".yaml", ".json", ".txt", ".mmd"}

UNSAFE = [
    (re.compile(r"<\s*script\b", re.I), "raw <script> tag"),
    (re.compile(r"<\s*(iframe|object|embed)\b", re.I), "raw <{0}> tag (embedded content is not allowed)"),
    (re.compile(r"<[a-z][^>]*?[\s\"'/](on[a-z]+)\s*=", re.I), "inline event handler `{0}=`"),
    (re.compile(r"javascript\s*:", re.I), "javascript: URL"),
]
FOLLOWUP = re.compile(r"^\s*\?\?\?\+?\s+question\b")
NUMBERED_ITEM = re.compile(r"^ {0,3}\d+[.)]\s")
URL = re.compile(r"https?://\S+")


def page_kind(src_uri: str) -> str:
    parts = src_uri.split("/")
    if len(parts) == 2 and parts[0] == "case-studies":
        return "case-index" if parts[1] == "index.md" else "case-study"
    if len(parts) == 2 and parts[0] == "framework":
        return "framework-overview" if parts[1] == "index.md" else "framework-step"
    if len(parts) == 2 and parts[0] == "foundations":
        return "foundations-index" if parts[1] == "index.md" else "foundation"
    return "page"


def required_fields(kind: str) -> list[str]:
    fields = ["title", "description"]
    if kind == "case-study":
        fields += ["tags", "difficulty", "status"]
    elif kind in ("framework-overview", "framework-step", "foundation"):
        fields += ["tags", "status"]
    return fields


@dataclass
class Page:
    path: Path
    src_uri: str
    kind: str
    lines: list[md.SourceLine] = field(default_factory=list)
    front: md.FrontMatter | None = None

    @property
    def meta(self) -> dict:
        return (self.front.data if self.front else None) or {}


class ContentChecker:
    def __init__(self, project: Project, vocabulary: set[str], report: Report):
        self.project, self.vocabulary, self.report = project, vocabulary, report
        options = project.extension_options("pymdownx.snippets")
        self.snippets = md.SnippetExpander(options, project.base_dir) if options is not None else None
        self.nav_pages = {e.src_uri for e in project.nav} if project.nav is not None else None

    def add(self, where, line: int, message: str, rule: str) -> None:
        self.report.add(where, line, message, rule)

    def at(self, line: md.SourceLine, message: str, rule: str) -> None:
        self.report.add(line.path, line.lineno, message, rule)

    # --- per page ----------------------------------------------------------------------------------

    def load(self, path: Path) -> Page | None:
        src_uri = self.project.src_uri(path)
        page = Page(path, src_uri, page_kind(src_uri))
        text, error = md.read_source(path)
        if error:
            self.add(path, error.line, error.message, "utf-8")
            return None
        raw = md.source_lines(text, path)
        page.front = md.parse_front_matter(raw)
        if self.snippets is not None:
            raw, errors = self.snippets.expand(raw)
            for snippet_error in errors:
                self.at(snippet_error.line, snippet_error.message, "snippet")
        page.lines = raw
        return page

    def check_front_matter(self, page: Page) -> None:
        front = page.front
        if front.error:
            self.add(page.path, front.error[0], front.error[1], "front-matter")
            return
        if front.data is None:
            self.add(page.path, 1, "page has no front matter (needs at least title and description)", "front-matter")
            return
        meta = front.data
        for name in required_fields(page.kind):
            value = meta.get(name)
            if value is None or (isinstance(value, (str, list)) and not value):
                where = "a case study" if page.kind == "case-study" else f"a {page.kind.split('-')[0]} page"
                need = f" ({where})" if name not in ("title", "description") else ""
                self.add(page.path, front.line_of(name), f"front matter is missing `{name}`{need}", "front-matter")
        for name in ("title", "description"):
            if name in meta and meta[name] is not None and not isinstance(meta[name], str):
                self.add(page.path, front.line_of(name), f"`{name}` must be a string", "front-matter")
        for name, allowed in (("difficulty", DIFFICULTIES), ("status", STATUSES)):
            value = meta.get(name)
            if value is not None and value not in allowed:
                self.add(page.path, front.line_of(name),
                         f"`{name}` must be one of {', '.join(allowed)} (got {value!r})", "front-matter")
        tags = meta.get("tags")
        if tags is not None:
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                self.add(page.path, front.line_of("tags"), "`tags` must be a list of strings", "front-matter")
            else:
                for index, tag in enumerate(tags):
                    if tag not in self.vocabulary:
                        self.add(page.path, front.line_of("tags", index), f"unknown tag {tag!r} (not in tags.yml)", "tags")

    def check_safety(self, page: Page, fences: list[md.Fence], outside: list[md.SourceLine]) -> None:
        scanned = list(outside) + [line for f in fences if f.lang == "mermaid" for line in f.lines]
        for line in scanned:
            text = md.mask_code_spans(line)
            for pattern, message in UNSAFE:
                match = pattern.search(text)
                if match:
                    detail = match.group(1).lower() if match.groups() else ""
                    self.at(line, message.format(detail) + " is not allowed in Markdown", "unsafe-html")

    def check_links(self, page: Page, outside: list[md.SourceLine]) -> None:
        site_url = str(self.project.config.get("site_url") or "").rstrip("/")
        for link in md.links(outside):
            target = link.target.strip()
            if target.startswith("/") and not target.startswith("//"):
                self.at(link.line, f"absolute link {target!r}: link pages with a relative path "
                                   "(e.g. ../foundations/metrics.md#ndcg)", "absolute-link")
                continue
            if site_url and target.startswith(site_url):
                self.at(link.line, f"absolute site URL {target!r}: use a relative link to the Markdown file",
                        "absolute-link")
                continue
            if link.line.path != page.path:
                continue  # relative links inside snippets resolve against the including page; not judged here
            resolved = resolve_link(self.project, page.src_uri, target)
            if resolved is None:
                continue
            src, _fragment = resolved
            if not (self.project.docs_dir / src).exists():
                self.at(link.line, f"link to {target!r}: there is no docs/{src}{self.suggest(page, src)}", "link")
                continue
            if (
                self.nav_pages is not None
                and src.endswith(".md")
                and src != page.src_uri
                and (self.project.docs_dir / src).is_file()
                and src not in self.nav_pages
            ):
                self.at(link.line, f"link to {src}, which is not in the nav of mkdocs.yml", "nav")

    def suggest(self, page: Page, src: str) -> str:
        """`; did you mean '../x/y.md'?` for the page whose path is closest to a missing link target."""
        if not src.endswith(".md"):
            return ""
        pages = [p.relative_to(self.project.docs_dir).as_posix() for p in self.project.docs_dir.rglob("*.md")]
        close = difflib.get_close_matches(src, pages, n=1, cutoff=0.8)
        if not close:
            return ""
        return f"; did you mean {posixpath.relpath(close[0], posixpath.dirname(page.src_uri) or '.')!r}?"

    def sections(self, page: Page) -> list[tuple[md.Heading, int, int]]:
        """H2 headings with the [start, end) index range of their section in page.lines."""
        index = {id(line): i for i, line in enumerate(page.lines)}
        _fences, outside = md.scan_fences(page.lines)
        h2 = [h for h in md.headings(outside) if h.level == 2]
        bounds = [index[id(h.line)] for h in h2] + [len(page.lines)]
        return [(h, bounds[i], bounds[i + 1]) for i, h in enumerate(h2)]

    def check_template(self, page: Page, sections) -> dict[str, tuple]:
        by_name: dict[str, tuple] = {}
        highest: tuple[int, md.Heading] | None = None
        for heading, start, end in sections:
            if heading.text not in TEMPLATE:
                close = difflib.get_close_matches(heading.text, TEMPLATE, n=1, cutoff=0.6)
                hint = f"; did you mean '## {close[0]}'?" if close else ""
                self.at(heading.line, f"section '## {heading.text}' is not in the case-study template{hint} "
                                      f"(H2 headings must be exactly: {' · '.join(TEMPLATE)})", "template")
                continue
            if heading.text in by_name:
                self.at(heading.line, f"duplicate section '## {heading.text}' (first at line "
                                      f"{by_name[heading.text][0].line.lineno})", "template")
                continue
            by_name[heading.text] = (heading, start, end)
            position = TEMPLATE.index(heading.text)
            if highest and position < highest[0]:
                self.at(heading.line, f"section '## {heading.text}' is out of order: it must come before "
                                      f"'## {highest[1].text}' (line {highest[1].line.lineno})", "template")
            elif not highest or position > highest[0]:
                highest = (position, heading)
        for position, name in enumerate(TEMPLATE):
            if name in by_name:
                continue
            following = [by_name[n][0] for n in TEMPLATE[position + 1:] if n in by_name]
            if following:
                self.at(following[0].line, f"missing section '## {name}' (expected before '## {following[0].text}')",
                        "template")
            else:
                last = page.lines[-1] if page.lines else md.SourceLine("", page.path, 1)
                self.add(page.path, last.top.lineno, f"missing section '## {name}' (expected at the end, "
                                                      "template order)", "template")
        return by_name

    def count_in(self, page: Page, start: int, end: int) -> tuple[int, int]:
        """(mermaid fences, follow-up questions) in page.lines[start:end]."""
        fences, outside = md.scan_fences(page.lines[start:end])
        diagrams = sum(1 for f in fences if f.lang == "mermaid")
        return diagrams, sum(1 for line in outside if FOLLOWUP.match(line))

    def check_counts(self, page: Page, sections) -> None:
        status = page.meta.get("status")
        if status != "reviewed":
            return  # drafts: structure only, counts may be lower
        status_line = page.front.line_of("status")
        diagrams, followups = self.count_in(page, 0, len(page.lines))
        named = {h.text: (h, s, e) for h, s, e in sections}
        followup_line = named["Follow-up questions"][0].line.lineno if "Follow-up questions" in named else status_line
        if page.kind == "case-study":
            if diagrams < MIN_CASE_DIAGRAMS:
                self.add(page.path, status_line, f"reviewed case study has {diagrams} Mermaid diagram(s); "
                                                 f"needs at least {MIN_CASE_DIAGRAMS}", "threshold")
            if SERVING in named:
                heading, start, end = named[SERVING]
                if self.count_in(page, start, end)[0] == 0:
                    self.at(heading.line, "reviewed case study has no Mermaid diagram under '## 6. Serving'",
                            "threshold")
            if followups < MIN_CASE_FOLLOWUPS:
                self.add(page.path, followup_line, f"reviewed case study has {followups} follow-up question(s) "
                                                   f"(`??? question`); needs at least {MIN_CASE_FOLLOWUPS}", "threshold")
            if "References" in named:
                heading, start, end = named["References"]
                _f, outside = md.scan_fences(page.lines[start:end])
                refs = sum(1 for line in outside if NUMBERED_ITEM.match(line) and URL.search(line))
                if refs < MIN_CASE_REFERENCES:
                    self.at(heading.line, f"reviewed case study has {refs} numbered reference(s) with a URL; "
                                          f"needs at least {MIN_CASE_REFERENCES}", "threshold")
        elif page.kind in MIN_FOLLOWUPS:
            if diagrams < 1:
                self.add(page.path, status_line, "reviewed page has no Mermaid diagram; needs at least 1", "threshold")
            needed = MIN_FOLLOWUPS[page.kind]
            if followups < needed:
                self.add(page.path, followup_line, f"reviewed page has {followups} follow-up question(s) "
                                                   f"(`??? question`); needs at least {needed}", "threshold")

    def check_unfinished(self, page: Page, fences: list[md.Fence], outside: list[md.SourceLine]) -> None:
        """A reviewed page keeps no TODO (the scaffold's guidance boxes) and a case study has its length."""
        if page.meta.get("status") != "reviewed":
            return
        scanned = list(outside) + [line for f in fences if f.lang == "mermaid" for line in f.lines]
        for line in scanned:  # front matter lines included
            if line.path == page.path and TODO.search(md.mask_code_spans(line)):
                self.at(line, "TODO left in a reviewed page: replace the template's guidance with the "
                              "finished text (or set `status: draft`)", "unfinished")
        if page.kind == "case-study":
            words = sum(len(line.split()) for line in page.lines if line.path == page.path)
            if words < MIN_CASE_WORDS:
                self.add(page.path, page.front.line_of("status"), f"reviewed case study has {words:,} words; "
                                                                 f"needs at least {MIN_CASE_WORDS:,}", "threshold")

    def check_heading_ids(self, page: Page, outside) -> None:
        seen: dict[str, md.Heading] = {}
        for heading in md.headings(outside):
            if heading.id is None:
                continue
            if heading.id in seen:
                self.at(heading.line, f"duplicate heading id '#{heading.id}' (also on line "
                                      f"{seen[heading.id].line.lineno})", "duplicate")
            else:
                seen[heading.id] = heading

    def check_reading(self, page: Page, fences: list[md.Fence], outside: list[md.SourceLine]) -> None:
        """The rules of guidelib.reading_rules: notation, the references list, the Problem layout."""
        findings = list(reading_rules.caret_powers(outside, fences, page.path))
        sections = self.sections(page)
        named = {heading.text: (heading, start, end) for heading, start, end in sections}
        if "References" in named:
            heading, start, end = named["References"]
            _f, section = md.scan_fences(page.lines[start + 1:end])
            _f, before = md.scan_fences(page.lines[:start])
            findings += reading_rules.reference_list(list(reading_rules.own(section, page.path)),
                                                     list(reading_rules.own(before, page.path)))
        if page.kind == "case-study" and "Problem" in named:
            heading, start, end = named["Problem"]
            _f, section = md.scan_fences(page.lines[start + 1:end])
            findings += reading_rules.problem_layout(section, heading.line, page.meta.get("status") == "reviewed")
        for line, message, rule in findings:
            self.at(line, message, rule)

    def check_page(self, page: Page) -> None:
        self.check_front_matter(page)
        body = page.lines
        fences, outside = md.scan_fences(body)
        for fence in fences:
            if not fence.closed:
                self.at(fence.open, "code fence opened here is never closed", "markdown")
        self.check_reading(page, fences, outside)
        self.check_safety(page, fences, outside)
        self.check_links(page, outside)
        self.check_heading_ids(page, outside)
        self.check_unfinished(page, fences, outside)
        if page.kind == "case-study":
            sections = self.sections(page)
            self.check_template(page, sections)
            self.check_counts(page, sections)
        elif page.kind in MIN_FOLLOWUPS:
            self.check_counts(page, self.sections(page))

    # --- across pages ------------------------------------------------------------------------------

    def check_nav(self, pages: list[Page]) -> None:
        if self.project.nav is None:
            return
        for page in pages:
            if page.src_uri not in self.nav_pages:
                self.add(page.path, 1, f"page is not in the nav of {display_path(self.project.config_path)} "
                                       "(orphan page)", "nav")
        for entry in self.project.nav:
            if entry.src_uri.endswith(".md") and not (self.project.docs_dir / entry.src_uri).is_file():
                self.add(entry.config, entry.line, f"nav entry '{entry.src_uri}' has no file "
                                                   f"{display_path(self.project.docs_dir / entry.src_uri)}", "nav")

    def check_duplicates(self, pages: list[Page]) -> None:
        titles: dict[str, Page] = {}
        urls: dict[str, Page] = {}
        for page in pages:
            title = page.meta.get("title")
            if isinstance(title, str) and title.strip():
                key = " ".join(title.split()).casefold()
                if key in titles:
                    self.add(page.path, page.front.line_of("title"),
                             f"duplicate title {title!r} (also in {display_path(titles[key].path)})", "duplicate")
                else:
                    titles[key] = page
            url = self.project.url_of(page.src_uri).casefold()
            if url in urls:
                self.add(page.path, 1, f"duplicate page URL '{url}' (also built from "
                                       f"{display_path(urls[url].path)})", "duplicate")
            else:
                urls[url] = page

    def check_files(self) -> None:
        """UTF-8 for non-Markdown text files; size of images (reported where they are used, or at the file)."""
        docs = self.project.docs_dir
        for path in sorted(p for p in docs.rglob("*") if p.is_file()):
            suffix = path.suffix.lower()
            if suffix in TEXT_SUFFIXES and suffix != ".md" and suffix != ".svg":
                _text, error = md.read_source(path)
                if error:
                    self.add(path, error.line, error.message, "utf-8")
            if suffix in IMAGE_SUFFIXES and path.stat().st_size > MAX_IMAGE_BYTES:
                size = path.stat().st_size / 1024
                uses = self.image_uses.get(path.resolve(), [])
                for line in uses:
                    self.at(line, f"image {display_path(path)} is {size:.0f} KB (limit {MAX_IMAGE_BYTES // 1024} KB)",
                            "image-size")
                if not uses:
                    self.add(path, 1, f"image is {size:.0f} KB (limit {MAX_IMAGE_BYTES // 1024} KB)", "image-size")

    def collect_image_uses(self, pages: list[Page]) -> None:
        self.image_uses: dict[Path, list[md.SourceLine]] = {}
        for page in pages:
            _fences, outside = md.scan_fences(page.lines)
            for link in md.links(outside):
                resolved = resolve_link(self.project, page.src_uri, link.target)
                if resolved and Path(resolved[0]).suffix.lower() in IMAGE_SUFFIXES:
                    target = (self.project.docs_dir / resolved[0]).resolve()
                    self.image_uses.setdefault(target, []).append(link.line)

    def run(self) -> None:
        pages = [page for page in (self.load(path) for path in self.project.pages()) if page is not None]
        self.report.checked = len(pages)
        for page in pages:
            self.check_page(page)
        self.check_nav(pages)
        self.check_duplicates(pages)
        self.collect_image_uses(pages)
        self.check_files()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, help="mkdocs.yml (default: the repository's)")
    parser.add_argument("--docs", type=Path, help="docs dir (default: the config's docs_dir)")
    parser.add_argument("--tags", type=Path, default=ROOT / "tags.yml", help="tag vocabulary (default: tags.yml)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def body() -> int:
        project = load_project(args.config, args.docs)
        report = Report("content", noun="pages checked")
        ContentChecker(project, set(load_vocabulary(args.tags)), report).run()
        return report.emit()

    return run_cli(body, "check_content")


if __name__ == "__main__":
    sys.exit(main())
