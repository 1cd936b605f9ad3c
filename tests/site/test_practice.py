"""The practice tools in the built guide: progress marks, drill, flashcards, from a server and from disk.

Each browser test runs in a fresh context (empty localStorage) that blocks and records every request
to a non-local host; each asserts none was made.
"""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest

from guidelib import browser, paths

PROGRESS_KEY = "ml-system-design-field-guide:progress:v1"
DRILL_KEY = "ml-system-design-field-guide:drill:v1"
DAY_MS = 24 * 60 * 60 * 1000
DECK = "assets/practice/ml-system-design-field-guide.apkg"


@pytest.fixture
def context(chromium):
    log = browser.NetworkLog()
    ctx = browser.guarded_context(chromium, log, accept_downloads=True)
    errors: list[str] = []
    ctx.on("page", lambda page: (page.on("pageerror", lambda e: errors.append(str(e))),
                                  page.on("console", lambda m: m.type == "error" and errors.append(m.text))))
    yield ctx
    ctx.close()
    assert log.blocked == [], f"requests to non-local hosts: {log.blocked}"
    assert errors == []


def storage(page, key: str):
    return page.evaluate(f"JSON.parse(localStorage.getItem({json.dumps(key)}))")


def pressed(page, state: str = "studied") -> str:
    return page.locator(f"[data-fg-state={state}]").get_attribute("aria-pressed")


# --- build side -------------------------------------------------------------------------------


def test_site_wide_script_is_tiny_and_the_apps_load_only_where_needed(site_build):
    assert site_build.returncode == 0, site_build.log
    script = (paths.DOCS / "javascripts" / "progress.js").read_bytes()
    assert len(gzip.compress(script, 9)) < 3 * 1024
    pages = sorted(site_build.site.rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "javascripts/practice/" not in html and "cards.js" not in html.split('data-cards="')[0], page
    drill = (site_build.site / "practice/drill/index.html").read_text(encoding="utf-8")
    assert 'data-fg-app="drill" data-cards="../../assets/practice/cards.js"' in drill


def source_counts() -> dict[str, int]:
    followups = facts = 0
    for path in paths.DOCS.rglob("*.md"):
        text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
        followups += len(re.findall(r"^\s*\?\?\?\+?\s+question\b", text, re.M))
        facts += len(re.findall(r"\{[^{}\n]*\.fg-card\b", text))
    terms = len(re.findall(r"^[^\s:].*\n:   ", (paths.DOCS / "glossary.md").read_text(encoding="utf-8"), re.M))
    return {"followup": followups, "fact": facts, "glossary": terms}


def test_cards_come_from_every_followup_term_and_marked_fact(site_build):
    data = json.loads((site_build.site / "assets/practice/cards.json").read_text(encoding="utf-8"))
    counts = source_counts()
    assert data["counts"] == counts
    assert sum(counts.values()) == len(data["cards"]) >= 300
    fact_pages = {c["page"] for c in data["cards"] if c["kind"] == "fact"}
    assert counts["fact"] >= 30 and all(p.startswith(("framework/", "foundations/")) for p in fact_pages)
    assert len({c["id"] for c in data["cards"]}) == len(data["cards"])
    script = (site_build.site / "assets/practice/cards.js").read_text(encoding="utf-8")
    assert json.loads(script.removeprefix("window.fgCardData = ").rstrip().rstrip(";")) == data


def deck_guids(site: Path, tmp: Path) -> list[str]:
    with zipfile.ZipFile(site / DECK) as package:
        (tmp / "collection.anki2").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp / "collection.anki2") as db:
        return [row[0] for row in db.execute("select guid from notes order by guid")]


def test_anki_deck_has_every_card_and_the_same_guids_in_a_second_build(site_build, offline_build, tmp_path):
    """The offline build is a second, separate build of the same pages (with other URLs)."""
    assert offline_build.returncode == 0, offline_build.log
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = deck_guids(site_build.site, tmp_path / "a")
    second = deck_guids(offline_build.site, tmp_path / "b")
    cards = json.loads((site_build.site / "assets/practice/cards.json").read_text(encoding="utf-8"))["cards"]
    assert len(first) == len(set(first)) == len(cards) >= 300
    assert first == second
    csv_lines = (site_build.site / "assets/practice/ml-system-design-field-guide.csv").read_text(encoding="utf-8")
    assert csv_lines.startswith("id,kind,question,answer,page,section,url,tags\n")
    flashcards = (site_build.site / "practice/flashcards/index.html").read_text(encoding="utf-8")
    assert 'href="../../assets/practice/ml-system-design-field-guide.apkg"' in flashcards
    assert f"The guide's {len(cards):,} cards" in flashcards


