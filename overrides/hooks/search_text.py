"""MkDocs hook: the search index holds readable text, not maths source.

Material's search plugin indexes each section's HTML, so an inline formula arrives as `\\(p_{ui}\\)` and a
display formula as a block of TeX; a result snippet then shows raw LaTeX. After the build (plugins have
written search/search_index.json, and the offline plugin its search_index.js copy), display maths is
dropped from the index and inline maths becomes its plain reading (`\\(\\alpha \\times w\\)` → `α × w`).
Pages opt out of search with `search: {exclude: true}` in their front matter (Material's own switch).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

DISPLAY = re.compile(r"\\\[.*?\\\]|\$\$.*?\$\$", re.S)
INLINE = re.compile(r"\\\((.*?)\\\)", re.S)
SYMBOLS = {
    "times": "×", "cdot": "·", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "approx": "≈", "neq": "≠",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "theta": "θ",
    "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "omega": "ω",
    "Delta": "Δ", "Sigma": "Σ", "sum": "Σ", "infty": "∞", "to": "→", "rightarrow": "→", "mid": "|", "in": "∈",
    "log": "log", "exp": "exp", "min": "min", "max": "max", "ln": "ln",
}


def plain(tex: str) -> str:
    """A formula as words a snippet can show: known commands become symbols, others vanish."""
    text = re.sub(r"\\(text|mathrm|mathbf|operatorname|mathcal|hat|bar|tilde)\s*\{([^{}]*)\}", r"\2", tex)
    text = re.sub(r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"\1/\2", text)
    text = re.sub(r"\\([A-Za-z]+)", lambda m: SYMBOLS.get(m.group(1), ""), text)
    text = re.sub(r"\\[,;:! ]", " ", text)
    text = text.replace("{", "").replace("}", "").replace("^", "").replace("_", "").replace("&", " ")
    return re.sub(r"\s+", " ", text).strip()


def clean(text: str) -> str:
    text = DISPLAY.sub(" ", text)
    return INLINE.sub(lambda m: plain(m.group(1)), text)


def rewrite(index: dict) -> dict:
    for doc in index.get("docs", []):
        doc["text"] = clean(doc.get("text", ""))
        doc["title"] = clean(doc.get("title", ""))
    return index


def on_post_build(config, **kwargs) -> None:
    folder = Path(config.site_dir) / "search"
    data = folder / "search_index.json"
    if data.is_file():
        data.write_text(json.dumps(rewrite(json.loads(data.read_text(encoding="utf-8"))), ensure_ascii=False,
                                   separators=(",", ":")), encoding="utf-8")
    script = folder / "search_index.js"  # the offline plugin's copy: `var __index = {...}`
    if script.is_file():
        prefix, _, body = script.read_text(encoding="utf-8").partition("=")
        index = rewrite(json.loads(body.strip().rstrip(";")))
        script.write_text(f"{prefix}= {json.dumps(index, ensure_ascii=False, separators=(',', ':'))}",
                          encoding="utf-8")
