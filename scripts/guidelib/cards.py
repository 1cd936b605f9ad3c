"""Study cards: every follow-up question, glossary entry and marked key fact of the guide.

The pages are the one source of truth. overrides/hooks/practice.py hands each rendered page to
`extract()`, which finds three kinds of card in its HTML:

- `followup`: each `??? question "Follow-up: …"` block (`<details class="question">`): the summary is
  the question, the rest of the block the answer;
- `glossary`: each term of the glossary's definition list (`<dt>` → `<dd>`);
- `fact`: each paragraph or list item marked with the attribute list `{ .fg-card data-q="…" }`: the
  prompt in `data-q` is the question, the marked text itself (unchanged page wording) the answer.

A card's id is derived from where it comes from and what it asks (kind, page, a hash of the normalised
question text; a glossary card from its term), never from its answer: editing an answer changes the
card's text and keeps its id, so the drill's schedule and Anki's notes (guid from the id) carry over.

`extract()` also returns the page's HTML with follow-ups numbered and given ids (so a card can link to
its block), glossary terms given ids, and the "Expand all / Hide all" toolbar before the first
follow-up. Problems (a key fact without a prompt, an empty answer, a question asked twice on a page)
are returned with their source line, for the hook to report as `file:line: message`.

`write_apkg()` and `to_csv()` export the cards; `deck_key()` is the cache key of the Anki package.
"""

from __future__ import annotations

import csv
import hashlib
import html as htmllib
import io
import json
import re
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from . import markdown as md

KINDS = ("followup", "fact", "glossary")
KIND_LABELS = {"followup": "Follow-up questions", "fact": "Key facts", "glossary": "Glossary terms"}
# Anki: fixed ids, so a re-import updates the same note type and deck instead of adding new ones.
MODEL_ID = 1_607_392_319
DECK_ID = 2_059_400_110
DECK_NAME = "ML System Design Field Guide"
GUID_NAMESPACE = "ml-system-design-field-guide"
# Files the build writes into the site (overrides/hooks/practice.py); pages may link them.
OUT_DIR = "assets/practice"
DECK_FILE = "ml-system-design-field-guide"
GENERATED_FILES = {"json": f"{OUT_DIR}/cards.json", "js": f"{OUT_DIR}/cards.js",
                   "apkg": f"{OUT_DIR}/{DECK_FILE}.apkg", "csv": f"{OUT_DIR}/{DECK_FILE}.csv"}
# Part of the deck's cache key: bump when the package layout (fields, templates, css) changes.
DECK_FORMAT = 2

FOLLOWUP_SOURCE = re.compile(r"^\s*\?\?\?\+?\s+question\b")
FACT_SOURCE = re.compile(r"\{[^{}]*\.fg-card\b[^{}]*\}")
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>")
ATTR = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HEADING = re.compile(r"<h([23])\b[^>]*>(.*?)</h\1>", re.S)
HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
PREFIX = re.compile(r"^\s*Follow-up\s*:\s*", re.I)


@dataclass
class Card:
    id: str
    kind: str  # followup | fact | glossary
    page: str  # src_uri of the page, e.g. case-studies/visual-search.md
    title: str  # the page's title
    section: str  # the heading the card sits under
    q: str  # question, HTML
    a: str  # answer, HTML; links and images are relative to the site root
    url: str  # site-relative URL of the card's place on its page (…#anchor)
    tags: list[str] = field(default_factory=list)
    line: int = 1  # line of its source in the page's Markdown

    def public(self) -> dict:
        data = asdict(self)
        data.pop("line")
        return data


@dataclass
class Problem:
    line: int
    message: str


# --- small HTML helpers -------------------------------------------------------------------------


def attrs_of(text: str) -> dict[str, str]:
    return {m.group(1).lower(): htmllib.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in ATTR.finditer(text)}


def classes_of(attrs: dict[str, str]) -> set[str]:
    return set(attrs.get("class", "").split())


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    start: int  # index of `<`
    inner_start: int  # after the opening tag
    inner_end: int  # index of the closing tag's `<`
    end: int  # after the closing tag


def elements(html: str) -> list[Element]:
    """Every element with a closing tag, in document order (of their opening tags)."""
    out: list[Element] = []
    stack: list[tuple[str, dict, int, int]] = []
    for match in TAG.finditer(html):
        closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
        if not closing:
            if name in VOID or rest.rstrip().endswith("/"):
                continue
            stack.append((name, attrs_of(rest), match.start(), match.end()))
            continue
        for depth in range(len(stack) - 1, -1, -1):  # tolerate a stray unclosed tag
            if stack[depth][0] == name:
                tag, attrs, start, inner = stack[depth]
                del stack[depth:]
                out.append(Element(tag, attrs, start, inner, match.start(), match.end()))
                break
    return sorted(out, key=lambda e: e.start)


