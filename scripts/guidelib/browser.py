"""Headless Chromium (Debian's package) driven by playwright, with the network closed.

`playwright install` cannot run here: the browser is Debian's `chromium`, passed to playwright
through `executable_path`. Every request to a host other than loopback is aborted and recorded,
so a test can assert that a page made none.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator
from urllib.parse import urlsplit

CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--allow-file-access-from-files",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def chromium_path() -> str:
    """The Chromium binary: $CHROMIUM, else Debian's `chromium` on PATH."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError(
            "Chromium not found. Install Debian's package: `sudo apt-get install chromium` "
            "(or set CHROMIUM=/path/to/chromium). `make test` does this for you when run as root."
        )
    return path


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"file", "data", "blob", "about"}:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS or (parts.hostname or "").startswith("127.")


@dataclass
class NetworkLog:
    """Requests a page made: everything, and what was blocked for leaving the machine."""

    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


@contextmanager
def launch() -> Iterator[object]:
    """Yield a playwright Browser running Debian's Chromium headless."""
    from playwright.sync_api import sync_playwright

    args = list(CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root.
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=args)
        try:
            yield browser
        finally:
            browser.close()


def guarded_context(browser, log: NetworkLog, **options):
    """A browser context whose non-local requests are aborted and recorded in `log`."""
    context = browser.new_context(**options)

    def route(route_, request):
        log.requests.append(request.url)
        if is_local(request.url):
            route_.continue_()
        else:
            log.blocked.append(request.url)
            route_.abort()

    context.route("**/*", route)
    return context


def goto_instant(page, url: str) -> None:
    """Open `url` as a reader would before following a link, and return once Material's instant
    navigation is armed.

    Material's script starts on the reader's first interaction (overrides/hooks/material_on_demand.py):
    here, the pointer moving onto the page. It then intercepts a click only after it has fetched and
    parsed sitemap.xml (its click stream is combined with the sitemap); a click before that is an
    ordinary navigation that reloads the page. On a loaded machine the fetch can take longer than
    the click takes to arrive, so wait for the sitemap's body and then for the network to go quiet.
    """
    page.goto(url)
    with page.expect_response(lambda response: urlsplit(response.url).path.endswith("/sitemap.xml")) as sitemap:
        first_interaction(page)
    sitemap.value.finished()
    page.wait_for_load_state("networkidle")


def first_interaction(page) -> None:
    """The pointer moving onto the page: the reader's first interaction, which starts Material's script."""
    page.mouse.move(2, 2)
    page.mouse.move(40, 60)


def start_material(page) -> None:
    """Start Material's script as a reader's first interaction does, and wait until it has mounted the page."""
    first_interaction(page)
    page.wait_for_function("typeof window.document$ !== 'undefined' && document.documentElement.classList.contains('js')")
