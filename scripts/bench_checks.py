"""bench_checks.py — time check_diagrams on 300 generated diagrams and check_links on the real site.

Usage (from the repository root):
    .venv/bin/python scripts/bench_checks.py [--diagrams 300] [--runs 1] [--skip-links]

Generates a temp docs tree of realistic diagrams (flowcharts of 8–12 nodes using the shared palette,
request-path sequence diagrams and funnels, in the mix the guide uses), runs the real CLIs as
`make check` does, and prints wall-clock and CPU seconds (CPU of the check and the child processes
it reaps: linkchecker and mkdocs count; Chromium, started by playwright's driver, does not).
check_diagrams is timed twice per run with a fresh cache directory: cold (empty cache: every diagram
parsed and rendered by Mermaid, as on a fresh clone or with --no-cache) and warm (the same tree again:
Mermaid's verdicts come from the cache, the content rules still run). Targets, on 2 cores: 300 diagrams
cold <= 10 s; whole-site link check <= 30 s. With --runs N each figure is measured N times and the
median, min and max are printed. Wall time depends on what else the machine is doing (the load average
is printed); CPU time does not (much).
Exit 0 always when the checks ran clean (the figures are the output), 1 if a check failed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from guidelib.paths import ROOT, mkdocs_env  # noqa: E402

PYTHON = sys.executable
DIAGRAMS_PER_PAGE = 10
NODE_NAMES = ["Query", "Encoder", "ANN index", "Ranker", "Re-ranker", "Feature store", "Event log", "Trainer",
              "Model registry", "Cache", "Client", "Gateway", "Labeler", "Monitor", "Batch job"]


def flowchart(rng: random.Random, n: int) -> str:
    direction = rng.choice(["LR", "LR", "TB"])
    lines = [f"flowchart {direction}", f"  accTitle: Pipeline {n}",
             "  accDescr: Requests flow through retrieval and ranking; a batch path refreshes the index."]
    count = rng.randint(8, 12)
    names = rng.sample(NODE_NAMES, count)
    shapes = ["[{}]", "[({})]", "([{}])", "[\"{} (v2)\"]"]
    for i, name in enumerate(names):
        lines.append(f"  N{i}{rng.choice(shapes).format(name)}")
    for i in range(1, count):
        label = rng.choice(["", "|top 500|", "|10^9 → 10^3|", "|nightly|"])
        lines.append(f"  N{rng.randrange(i)} -->{label} N{i}")
    lines.append('  --8<-- "mermaid-palette.mmd"')
    groups = ["online", "offline", "store", "model"]
    for g, chunk in enumerate([range(0, count, 4), range(1, count, 4), range(2, count, 4), range(3, count, 4)]):
        lines.append(f"  class {','.join(f'N{i}' for i in chunk)} {groups[g]}")
    return "\n".join(lines)


def sequence(n: int) -> str:
    return "\n".join([
        "sequenceDiagram", f"  accTitle: Request path {n}", "  accDescr: The client asks the API, which reads features and scores.",
        "  participant C as Client", "  participant A as API", "  participant F as Feature store", "  participant M as Model",
        "  C->>A: request", "  A->>F: read features (5 ms)", "  F-->>A: features", "  A->>M: score 500 candidates",
        "  M-->>A: scores (20 ms)", "  A-->>C: top 20",
    ])


def make_tree(root: Path, total: int) -> None:
    rng = random.Random(42)
    docs = root / "docs"
    docs.mkdir(parents=True)
    pages = []
    for p in range(0, total, DIAGRAMS_PER_PAGE):
        body = [f"---\ntitle: Bench {p}\ndescription: Generated.\n---\n# Bench {p}\n"]
        for n in range(p, min(p + DIAGRAMS_PER_PAGE, total)):
            source = sequence(n) if n % 4 == 3 else flowchart(rng, n)
            body.append(f"Diagram {n}.\n\n```mermaid\n{source}\n```\n")
        (docs / f"page-{p:04d}.md").write_text("\n".join(body), encoding="utf-8")
        pages.append(f"page-{p:04d}.md")
    (root / "mkdocs.yml").write_text(
        "site_name: bench\nmarkdown_extensions:\n  - pymdownx.snippets:\n"
        f"      base_path: [{ROOT / 'includes'}]\n      check_paths: true\n", encoding="utf-8")


def timed(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall and CPU seconds (this process's children: the check and everything it started)."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=mkdocs_env())
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, done


def report(name: str, wall: float, cpu: float, done: subprocess.CompletedProcess, target: float | None) -> bool:
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-300:]
    verdict = "" if target is None else f" ({'within' if wall <= target else 'OVER'} the {target:.0f} s target)"
    load = os.getloadavg()[0]
    print(f"{name}: {wall:.1f} s wall, {cpu:.1f} s CPU excl. Chromium{verdict}, load {load:.1f} — {summary}", flush=True)
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-2000:], sep="\n")
    return done.returncode == 0


def spread(name: str, walls: list[float], target: float | None) -> None:
    if len(walls) < 2:
        return
    median = statistics.median(walls)
    verdict = "" if target is None else f" ({'within' if median <= target else 'OVER'} the {target:.0f} s target)"
    print(f"  {name}: median {median:.1f} s wall over {len(walls)} runs "
          f"(min {min(walls):.1f}, max {max(walls):.1f}){verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diagrams", type=int, default=300)
    parser.add_argument("--runs", type=int, default=1, help="measure each figure this many times (default 1)")
    parser.add_argument("--skip-links", action="store_true")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    ok = True
    temp = Path(tempfile.mkdtemp(prefix="fg-bench-"))
    try:
        make_tree(temp, args.diagrams)
        check = [PYTHON, "scripts/check_diagrams.py", "--config", str(temp / "mkdocs.yml")]
        cold, warm = [], []
        for run in range(args.runs):
            cache = temp / f"cache-{run}"  # empty: a cold run, which fills it for the warm one
            wall, cpu, done = timed(check + ["--cache-dir", str(cache)])
            ok &= report(f"check_diagrams, {args.diagrams} diagrams, cold (empty cache)", wall, cpu, done, 10)
            cold.append(wall)
            wall, cpu, done = timed(check + ["--cache-dir", str(cache)])
            ok &= report(f"check_diagrams, {args.diagrams} diagrams, warm (cached, unchanged)", wall, cpu, done, None)
            warm.append(wall)
        spread("check_diagrams cold", cold, 10)
        spread("check_diagrams warm", warm, None)
        if not args.skip_links:
            wall, cpu, done = timed([PYTHON, "scripts/check_links.py", "--report", str(temp / "links.json")])
            ok &= report("check_links (build + check, real site)", wall, cpu, done, 30)
            site = temp / "site"
            subprocess.run([str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "-q", "--no-strict", "-d", str(site)],
                           cwd=ROOT, env=mkdocs_env(), capture_output=True)
            wall, cpu, done = timed([PYTHON, "scripts/check_links.py", "--site", str(site),
                                     "--report", str(temp / "links.json")])
            ok &= report("check_links --site (real site, prebuilt)", wall, cpu, done, 30)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} at end")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
