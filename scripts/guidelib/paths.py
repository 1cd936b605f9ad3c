"""Where things are in the repository."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SITE = ROOT / "site"
CONFIG = ROOT / "mkdocs.yml"
VENV_BIN = ROOT / ".venv" / "bin"


def mkdocs_env() -> dict[str, str]:
    """Environment for running mkdocs: silence Material's MkDocs-2.0 banner."""
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env
