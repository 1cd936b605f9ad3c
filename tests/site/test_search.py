"""Search finds the page a candidate means: hyphenated and camel-case terms match as terms, the contributor
guide stays out of the results, and result snippets show no maths source."""

from __future__ import annotations

import pytest

from guidelib import browser

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


def results(chromium, url: str, query: str) -> tuple[list[str], list[str]]:
    """(result links relative to the site, result snippets' text) for `query` typed into the search box."""
    log = browser.NetworkLog()
    context = browser.guarded_context(chromium, log)
    page = context.new_page()
    try:
        page.goto(url)
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").fill(query)  # one input event: no results for a prefix
        page.wait_for_selector(".md-search-result__item a", timeout=30_000)
        links, previous = None, []
        while links != previous:  # the list has settled when two reads 300 ms apart agree
            previous, links = links, page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
            page.wait_for_timeout(300)
        texts = page.eval_on_selector_all(".md-search-result__item", "els => els.map(e => e.textContent)")
    finally:
        context.close()
    assert log.blocked == []
    return [link.removeprefix(url).split("?")[0].split("#")[0] for link in links], texts


@pytest.mark.parametrize("query", sorted(TOP))
def test_top_result(chromium, served_url, query):
    links, texts = results(chromium, served_url, query)
    assert links[0] == TOP[query], f"{query!r}: {links[:5]}"
    assert not any(link.startswith("contributing") for link in links), links
    for text in texts:
        assert "\\(" not in text and "\\frac" not in text and "\\[" not in text, text[:200]