def text_of(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""
    fragment = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S)
    fragment = re.sub(r"</(p|li|dd|dt|div|tr|h\d|pre|blockquote)>|<br\s*/?>", "\n", fragment)
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", fragment))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def slug(text: str, limit: int = 60) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value[:limit].rstrip("-") or "x"


def fingerprint(text: str) -> str:
    """Hash of a question's words (case, punctuation and spacing ignored)."""
    words = re.sub(r"[^\w]+", " ", text.casefold()).split()
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()[:10]


def page_key(src_uri: str) -> str:
    """`framework/evaluation.md` -> `framework/evaluation`; an index page is its folder (`index` at the root).
    The browser side (docs/javascripts/progress.js) derives the same key from a page's URL."""
    key = src_uri.removesuffix(".md")
    if key == "index":
        return "index"
    return key.removesuffix("/index")


def absolute(href: str, base_url: str) -> str:
    """`href` found on the page at site-relative `base_url`, made relative to the site root."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^/", href):
        return href
    joined = urljoin("http://site.invalid/" + base_url, href)
    return joined.removeprefix("http://site.invalid/")


URL_ATTR = re.compile(r'\b(href|src)="([^"]*)"')


def rebase(fragment: str, page_url: str) -> str:
    """Links and images of a fragment of the page at `page_url`, made relative to the site root."""
    return URL_ATTR.sub(lambda m: f'{m.group(1)}="{absolute(htmllib.unescape(m.group(2)), page_url)}"', fragment)


def clean_answer(fragment: str) -> str:
    fragment = re.sub(r'\s*<a class="(?:headerlink|fg-cite-back)"[^>]*>.*?</a>', "", fragment, flags=re.S)
    return fragment.strip()


# --- source lines ---------------------------------------------------------------------------------


def source_lines(markdown_text: str) -> dict[str, list[int]]:
    """Line numbers, in order, of the follow-ups, glossary terms and key-fact markers of a page's
    Markdown (outside code fences), so a card can be reported at its line."""
    lines = md.source_lines(markdown_text, Path("page.md"))
    _fences, outside = md.scan_fences(lines)
    found: dict[str, list[int]] = {"followup": [], "fact": [], "glossary": []}
    previous = None
    for line in outside:
        if FOLLOWUP_SOURCE.match(line):
            found["followup"].append(line.lineno)
        for _ in FACT_SOURCE.finditer(line):
            found["fact"].append(line.lineno)
        if line.startswith(":   ") and previous is not None and previous.strip() and previous.lineno == line.lineno - 1:
            found["glossary"].append(previous.lineno)
        previous = line
    return found


# --- extraction -------------------------------------------------------------------------------------


TOOLBAR = ('<div class="fg-followups" data-fg-followups hidden>'
           '<span class="fg-followups__count">{count} follow-up question{s}</span> '
           '<button type="button" class="md-button" data-fg-expand="open">Expand all</button> '
           '<button type="button" class="md-button" data-fg-expand="close">Hide all</button></div>\n')


@dataclass
class PageInfo:
    src_uri: str
    url: str  # site-relative, as MkDocs writes it
    title: str
    tags: list[str]
    markdown: str  # the page's source text, for line numbers
    glossary: bool = False


def extract(html: str, page: PageInfo) -> tuple[list[Card], str, list[Problem]]:
    """(cards, the page's HTML with follow-ups numbered and anchored, problems) of one rendered page."""
    lines = source_lines(page.markdown)
    cards: list[Card] = []
    problems: list[Problem] = []
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) on `html`
    headings = [(m.start(), text_of(HEADERLINK.sub("", m.group(2)))) for m in HEADING.finditer(html)]
    taken_ids = set(re.findall(r'\bid="([^"]+)"', html))
    key = page_key(page.src_uri)
    counters = {kind: 0 for kind in KINDS}
    seen: dict[str, int] = {}

    def section_at(position: int) -> str:
        current = ""
        for start, text in headings:
            if start > position:
                break
            current = text
        return current

    def line_of(kind: str) -> int:
        index = counters[kind]
        counters[kind] += 1
        return lines[kind][index] if index < len(lines[kind]) else 1

    def unique_id(base: str) -> str:
        candidate, n = base, 2
        while candidate in taken_ids:
            candidate, n = f"{base}-{n}", n + 1
        taken_ids.add(candidate)
        return candidate

    def add(kind: str, line: int, question_html: str, question_text: str, answer: str, anchor: str,
            position: int, ident: str) -> None:
        if ident in seen:
            problems.append(Problem(line, f"the same {kind} card is asked twice on this page (also at line "
                                          f"{seen[ident]}): {question_text[:80]!r}"))
            return
        seen[ident] = line
        cards.append(Card(id=ident, kind=kind, page=page.src_uri, title=page.title, section=section_at(position),
                          q=question_html.strip(), a=rebase(clean_answer(answer), page.url),
                          url=f"{page.url}#{anchor}", tags=list(page.tags), line=line))

    all_elements = elements(html)
    number = 0
    first_followup = None
    for element in all_elements:
        classes = classes_of(element.attrs)
        if element.tag == "details" and "question" in classes:
            line = line_of("followup")
            inner = html[element.inner_start:element.inner_end]
            summary = re.match(r"\s*<summary>(.*?)</summary>", inner, re.S)
            if not summary:
                continue
            number += 1
            first_followup = first_followup if first_followup is not None else element.start
            title_html = summary.group(1)
            question_html = PREFIX.sub("", title_html, count=1)
            question_text = text_of(question_html)
            answer = inner[summary.end():]
            if not question_text:
                problems.append(Problem(line, "follow-up has no question: write it as ??? question \"Follow-up: …\""))
                continue
            if not text_of(answer):
                problems.append(Problem(line, f"follow-up {question_text[:60]!r} has no answer (indent it by four spaces "
                                              "under the ??? line)"))
                continue
            anchor = element.attrs.get("id") or unique_id("fu-" + slug(question_text, 48))
            numbered = (f'Follow-up <span class="fg-followup-n">{number}</span>: {question_html}'
                        if PREFIX.match(title_html) else f'<span class="fg-followup-n">{number}.</span> {title_html}')
            open_tag = html[element.start:element.inner_start]
            if "id=" not in open_tag:
                open_tag = open_tag[:-1] + f' id="{anchor}">'
            edits.append((element.start, element.inner_start, open_tag))
            edits.append((element.inner_start + summary.start(1), element.inner_start + summary.end(1), numbered))
            add("followup", line, question_html, question_text, answer, anchor, element.start,
                f"followup:{key}:{fingerprint(question_text)}")
        elif "fg-card" in classes:
            line = line_of("fact")
            prompt = " ".join(element.attrs.get("data-q", "").split())
            answer = html[element.inner_start:element.inner_end]
            if not prompt:
                problems.append(Problem(line, 'key fact marked .fg-card has no question: add data-q="…" to its '
                                              "attribute list, e.g. { .fg-card data-q=\"What is …?\" }"))
                continue
            if not text_of(answer):
                problems.append(Problem(line, f"key fact {prompt[:60]!r} marks an empty element"))
                continue
            anchor = element.attrs.get("id") or unique_id("fact-" + slug(prompt, 48))
            if "id" not in element.attrs:
                open_tag = html[element.start:element.inner_start]
                edits.append((element.start, element.inner_start, open_tag[:-1] + f' id="{anchor}">'))
            add("fact", line, htmllib.escape(prompt, quote=False), prompt, answer, anchor, element.start,
                f"fact:{key}:{fingerprint(prompt)}")
        elif page.glossary and element.tag == "dt":
            line = line_of("glossary")
            term_html = html[element.inner_start:element.inner_end]
            term = text_of(term_html)
            following = next((e for e in all_elements if e.start >= element.end and e.tag in ("dd", "dt")), None)
            if following is None or following.tag != "dd" or html[element.end:following.start].strip():
                problems.append(Problem(line, f"glossary term {term!r} has no definition (a line starting with ':   ')"))
                continue
            anchor = element.attrs.get("id") or unique_id("term-" + slug(term, 48))
            if "id" not in element.attrs:
                edits.append((element.start, element.inner_start, f'<dt id="{anchor}">'))
            add("glossary", line, term_html, term, html[following.inner_start:following.inner_end], anchor,
                element.start, f"glossary:{slug(term, 80)}")
    if first_followup is not None and number:
        edits.append((first_followup, first_followup, TOOLBAR.format(count=number, s="" if number == 1 else "s")))
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        html = html[:start] + replacement + html[end:]
    return cards, html, problems


