"""Benchmark the site: build time, page and diagram counts, and bytes loaded per page.

Usage: .venv/bin/python scripts/bench_site.py [--runs N]

Builds the site N times (default 3) into a temporary directory and reports the median build
time, then opens a text-only page and the heaviest diagram page in headless Chromium and sums
the bytes of every response, JavaScript separately. A benchmark, not a test: it prints figures
for issue notes and never fails on a number.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from guidelib import browser, paths
from guidelib.site import load_project, serve


def build(dest: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(paths.VENV_BIN / "mkdocs"), "build", "--strict", "--clean", "-d", str(dest)],
        cwd=paths.ROOT, env=paths.mkdocs_env(), check=True, capture_output=True,
    )
    return time.perf_counter() - start


def page_weight(chromium, url: str) -> dict[str, int]:
    """Total and JavaScript bytes of every response the page loads, once rendering is done."""
    log = browser.NetworkLog()
    context = browser.guarded_context(chromium, log)
    page = context.new_page()
    sizes = {"total": 0, "js": 0, "mermaid": 0, "requests": 0}

    def on_response(response) -> None:
        try:
            size = len(response.body())
        except Exception:  # redirects and aborted requests have no body
            return
        sizes["total"] += size
        sizes["requests"] += 1
        if response.url.endswith((".js", ".mjs")):
            sizes["js"] += size
        if "/assets/vendor/mermaid/" in response.url:
            sizes["mermaid"] += size

    page.on("response", on_response)
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("document.documentElement.dataset.render === 'done'", timeout=60_000)
    context.close()
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="number of timed builds (default 3)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        times = [build(site) for _ in range(args.runs)]
        project = load_project()
        pages = project.pages()
        diagrams = {p: p.read_text(encoding="utf-8").count("```mermaid") for p in pages}
        heaviest = max(diagrams, key=diagrams.get)
        text_page = next(p for p in sorted(pages) if diagrams[p] == 0)
        print(f"build: median {statistics.median(times):.2f} s over {args.runs} runs "
              f"({', '.join(f'{t:.2f}' for t in times)})")
        print(f"pages: {len(pages)} Markdown pages, {sum(diagrams.values())} diagrams")
        site_bytes = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
        print(f"site size: {site_bytes / 1e6:.1f} MB on disk")

        with serve(site) as url, browser.launch() as chromium:
            for label, source in [("text page", text_page), ("heaviest diagram page", heaviest)]:
                w = page_weight(chromium, url + project.url_of(project.src_uri(source)))
                print(f"{label} ({source.relative_to(paths.ROOT)}, {diagrams[source]} diagrams): "
                      f"{w['requests']} requests, {w['total'] / 1e3:.0f} kB total, "
                      f"{w['js'] / 1e3:.0f} kB JavaScript of which {w['mermaid'] / 1e3:.0f} kB Mermaid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