# --- progress -----------------------------------------------------------------------------------


def test_marking_a_page_survives_a_reload_and_shows_in_the_nav(context, site_url):
    page = context.new_page()
    page.goto(site_url + "case-studies/visual-search/")
    assert pressed(page) == "false" and pressed(page, "attempted") == "false"
    assert page.locator(".md-nav--primary .fg-nav-check").count() == 0
    page.locator("[data-fg-state=studied]").click()
    page.locator("[data-fg-state=attempted]").click()
    assert pressed(page) == "true" and pressed(page, "attempted") == "true"
    page.reload()
    assert pressed(page) == "true" and pressed(page, "attempted") == "true"
    marks = storage(page, PROGRESS_KEY)
    assert marks["version"] == 1 and set(marks["pages"]["case-studies/visual-search"]) == {"studied", "attempted"}
    checked = page.locator(".md-nav--primary a.md-nav__link:has(.fg-nav-check)")
    assert checked.count() == 1
    assert checked.first.evaluate("a => a.href") == site_url + "case-studies/visual-search/"
    page.locator("[data-fg-state=studied]").click()
    page.reload()
    assert pressed(page) == "false" and page.locator(".md-nav--primary .fg-nav-check").count() == 0


def test_instant_navigation_keeps_the_marks_working(context, served_url):
    page = context.new_page()
    browser.goto_instant(page, served_url + "foundations/retrieval-ranking/")
    page.locator("[data-fg-state=studied]").click()
    page.evaluate("window.__sameDocument = true")
    page.locator(".md-nav--primary a[href$='foundations/embeddings/']").first.click()
    page.wait_for_url("**/foundations/embeddings/")
    page.wait_for_function("document.querySelector('[data-fg-mark]') && !document.querySelector('[data-fg-mark]').hidden")
    assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
    assert pressed(page) == "false"
    assert page.locator(".md-nav--primary a[href$='retrieval-ranking/'] .fg-nav-check").count() == 1
    page.keyboard.press("Tab")  # instant navigation leaves focus at the top; the control is reachable
    page.locator("[data-fg-state=studied]").click()
    assert pressed(page) == "true"
    # an app page reached by instant navigation mounts its app
    page.locator(".md-tabs a").filter(has_text="Practice").first.click()
    page.wait_for_url("**/practice/study-plans/")
    page.locator(".md-nav--primary a[href$='practice/progress/']").first.click()
    page.wait_for_url("**/practice/progress/")
    page.wait_for_selector("[data-fg-count='Foundations']")
    assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
    assert page.locator("[data-fg-count='Foundations'] [data-fg-studied]").inner_text().startswith("2 of ")


def test_keyboard_reaches_and_toggles_the_marks(context, site_url):
    page = context.new_page()
    page.goto(site_url + "framework/evaluation/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.fgState") == "studied":
            break
    else:
        pytest.fail("Tab never reached the Studied button")
    page.keyboard.press("Enter")
    assert pressed(page) == "true"
    page.keyboard.press("Space")
    assert pressed(page) == "false"
    page.keyboard.press("Space")
    assert storage(page, PROGRESS_KEY)["pages"]["framework/evaluation"]["studied"] > 0


def test_expand_all_and_hide_all_follow_ups(context, site_url):
    page = context.new_page()
    page.goto(site_url + "case-studies/video-search/")
    details = page.locator("article details.question")
    count = details.count()
    assert count >= 6
    assert page.locator(".fg-followup-n").all_inner_texts() == [str(n) for n in range(1, count + 1)]
    assert page.evaluate("[...document.querySelectorAll('article details.question')].filter(d => d.open).length") == 0
    page.get_by_role("button", name="Expand all").click()
    assert page.evaluate("[...document.querySelectorAll('article details.question')].filter(d => d.open).length") == count
    page.get_by_role("button", name="Hide all").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("[...document.querySelectorAll('article details.question')].filter(d => d.open).length") == 0


def mark(page, url: str, *states: str) -> None:
    page.goto(url)
    for state in states:
        page.locator(f"[data-fg-state={state}]").click()


