"""MkDocs hook: accessibility fixes in the Markdown extensions' HTML, which no theme override reaches
(scripts/guidelib/a11y.py: checklist boxes named after their items, empty corner header cells made
plain cells, and header cells that are only a formula read by their glyphs).

`make audit` (scripts/audit_site.py) holds every audited page to zero axe-core violations.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from guidelib.a11y import label_tasks, plain_corner_cells, readable_math_headers  # noqa: E402


def on_page_content(content, page, config, files, **kwargs):
    return plain_corner_cells(label_tasks(content))


def on_post_page(output, page, config, **kwargs):
    return readable_math_headers(output)  # after the math hook (listed before this one) drew the formulas
