"""The bad-input corpus: every case in tests/corpus/ is claimed by at least one check's expectations,
so a case added without expectations (one that tests nothing) fails here."""

from __future__ import annotations

from conftest import CORPUS

import test_check_content
import test_check_diagrams
import test_check_links

EXTRA = {"oversized-image"}  # completed in a temp dir by test_check_content (the image is made there)


def test_every_corpus_case_is_checked():
    cases = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    claimed = set(test_check_content.CASES) | set(test_check_diagrams.CASES) | set(test_check_links.CASES) | EXTRA
    assert cases - claimed == set(), "corpus cases no check expects anything of"
    assert claimed - cases == set(), "expectations for cases that do not exist"
    bad = {case for case in cases if case != "clean"}
    assert len(bad) >= 15
