"""Markdown as the checks see it: lines that remember where they came from.

- `read_source()` decodes a file as UTF-8 and says where it is not.
- `FrontMatter` parses the YAML block at the top of a page, keeping each key's line.
- `find_fences()`, `headings()`, `links()` scan the lines outside code fences (with line numbers).
- `SnippetExpander` expands `--8<--` snippets exactly as pymdownx.snippets does (it drives the
  extension's own preprocessor for path lookup, line ranges and sections), while every output line
  keeps its file, line and the snippet directive that pulled it in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml


class SourceLine(str):
    """A line of text that knows its file (`path`), 1-based `lineno`, and the snippet line (`via`) that included it."""

    path: Path
    lineno: int
    via: "SourceLine | None"

    def __new__(cls, text: str, path: Path, lineno: int, via: "SourceLine | None" = None):
        self = super().__new__(cls, text)
        self.path, self.lineno, self.via = path, lineno, via
        return self

    def retext(self, text: str) -> "SourceLine":
        return SourceLine(text, self.path, self.lineno, self.via)

    def __radd__(self, other: str) -> "SourceLine":  # `indent + line` keeps the location
        return self.retext(other + str(self))

    @property
    def top(self) -> "SourceLine":
        """The line in the page itself: this line, or the snippet directive that (transitively) included it."""
        line = self
        while line.via is not None:
            line = line.via
        return line


def source_lines(text: str, path: Path) -> list[SourceLine]:
    return [SourceLine(t, path, i) for i, t in enumerate(text.split("\n"), start=1)]


# --- files -------------------------------------------------------------------------------------


@dataclass
class DecodeError:
    line: int
    message: str


def read_source(path: Path) -> tuple[str | None, DecodeError | None]:
    """The file's text (BOM dropped, newlines normalised), or where it is not valid UTF-8."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start : error.start + 1].hex()
        return None, DecodeError(line, f"file is not valid UTF-8 (byte 0x{byte} at column {column})")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), None


# --- front matter ------------------------------------------------------------------------------


@dataclass
class FrontMatter:
    """The YAML front matter of a page. `data` is None when the page has none."""

    data: dict | None
    body_start: int = 1  # first line after the closing `---`
    key_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)
    error: tuple[int, str] | None = None

    def line_of(self, key: str, index: int | None = None) -> int:
        if index is not None and index < len(self.item_lines.get(key, [])):
            return self.item_lines[key][index]
        return self.key_lines.get(key, 1)


