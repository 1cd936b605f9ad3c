"""MkDocs hook: the search index holds readable text, not maths source.

Material's search plugin indexes each section's HTML, so an inline formula arrives as `\\(p_{ui}\\)` and a
display formula as a block of TeX; a result snippet then shows raw LaTeX. After the build (plugins have
written search/search_index.json, and the offline plugin its search_index.js copy), display maths is
dropped from the index and inline maths becomes its plain reading (`\\(\\alpha \\times w\\)` → `α × w`).
Pages opt out of search with `search: {exclude: true}` in their front matter (Material's own switch).

The site's separator keeps hyphens inside words ("two-tower" is one term). Material's search worker
sets lunr's tokenizer to that separator but its bundled lunr copied the default (which splits on
hyphens) into the query lexer when it loaded, so a query "two-tower" would look for "two" and "tower",
terms the index no longer has. The hook makes the worker give the query lexer the same separator, and
fails the build if the worker no longer has the line it patches (a Material upgrade must be looked at).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.search_text")
WORKER_LINE = "lunr.tokenizer.separator=new RegExp(e.separator)"
WORKER_PATCH = "lunr.tokenizer.separator=lunr.QueryLexer.termSeparator=new RegExp(e.separator)"

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


def patch_worker(site: Path) -> None:
    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if not workers:
        return
    for worker in workers:
        text = worker.read_text(encoding="utf-8")
        if WORKER_PATCH in text:
            continue
        if text.count(WORKER_LINE) != 1:
            raise PluginError(f"search_text: {worker.name} no longer sets lunr's separator as expected; "
                              "check how the new Material tokenises queries and update the hook")
        worker.write_text(text.replace(WORKER_LINE, WORKER_PATCH), encoding="utf-8")


def on_post_build(config, **kwargs) -> None:
    patch_worker(Path(config.site_dir))
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
