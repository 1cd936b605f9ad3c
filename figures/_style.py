"""The guide's figure style: palette, fonts and SVG output, shared by every figures/<name>.py script.

A figure script defines three module-level names and nothing else is required:

    ALT      what a reader who cannot see the figure needs to know (the <img> alt text)
    CAPTION  the caption under the figure; it states the assumptions the data comes from
    draw(s)  returns a matplotlib Figure drawn with the theme `s` (a Theme: colours and `s.figure()`)

The build (overrides/hooks/figures.py, through scripts/guidelib/figures.py) calls `render(draw, theme)`
once per theme, light and dark, and keeps the SVGs in .cache/figures/ under a key of the script, this
file (and any other shared `_*.py`), and the matplotlib and numpy versions.

Text is drawn as paths (svg.fonttype "path"): the SVG is shown as an <img>, where the reader's fonts
are not the build's, so glyph outlines are the only way the labels look the same everywhere. The
font is DejaVu Sans, which matplotlib ships, so the build does not depend on the machine's fonts.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display, ever; figures are saved through the SVG backend

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

THEMES = ("light", "dark")

# Sizes in points. A figure is drawn at WIDTH inches and shown at its natural size (96 px per inch), so
# its smallest text, the tick labels, is 9.5 pt = 12.7 px on screen and 9.5 pt on paper.
WIDTH = 6.4
HEIGHT = 3.9
FONT_SIZE = 10.5
TICK_SIZE = 9.5
SEED = 20240607  # the one seed for simulated data: np.random.default_rng(SEED)


@dataclass(frozen=True)
class Theme:
    """The colours of one theme. The four roles are the diagram palette's (about.md#diagram-palette);
    charts use them as series colours in this order: online, offline, store, model."""

    name: str
    online: str
    offline: str
    store: str
    model: str
    fg: str  # text, axes and the main line when a single series needs no colour
    muted: str  # secondary text, reference lines (y = x, thresholds)
    grid: str
    fill_alpha: float  # for shaded areas
    bg: str  # the page behind the (transparent) figure: for a legend's box over the curves

    @property
    def series(self) -> list[str]:
        return [self.online, self.offline, self.store, self.model]

    def figure(self, width: float = WIDTH, height: float = HEIGHT, ncols: int = 1, nrows: int = 1, **kwargs):
        """A Figure of the guide's size with its axes styled: (fig, ax) or (fig, axes) when there are several."""
        fig = Figure(figsize=(width, height), layout="constrained")
        fig.patch.set_alpha(0.0)
        axes = fig.subplots(nrows, ncols, squeeze=False, **kwargs)
        for ax in axes.flat:
            ax.set_facecolor("none")
            ax.grid(True, color=self.grid, linewidth=0.8)
            ax.set_axisbelow(True)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        flat = list(axes.flat)
        return fig, (flat[0] if len(flat) == 1 else flat)

    def legend(self, ax, **kwargs):
        """A legend on a box of the page's colour, for when it has to sit over the curves."""
        kwargs.setdefault("frameon", True)
        legend = ax.legend(**kwargs)
        legend.get_frame().set(facecolor=self.bg, edgecolor="none", alpha=0.9)
        return legend

    def note(self, ax, x: float, y: float, text: str, **kwargs):
        """A label in the muted colour at data coordinates (x, y)."""
        kwargs.setdefault("color", self.muted)
        kwargs.setdefault("fontsize", TICK_SIZE)
        return ax.text(x, y, text, **kwargs)


LIGHT = Theme("light", online="#1a56db", offline="#b45309", store="#15803d", model="#7e22ce",
              fg="#1f2328", muted="#5f6672", grid="#e3e6eb", fill_alpha=0.14,
              bg="#ffffff")
# The dark variants are the outline colours of includes/mermaid-palette-dark.mmd, bright enough on
# Material's slate background.
DARK = Theme("dark", online="#7aa7ff", offline="#f0a648", store="#5cd08a", model="#c49bff",
             fg="#e2e4ea", muted="#a3a9b6", grid="#363b48", fill_alpha=0.22,
             bg="#1e2129")


def theme(name: str) -> Theme:
    return {"light": LIGHT, "dark": DARK}[name]


def rc_params(t: Theme) -> dict:
    return {
        "font.family": "DejaVu Sans",
        "font.size": FONT_SIZE,
        "axes.titlesize": FONT_SIZE,
        "axes.labelsize": FONT_SIZE,
        "xtick.labelsize": TICK_SIZE,
        "ytick.labelsize": TICK_SIZE,
        "legend.fontsize": TICK_SIZE,
        "mathtext.fontset": "dejavusans",
        "text.color": t.fg,
        "axes.labelcolor": t.fg,
        "axes.edgecolor": t.muted,
        "axes.titlecolor": t.fg,
        "xtick.color": t.muted,
        "ytick.color": t.muted,
        "xtick.labelcolor": t.fg,
        "ytick.labelcolor": t.fg,
        "axes.prop_cycle": matplotlib.cycler(color=t.series),
        "lines.linewidth": 2.0,
        "lines.markersize": 6,
        "legend.frameon": False,
        "svg.fonttype": "path",  # text as glyph outlines: identical in every browser and in the PDF
        "svg.hashsalt": "ml-system-design-field-guide",  # stable element ids: same input, same bytes
        "svg.image_inline": True,
        "path.simplify": True,
        "savefig.transparent": True,
    }


def smallest_font(fig: Figure) -> float:
    """The smallest font size, in points, of any visible text in the figure."""
    sizes = [t.get_fontsize() for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and t.get_figure() is not None]
    return min(sizes) if sizes else FONT_SIZE


_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"', re.S)


def render(draw, theme_name: str) -> tuple[str, dict]:
    """Draw the figure in one theme: (SVG text, {"width", "height" (CSS px), "min_font" (CSS px)})."""
    t = theme(theme_name)
    with matplotlib.rc_context(rc_params(t)):
        fig = draw(t)
        if not isinstance(fig, Figure):
            raise TypeError(f"draw() must return a matplotlib Figure, not {type(fig).__name__}")
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        min_font_pt = smallest_font(fig)
    svg = buffer.getvalue()
    found = _SIZE.search(svg)
    if not found:
        raise ValueError("matplotlib wrote an SVG without a width and height in pt")
    width_pt, height_pt = float(found.group(1)), float(found.group(2))
    px = 96 / 72
    return svg, {"width": width_pt * px, "height": height_pt * px, "min_font": min_font_pt * px}


# --- small numeric helpers the scripts share (numpy has no normal CDF) ---------------------------------


def normal_cdf(x):
    """Φ(x), elementwise."""
    x = np.asarray(x, dtype=float)
    return 0.5 * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


def normal_sf(x):
    """1 − Φ(x), elementwise, accurate in the upper tail."""
    x = np.asarray(x, dtype=float)
    return 0.5 * np.vectorize(math.erfc)(x / math.sqrt(2.0))


def normal_pdf(x):
    x = np.asarray(x, dtype=float)
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def normal_ppf(p: float) -> float:
    """Φ⁻¹(p) for 0 < p < 1, by bisection on erf (exact to 1e-12; the scripts call it a few times)."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"normal_ppf needs 0 < p < 1, got {p}")
    lo, hi = -40.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if 0.5 * math.erfc(-mid / math.sqrt(2.0)) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2