_FM_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def parse_front_matter(lines: list[str]) -> FrontMatter:
    """Parse the `---` … `---` block at line 1 (as MkDocs does), keeping line numbers of keys and list items."""
    if not lines or not re.match(r"^---[ \t]*$", lines[0]):
        return FrontMatter(None)
    for end in range(1, len(lines)):
        if _FM_CLOSE.match(lines[end]):
            break
    else:
        return FrontMatter(None, error=(1, "front matter starts with `---` but is never closed"))
    content = "\n".join(lines[1:end]) + "\n"
    offset = 2  # content line 0 is file line 2
    try:
        data = yaml.safe_load(content)
        node = yaml.compose(content, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        # An unclosed quote or bracket fails at the end of the block; its context mark says where it began.
        mark = error.context_mark or error.problem_mark
        line = mark.line + offset if mark else 1
        problem = " ".join(" ".join(filter(None, [error.problem, error.context])).split()) or str(error)
        return FrontMatter(None, end + 2, error=(line, f"front matter is not valid YAML: {problem}"))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter(None, end + 2, error=(2, "front matter must be a YAML mapping (key: value lines)"))
    fm = FrontMatter(data, end + 2)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            fm.key_lines[key] = key_node.start_mark.line + offset
            if isinstance(value_node, yaml.SequenceNode):
                fm.item_lines[key] = [item.start_mark.line + offset for item in value_node.value]
    return fm


# --- fences, headings, links ---------------------------------------------------------------------

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")


@dataclass
class Fence:
    """A fenced code block. `lines` are the body lines with the opening fence's indentation removed."""

    lang: str
    open: SourceLine
    lines: list[SourceLine]
    closed: bool = True

    @property
    def line(self) -> int:
        return self.open.lineno

    @property
    def source(self) -> str:
        return "\n".join(self.lines)


def _fence_lang(info: str) -> str:
    info = info.strip()
    if info.startswith("{"):
        match = re.search(r"\.([\w-]+)", info)
        return match.group(1).lower() if match else ""
    return info.split()[0].lower() if info else ""


def scan_fences(lines: list[SourceLine]) -> tuple[list[Fence], list[SourceLine]]:
    """Split lines into fenced blocks and the lines outside them (fence delimiters belong to neither)."""
    fences: list[Fence] = []
    outside: list[SourceLine] = []
    current: Fence | None = None
    marker = ""
    indent = 0
    for line in lines:
        if current is None:
            match = _FENCE_OPEN.match(line)
            if match and not (match["fence"][0] == "`" and "`" in match["info"]):
                marker, indent = match["fence"], len(match["indent"].expandtabs(4))
                current = Fence(_fence_lang(match["info"]), line, [])
            else:
                outside.append(line)
            continue
        stripped = line.strip()
        if stripped and set(stripped) == {marker[0]} and len(stripped) >= len(marker):
            fences.append(current)
            current = None
            continue
        body = line.expandtabs(4)
        cut = min(indent, len(body) - len(body.lstrip(" ")))
        current.lines.append(line.retext(body[cut:]))
    if current is not None:
        current.closed = False
        fences.append(current)
    return fences, outside


def find_fences(lines: list[SourceLine], lang: str | None = None) -> list[Fence]:
    fences, _ = scan_fences(lines)
    return [f for f in fences if lang is None or f.lang == lang]


_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def mask_code_spans(text: str) -> str:
    """Replace inline code spans with spaces (columns are kept)."""
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)


@dataclass
class Heading:
    level: int
    text: str
    id: str | None
    line: SourceLine


_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*$")
_ATTR_LIST = re.compile(r"\s*\{:?\s*([^}]*)\}\s*$")


def headings(outside: Iterable[SourceLine]) -> list[Heading]:
    """ATX headings among lines outside fences, with their `{#id}` if any (text without it)."""
    found = []
    for line in outside:
        match = _HEADING.match(line)
        if not match:
            continue
        text = re.sub(r"[ \t]+#+$", "", match.group(2))
        anchor = None
        attrs = _ATTR_LIST.search(text)
        if attrs:
            ids = re.findall(r"#([\w:.-]+)", attrs.group(1))
            anchor = ids[0] if ids else None
            text = text[: attrs.start()]
        found.append(Heading(len(match.group(1)), text.strip(), anchor, line))
    return found


@dataclass
class Link:
    target: str
    line: SourceLine
    kind: str  # "inline", "image", "reference", "autolink", "html"


_INLINE_LINK = re.compile(
    r"(?P<bang>!?)\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(?:<(?P<angle>[^>]*)>|(?P<plain>[^)\s]+))(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(?P<target>[^\s>]+)>?")
_AUTOLINK = re.compile(r"<(?P<target>(?:https?|ftp|mailto|javascript):[^>\s]+)>", re.IGNORECASE)
_HTML_ATTR = re.compile(r"\b(?:href|src)\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))", re.IGNORECASE)


