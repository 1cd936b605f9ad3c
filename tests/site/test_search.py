"""Search finds the page a candidate means: hyphenated and camel-case terms match as terms, the contributor
guide stays out of the results, and result snippets show no maths source."""

from __future__ import annotations

import pytest

from conftest import search_results as results

# query -> the page that must come first (each is the page that teaches the idea)
TOP = {
    "two-tower": "foundations/embeddings/",
    "PagedAttention": "foundations/llm-serving/",
    "skip-gram": "case-studies/similar-listings/",
    "logQ": "foundations/embeddings/",
    "IVF-PQ": "foundations/ann-search/",
    "CUPED": "foundations/experimentation/",
    "prompt injection": "foundations/rag-evaluation-safety/",
    "KV cache": "foundations/llm-serving/",
    "focal loss": "foundations/loss-functions/",
    "friends of friends": "foundations/graph-learning/",
    "eCPM": "foundations/ads-systems/",
    "prevalence": "case-studies/harmful-content/",
}


@pytest.mark.parametrize("query", sorted(TOP))
def test_top_result(chromium, served_url, query):
    links, texts = results(chromium, served_url, query)
    assert links[0] == TOP[query], f"{query!r}: {links[:5]}"
    assert not any(link.startswith("contributing") for link in links), links
    for text in texts:
        assert "\\(" not in text and "\\frac" not in text and "\\[" not in text, text[:200]
