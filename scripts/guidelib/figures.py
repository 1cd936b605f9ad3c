"""Build-time figures: the `figures/<name>.py` scripts, their cache, and the runner the build calls.

Each script (see figures/_style.py for what it defines) is run in a subprocess of its own build step,
`python -m guidelib.figures IN.json OUT.json`, which imports matplotlib once, runs every script it is
given, draws each in the light and the dark theme and stores the results in the cache. The build
hook (overrides/hooks/figures.py) only reads the cache, so matplotlib never runs inside mkdocs.

The cache (`.cache/figures/`, or $FG_FIGURE_CACHE) holds `<key>.light.svg`, `<key>.dark.svg` and
`<key>.json` (alt text, caption, size, smallest font). The key is a hash of the script, every shared
module of the folder (`_style.py` and any other `_*.py`), the matplotlib and numpy versions and
RUNNER_VERSION: a figure is drawn again exactly when something it depends on changed. Only
successes are stored. A script that raises is reported as `figures/<name>.py:<line>: <error>`, the
line being the deepest one of the script itself in the traceback.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import runpy
import sys
import time
import traceback
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .files import write_atomic
from .paths import ROOT

CACHE_DIR = ROOT / ".cache" / "figures"
# Part of the cache key: bump when what is stored for a script changes meaning.
RUNNER_VERSION = 1
CACHE_MAX_AGE_DAYS = 60
THEMES = ("light", "dark")
REQUIRED = ("ALT", "CAPTION", "draw")


def cache_dir() -> Path:
    """The build's cache: CACHE_DIR, or $FG_FIGURE_CACHE (tests build throwaway sites with their own)."""
    return Path(os.environ.get("FG_FIGURE_CACHE") or CACHE_DIR)


def scripts(folder: Path) -> dict[str, Path]:
    """{name: path} of the figure scripts in `folder`: every `*.py` whose name does not start with `_`."""
    if not folder.is_dir():
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.py")) if not path.name.startswith("_")}


def shared_modules(folder: Path) -> list[Path]:
    return sorted(folder.glob("_*.py"))


def environment(folder: Path) -> str:
    """What every figure depends on besides its own script."""
    versions = {}
    for package in ("matplotlib", "numpy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    shared = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in shared_modules(folder)}
    return json.dumps({"versions": versions, "shared": shared, "runner": RUNNER_VERSION}, sort_keys=True)


def key_of(script: Path, env: str) -> str:
    digest = hashlib.sha256(env.encode("utf-8") + b"\0" + script.read_bytes())
    return f"{script.stem}-{digest.hexdigest()[:20]}"


@dataclass
class Rendering:
    """One script's figure: both SVGs and what the page needs to show them."""

    name: str
    key: str
    svgs: dict[str, str]
    alt: str
    caption: str
    width: float
    height: float
    min_font: float


class FigureCache:
    def __init__(self, directory: Path):
        self.directory = directory

    def get(self, key: str) -> Rendering | None:
        try:
            meta = json.loads((self.directory / f"{key}.json").read_text(encoding="utf-8"))
            svgs = {theme: (self.directory / f"{key}.{theme}.svg").read_text(encoding="utf-8") for theme in THEMES}
            os.utime(self.directory / f"{key}.json")  # recently used: kept by prune()
            return Rendering(meta["name"], key, svgs, meta["alt"], meta["caption"], float(meta["width"]),
                             float(meta["height"]), float(meta["min_font"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, rendering: Rendering) -> None:
        meta = {"name": rendering.name, "alt": rendering.alt, "caption": rendering.caption,
                "width": rendering.width, "height": rendering.height, "min_font": rendering.min_font}
        files = [(f".{theme}.svg", svg) for theme, svg in rendering.svgs.items()] + [(".json", json.dumps(meta))]
        try:
            for suffix, text in files:  # the .json last: its presence means the entry is complete
                write_atomic(self.directory / f"{rendering.key}{suffix}", text)
        except OSError as error:  # a cache that cannot be written only costs time
            print(f"figures: warning: cannot write the cache {self.directory}: {error}", file=sys.stderr)

    def prune(self) -> None:
        oldest = time.time() - CACHE_MAX_AGE_DAYS * 86400
        for meta in self.directory.glob("*.json"):
            try:
                if meta.stat().st_mtime < oldest:
                    meta.unlink()
                    for theme in THEMES:
                        (self.directory / f"{meta.stem}.{theme}.svg").unlink(missing_ok=True)
            except OSError:
                pass


# --- running the scripts (in the subprocess) ---------------------------------------------------------


class FigureError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _failure(script: Path, error: BaseException) -> FigureError:
    """The line of `script` where `error` happened (the deepest frame in the script), and a one-line message."""
    message = f"{type(error).__name__}: {error}".strip().rstrip(":")
    if isinstance(error, SyntaxError) and error.filename and Path(error.filename).resolve() == script.resolve():
        return FigureError(error.lineno or 1, f"SyntaxError: {error.msg}")
    line = 1
    for frame in traceback.extract_tb(error.__traceback__):
        if Path(frame.filename).resolve() == script.resolve():
            line = frame.lineno or line
    return FigureError(line, " ".join(message.split()))


def run_script(script: Path, key: str) -> Rendering:
    """Run one script and draw it in both themes (raises FigureError naming the script's line)."""
    import matplotlib

    matplotlib.rcdefaults()
    try:
        style = importlib.import_module("_style")
        module = runpy.run_path(str(script), run_name="__figure__")
        missing = [name for name in REQUIRED if name not in module]
        if missing:
            raise FigureError(1, f"the script defines no {', '.join(missing)} (see figures/_style.py)")
        for name in ("ALT", "CAPTION"):
            value = module[name]
            if not isinstance(value, str) or not value.strip():
                raise FigureError(_assignment_line(script, name), f"{name} must be a non-empty string")
        svgs, info = {}, {}
        for theme in THEMES:
            svgs[theme], info[theme] = style.render(module["draw"], theme)
    except FigureError:
        raise
    except Exception as error:  # noqa: BLE001 - any error of a contributor's script is reported, at its line
        raise _failure(script, error) from error
    light = info["light"]
    return Rendering(script.stem, key, svgs, " ".join(module["ALT"].split()), " ".join(module["CAPTION"].split()),
                     round(light["width"], 1), round(light["height"], 1), round(light["min_font"], 2))


def _assignment_line(script: Path, name: str) -> int:
    for number, line in enumerate(script.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{name} ") or line.startswith(f"{name}="):
            return number
    return 1


def main(argv: list[str]) -> int:
    """IN.json: {"folder": figures dir, "cache": cache dir, "scripts": [paths]};
    OUT.json: {name: null (drawn and stored) or {"line": n, "message": "..."}}."""
    request = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    folder = Path(request["folder"])
    sys.path.insert(0, str(folder))
    os.environ.setdefault("MPLBACKEND", "Agg")
    cache = FigureCache(Path(request["cache"]))
    env = environment(folder)
    results: dict[str, dict | None] = {}
    for path in map(Path, request["scripts"]):
        try:
            cache.put(run_script(path, key_of(path, env)))
            results[path.stem] = None
        except FigureError as error:
            results[path.stem] = {"line": error.line, "message": error.message}
    Path(argv[1]).write_text(json.dumps(results), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
