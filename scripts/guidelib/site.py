"""The MkDocs project as the checks see it: config, pages, nav, URLs, building and serving.

`load_project()` reads mkdocs.yml with MkDocs' own YAML loader (INHERIT, !ENV, python tags) and
resolves paths against the config file's directory, as `mkdocs build` run beside it does. Page URLs
come from MkDocs' own `File` class, so a page's URL here is the URL the built site has.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import posixpath
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import yaml

from .paths import CONFIG, VENV_BIN, mkdocs_env
from .report import UsageError

DEFAULT_EXCLUDE = [".*", "/templates/"]  # MkDocs' built-in exclude_docs


@dataclass
class NavEntry:
    """A page path listed in the nav, and the line of mkdocs.yml (or an INHERITed file) it is on."""

    src_uri: str
    config: Path
    line: int


@dataclass
class Project:
    config_path: Path | None
    docs_dir: Path
    config: dict = field(default_factory=dict)
    nav: list[NavEntry] | None = None  # None: no nav in the config (MkDocs builds one from the files)

    @property
    def use_directory_urls(self) -> bool:
        return bool(self.config.get("use_directory_urls", True))

    @property
    def base_dir(self) -> Path:
        return self.config_path.parent if self.config_path else self.docs_dir.parent

    def extension_options(self, name: str) -> dict | None:
        """Options of a markdown extension (`{}` if enabled without options), None if not enabled."""
        for item in self.config.get("markdown_extensions") or []:
            if isinstance(item, str) and item == name:
                return {}
            if isinstance(item, dict) and name in item:
                return dict(item[name] or {})
        return None

    def pages(self) -> list[Path]:
        """Markdown files MkDocs would build, sorted (exclude_docs and the built-in excludes applied)."""
        import pathspec

        patterns = list(DEFAULT_EXCLUDE) + str(self.config.get("exclude_docs") or "").splitlines()
        spec = pathspec.GitIgnoreSpec.from_lines(patterns)
        found = []
        for path in sorted(self.docs_dir.rglob("*.md")):
            rel = path.relative_to(self.docs_dir).as_posix()
            if path.is_file() and not spec.match_file(rel):
                found.append(path)
        return found

    def src_uri(self, path: Path) -> str:
        return path.resolve().relative_to(self.docs_dir.resolve()).as_posix()

    def url_of(self, src_uri: str) -> str:
        """The site-relative URL MkDocs gives the file (`foo/bar.md` -> `foo/bar/`)."""
        from mkdocs.structure.files import File

        return File(src_uri, str(self.docs_dir), "/site", self.use_directory_urls).url


@dataclass
class PrintPage:
    """mkdocs-print-site-plugin's combined page: its page source name, built file and site URL."""

    src_uri: str
    path: Path
    url: str


def print_page(config) -> PrintPage | None:
    """The print page of a loaded MkDocs config (hooks pass theirs), or None without print-site."""
    plugin = config.plugins.get("print-site")
    if plugin is None or not plugin.config.get("enabled", True):
        return None
    name = plugin.config.get("print_page_basename", "print_page")
    site = Path(config.site_dir)
    if config.use_directory_urls:
        return PrintPage(f"{name}.md", site / name / "index.html", f"{name}/")
    return PrintPage(f"{name}.md", site / f"{name}.html", f"{name}.html")


def nav_node(config_path: Path) -> tuple[Path, yaml.Node] | None:
    """The YAML node of `nav`, following INHERIT, with the file it is in (None: no nav)."""
    seen = set()
    path = config_path
    while path and path not in seen:
        seen.add(path)
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        if not isinstance(node, yaml.MappingNode):
            return None
        parent = None
        for key, value in node.value:
            if key.value == "nav":
                return path, value
            if key.value == "INHERIT":
                parent = (path.parent / value.value).resolve()
        path = parent
    return None


