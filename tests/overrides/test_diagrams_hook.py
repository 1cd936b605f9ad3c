"""overrides/hooks/diagrams.py: build-time SVGs, the cache, the failure message and the no-Chromium fallback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from guidelib import paths

DIAGRAM = "```mermaid\nflowchart TB\n  accTitle: {title}\n  accDescr: Two boxes, {label}.\n  A[Start] --> B[{label}]\n```\n"


def make_project(root: Path, diagrams: dict[str, str]) -> Path:
    """A two-page project with the guide's theme, hooks and assets; one diagram per page."""
    docs = root / "docs"
    for folder in ("javascripts", "stylesheets"):
        shutil.copytree(paths.DOCS / folder, docs / folder)
    (docs / "index.md").write_text("# Home\n\nNo diagram here.\n", encoding="utf-8")
    for name, label in diagrams.items():
        (docs / name).write_text(f"# {name}\n\n" + DIAGRAM.format(title=f"Diagram of {name}", label=label),
                                 encoding="utf-8")
    hooks = paths.ROOT / "overrides" / "hooks"
    config = root / "mkdocs.yml"
    config.write_text(f"""site_name: Hook test
docs_dir: docs
theme:
  name: material
  custom_dir: "{paths.ROOT / 'overrides'}"
  font: false
hooks: ["{hooks / 'vendor_assets.py'}", "{hooks / 'diagrams.py'}"]
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:mermaid2.fence_mermaid
extra_css: [stylesheets/extra.css]
extra_javascript: [javascripts/render.js, javascripts/diagrams.js]
nav: [index.md, {', '.join(diagrams)}]
""", encoding="utf-8")
    return config


def build(config: Path, cache: Path, **env_changes) -> subprocess.CompletedProcess:
    env = {**paths.mkdocs_env(), "FG_DIAGRAM_CACHE": str(cache), **env_changes}
    return subprocess.run([str(paths.VENV_BIN / "mkdocs"), "build", "--strict", "-f", str(config)],
                          cwd=config.parent, env=env, capture_output=True, text=True)


def rendered_count(proc) -> int:
    found = re.search(r"diagrams: rendering (\d+) diagram", proc.stderr)
    return int(found.group(1)) if found else 0


def test_diagrams_render_once_and_a_changed_one_renders_again(tmp_path):
    config = make_project(tmp_path, {"a.md": "Alpha", "b.md": "Beta"})
    cache = tmp_path / "cache"
    first = build(config, cache)
    assert first.returncode == 0, first.stderr
    assert rendered_count(first) == 2
    assert len(list(cache.glob("*.svg"))) == 4  # two diagrams, light and dark
    page = (tmp_path / "site" / "a" / "index.html").read_text(encoding="utf-8")
    assert 'class="mermaid"' not in page and "A[Start]" not in page and "accTitle" not in page  # no source
    figure = re.search(r'<figure class="fg-diagram[^"]*".*?</figure>', page, re.S).group(0)
    assert 'alt="Diagram of a.md. Two boxes, Alpha."' in figure
    assert 'aria-label="Open full screen: Diagram of a.md"' in figure
    srcs = re.findall(r'src="([^"]+\.svg)"', figure)
    assert len(srcs) == 2 and all((tmp_path / "site" / "a" / src).resolve().is_file() for src in srcs)
    assert "Alpha" in (tmp_path / "site" / "a" / srcs[0]).resolve().read_text(encoding="utf-8")

    second = build(config, cache)
    assert second.returncode == 0 and rendered_count(second) == 0, second.stderr  # all from the cache

    (tmp_path / "docs" / "b.md").write_text("# b\n\n" + DIAGRAM.format(title="Diagram of b.md", label="Gamma"),
                                            encoding="utf-8")
    third = build(config, cache)
    assert third.returncode == 0 and rendered_count(third) == 1, third.stderr  # only the changed one
    page_b = (tmp_path / "site" / "b" / "index.html").read_text(encoding="utf-8")
    svg = re.search(r'fg-diagram__img--light" src="([^"]+)"', page_b).group(1)
    assert "Gamma" in (tmp_path / "site" / "b" / svg).resolve().read_text(encoding="utf-8")


def test_a_diagram_mermaid_cannot_draw_fails_the_build_at_its_line(tmp_path):
    config = make_project(tmp_path, {"a.md": "Alpha"})
    (tmp_path / "docs" / "a.md").write_text("# a\n\nText.\n\n```mermaid\nflowchart TB\n  accTitle: Broken\n"
                                            "  accDescr: d\n  A[Start --> B\n```\n", encoding="utf-8")
    proc = build(config, tmp_path / "cache")
    assert proc.returncode != 0
    assert re.search(r"WARNING\s+-\s+diagrams: \S*docs/a\.md:5: diagram \"Broken\" could not be rendered: Parse error",
                     proc.stderr), proc.stderr
    assert not list((tmp_path / "cache").glob("*.svg"))


def test_without_chromium_the_browser_draws_the_diagrams(tmp_path):
    """No Chromium: the build still passes (strict), says so once, and ships Mermaid for render.js."""
    config = make_project(tmp_path, {"a.md": "Alpha", "b.md": "Beta"})
    bare = tmp_path / "bin"
    bare.mkdir()
    for tool in ("python3", "python"):
        if shutil.which(tool):
            os.symlink(shutil.which(tool), bare / tool)
    proc = build(config, tmp_path / "cache", PATH=f"{paths.VENV_BIN}:{bare}", CHROMIUM="")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("Chromium not found") == 1, proc.stderr
    page = (tmp_path / "site" / "a" / "index.html").read_text(encoding="utf-8")
    assert '<div  class="mermaid">' in page or '<div class="mermaid">' in page
    assert (tmp_path / "site" / "assets" / "vendor" / "mermaid" / "mermaid.esm.min.mjs").is_file()
    assert not (tmp_path / "cache").exists()
