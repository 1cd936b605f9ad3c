"""KaTeX at build time: TeX in, HTML (with MathML for screen readers) out, from the pinned package.

One Node process per build renders every formula (scripts/guidelib/katex_worker.js), so readers'
browsers download no KaTeX JavaScript and lay out no maths: only katex.min.css and the fonts a
formula uses. `Renderer.available()` is False without Node or node_modules/katex; the build then
leaves the formulas to docs/javascripts/render.js, as before.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .paths import ROOT

WORKER = Path(__file__).with_name("katex_worker.js")
NODE_MODULES = ROOT / "node_modules"


def version(node_modules: Path = NODE_MODULES) -> str | None:
    manifest = node_modules / "katex" / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


class RenderError(Exception):
    """KaTeX could not parse a formula; the message is KaTeX's own."""


class Renderer:
    def __init__(self, node_modules: Path = NODE_MODULES):
        self.node_modules = node_modules
        self.proc: subprocess.Popen | None = None
        self.memo: dict[tuple[str, bool], str | RenderError] = {}

    def available(self) -> bool:
        return shutil.which("node") is not None and version(self.node_modules) is not None

    def _start(self) -> subprocess.Popen:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                ["node", str(WORKER), str(self.node_modules)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                text=True, encoding="utf-8", bufsize=1)
        return self.proc

    def render_many(self, formulas: list[tuple[str, bool]]) -> list[str | RenderError]:
        """Render (tex, display) pairs; each result is HTML or a RenderError."""
        todo = [f for f in dict.fromkeys(formulas) if f not in self.memo]
        if todo:
            proc = self._start()
            proc.stdin.write("".join(json.dumps({"tex": tex, "display": display}) + "\n" for tex, display in todo))
            proc.stdin.flush()
            for formula in todo:
                line = proc.stdout.readline()
                if not line:
                    self.close()
                    raise RuntimeError("the KaTeX worker (node) stopped unexpectedly")
                answer = json.loads(line)
                self.memo[formula] = answer["html"] if "html" in answer else RenderError(answer["error"])
        return [self.memo[f] for f in formulas]

    def render(self, tex: str, display: bool = False) -> str:
        result = self.render_many([(tex, display)])[0]
        if isinstance(result, RenderError):
            raise result
        return result

    def close(self) -> None:
        if self.proc is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
            self.proc = None