def links(outside: Iterable[SourceLine]) -> list[Link]:
    """Link and image targets in lines outside fences (inline code ignored)."""
    found: list[Link] = []
    for line in outside:
        text = mask_code_spans(line)
        for match in _INLINE_LINK.finditer(text):
            target = match["angle"] if match["angle"] is not None else match["plain"]
            found.append(Link(target, line, "image" if match["bang"] else "inline"))
        match = _REF_DEF.match(text)
        if match:
            found.append(Link(match["target"], line, "reference"))
        for match in _AUTOLINK.finditer(text):
            found.append(Link(match["target"], line, "autolink"))
        for match in _HTML_ATTR.finditer(text):
            found.append(Link(match["dq"] or match["sq"] or match["bare"] or "", line, "html"))
    return found


# --- snippets ------------------------------------------------------------------------------------


class SnippetError(Exception):
    def __init__(self, line: SourceLine, message: str):
        super().__init__(message)
        self.line, self.message = line, message


class SnippetExpander:
    """pymdownx.snippets expansion with line origins, configured like the site's extension."""

    def __init__(self, options: dict, base_dir: Path):
        import markdown
        from pymdownx.snippets import SnippetExtension, SnippetPreprocessor

        options = dict(options or {})
        base = options.get("base_path", ["."])
        base = [base] if isinstance(base, (str, Path)) else list(base)
        options["base_path"] = [str((base_dir / b).resolve()) for b in base]
        options["url_download"] = False  # never fetch: a URL snippet is reported as missing
        extension = SnippetExtension(**options)
        self.pre = SnippetPreprocessor(extension.getConfigs(), markdown.Markdown())
        self.check_paths = bool(extension.getConfigs().get("check_paths"))

    def expand(self, lines: list[SourceLine]) -> tuple[list[SourceLine], list[SnippetError]]:
        errors: list[SnippetError] = []
        self.pre.bases = None
        return self._expand(lines, set(), False, errors), errors

    def _tag(self, text, like: SourceLine) -> SourceLine:
        return text if isinstance(text, SourceLine) else like.retext(str(text))

    def _expand(self, lines, seen: set, is_section: bool, errors: list) -> list[SourceLine]:
        pre, out, block = self.pre, [], False
        for line in lines:
            inline = False
            match = pre.RE_ALL_SNIPPETS.match(line)
            if match:
                if match.group("escape"):
                    out.append(line.retext(line.replace(";", "", 1)))
                    continue
                if block and match.group("inline_marker"):
                    continue
                if match.group("inline_marker"):
                    inline = True
                else:
                    block = not block
                    continue
            elif not block:
                if not is_section:
                    section = pre.match_section(line)
                    if section and section.group("escape"):
                        line = line.retext(
                            section.group("pre") + section.group("escape").replace(";", "", 1)
                            + section.group("inline_marker") + section.group("section") + section.group("post")
                        )
                        section = None
                    if section is not None:
                        continue
                out.append(line)
                continue
            if block and not inline:
                match = pre.RE_SNIPPET.match(line)
            if not match:
                continue
            space = match.group("space").expandtabs(pre.tab_length)
            path = match.group("snippet")[1:-1].strip() if inline else match.group("snippet").strip()
            if not inline and not path:
                out.append(line.retext(""))
                continue
            if path.startswith(";"):
                continue
            target = pre.parse_snippet_target(path)
            if target is None:
                errors.append(SnippetError(line, "snippet has an empty path"))
                continue
            snippet = pre.get_snippet_path(target["path"])
            if not snippet:
                if self.check_paths:
                    errors.append(SnippetError(line, f"snippet '{target['path']}' not found in base_path"))
                continue
            if snippet in seen:
                continue
            file = Path(snippet)
            included = [SourceLine(t, file, i, via=line) for i, t in enumerate(pre.read_lines(snippet), 1)]
            try:
                selected = pre.select_snippet_lines(included, target)
            except Exception as error:  # SnippetMissingError for an unknown section
                errors.append(SnippetError(line, str(error)))
                continue
            selected = [self._tag(t, line) for t in selected]
            seen.add(snippet)
            expanded = self._expand(selected, seen, target["section"] is not None, errors)
            seen.discard(snippet)
            out.extend(space + item for item in expanded)
        return out
