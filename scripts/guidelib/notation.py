"""Notation rules shared by check_content and the one-off fixers: powers written with a caret.

pymdownx.caret reads `^…^` as superscript, so a bare `10^9` in prose either shows the caret or, when
a second caret follows on the line (`10^8–10^10`), turns the text between them into a garbled
superscript. Outside math and code the guide writes powers with Unicode superscripts (`10⁹`), as
`1e9` in arithmetic, or as math (`$10^{9}$`).
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

# `$$…$$` and `$…$` (arithmatex generic), `\(…\)`, and code spans are not prose.
_INLINE_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?=\S)[^$\n]*?(?<=\S)\$(?!\d)|\\\(.+?\\\)")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
# A caret power: digits (or a closing bracket) then `^` then an exponent.
CARET_POWER = re.compile(r"(?<![\w^])(\d+(?:\.\d+)?)\^(\{-?\d+\}|-?\d+)(?!\^)")
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def prose_mask(line: str) -> str:
    """The line with inline math and code spans blanked out (same length, so columns still match)."""
    return _INLINE_MATH.sub(_blank, _CODE_SPAN.sub(_blank, line))


def display_math_lines(lines: Iterable[str]) -> Iterator[bool]:
    """For each line, whether it sits inside a `$$ … $$` display block (delimiters included)."""
    inside = False
    for line in lines:
        stripped = line.strip()
        opens = stripped.startswith("$$")
        if inside:
            yield True
            if stripped.endswith("$$"):
                inside = False
        elif opens and not (len(stripped) > 2 and stripped.endswith("$$")):
            inside = True
            yield True
        else:
            yield opens
    return


def caret_powers(line: str) -> list[re.Match]:
    """Caret powers in the prose of one line (math and code spans excluded)."""
    return list(CARET_POWER.finditer(prose_mask(line)))


# Inline math may wrap onto the next line of its paragraph: `$p \approx 2\n\times 10^{-12}$`.
_WRAPPED_MATH = re.compile(r"(?<![\\$])\$(?=\S)[^$]*?(?<=\S)\$(?!\d)")


def paragraph_masks(lines: list[str]) -> list[str]:
    """Each line with the inline math of its paragraph blanked, including math that wraps across lines
    (a paragraph is a run of non-blank lines); code spans are blanked first."""
    out = [_CODE_SPAN.sub(_blank, line) for line in lines]
    start = 0
    while start < len(out):
        if not out[start].strip():
            start += 1
            continue
        end = start
        while end < len(out) and out[end].strip():
            end += 1
        text = "\n".join(out[start:end])
        text = _INLINE_MATH.sub(_blank, text)
        text = _WRAPPED_MATH.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        out[start:end] = text.split("\n")
        start = end
    return out


def superscript(match: re.Match) -> str:
    """`10^9` → `10⁹`, `10^{-5}` → `10⁻⁵`."""
    return match.group(1) + match.group(2).strip("{}").translate(_SUPERSCRIPT)
