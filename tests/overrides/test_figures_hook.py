"""overrides/hooks/figures.py with scripts/guidelib/figures.py: scripts drawn once and cached, a changed
script (or the shared style) drawn again, errors named as file:line, markers in any block."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from guidelib import figures as figlib
from guidelib import paths

SCRIPT = '''"""A test figure."""
import numpy as np

LABEL = "{label}"
ALT = "Line chart of {label}. A straight line rising from 0 to 1."
CAPTION = "Test figure {label}: assumed y = x on [0, 1]."


def draw(s):
    fig, ax = s.figure(width=4, height=3)
    x = np.linspace(0, 1, 11)
    ax.plot(x, x, color=s.online, label=LABEL)
    ax.legend()
    return fig
'''


def make_project(root: Path, scripts: dict[str, str], pages: dict[str, str]) -> Path:
    """A small project with the guide's theme, the figures hook, figures/_style.py and the given scripts."""
    docs = root / "docs"
    for folder in ("javascripts", "stylesheets"):
        shutil.copytree(paths.DOCS / folder, docs / folder)
    (docs / "index.md").write_text("# Home\n\nNo figure here.\n", encoding="utf-8")
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    figures = root / "figures"
    figures.mkdir()
    shutil.copy2(paths.ROOT / "figures" / "_style.py", figures / "_style.py")
    for name, text in scripts.items():
        (figures / f"{name}.py").write_text(text, encoding="utf-8")
    hooks = paths.ROOT / "overrides" / "hooks"
    config = root / "mkdocs.yml"
    config.write_text(f"""site_name: Figures hook test
docs_dir: docs
theme:
  name: material
  custom_dir: "{paths.ROOT / 'overrides'}"
  font: false
hooks: ["{hooks / 'figures.py'}"]
markdown_extensions: [admonition, pymdownx.details, pymdownx.superfences]
extra_css: [stylesheets/extra.css]
extra_javascript: [javascripts/diagrams.js]
nav: [index.md, {', '.join(pages)}]
""", encoding="utf-8")
    return config


def build(config: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**paths.mkdocs_env(), "FG_FIGURE_CACHE": str(cache)}
    return subprocess.run([str(paths.VENV_BIN / "mkdocs"), "build", "--strict", "-f", str(config)],
                          cwd=config.parent, env=env, capture_output=True, text=True)


def rendered_count(proc) -> int:
    found = re.search(r"figures: rendering (\d+) figure", proc.stderr)
    return int(found.group(1)) if found else 0


def figure_of(page_html: str, name: str) -> str:
    found = re.search(rf'<figure class="fg-figure" data-figure="{name}".*?</figure>', page_html, re.S)
    assert found, f"no figure {name!r} in the page"
    return found.group(0)


PAGES = {
    "a.md": "# A\n\nText before.\n\n<!-- figure: alpha -->\n\nText after.\n",
    "b.md": ('# B\n\n!!! example "Worked example"\n    Inside an admonition.\n\n    <!-- figure: beta -->\n\n'
             "    Still inside.\n\n```html\n<!-- figure: alpha -->\n```\n"),
}


def test_figures_are_drawn_once_and_a_changed_script_is_drawn_again(tmp_path):
    config = make_project(tmp_path, {"alpha": SCRIPT.format(label="alpha"), "beta": SCRIPT.format(label="beta")}, PAGES)
    cache = tmp_path / "cache"
    first = build(config, cache)
    assert first.returncode == 0, first.stderr
    assert rendered_count(first) == 2
    assert len(list(cache.glob("*.json"))) == 2 and len(list(cache.glob("*.svg"))) == 4  # light and dark each

    site = tmp_path / "site"
    page_a = (site / "a" / "index.html").read_text(encoding="utf-8")
    figure = figure_of(page_a, "alpha")
    assert "<!-- figure" not in page_a and "FGFIGUREPLACEHOLDER" not in page_a
    assert 'alt="Line chart of alpha. A straight line rising from 0 to 1."' in figure
    assert '<figcaption class="fg-figure__caption">Test figure alpha: assumed y = x on [0, 1].</figcaption>' in figure
    assert 'aria-label="Open full screen: Line chart of alpha"' in figure
    assert "<summary>How this figure was made</summary>" in figure and "data-search-exclude" in figure
    assert "figures/alpha.py" in figure and "ax.plot" in re.sub(r"<[^>]+>", "", figure)  # the script's source
    srcs = dict(re.findall(r'fg-diagram__img--(light|dark)" src="([^"]+\.svg)"', figure))
    assert set(srcs) == {"light", "dark"} and srcs["light"] != srcs["dark"]
    svgs = {theme: (site / "a" / src).resolve().read_text(encoding="utf-8") for theme, src in srcs.items()}
    assert all(svg.lstrip().startswith("<?xml") and "<svg" in svg for svg in svgs.values())
    assert svgs["light"] != svgs["dark"]
    assert "#1a56db" in svgs["light"] and "#7aa7ff" in svgs["dark"]  # the palette's online colour, per theme
    assert "<text" not in svgs["light"], "text must be drawn as paths (svg.fonttype 'path')"

    # A marker inside an admonition becomes a figure there; one inside a code fence stays code.
    page_b = (site / "b" / "index.html").read_text(encoding="utf-8")
    admonition = page_b[page_b.index('<div class="admonition example">'):page_b.index("<p>Still inside.</p>")]
    assert 'data-figure="beta"' in admonition
    assert "&lt;!-- figure: alpha --&gt;" in page_b and 'data-figure="alpha"' not in page_b

    second = build(config, cache)
    assert second.returncode == 0 and rendered_count(second) == 0, second.stderr  # all from the cache
    assert (site / "a" / srcs["light"]).resolve().read_text(encoding="utf-8") == svgs["light"]  # same bytes

    (tmp_path / "figures" / "beta.py").write_text(SCRIPT.format(label="gamma"), encoding="utf-8")
    third = build(config, cache)
    assert third.returncode == 0 and rendered_count(third) == 1, third.stderr  # only the changed script
    assert "Line chart of gamma" in (site / "b" / "index.html").read_text(encoding="utf-8")

    style = tmp_path / "figures" / "_style.py"
    style.write_text(style.read_text(encoding="utf-8") + "\n# a change to the shared style\n", encoding="utf-8")
    fourth = build(config, cache)
    assert fourth.returncode == 0 and rendered_count(fourth) == 2, fourth.stderr  # every figure depends on it


