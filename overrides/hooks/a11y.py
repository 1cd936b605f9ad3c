"""MkDocs hook: accessibility fixes in the Markdown extensions' HTML, which no theme override reaches
(scripts/guidelib/a11y.py: checklist boxes named after their items, empty corner header cells made
plain cells).

`make audit` (scripts/audit_site.py) holds every audited page to zero axe-core violations.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from guidelib.a11y import fix, label_tasks, plain_corner_cells  # noqa: E402,F401  (the tests use the two)


def on_page_content(content, page, config, files, **kwargs):
    return fix(content)
