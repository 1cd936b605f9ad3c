"""new_case_study.py — start a new case study from the template, wired into the nav and the index.

Usage (from the repository root, after `make install`):
    .venv/bin/python scripts/new_case_study.py --title "Ad click prediction" \\
        --tags ads,ranking,classification --difficulty intermediate \\
        [--description "One sentence."] [--slug ad-click-prediction] [--dry-run]
    make case-study        # the same, asking for each missing value in the terminal

What it does, all or nothing:
  1. derives the slug from the title (`Ad click prediction` -> `ad-click-prediction`);
  2. writes docs/case-studies/<slug>.md from templates/case-study.md (`status: draft`, every template
     heading, a TODO box of guidance in each section);
  3. adds `case-studies/<slug>.md` as the last entry of the Case studies section (its last family) of the nav in
     mkdocs.yml, editing that one line in place (comments, order and formatting stay as they are);
  4. appends a row to the last table of studies in docs/case-studies/index.md (move both to the right
     problem family when the study is done).
Everything is checked before anything is written. It refuses (exit 1, nothing written) when the
page, its nav entry or its index row already exists, and never overwrites a file it did not create.
Unknown tags, a bad difficulty or an empty title are usage errors (exit 2) that list the valid values.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402

from guidelib import markdown as md  # noqa: E402
from guidelib.paths import ROOT  # noqa: E402
from guidelib.report import EXIT_FAILED, EXIT_OK, UsageError, run_cli  # noqa: E402
from guidelib.site import load_project, nav_node  # noqa: E402
from guidelib.tags import load_vocabulary  # noqa: E402

DIFFICULTIES = ("intermediate", "advanced")
SECTION_DIR = "case-studies"
TABLE_HEADER = re.compile(r"^\|\s*Case study\s*\|")
DEFAULT_DESCRIPTION = "TODO: one sentence saying what this case study teaches."


class Refused(Exception):
    """The change would overwrite or duplicate something that exists: exit 1, nothing written."""


@dataclass
class Plan:
    slug: str
    page: Path
    page_text: str
    config: Path
    config_text: str
    index: Path
    index_text: str
    nav_line: int
    index_line: int


# --- values ------------------------------------------------------------------------------------


def slugify(title: str) -> str:
    """Lower-case ASCII words joined by hyphens: `Ads: CTR (v2) — Café` -> `ads-ctr-v2-cafe`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def parse_tags(raw: str, vocabulary: dict[str, str]) -> list[str]:
    tags = [tag for tag in re.split(r"[,\s]+", raw.strip().lower()) if tag]
    if not tags:
        raise UsageError("give at least one tag, e.g. --tags recommendation,ranking")
    unknown = [tag for tag in tags if tag not in vocabulary]
    if unknown:
        # The list first and the problem last, so the line that matters is the one left on screen.
        listing = "\n".join(f"  {tag:<18} {meaning}" for tag, meaning in vocabulary.items())
        print(f"Valid tags (tags.yml):\n{listing}", file=sys.stderr)
        hints = [f"{tag!r} (did you mean {close[0]!r}?)" if close else repr(tag)
                 for tag in unknown for close in [difflib.get_close_matches(tag, vocabulary, n=1, cutoff=0.6)]]
        raise UsageError(
            f"unknown tag{'s' if len(unknown) > 1 else ''} {', '.join(hints)}. "
            "Use tags from the list above, or add a new one to tags.yml in your pull request."
        )
    return list(dict.fromkeys(tags))  # drop repeats, keep order