# --- exports ------------------------------------------------------------------------------------------


def counts(cards: list[Card]) -> dict[str, int]:
    return {kind: sum(1 for c in cards if c.kind == kind) for kind in KINDS}


def to_json(cards: list[Card], pages: list[dict]) -> str:
    """The drill page's data: every card, and the pages in nav order (for its filters)."""
    payload = {"format": "ml-system-design-field-guide/cards", "version": 1, "counts": counts(cards),
               "pages": pages, "cards": [c.public() for c in cards]}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def to_js(data: str) -> str:
    """The same data as a script, so the drill works from file:// (where pages cannot fetch JSON)."""
    return f"window.fgCardData = {data};\n"


def absolute_html(fragment: str, site_url: str) -> str:
    """Root-relative links of a card made absolute on the published site (Anki and CSV have no site)."""
    base = site_url.rstrip("/") + "/"

    def fix(match: re.Match) -> str:
        value = match.group(2)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", value):
            return match.group(0)
        return f'{match.group(1)}="{htmllib.escape(urljoin(base, value.lstrip("/")))}"'

    return URL_ATTR.sub(fix, fragment)


def for_anki(fragment: str, site_url: str) -> str:
    """A card's HTML as Anki shows it: maths left as \\( \\) for Anki's MathJax, diagrams as their title."""
    fragment = re.sub(r'<figure class="fg-diagram[^"]*".*?</figure>',
                      lambda m: "<p><em>[Diagram: " + htmllib.escape(
                          htmllib.unescape((re.search(r'alt="([^"]*)"', m.group(0)) or [None, "see the guide"])[1]),
                          quote=False) + "]</em></p>", fragment, flags=re.S)
    fragment = re.sub(r'<span class="arithmatex">(.*?)</span>', r"\1", fragment, flags=re.S)
    fragment = re.sub(r'<div class="arithmatex">(.*?)</div>', r"<div>\1</div>", fragment, flags=re.S)
    fragment = re.sub(r"<br\s*/?>", "<br>", fragment)
    return absolute_html(fragment, site_url)


