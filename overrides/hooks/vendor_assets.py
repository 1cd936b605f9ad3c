"""MkDocs hook: copy the pinned browser assets from node_modules into the built site.

The site never loads anything from a CDN. KaTeX and the iframe-worker shim (used
by the offline build's search) are installed by `npm ci` from package-lock.json and copied
to `<site>/assets/vendor/` after every build, including `mkdocs serve` rebuilds. They are
not committed. docs/javascripts/render.js loads them only on pages that need them.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.vendor_assets")

# package -> {path in the package: path under <site>/assets/vendor/}. Mermaid is not here: diagrams
# are rendered at build time (overrides/hooks/diagrams.py), which copies Mermaid only for its fallback.
# Source maps are left out: they are large and only useful to the libraries' own developers.
ASSETS: dict[str, dict[str, str]] = {
    "katex": {
        "dist/katex.min.js": "katex/katex.min.js",
        "dist/katex.min.css": "katex/katex.min.css",
        "dist/fonts": "katex/fonts",
    },
    "iframe-worker": {"shim/index.js": "iframe-worker/shim.js"},
}


def _ignore_maps(_directory: str, names: list[str]) -> list[str]:
    return [name for name in names if name.endswith(".map")]


# The repository root, whichever config file (mkdocs.yml, mkdocs.offline.yml, a draft) runs the hook.
NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"


def copy_vendor_assets(node_modules: Path, site_dir: Path) -> list[Path]:
    """Copy every asset in ASSETS; return the destination paths. Raises PluginError if missing."""
    copied: list[Path] = []
    vendor = site_dir / "assets" / "vendor"
    for package, items in ASSETS.items():
        package_dir = node_modules / package
        manifest = package_dir / "package.json"
        if not manifest.is_file():
            raise PluginError(
                f"vendor_assets: {manifest} not found. Run `npm ci` (or `make build`, which runs it) "
                "to install the pinned browser assets from package-lock.json."
            )
        version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        for item, destination in items.items():
            source = package_dir / item
            if not source.exists():
                raise PluginError(f"vendor_assets: {package}@{version} has no {item}; is package-lock.json current?")
            target = vendor / destination
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True, ignore=_ignore_maps)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
            copied.append(target)
        log.debug("vendor_assets: copied %s@%s", package, version)
    return copied


def on_post_build(config, **kwargs) -> None:
    copy_vendor_assets(NODE_MODULES, Path(config.site_dir))