def yaml_scalar(value: str) -> str:
    """`value` as one line of YAML that reads back as the same string (quoted only when needed)."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10_000, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def table_cell(value: str) -> str:
    return value.replace("|", "\\|").strip()


# --- the three edits ---------------------------------------------------------------------------


def render_page(template: str, title: str, description: str, tags: list[str], difficulty: str) -> str:
    values = {
        "{{title}}": None,  # handled per line below: YAML in front matter, plain text in the H1
        "{{description}}": yaml_scalar(description),
        "{{tags}}": ", ".join(tags),
        "{{difficulty}}": difficulty,
    }
    lines = []
    for line in template.split("\n"):
        if line.startswith("title: {{title}}"):
            line = "title: " + yaml_scalar(title)
        line = line.replace("{{title}}", title)
        for key, value in values.items():
            if value is not None:
                line = line.replace(key, value)
        lines.append(line)
    text = "\n".join(lines)
    left = re.findall(r"\{\{\s*\w+\s*\}\}", text)
    if left:
        raise UsageError(f"the template has placeholders this script does not fill: {', '.join(sorted(set(left)))}")
    return text


def add_to_nav(config: Path, text: str, src_uri: str) -> tuple[str, int]:
    """`text` of mkdocs.yml with `src_uri` appended to the nav section holding the case studies."""
    found = nav_node(config)
    if found is None or found[0] != config:
        raise UsageError(f"{config}: no `nav:` in this file; add `{src_uri}` to the nav by hand")
    _path, nav = found
    section = _case_study_section(nav)
    if section is None:
        raise UsageError(
            f"{config}: the nav has no section listing {SECTION_DIR}/ pages; add `{src_uri}` by hand"
        )
    last = section.value[-1]
    if not isinstance(last, (yaml.ScalarNode, yaml.MappingNode)) or last.start_mark.line != _last_line(last):
        raise UsageError(f"{config}:{last.start_mark.line + 1}: the last case-study nav entry spans several "
                         f"lines; add `{src_uri}` to the nav by hand")
    lines = text.split("\n")
    entry_line = lines[last.start_mark.line]
    match = re.match(r"^(\s*-\s+)", entry_line)
    if not match:
        raise UsageError(f"{config}:{last.start_mark.line + 1}: unexpected nav entry layout; add `{src_uri}` by hand")
    insert_at = last.start_mark.line + 1
    lines.insert(insert_at, f"{match.group(1)}{src_uri}")
    return "\n".join(lines), insert_at + 1


def _case_study_section(node: yaml.Node) -> yaml.SequenceNode | None:
    """The innermost nav sequence whose entries are pages under case-studies/; where the studies are
    grouped (by problem family), the last group, so the new entry lands after every existing study."""
    if isinstance(node, yaml.SequenceNode):
        for item in reversed(node.value):
            if isinstance(item, yaml.MappingNode):
                for _key, value in item.value:
                    inner = _case_study_section(value)
                    if inner is not None:
                        return inner
        if any(_entry_path(item).startswith(f"{SECTION_DIR}/") for item in node.value):
            return node
    return None


def _entry_path(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    if isinstance(node, yaml.MappingNode) and len(node.value) == 1 and isinstance(node.value[0][1], yaml.ScalarNode):
        return str(node.value[0][1].value)
    return ""


def _last_line(node: yaml.Node) -> int:
    if isinstance(node, yaml.MappingNode):
        return max((_last_line(value) for _key, value in node.value), default=node.start_mark.line)
    if isinstance(node, yaml.SequenceNode):
        return max((_last_line(item) for item in node.value), default=node.start_mark.line)
    return node.end_mark.line


def add_to_index(index: Path, text: str, row: str) -> tuple[str, int]:
    """`text` of the case-study index with `row` appended to the last table whose header starts
    `| Case study |` (the studies' tables, one per problem family, in nav order)."""
    lines = text.split("\n")
    header = next((i for i in reversed(range(len(lines))) if TABLE_HEADER.match(lines[i])), None)
    if header is None:
        raise UsageError(f"{index}: no table starting `| Case study |`; add the row by hand:\n{row}")
    end = header + 1
    while end < len(lines) and lines[end].lstrip().startswith("|"):
        end += 1
    lines.insert(end, row)
    return "\n".join(lines), end + 1


# --- plan, then write --------------------------------------------------------------------------


def plan(root: Path, title: str, tags: list[str], difficulty: str, description: str, slug: str) -> Plan:
    config = root / "mkdocs.yml"
    project = load_project(config)
    docs = project.docs_dir
    page = docs / SECTION_DIR / f"{slug}.md"
    index = docs / SECTION_DIR / "index.md"
    src_uri = f"{SECTION_DIR}/{slug}.md"
    shown = page.relative_to(root) if page.is_relative_to(root) else page

    if page.exists():
        raise Refused(f"{shown}: already exists; refusing to overwrite it. Edit that page, or choose "
                      "another --title or --slug.")
    if any(entry.src_uri == src_uri for entry in project.nav or []):
        raise Refused(f"{config.name}: the nav already lists {src_uri} (but the file is missing); "
                      "remove that entry or choose another --slug.")
    index_text = index.read_text(encoding="utf-8")
    if re.search(rf"\]\({re.escape(slug)}\.md(#[^)]*)?\)", index_text):
        raise Refused(f"{index.relative_to(root)}: already links {slug}.md; remove that row or choose another --slug.")
    for other in sorted((docs / SECTION_DIR).glob("*.md")):
        other_title = _front_matter_title(other)
        if other_title and other_title.casefold() == title.casefold():
            raise Refused(f"{other.relative_to(root)}: a page already has the title {title!r}; choose another --title.")

    template = (root / "templates" / "case-study.md").read_text(encoding="utf-8")
    page_text = render_page(template, title, description, tags, difficulty)
    config_text, nav_line = add_to_nav(config, config.read_text(encoding="utf-8"), src_uri)
    summary = description if description != DEFAULT_DESCRIPTION else "Draft: in progress."
    row = f"| [{table_cell(title)}]({slug}.md) | {table_cell(summary)} | {', '.join(tags)} | {difficulty} |"
    index_text, index_line = add_to_index(index, index_text, row)
    _verify_nav(config, config_text, src_uri, project)
    return Plan(slug, page, page_text, config, config_text, index, index_text, nav_line, index_line)


def _front_matter_title(path: Path) -> str | None:
    text, _error = md.read_source(path)
    front = md.parse_front_matter(text.split("\n")) if text is not None else None
    title = (front.data or {}).get("title") if front is not None else None
    return str(title) if title else None


def _verify_nav(config: Path, new_text: str, src_uri: str, before) -> None:
    """Re-read the edited config: the nav must be the old nav plus exactly one new entry.

    The probe copy sits beside the real config so relative paths (docs_dir, INHERIT) resolve the same.
    """
    handle, name = tempfile.mkstemp(dir=config.parent, prefix=f".{config.name}.", suffix=".probe.yml")
    probe = Path(name)  # a fresh name: never a file someone already has
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(new_text)
    try:
        after = load_project(probe, before.docs_dir)
    finally:
        probe.unlink(missing_ok=True)
    old = [entry.src_uri for entry in before.nav or []]
    new = [entry.src_uri for entry in after.nav or []]
    if new.count(src_uri) != 1 or [uri for uri in new if uri != src_uri] != old:
        raise UsageError(f"{config}: could not add {src_uri} to the nav cleanly; add it by hand")


def _write_replacing(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, then rename: never a half-written file."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply(p: Plan) -> None:
    try:
        with open(p.page, "x", encoding="utf-8", newline="") as out:  # "x": fail rather than overwrite
            out.write(p.page_text)
    except FileExistsError as error:
        raise Refused(f"{p.page}: appeared while planning; refusing to overwrite it") from error
    try:
        _write_replacing(p.config, p.config_text)
        _write_replacing(p.index, p.index_text)
    except BaseException:
        p.page.unlink(missing_ok=True)  # the page is ours: we created it a moment ago
        raise


# --- command line ------------------------------------------------------------------------------


def ask(prompt: str, interactive: bool, flag: str) -> str:
    if not interactive:
        raise UsageError(f"missing {flag} (run in a terminal to be asked for it, or pass it)")
    try:
        return input(prompt).strip()
    except EOFError as error:
        raise UsageError(f"missing {flag}") from error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--title", help='page title, e.g. "Ad click prediction"')
    parser.add_argument("--tags", help="comma-separated tags from tags.yml, e.g. ads,ranking")
    parser.add_argument("--difficulty", help="intermediate or advanced")
    parser.add_argument("--description", help="one sentence for the front matter and the index "
                                               "(default: a TODO to fill in)")
    parser.add_argument("--slug", help="file name without .md (default: derived from the title)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--dry-run", action="store_true", help="show what would be written, write nothing")
    args = parser.parse_args(argv)
    interactive = sys.stdin.isatty()
    root = args.root.resolve()
    vocabulary = load_vocabulary(root / "tags.yml")

    title = args.title if args.title is not None else ask("Title (e.g. Ad click prediction): ", interactive, "--title")
    title = " ".join(title.split())
    if not title:
        raise UsageError("the title is empty")
    raw_tags = args.tags
    if raw_tags is None:
        if interactive:
            print("Tags (from tags.yml): " + ", ".join(vocabulary))
        raw_tags = ask("Tags, comma-separated: ", interactive, "--tags")
    tags = parse_tags(raw_tags, vocabulary)
    difficulty = args.difficulty if args.difficulty is not None else ask(
        f"Difficulty ({' or '.join(DIFFICULTIES)}): ", interactive, "--difficulty")
    difficulty = difficulty.strip().lower()
    if difficulty not in DIFFICULTIES:
        raise UsageError(f"difficulty must be one of: {', '.join(DIFFICULTIES)} (got {difficulty!r})")
    description = args.description
    if description is None and interactive:
        description = ask("One-sentence description (Enter to fill in later): ", interactive, "--description")
    description = " ".join((description or "").split()) or DEFAULT_DESCRIPTION
    slug = args.slug if args.slug is not None else slugify(title)
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug or ""):
        raise UsageError(f"cannot make a file name from {title!r}; pass --slug with lower-case words and hyphens")

    try:
        p = plan(root, title, tags, difficulty, description, slug)
    except Refused as error:
        print(f"new_case_study: {error}", file=sys.stderr)
        return EXIT_FAILED
    rel = lambda path: path.relative_to(root).as_posix()  # noqa: E731
    if args.dry_run:
        print(f"Would create {rel(p.page)}, add it to mkdocs.yml:{p.nav_line} and "
              f"{rel(p.index)}:{p.index_line}. Nothing written (--dry-run).")
        return EXIT_OK
    try:
        apply(p)
    except Refused as error:
        print(f"new_case_study: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Created   {rel(p.page)} (status: draft)")
    print(f"Nav       mkdocs.yml:{p.nav_line}: {SECTION_DIR}/{p.slug}.md")
    print(f"Index     {rel(p.index)}:{p.index_line}: new row in the table of studies")
    print(f"""
Next steps:
  1. make serve, then open http://127.0.0.1:8000/{SECTION_DIR}/{p.slug}/ (it reloads as you save).
  2. Replace every TODO box in {rel(p.page)} with your own writing; keep the headings in order.
     Give the description a real sentence (front matter) and the same line in the index row.
  3. make check  (prints file:line for every problem; fix them and run it again).
  4. git switch -c case-study/{p.slug}, commit, push, and open a pull request. CONTRIBUTING.md
     explains the review; a reviewer sets `status: reviewed` when the page meets the standard.""")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(run_cli(main, "new_case_study"))
