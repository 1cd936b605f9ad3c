"""Content rules that keep pages readable as rendered, each a function a reader can find by name.

check_content.py runs them on every page (after snippet expansion; lines keep their file and line):
- `caret_powers`: `10^9` outside math and code (pymdownx.caret garbles it);
- `reference_list`: `## References` is a numbered list with one reference per line, numbered 1..n
  (a wrapped reference whose next line starts with `2016. ` became a new item), and every in-text
  `[n]` names one of them;
- `problem_layout`: a case study's `## Problem` gives nothing away before the attempt: "Start your
  attempt" comes first, "At a glance" and "The 45-minute version" are collapsed (`???`).
Each yields (SourceLine, message, rule name).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from . import markdown as md
from . import notation

Finding = tuple[md.SourceLine, str, str]

NUMBERED = re.compile(r"^(\d+)\.\s+\S")
# An in-text citation: [3], [3, 7], [3–5] (not a Markdown link, footnote or task box).
CITATION = re.compile(r"(?<![\\\w\]])\[(\d+(?:\s*[,–-]\s*\d+)*)\](?![(\[:])")
START_ATTEMPT = re.compile(r'^!!!\s+tip\s+"Start your attempt"')
AT_A_GLANCE = re.compile(r'^(\?\?\?|!!!)\+?\s+abstract\s+"At a glance')
FORTY_FIVE = re.compile(r'^(\?\?\?|!!!)\+?\s+abstract\s+"The 45-minute version"')
OPEN_ABSTRACT = re.compile(r"^!!!\s+abstract\b")


def own(lines: Iterable[md.SourceLine], page) -> Iterator[md.SourceLine]:
    """The lines written in the page itself (not pulled in from a snippet)."""
    return (line for line in lines if line.path == page)


def caret_powers(outside: list[md.SourceLine], fences: list[md.Fence], page) -> Iterator[Finding]:
    """`10^9` in prose, tables or diagram labels."""
    prose = list(own(outside, page))
    inside_math = list(notation.display_math_lines(prose))
    masked = notation.paragraph_masks([("" if in_math else line) for line, in_math in zip(prose, inside_math)])
    labels = [line for fence in fences if fence.lang == "mermaid" for line in own(fence.lines, page)]
    for line, text in list(zip(prose, masked)) + [(line, notation.prose_mask(line)) for line in labels]:
        for match in notation.CARET_POWER.finditer(text):
            fixed = notation.superscript(match)
            yield (line, f"'{match.group(0)}' renders wrong (pymdownx.caret reads ^…^ as superscript): write "
                         f"'{fixed}' (Unicode superscript), 1e{match.group(2).strip('{}')} in arithmetic, or "
                         f"$10^{{{match.group(2).strip('{}')}}}$ as math", "notation")


def reference_items(lines: list[md.SourceLine]) -> list[tuple[int, md.SourceLine]]:
    return [(int(m.group(1)), line) for line in lines if (m := NUMBERED.match(line))]


def reference_list(section: list[md.SourceLine], body: list[md.SourceLine]) -> Iterator[Finding]:
    """`section`: the lines under `## References` (fences excluded); `body`: the page's other prose."""
    items: list[tuple[int, md.SourceLine]] = []
    stray: list[md.SourceLine] = []
    for line in section:
        if not line.strip():
            continue
        match = NUMBERED.match(line)
        if match:
            number = int(match.group(1))
            expected = len(items) + 1
            if items and number != expected and number >= 100:  # a year: the previous reference wrapped
                yield (line, f"reference {items[-1][0]} wraps onto a line that starts with '{number}.', which "
                             "renders as a new numbered item: keep each reference on one line", "references")
                continue
            if number != expected:
                yield (line, f"reference numbered {number}, expected {expected}: number the references 1, 2, 3, …",
                       "references")
            items.append((number, line))
        elif items:
            yield (line, f"reference {items[-1][0]} continues on this line: keep each reference on one line "
                         "(a wrapped line that starts with a number, such as a year, renders as a new reference)",
                   "references")
        else:
            stray.append(line)
    if items:  # a draft may still say "to be written" here
        for line in stray:
            yield (line, "text before the first reference: `## References` holds only the numbered list", "references")
    count = len(items)
    for line in body:
        for match in CITATION.finditer(notation.prose_mask(line)):
            for number in (int(n) for n in re.findall(r"\d+", match.group(1))):
                if not 1 <= number <= count:
                    yield (line, f"citation [{number}] has no reference {number} (the list has {count})", "references")


def problem_layout(section: list[md.SourceLine], heading: md.SourceLine, reviewed: bool) -> Iterator[Finding]:
    """The Problem section of a case study: the attempt first, the answers collapsed. A draft may lack
    the boxes; a box it has must already be collapsed and after the attempt."""
    start = next((i for i, line in enumerate(section) if START_ATTEMPT.match(line)), None)
    glance = next((i for i, line in enumerate(section) if AT_A_GLANCE.match(line)), None)
    short = next((i for i, line in enumerate(section) if FORTY_FIVE.match(line)), None)
    if start is None and reviewed:
        yield (heading, '`## Problem` has no `!!! tip "Start your attempt"` box (the timer and what to sketch), '
                        "see templates/case-study.md", "layout")
    for index in (glance, short):
        if index is None:
            continue
        line = section[index]
        if line.startswith("!!!") or line.startswith("???+"):
            yield (line, "this box gives the answer away: make it collapsed (`??? abstract`), so the reader "
                         "opens it after the attempt", "layout")
        if start is not None and index < start:
            yield (line, 'this box comes before "Start your attempt": the prompt and the attempt come first',
                   "layout")
    if glance is None and reviewed:
        yield (heading, '`## Problem` has no `??? abstract "At a glance (open after your attempt)"` box', "layout")
    if short is None and reviewed:
        yield (heading, '`## Problem` has no `??? abstract "The 45-minute version"` box (minute plan, three '
                        "numbers, one diagram, two deep dives)", "layout")
    for line in section:
        if OPEN_ABSTRACT.match(line) and not (AT_A_GLANCE.match(line) or FORTY_FIVE.match(line)):
            yield (line, "an open `!!! abstract` box in `## Problem` gives the answer away: collapse it (`???`)",
                   "layout")