def test_export_then_import_restores_and_reset_clears(context, site_url, tmp_path):
    page = context.new_page()
    mark(page, site_url + "framework/serving/", "studied")
    mark(page, site_url + "case-studies/news-feed/", "studied", "attempted")
    page.goto(site_url + "practice/progress/")
    page.wait_for_selector("[data-fg-count='Case studies']")
    assert page.locator("[data-fg-count='Framework'] [data-fg-studied]").inner_text() == "1 of 8"
    assert page.locator("[data-fg-count='Case studies'] [data-fg-attempted]").inner_text().startswith("1 of ")
    assert page.locator("tr[data-fg-key='case-studies/news-feed'] [data-fg-cell=attempted]").inner_text().startswith("✓")
    before = storage(page, PROGRESS_KEY)

    with page.expect_download() as info:
        page.get_by_role("button", name="Export to a file").click()
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "ml-system-design-field-guide/progress" and data["progress"] == before

    # Reset asks first: Cancel keeps everything, confirming clears it.
    page.get_by_role("button", name="Reset…").click()
    page.get_by_role("button", name="Cancel").click()
    assert storage(page, PROGRESS_KEY) == before
    page.get_by_role("button", name="Reset…").click()
    page.get_by_role("button", name="Yes, clear my progress").click()
    assert storage(page, PROGRESS_KEY)["pages"] == {}
    assert page.locator("[data-fg-count='Framework'] [data-fg-studied]").inner_text() == "0 of 8"
    page.reload()
    assert storage(page, PROGRESS_KEY)["pages"] == {}

    # A file that is not an export changes nothing and says why.
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else", "version": 1}', encoding="utf-8")
    page.locator("[data-fg-import]").set_input_files(str(bad))
    page.wait_for_function("document.querySelector('[data-fg-status]').textContent.includes('Nothing was imported')")
    assert storage(page, PROGRESS_KEY)["pages"] == {}

    page.locator("[data-fg-import]").set_input_files(str(exported))
    page.wait_for_function("document.querySelector('[data-fg-status]').textContent.startsWith('Imported')")
    assert storage(page, PROGRESS_KEY) == before
    page.goto(site_url + "case-studies/news-feed/")
    assert pressed(page) == "true" and pressed(page, "attempted") == "true"


# --- drill --------------------------------------------------------------------------------------


def open_drill(page, url: str):
    page.goto(url)
    page.wait_for_selector("[data-fg-act=show]")
    return page


def test_drilling_a_card_schedules_it_later_and_survives_a_reload(context, site_url):
    page = open_drill(context.new_page(), site_url + "practice/drill/")
    card = page.locator(".fg-drill__card")
    first = card.get_attribute("data-card-id")
    assert first.startswith("followup:")
    assert page.locator("[data-fg-answer]").is_hidden()
    page.get_by_role("button", name="Show answer").click()
    assert page.locator("[data-fg-answer]").is_visible()
    source = page.locator("[data-fg-source]").get_attribute("href")
    assert re.search(r"/#fu-[a-z0-9-]+$", source) and source.startswith(site_url)
    # the link opens the follow-up on its page
    other = context.new_page()
    other.goto(source)
    anchor = source.rsplit("#", 1)[1]
    other.wait_for_function(f"document.getElementById('{anchor}') && document.getElementById('{anchor}').open")
    assert other.locator(f"#{anchor} summary").inner_text().endswith(page.locator("[data-fg-question]").inner_text())
    other.close()
    started = time.time() * 1000
    page.get_by_role("button", name="Knew it").click()
    second = card.get_attribute("data-card-id")
    assert second != first
    entry = storage(page, DRILL_KEY)["cards"][first]
    assert entry["box"] == 1 and entry["due"] >= started + DAY_MS - 60_000
    stats = page.locator("[data-fg-stats]").inner_text()
    assert "1 scheduled later" in stats

    # "Review again" keeps a card due now, in box 1.
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name="Review again").click()
    assert storage(page, DRILL_KEY)["cards"][second]["due"] <= time.time() * 1000
    assert card.get_attribute("data-card-id") not in (first, second)

    page.reload()
    page.wait_for_selector("[data-fg-act=show]")
    # The card due now comes first; the one known is not shown again today.
    assert card.get_attribute("data-card-id") == second
    assert "1 due now" in page.locator("[data-fg-stats]").inner_text()
    assert "1 scheduled later" in page.locator("[data-fg-stats]").inner_text()

    # Known twice: box 2, two days ahead.
    page.evaluate(f"""() => {{ const s = JSON.parse(localStorage.getItem('{DRILL_KEY}'));
        s.cards['{first}'].due = Date.now() - 3 * {DAY_MS}; localStorage.setItem('{DRILL_KEY}', JSON.stringify(s)); }}""")
    page.reload()
    page.wait_for_selector("[data-fg-act=show]")
    assert card.get_attribute("data-card-id") == first  # the longest overdue first
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name="Knew it").click()
    entry = storage(page, DRILL_KEY)["cards"][first]
    assert entry["box"] == 2 and entry["due"] >= time.time() * 1000 + 2 * DAY_MS - 120_000