def _nav_entries(node: yaml.Node, config: Path) -> Iterator[NavEntry]:
    if isinstance(node, yaml.ScalarNode):
        value = str(node.value)
        if value and "://" not in value and not value.startswith(("/", "mailto:")):
            yield NavEntry(posixpath.normpath(value), config, node.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _nav_entries(item, config)
    elif isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            yield from _nav_entries(value, config)


def load_project(config: Path | None = None, docs: Path | None = None) -> Project:
    """The project for a config (default: the repo's mkdocs.yml) and/or a docs dir.

    With only `docs`, the mkdocs.yml next to the docs dir is used if there is one; otherwise
    there is no config (no nav, no snippets).
    """
    if config is None:
        if docs is None:
            config = CONFIG
        elif (docs.parent / "mkdocs.yml").is_file():
            config = docs.parent / "mkdocs.yml"
    data: dict = {}
    nav = None
    if config is not None:
        config = config.resolve()
        if not config.is_file():
            raise UsageError(f"config file not found: {config}")
        from mkdocs.utils.yaml import yaml_load

        try:
            with config.open(encoding="utf-8") as handle:
                data = yaml_load(handle) or {}
            located = nav_node(config)
        except (yaml.YAMLError, OSError, ImportError, AttributeError) as error:
            raise UsageError(f"cannot read {config}: {error}") from error
        if located and data.get("nav") is not None:
            nav = list(_nav_entries(located[1], located[0]))
    if docs is None:
        docs = config.parent / data.get("docs_dir", "docs")
    docs = docs.resolve()
    if not docs.is_dir():
        raise UsageError(f"docs directory not found: {docs}")
    return Project(config, docs, data, nav)


def resolve_link(project: Project, page_src: str, target: str) -> tuple[str, str] | None:
    """(src path relative to docs, fragment) for an internal relative link; None for external/absolute."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("/"):
        return None
    path = unquote(parts.path)
    if not path:
        return page_src, parts.fragment
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_src), path))
    return joined, parts.fragment


def link_url(project: Project, page_src: str, target: str) -> str | None:
    """The site-relative URL (with #fragment) a relative Markdown link points at after the build."""
    resolved = resolve_link(project, page_src, target)
    if resolved is None:
        return None
    src, fragment = resolved
    if src.endswith(".md"):
        url = project.url_of(src)
    else:
        url = src + ("/" if target.split("#")[0].endswith("/") and not src.endswith("/") else "")
    if url in (".", "./"):
        url = ""
    return url + (f"#{fragment}" if fragment else "")


# --- building and serving ------------------------------------------------------------------------


def build(project: Project, dest: Path) -> subprocess.CompletedProcess:
    """`mkdocs build` of the project into `dest` (not strict: broken links must reach the checker)."""
    if project.config_path is None:
        raise UsageError("building the site needs a config file (--config)")
    command = [str(VENV_BIN / "mkdocs"), "build", "--no-strict", "-q", "-f", str(project.config_path), "-d", str(dest)]
    if project.docs_dir != (project.config_path.parent / project.config.get("docs_dir", "docs")).resolve():
        raise UsageError("--docs cannot differ from the config's docs_dir when building; pass --config")
    return subprocess.run(command, cwd=project.config_path.parent, env=mkdocs_env(), capture_output=True, text=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",  # browsers refuse ES modules served as application/octet-stream
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".json": "application/json",
    }

    def log_message(self, *args) -> None:
        pass

    def end_headers(self) -> None:
        # linkchecker throttles every host to <= 10 requests/s unless the server sends this header;
        # this local server can take more (check_links sets maxrequestspersecond accordingly).
        self.send_header("LinkChecker", "local server, no rate limit needed")
        super().end_headers()


class _TransformingHandler(_QuietHandler):
    """Serves .html files through `transform(html) -> html` (the files on disk are not touched)."""

    transform = None

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if self.transform is None or path.suffix != ".html" or not path.is_file():
            return super().send_head()
        body = self.transform(path.read_text(encoding="utf-8", errors="replace")).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class _GzipHandler(_QuietHandler):
    """Serves text files gzip-compressed when the client accepts it, as a production host would
    (`make audit` measures transfer sizes and load times the way readers get them)."""

    COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".map"}
    _cache: dict = {}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in (self.headers.get("Accept-Encoding") or "")
        if not accepts or path.suffix not in self.COMPRESSIBLE or not path.is_file():
            return super().send_head()
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        body = self._cache.get(key)
        if body is None:
            body = self._cache[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # clients may hang up early; not our problem
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path, transform=None, compress: bool = False) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 on a free port; yield the base URL (ending in `/`).

    `transform`, if given, rewrites every HTML page on its way out (a view of the site, not an edit).
    `compress` serves text files gzip-compressed to clients that accept it (not with `transform`).
    """
    if transform and compress:
        raise ValueError("serve(): transform and compress cannot be combined")
    if transform:
        handler_class = type("Handler", (_TransformingHandler,), {"transform": staticmethod(transform)})
    else:
        handler_class = _GzipHandler if compress else _QuietHandler
    handler = functools.partial(handler_class, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
