"""bench_pdf.py — how long `make pdf` takes, and how big the PDF is (a benchmark, not a test).

Usage (from the repository root):
    .venv/bin/python scripts/bench_pdf.py [--config mkdocs.yml] [--paper a4|letter] [--runs N] [--json FILE]

Each run builds the site (mkdocs build --strict) into a temporary directory and exports it with
scripts/build_pdf.py exactly as `make pdf` does (including the rebuild that links the PDF), then
prints the time of each phase, the page count and the size. Nothing in the repository is written
unless --json names a file. The issue's budget: the whole guide in 60 s or less on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_pdf  # noqa: E402
from guidelib.paths import CONFIG  # noqa: E402
from guidelib.report import Report  # noqa: E402

PHASES = ["build", "launch", "render", "prepare", "print", "write", "link", "total"]


class CpuSampler(threading.Thread):
    """CPU seconds used by this process and every descendant (mkdocs, playwright, Chromium).

    Wall time on a shared machine mostly measures the neighbours; CPU time does not. Chromium's
    processes are not reaped by this one, so /proc is sampled while they run.
    """

    def __init__(self, interval: float = 0.25):
        super().__init__(daemon=True)
        self.interval = interval
        self.seen: dict[int, float] = {}
        self.done = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")

    def sample(self) -> None:
        parents: dict[int, int] = {}
        times: dict[int, float] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / self.tick
        me = os.getpid()
        for pid, cpu in times.items():
            up = pid
            while up not in (0, 1, me) and up in parents:
                up = parents[up]
            if up == me and pid != me:
                self.seen[pid] = max(self.seen.get(pid, 0.0), cpu)

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.sample()

    def stop(self) -> float:
        self.done.set()
        self.join()
        own = resource.getrusage(resource.RUSAGE_SELF)
        return sum(self.seen.values()) + own.ru_utime + own.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--paper", type=str.lower, choices=sorted(build_pdf.PAPERS), default="a4")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    runs = []
    for number in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
            report = Report("pdf", noun="diagrams")
            sampler = CpuSampler()
            sampler.start()
            result = build_pdf.export(Path(tmp) / "site", args.config.resolve(), Path(tmp) / build_pdf.PDF_NAME,
                                      args.paper, build=True, link=True, report=report)
            result.timings["cpu"] = sampler.stop()
            if result is None:
                return report.emit()
        runs.append(result)
        phases = "  ".join(f"{name} {result.timings[name]:.1f}" for name in PHASES if name in result.timings)
        print(f"run {number}: {phases} s wall; {result.timings['cpu']:.1f} CPU-s; load {os.getloadavg()[0]:.1f}")

    last = runs[-1]
    totals = [run.timings["total"] for run in runs]
    cpu = statistics.median(run.timings["cpu"] for run in runs)
    print(f"pdf bench: {build_pdf.PAPERS[args.paper]}, {last.pages} pages, {last.size / 1e6:.2f} MB, "
          f"{last.diagrams} diagrams, {last.details} answers; total {statistics.median(totals):.1f} s wall, "
          f"{cpu:.1f} CPU-s (median of {len(runs)}; {os.cpu_count()} CPUs; budget 60 s)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "paper": args.paper, "pages": last.pages, "bytes": last.size, "diagrams": last.diagrams,
            "answers": last.details, "cpus": os.cpu_count(),
            "runs": [{k: round(v, 2) for k, v in run.timings.items()} for run in runs],
        }, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
