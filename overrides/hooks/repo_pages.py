"""MkDocs hook: show repository files (CONTRIBUTING.md) as site pages with working links.

`docs/contributing.md` pulls the repository's CONTRIBUTING.md in with a snippet, so the file that
GitHub shows contributors is the one the site renders: there is one copy of the text. Its links
are written for GitHub, relative to the repository root: `docs/case-studies/index.md`, `tags.yml`.
On the site those would be broken, so for the pages listed in REPO_PAGES this hook rewrites each
relative link after the snippet is expanded (a Markdown preprocessor that runs after snippets):

- `docs/<path>` becomes a link relative to the page (`case-studies/index.md`), which MkDocs then
  validates and turns into a URL like any other page link;
- any other repository path (`tags.yml`, `.github/CODEOWNERS`) becomes a link to the file on
  GitHub, derived from `edit_uri` (`…/edit/main/docs/` -> `…/blob/main/<path>`).

The page's "edit" button points at the repository file rather than at the one-line stub.
"""

from __future__ import annotations

import posixpath
import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

# Site page (path under docs/) -> the repository file it shows.
REPO_PAGES = {"contributing.md": "CONTRIBUTING.md"}

LINK = re.compile(r"(\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
SNIPPETS_PRIORITY = 32  # pymdownx.snippets; a lower priority runs later

_state = {"page": None, "blob": None, "edit": None}


def repo_urls(edit_uri: str | None) -> tuple[str | None, str | None]:
    """(blob base, edit base) of the repository root from an absolute `edit_uri` ending in docs/."""
    if not edit_uri or "://" not in edit_uri:
        return None, None
    edit = re.sub(r"docs/?$", "", edit_uri.rstrip("/") + "/")
    return edit.replace("/edit/", "/blob/", 1), edit


def rewrite_link(target: str, page_src: str, blob: str | None) -> str:
    """The site form of a link written relative to the repository root."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target, re.I):
        return target  # absolute URL, mailto:, anchor, absolute path: leave to MkDocs
    path, _, fragment = target.partition("#")
    anchor = f"#{fragment}" if fragment else ""
    path = posixpath.normpath(path)
    if path == "docs" or path.startswith("docs/"):
        inside = posixpath.relpath(path, "docs")
        return posixpath.relpath(inside, posixpath.dirname(page_src) or ".") + anchor
    if blob is None:
        return target
    return blob + path + anchor


def rewrite_lines(lines: list[str], page_src: str, blob: str | None) -> list[str]:
    out, fence = [], None
    for line in lines:
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        elif fence is None:
            line = LINK.sub(lambda m: m.group(1) + rewrite_link(m.group(2), page_src, blob) + m.group(3), line)
        out.append(line)
    return out


class _RepoLinks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        page = _state["page"]
        if page not in REPO_PAGES:
            return lines
        return rewrite_lines(lines, page, _state["blob"])


class RepoLinksExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(_RepoLinks(md), "guide_repo_links", SNIPPETS_PRIORITY - 1)


def on_config(config):
    _state["blob"], _state["edit"] = repo_urls(config.edit_uri)
    if not any(isinstance(ext, RepoLinksExtension) for ext in config.markdown_extensions):
        config.markdown_extensions.append(RepoLinksExtension())
    return config


def on_page_markdown(markdown, page, config, files):
    _state["page"] = page.file.src_uri
    source = REPO_PAGES.get(page.file.src_uri)
    if source and _state["edit"]:
        page.edit_url = _state["edit"] + source
    return markdown