def test_drill_keyboard_shortcuts_and_filters(context, site_url):
    page = open_drill(context.new_page(), site_url + "practice/drill/")
    card = page.locator(".fg-drill__card")
    first = card.get_attribute("data-card-id")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("Space")
    assert page.locator("[data-fg-answer]").is_visible()
    page.keyboard.press("2")
    assert storage(page, DRILL_KEY)["cards"][first]["box"] == 1
    assert card.get_attribute("data-card-id") != first
    # Tab reaches "Show answer"; Enter on it shows the answer; 1 grades.
    page.locator("#fg-drill-page").focus()
    page.keyboard.press("Tab")
    for _ in range(10):
        if page.evaluate("document.activeElement.dataset.fgAct") == "show":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.locator("[data-fg-answer]").is_visible()
    page.keyboard.press("1")
    assert len(storage(page, DRILL_KEY)["cards"]) == 2
    # Filters: one page's cards only, and the choice is kept.
    page.select_option("#fg-drill-page", "case-studies/visual-search.md")
    assert card.get_attribute("data-card-id").startswith("followup:case-studies/visual-search:")
    page.select_option("#fg-drill-kind", "fact")
    page.select_option("#fg-drill-page", "")
    assert card.get_attribute("data-card-id").startswith("fact:")
    page.select_option("#fg-drill-tag", "llm")
    tagged = page.evaluate("window.fgCardData.cards.filter(c => c.kind === 'fact' && c.tags.includes('llm')).map(c => c.id)")
    assert card.get_attribute("data-card-id") in tagged and len(tagged) < 38
    page.reload()
    page.wait_for_selector("[data-fg-act=show]")
    assert page.locator("#fg-drill-tag").input_value() == "llm"
    assert storage(page, DRILL_KEY)["filters"] == {"kind": "fact", "tag": "llm", "page": ""}


def test_drill_renders_maths_in_a_card(context, site_url):
    page = open_drill(context.new_page(), site_url + "practice/drill/")
    page.select_option("#fg-drill-kind", "fact")
    page.select_option("#fg-drill-page", "foundations/ann-search.md")
    page.get_by_role("button", name="Show answer").click()
    page.wait_for_selector("[data-fg-answer] .arithmatex[data-rendered] .katex")


# --- from disk (file://) ----------------------------------------------------------------------


def test_progress_and_drill_work_from_the_offline_build(context, offline_build):
    assert offline_build.returncode == 0, offline_build.log
    site = offline_build.site
    page = context.new_page()
    page.goto((site / "foundations" / "metrics.html").as_uri())
    page.locator("[data-fg-state=studied]").click()
    page.reload()
    assert pressed(page) == "true"
    pages = storage(page, PROGRESS_KEY)["pages"]
    assert list(pages) == ["foundations/metrics"] and pages["foundations/metrics"]["studied"] > 0
    assert page.locator(".md-nav--primary a[href$='metrics.html'] .fg-nav-check").count() >= 1
    page.goto((site / "practice" / "progress.html").as_uri())
    page.wait_for_selector("[data-fg-count='Foundations']")
    assert page.locator("[data-fg-count='Foundations'] [data-fg-studied]").inner_text().startswith("1 of ")
    drill = open_drill(page, (site / "practice" / "drill.html").as_uri())
    first = drill.locator(".fg-drill__card").get_attribute("data-card-id")
    drill.get_by_role("button", name="Show answer").click()
    assert drill.locator("[data-fg-source]").get_attribute("href").startswith((site / "framework").as_uri())
    drill.get_by_role("button", name="Knew it").click()
    drill.reload()
    drill.wait_for_selector("[data-fg-act=show]")
    assert storage(drill, DRILL_KEY)["cards"][first]["box"] == 1
    assert drill.locator(".fg-drill__card").get_attribute("data-card-id") != first