@pytest.mark.parametrize("body, line, message", [
    ("x = 1\nALT = 'a'\nCAPTION = 'c'\n\n\ndef draw(s):\n    fig, ax = s.figure()\n    return fig / 0\n",
     8, "TypeError: unsupported operand type(s) for /: 'Figure' and 'int'"),
    ("ALT = 'a'\nCAPTION = 'c'\nrate = 1 / 0\n", 3, "ZeroDivisionError: division by zero"),
    ("ALT = 'a'\nCAPTION = 'c'\ndef draw(s)\n    return None\n", 3, "SyntaxError: expected ':'"),
    ("ALT = 'a'\n\n\ndef draw(s):\n    return s.figure()[0]\n", 1, "the script defines no CAPTION"),
    ("ALT = 'a'\nCAPTION = '  '\n\n\ndef draw(s):\n    return s.figure()[0]\n", 2, "CAPTION must be a non-empty string"),
])
def test_a_script_that_raises_fails_the_build_at_its_line(tmp_path, body, line, message):
    config = make_project(tmp_path, {"alpha": SCRIPT.format(label="alpha"), "broken": body},
                          {"a.md": "# A\n\n<!-- figure: alpha -->\n\n<!-- figure: broken -->\n"})
    proc = build(config, tmp_path / "cache")
    assert proc.returncode != 0
    assert f"figures/broken.py:{line}: {message}" in proc.stderr, proc.stderr
    assert "1 figure script(s) failed" in proc.stderr
    assert len(list((tmp_path / "cache").glob("alpha-*.json"))) == 1  # the good one is still cached
    assert not list((tmp_path / "cache").glob("broken-*"))


def test_bad_markers_and_unplaced_scripts_are_named_by_file_and_line(tmp_path):
    config = make_project(tmp_path, {"alpha": SCRIPT.format(label="alpha"), "beta": SCRIPT.format(label="beta")},
                          {"a.md": "---\ntitle: A\n---\n# A\n\n<!-- figure: alpa -->\n\n<!-- figure:  -->\n\n"
                                   "<!-- figure: nothing-like-it -->\n"})
    proc = build(config, tmp_path / "cache")
    assert proc.returncode != 0  # warnings fail the strict build
    log = proc.stderr
    assert "figures: docs/a.md:6: unknown figure 'alpa'; did you mean 'alpha'?" in log, log
    assert "figures: docs/a.md:8: malformed figure marker '<!-- figure:  -->'" in log
    assert "figures: docs/a.md:10: unknown figure 'nothing-like-it' (there is no figures/nothing-like-it.py)" in log
    for name in ("alpha", "beta"):
        assert f"figures: figures/{name}.py:1: figure '{name}' is placed on no page" in log


def test_cache_key_follows_the_script_the_shared_modules_and_the_versions(tmp_path):
    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "_style.py").write_text("A = 1\n", encoding="utf-8")
    script = folder / "one.py"
    script.write_text("ALT = 'a'\n", encoding="utf-8")
    env = figlib.environment(folder)
    key = figlib.key_of(script, env)
    assert key.startswith("one-") and key == figlib.key_of(script, figlib.environment(folder))
    assert figlib.scripts(folder) == {"one": script}  # shared modules are not figures
    script.write_text("ALT = 'b'\n", encoding="utf-8")
    assert figlib.key_of(script, env) != key
    script.write_text("ALT = 'a'\n", encoding="utf-8")
    (folder / "_helpers.py").write_text("B = 2\n", encoding="utf-8")
    assert figlib.key_of(script, figlib.environment(folder)) != key
    assert '"matplotlib": "3.' in env and '"numpy": "' in env


def test_drawing_is_deterministic(tmp_path):
    """The same script drawn twice into two caches gives the same bytes (fixed seed, hash salt, no date)."""
    folder = tmp_path / "figures"
    folder.mkdir()
    shutil.copy2(paths.ROOT / "figures" / "_style.py", folder / "_style.py")
    (folder / "noisy.py").write_text(SCRIPT.format(label="noisy").replace(
        "x = np.linspace(0, 1, 11)", "x = np.sort(np.random.default_rng(7).random(50))"), encoding="utf-8")
    drawn = []
    for run in ("one", "two"):
        request, result = tmp_path / f"{run}.json", tmp_path / f"{run}-out.json"
        request.write_text(json.dumps({"folder": str(folder), "cache": str(tmp_path / run),
                                       "scripts": [str(folder / "noisy.py")]}), encoding="utf-8")
        done = subprocess.run([str(paths.VENV_BIN / "python"), "-m", "guidelib.figures", str(request), str(result)],
                              cwd=paths.ROOT / "scripts", capture_output=True, text=True)
        assert done.returncode == 0 and json.loads(result.read_text()) == {"noisy": None}, done.stderr
        drawn.append({p.name: p.read_bytes() for p in (tmp_path / run).glob("*.svg")})
    assert len(drawn[0]) == 2 and drawn[0] == drawn[1]
