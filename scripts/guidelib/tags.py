"""The controlled tag vocabulary (tags.yml): tag -> one-line meaning."""

from __future__ import annotations

from pathlib import Path

import yaml

from .report import UsageError


def load_vocabulary(path: Path) -> dict[str, str]:
    """The `tags:` mapping of `path`, in file order; a UsageError (exit 2) when it is unreadable or malformed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise UsageError(f"cannot read tag vocabulary {path}: {error}") from error
    tags = data.get("tags") if isinstance(data, dict) else None
    if not isinstance(tags, dict):
        raise UsageError(f"{path} must have a `tags:` mapping of tag: meaning")
    return {str(tag): str(meaning) for tag, meaning in tags.items()}
