"""MkDocs hook: in-text citations link to their reference, and each reference links back.

A page's `## References` is a numbered list (check_content.py keeps it one reference per line,
numbered 1..n). After the page is rendered, each `<li>` of that list gets an id, and every `[3]`,
`[3, 7]` or `[3–5]` in the text above it becomes links to those items; each reference gets a
"back" link to its first citation. Ids carry the page's path, so they stay unique on the print
page, which joins every page into one. If the rendered list does not have one item per numbered
line of the source (a wrapped reference that started a new item), the build warns (strict: fails).
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger("mkdocs.hooks.citations")

REFS_HEADING = re.compile(r'<h2 id="references"[^>]*>.*?</h2>\s*<ol>(.*?)</ol>', re.S)
LI_OPEN = re.compile(r"<li>")
TAG = re.compile(r"(<[^>]+>)")
CITATION = re.compile(r"(?<![\w\]])\[(\d+(?:\s*[,–-]\s*\d+)*)\](?![(\[:])")
SKIP = {"code", "pre", "a", "script", "style", "kbd", "h1", "h2", "h3", "h4", "h5", "h6", "summary"}
SOURCE_ITEM = re.compile(r"^\d+\.\s+\S", re.M)


def source_count(markdown: str) -> int:
    match = re.search(r"^## References[^\n]*\n(.*?)(?=^## |\Z)", markdown, re.S | re.M)
    return len(SOURCE_ITEM.findall(match.group(1))) if match else 0


def numbers(spec: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"\s*,\s*", spec):
        bounds = [int(n) for n in re.split(r"\s*[–-]\s*", part)]
        out.extend(range(bounds[0], bounds[-1] + 1) if len(bounds) == 2 and bounds[0] < bounds[1] else bounds[:1])
    return out


def link_citations(html: str, prefix: str, count: int, first: dict[int, str]) -> str:
    """`[n]` in text nodes (outside code, links, headings and maths) → links to #{prefix}-n."""
    pieces = TAG.split(html)
    stack: list[str] = []
    seen = 0
    for index, piece in enumerate(pieces):
        if piece.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
            if not name or piece.endswith("/>"):
                continue
            tag = name.group(1).lower()
            skip = tag in SKIP or (tag == "span" and "arithmatex" in piece) or (tag == "div" and "arithmatex" in piece)
            if piece.startswith("</"):
                if stack and stack[-1][0] == tag:
                    stack.pop()
            elif tag not in {"br", "img", "hr", "input", "meta", "link", "wbr"}:
                stack.append((tag, skip or (stack[-1][1] if stack else False)))
            continue
        if stack and stack[-1][1]:
            continue

        def replace(match: re.Match) -> str:
            nonlocal seen
            wanted = numbers(match.group(1))
            if not wanted or not all(1 <= n <= count for n in wanted):
                return match.group(0)
            links = []
            for n in dict.fromkeys(wanted):
                seen += 1
                anchor = f"{prefix}-cite-{seen}"
                first.setdefault(n, anchor)
                links.append(f'<a class="fg-cite" id="{anchor}" href="#{prefix}-{n}" '
                             f'aria-label="Reference {n}">{n}</a>')
            return "[" + ", ".join(links) + "]"

        pieces[index] = CITATION.sub(replace, piece)
    return "".join(pieces)


def on_page_content(html, page, config, files, **kwargs):
    found = REFS_HEADING.search(html)
    if not found:
        return html
    items = LI_OPEN.findall(found.group(1))
    expected = source_count(page.markdown or "")
    if expected and len(items) != expected:
        log.warning("citations: %s: the references list renders as %d items but the page has %d numbered "
                    "references (is a reference wrapped onto a line that starts with a number?)",
                    page.file.src_uri, len(items), expected)
    prefix = "ref-" + re.sub(r"[^a-z0-9]+", "-", page.file.src_uri.lower().removesuffix(".md")).strip("-")
    first: dict[int, str] = {}
    body = link_citations(html[:found.start()], prefix, len(items), first)
    counter = iter(range(1, len(items) + 1))

    def number_item(_match: re.Match) -> str:
        n = next(counter)
        return f'<li id="{prefix}-{n}">'

    refs = LI_OPEN.sub(number_item, found.group(1))
    for n, anchor in first.items():
        refs = re.sub(rf'(<li id="{prefix}-{n}">.*?)(</li>)',
                      lambda m, a=anchor, n=n: f'{m.group(1)} <a class="fg-cite-back" href="#{a}" '
                                                f'aria-label="Back to the first citation of reference {n}">↩</a>{m.group(2)}',
                      refs, count=1, flags=re.S)
    block = found.group(0).replace(found.group(1), refs, 1)
    return body + block + html[found.end():]