def anki_tags(card: Card) -> list[str]:
    page = "page::" + page_key(card.page).replace("/", "::")
    return sorted({card.kind, page, *(re.sub(r"\s+", "-", t) for t in card.tags)})


def guid(card: Card) -> str:
    import genanki

    return genanki.guid_for(GUID_NAMESPACE, card.id)


def source_html(card: Card, site_url: str) -> str:
    where = htmllib.escape(card.title + (f" › {card.section}" if card.section and card.section != card.title else ""))
    href = htmllib.escape(urljoin(site_url.rstrip("/") + "/", card.url))
    return f'<a href="{href}">{where}</a>'


CSS = """.card { font-family: Verdana, "DejaVu Sans", sans-serif; font-size: 18px; text-align: left;
  color: #1a1a1a; background: #fff; line-height: 1.45; max-width: 42em; margin: 0 auto; }
.nightMode.card, .night_mode .card { color: #e6e6e6; background: #1e1e1e; }
.kind { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; opacity: .65; }
.source { margin-top: 1.5em; font-size: 13px; opacity: .75; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2px 6px; }
code { font-size: 90%; }
"""
FRONT = '<div class="kind">{{Kind}}</div>\n<div class="question">{{Front}}</div>'
BACK = '{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Back}}</div>\n<div class="source">{{Source}}</div>'


def deck_key(cards: list[Card], site_url: str) -> str:
    import genanki

    data = json.dumps([c.public() for c in cards], ensure_ascii=False, sort_keys=True)
    material = f"{DECK_FORMAT}\n{genanki.__version__ if hasattr(genanki, '__version__') else ''}\n{site_url}\n{data}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:20]


def write_apkg(cards: list[Card], path: Path, site_url: str, timestamp: float) -> None:
    """The Anki package: one deck, one note per card, each note's guid derived from the card's id.
    `timestamp` is the notes' modification time (newer than a previous export's, so Anki updates them)."""
    import genanki

    model = genanki.Model(
        MODEL_ID, f"{DECK_NAME} card",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}, {"name": "Kind"}, {"name": "Id"}],
        templates=[{"name": "Card", "qfmt": FRONT, "afmt": BACK}], css=CSS, sort_field_index=0)
    deck = genanki.Deck(DECK_ID, DECK_NAME, description=(
        "Follow-up questions, glossary terms and key facts of the ML System Design Field Guide. "
        "Re-importing a newer version updates these notes (matched by their ids) and keeps your reviews."))
    labels = {"followup": "Follow-up question", "fact": "Key fact", "glossary": "Glossary"}
    for card in cards:
        front = card.q if card.kind != "glossary" else f"What is <b>{card.q}</b>?"
        deck.add_note(genanki.Note(model=model, guid=guid(card), tags=anki_tags(card), fields=[
            for_anki(front, site_url), for_anki(card.a, site_url), source_html(card, site_url),
            labels[card.kind], card.id]))
    path.parent.mkdir(parents=True, exist_ok=True)
    stored = path.with_name(path.name + ".stored")
    genanki.Package(deck).write_to_file(str(stored), timestamp=timestamp)
    # genanki stores the collection uncompressed; Anki reads deflated packages as well (a third the size).
    with zipfile.ZipFile(stored) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info.filename))
    stored.unlink()


CSV_FIELDS = ["id", "kind", "question", "answer", "page", "section", "url", "tags"]


def to_csv(cards: list[Card], site_url: str) -> str:
    """One row per card: plain-text question and answer (maths as TeX), absolute link to its place."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for card in cards:
        writer.writerow([card.id, card.kind, text_of(card.q), text_of(card.a), card.title, card.section,
                         urljoin(site_url.rstrip("/") + "/", card.url), " ".join(anki_tags(card))])
    return out.getvalue()
