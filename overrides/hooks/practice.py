"""MkDocs hook: the practice tools' build side — progress marks, follow-up tools, cards, drill data, deck.

- on_page_markdown: decides which pages readers can mark (page.meta["fg_track"]: "studied", or
  "attempted" for a case study, which can be marked both ways); partials/content.html draws the
  buttons under the title. Framework, foundations and case-study pages are tracked; any other page
  opts in with `progress: true` in its front matter (and any page opts out with `progress: false`).
- on_page_content: guidelib.cards.extract() takes the page's cards (follow-ups, glossary terms,
  key facts marked `{ .fg-card data-q="…" }`), numbers its follow-ups and adds their toolbar.
  A malformed card is a warning `practice: docs/<page>.md:<line>: <message>`, so a strict build fails.
- on_env (every page is rendered by then): writes the cards, in nav order, to four generated files
  of the site (nothing is written into docs/):
    assets/practice/cards.json   the data (for tools), and cards.js, the same data as a script for
                                 the drill page (a page opened from file:// cannot fetch JSON);
    assets/practice/<deck>.apkg  the Anki package (genanki), cached in .cache/flashcards/ by a hash
                                 of its cards, so an unchanged guide does not rebuild it;
    assets/practice/<deck>.csv   one row per card.
- on_post_page: fills the practice pages' markers (<!-- fg:… -->) with what only the whole build knows:
  the card counts and file sizes, the drill app, the progress page's list of tracked pages.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import sys
import time
from pathlib import Path

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from guidelib import cards as cardlib  # noqa: E402
from guidelib.report import display_path  # noqa: E402
from guidelib.site import print_page  # noqa: E402

log = logging.getLogger("mkdocs.hooks.practice")

GENERATED = cardlib.GENERATED_FILES
TRACKED_FOLDERS = ("framework/", "foundations/", "case-studies/")
GLOSSARY = "glossary.md"
PROGRESS_PAGE = "practice/progress.md"
CACHE_KEEP = 4  # decks kept in the cache


def cache_dir() -> Path:
    """Where built decks are kept: $FG_FLASHCARD_CACHE (tests use their own) or .cache/flashcards."""
    return Path(os.environ.get("FG_FLASHCARD_CACHE") or ROOT / ".cache" / "flashcards")


class State:
    def __init__(self):
        self.cards: dict[str, list[cardlib.Card]] = {}
        self.files: dict[str, File] = {}
        self.nav = None
        self.ordered: list[cardlib.Card] = []
        self.sizes: dict[str, int] = {}
        self.pages: list[dict] = []


state = State()


def track_mode(src_uri: str, meta: dict) -> str | None:
    """None (no buttons), "studied", or "attempted" (a case study: studied and attempted)."""
    wanted = meta.get("progress")
    if wanted is False:
        return None
    case_study = src_uri.startswith("case-studies/") and src_uri != "case-studies/index.md"
    if case_study:
        return "attempted"
    if wanted is True or (src_uri.startswith(TRACKED_FOLDERS) and src_uri != "case-studies/index.md"):
        return "studied"
    return None


def on_config(config, **kwargs):
    state.__init__()
    return config


def on_files(files, config, **kwargs):
    for kind, path in GENERATED.items():
        generated = File.generated(config, path, content=b"")
        files.append(generated)
        state.files[kind] = generated
    return files


def on_nav(nav, config, files, **kwargs):
    state.nav = nav
    return nav


def on_page_markdown(markdown, page, config, files, **kwargs):
    page.meta["fg_track"] = track_mode(page.file.src_uri, page.meta)
    progress = files.get_file_from_path(PROGRESS_PAGE)
    page.meta["fg_progress_url"] = get_relative_url(progress.url, page.url) if progress else None
    return markdown


def source_text(page) -> str:
    path = page.file.abs_src_path
    try:
        return Path(path).read_text(encoding="utf-8") if path else (page.markdown or "")
    except OSError:
        return page.markdown or ""


def shown_path(page) -> str:
    return display_path(page.file.abs_src_path) if page.file.abs_src_path else f"docs/{page.file.src_uri}"


def on_page_content(html_text, page, config, files, **kwargs):
    info = cardlib.PageInfo(src_uri=page.file.src_uri, url=page.url, title=page.title or "",
                            tags=[str(t) for t in (page.meta.get("tags") or [])], markdown=source_text(page),
                            glossary=page.file.src_uri == GLOSSARY)
    found, html_text, problems = cardlib.extract(html_text, info)
    for problem in problems:
        log.warning("practice: %s:%d: %s", shown_path(page), problem.line, problem.message)
    state.cards[page.file.src_uri] = found
    return html_text


def section_of(page) -> str:
    node = page
    while node.parent is not None:
        node = node.parent
    return node.title if node is not page else ""


def nav_pages() -> list:
    return list(state.nav.pages) if state.nav is not None else []


def build_deck(cards: list[cardlib.Card], site_url: str) -> Path:
    """The .apkg for these cards, from the cache when an identical deck was built before."""
    folder = cache_dir()
    key = cardlib.deck_key(cards, site_url)
    path = folder / f"{key}.apkg"
    if path.is_file():
        log.info("practice: Anki deck unchanged, taken from %s", folder)
        os.utime(path)
        return path
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"{key}.apkg.partial"
    cardlib.write_apkg(cards, partial, site_url, timestamp=time.time())
    partial.replace(path)
    log.info("practice: Anki deck of %d cards written to %s", len(cards), path)
    decks = sorted(folder.glob("*.apkg"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in decks[CACHE_KEEP:]:
        old.unlink(missing_ok=True)
    return path


def on_env(env, config, files, **kwargs):
    order = [p.file.src_uri for p in nav_pages()]
    order += sorted(set(state.cards) - set(order))
    state.ordered = [card for src in order for card in state.cards.get(src, [])]
    state.pages = []
    for page in nav_pages():
        mode = track_mode(page.file.src_uri, page.meta or {})
        state.pages.append({"page": page.file.src_uri, "key": cardlib.page_key(page.file.src_uri),
                            "title": page.title or "", "section": section_of(page), "url": page.url,
                            "track": mode, "cards": len(state.cards.get(page.file.src_uri, []))})
    site_url = config.site_url or "https://example.invalid/"
    data = cardlib.to_json(state.ordered, state.pages)
    state.files["json"].content_string = data
    state.files["js"].content_string = cardlib.to_js(data)
    csv_text = cardlib.to_csv(state.ordered, site_url)
    state.files["csv"].content_string = csv_text
    deck = build_deck(state.ordered, site_url)
    apkg = state.files["apkg"]
    apkg._content = None
    apkg.abs_src_path = str(deck)
    state.sizes = {"apkg": deck.stat().st_size, "csv": len(csv_text.encode("utf-8")),
                   "json": len(data.encode("utf-8"))}
    return env


# --- the practice pages' markers ---------------------------------------------------------------


def human_size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def counts_table() -> str:
    counts = cardlib.counts(state.ordered)
    rows = "".join(f"<tr><td>{cardlib.KIND_LABELS[k]}</td><td>{counts[k]:,}</td></tr>" for k in cardlib.KINDS)
    return (f'<table data-fg-card-counts><thead><tr><th>Source</th><th>Cards</th></tr></thead><tbody>{rows}'
            f"<tr><th>Total</th><th>{len(state.ordered):,}</th></tr></tbody></table>")


def drill_app(page) -> str:
    script = get_relative_url(GENERATED["js"], page.url)
    return (f'<div class="fg-app fg-drill" data-fg-app="drill" data-cards="{html.escape(script)}">'
            '<p class="fg-app__loading">The drill needs JavaScript; it is loading, or your browser has it turned '
            "off.</p></div>")


def progress_app(page) -> str:
    sections: dict[str, list[dict]] = {}
    for item in state.pages:
        if item["track"]:
            sections.setdefault(item["section"] or "Other", []).append(item)
    parts = ['<div class="fg-app fg-progress-app" data-fg-app="progress">',
             '<p class="fg-app__loading">Your progress needs JavaScript; it is loading, or your browser has it '
             "turned off.</p>",
             '<div class="fg-progress-app__summary" data-fg-summary></div>',
             '<div class="fg-progress-app__actions" data-fg-actions hidden>'
             '<button type="button" class="md-button" data-fg-action="export">Export to a file</button> '
             '<button type="button" class="md-button" data-fg-action="import">Import from a file</button> '
             '<input type="file" accept="application/json,.json" data-fg-import hidden> '
             '<button type="button" class="md-button" data-fg-action="reset">Reset…</button>'
             '<div class="fg-progress-app__confirm" data-fg-confirm hidden role="group" aria-label="Confirm reset">'
             "<p>Clear every studied and attempted mark and the drill's schedule in this browser? "
             "This cannot be undone (export first to keep a copy).</p>"
             '<button type="button" class="md-button md-button--primary" data-fg-action="reset-yes">Yes, clear my progress</button> '
             '<button type="button" class="md-button" data-fg-action="reset-no">Cancel</button></div>'
             '<p class="fg-progress-app__status" role="status" aria-live="polite" data-fg-status></p></div>']
    for section, items in sections.items():
        attempted = any(i["track"] == "attempted" for i in items)
        head = "<th>Studied</th>" + ("<th>Attempted</th>" if attempted else "")
        parts.append(f'<table data-fg-section="{html.escape(section)}">'
                     f"<caption>{html.escape(section)}</caption><thead><tr><th>Page</th>{head}</tr></thead><tbody>")
        for item in items:
            href = html.escape(get_relative_url(item["url"] or ".", page.url))
            cells = '<td data-fg-cell="studied">–</td>'
            if attempted:
                cells += '<td data-fg-cell="attempted">–</td>' if item["track"] == "attempted" else "<td></td>"
            parts.append(f'<tr data-fg-key="{html.escape(item["key"])}" data-fg-track="{item["track"]}">'
                         f'<td><a href="{href}">{html.escape(item["title"])}</a></td>{cells}</tr>')
        parts.append("</tbody></table>")
    parts.append("</div>")
    return "".join(parts)


def fill_markers(output: str, page) -> str:
    if "<!-- fg:" not in output:
        return output
    counts = cardlib.counts(state.ordered)
    markers = {
        "<!-- fg:card-counts -->": counts_table,
        "<!-- fg:card-total -->": lambda: f"{len(state.ordered):,}",
        "<!-- fg:followup-total -->": lambda: f"{counts['followup']:,}",
        "<!-- fg:size-apkg -->": lambda: human_size(state.sizes.get("apkg", 0)),
        "<!-- fg:size-csv -->": lambda: human_size(state.sizes.get("csv", 0)),
    }
    if page is not None:  # the apps live on their own pages, not in the print page
        markers["<!-- fg:drill -->"] = lambda: drill_app(page)
        markers["<!-- fg:progress -->"] = lambda: progress_app(page)
    for marker, fill in markers.items():
        if marker in output:
            output = output.replace(marker, fill())
    return output


def on_post_page(output, page, config, **kwargs):
    return fill_markers(output, page)


def on_post_build(config, **kwargs):
    # print-site joins the pages' content, before on_post_page: fill its markers too (counts, sizes).
    printed = print_page(config)
    if printed is not None and printed.path.is_file():
        text = printed.path.read_text(encoding="utf-8")
        # a PDF has no site beside it: the downloads point at the published site
        base = (config.site_url or "").rstrip("/") + "/"
        filled = re.sub(r'href="[^"]*?(assets/practice/[^"#?]+)"', lambda m: f'href="{base}{m.group(1)}"',
                        fill_markers(text, None)) if config.site_url else fill_markers(text, None)
        if filled != text:
            printed.path.write_text(filled, encoding="utf-8")
    # mkdocs copies a generated file's source only when it is newer; make sure the deck is there.
    apkg = state.files.get("apkg")
    if apkg is not None and apkg.abs_src_path:
        target = Path(config.site_dir) / GENERATED["apkg"]
        if not target.is_file() or target.stat().st_size != Path(apkg.abs_src_path).stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(apkg.abs_src_path, target)
