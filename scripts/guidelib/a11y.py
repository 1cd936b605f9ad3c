"""Accessibility fixes in the Markdown extensions' HTML (overrides/hooks/a11y.py applies them to each
page; overrides/hooks/print_page.py to the print page, which print-site writes from the pages' HTML
as it was before the hooks ran).

- pymdownx.tasklist draws each checklist item as a disabled checkbox in an empty <label>, so a
  screen reader announces "checkbox, not checked" with no name (axe-core: label). Each checkbox
  is named after its item's text.
- A table whose corner cell is empty (a matrix: row labels down the side, column labels on top)
  has an empty header cell, which names nothing (axe-core: empty-table-header): it becomes an
  ordinary empty cell.
- A header cell that is only a formula has no text axe-core can see (empty-table-header): KaTeX
  hides its drawn glyphs from screen readers and gives them MathML instead, which is not visible.
  In such a cell the roles swap: the glyphs are read ("P(open)") and the MathML is hidden. A formula
  in a header is a short name, so reading its glyphs loses nothing.
"""


from __future__ import annotations

import html
import re

TASK = re.compile(r'(<li class="task-list-item"><label class="task-list-control"><input type="checkbox")'
                  r'((?: disabled)?(?: checked)?(?: disabled)?/?>)(.*?)(?=<ul|<ol|</li>)', re.S)
TAG = re.compile(r"<[^>]+>")
EMPTY_HEADER = re.compile(r"<th(\s[^>]*)?>\s*</th>")


def label_tasks(content: str) -> str:
    def named(match: re.Match) -> str:
        text = " ".join(html.unescape(TAG.sub("", match.group(3))).split())
        if not text:
            return match.group(0)
        if len(text) > 120:
            text = text[:117].rstrip() + "…"
        return f'{match.group(1)} aria-label="{html.escape(text, quote=True)}"{match.group(2)}{match.group(3)}'

    return TASK.sub(named, content) if "task-list-item" in content else content


def plain_corner_cells(content: str) -> str:
    return EMPTY_HEADER.sub(lambda m: f"<td{m.group(1) or ''}></td>", content) if "<th" in content else content


HEADER_CELL = re.compile(r"(<th(?:\s[^>]*)?>)(.*?)(</th>)", re.S)
ONLY_MATH = re.compile(r'\s*<span class="arithmatex"[^>]*>.*</span>\s*', re.S)


def readable_math_headers(content: str) -> str:
    def swap(match: re.Match) -> str:
        cell = match.group(2)
        if not ONLY_MATH.fullmatch(cell) or cell.count('class="arithmatex"') != 1 or 'class="katex-mathml"' not in cell:
            return match.group(0)
        cell = cell.replace('<span class="katex-mathml">', '<span class="katex-mathml" aria-hidden="true">', 1)
        cell = cell.replace('<span class="katex-html" aria-hidden="true">', '<span class="katex-html">', 1)
        return match.group(1) + cell + match.group(3)

    return HEADER_CELL.sub(swap, content) if "katex-mathml" in content and "<th" in content else content


def fix(content: str) -> str:
    return readable_math_headers(plain_corner_cells(label_tasks(content)))
