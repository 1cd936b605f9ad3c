"""overrides/partials/content.html: draft pages say so under their title; reviewed pages do not."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BANNER = re.compile(r'</h1>\s*<div class="admonition info fg-draft" role="note">\s*<p class="admonition-title">Draft</p>')


def test_draft_banner_only_on_draft_pages_right_under_the_title(repo_copy):
    root = repo_copy
    draft = root / "docs/case-studies/visual-search.md"
    reviewed = root / "docs/case-studies/video-search.md"
    draft.write_text(re.sub(r"^status: \w+$", "status: draft", draft.read_text(), count=1, flags=re.M))
    reviewed.write_text(re.sub(r"^status: \w+$", "status: reviewed", reviewed.read_text(), count=1, flags=re.M))
    done = subprocess.run([str(ROOT / ".venv/bin/mkdocs"), "build", "--strict", "-f", str(root / "mkdocs.yml"),
                           "-d", str(root / "site")], capture_output=True, text=True,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), timeout=300)
    assert done.returncode == 0, done.stderr

    html = (root / "site/case-studies/visual-search/index.html").read_text(encoding="utf-8")
    assert BANNER.search(html) and html.count("fg-draft") == 1
    assert 'href="../../contributing/">Help review it</a>' in html
    for page in ("case-studies/video-search", "contributing", ""):  # reviewed, no status, home
        assert "fg-draft" not in (root / "site" / page / "index.html").read_text(encoding="utf-8"), page
