"""The strict builds: zero warnings, local assets only, and a clear error when npm ci was skipped."""

from __future__ import annotations

import importlib.util
import json
import re

import pytest
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from guidelib import paths

# Hosts a page must never load from. Material's bundle contains an unpkg URL for Mermaid that it
# only fetches for <pre class="mermaid">, which is why no page may contain that element.
CDN_PATTERN = re.compile(r"(?:src|href)=\"https?://(?:unpkg\.com|cdn\.jsdelivr\.net|fonts\.googleapis\.com|fonts\.gstatic\.com)")


def html_pages(site):
    return sorted(site.rglob("*.html"))


@pytest.mark.parametrize("fixture", ["site_build", "offline_build"])
def test_strict_build_has_zero_warnings(fixture, request):
    build = request.getfixturevalue(fixture)
    assert build.returncode == 0, build.log
    problems = [line for line in build.log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert problems == []
    assert "end of life" not in build.log, "NO_MKDOCS_2_WARNING=1 should silence Material's banner"


@pytest.mark.parametrize("fixture", ["site_build", "offline_build"])
def test_pages_reference_no_cdn_and_no_pre_mermaid(fixture, request):
    build = request.getfixturevalue(fixture)
    pages = html_pages(build.site)
    assert len(pages) >= 3
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not CDN_PATTERN.search(html), f"{page} loads from a CDN"
        assert '<pre class="mermaid"' not in html, f"{page}: Material would fetch Mermaid from unpkg"


def test_every_nav_page_is_built(site_build):
    for source in sorted(paths.DOCS.rglob("*.md")):
        src_uri = source.relative_to(paths.DOCS).as_posix()
        built = site_build.site / File(src_uri, str(paths.DOCS), "/site", True).dest_path
        assert built.is_file(), f"{src_uri} was not built to {built}"


def test_vendor_assets_are_the_locked_versions(site_build):
    lock = json.loads((paths.ROOT / "package-lock.json").read_text(encoding="utf-8"))
    mermaid_version = lock["packages"]["node_modules/mermaid"]["version"]
    assert mermaid_version.startswith("11."), mermaid_version
    vendor = site_build.site / "assets" / "vendor"
    node_modules = paths.ROOT / "node_modules"
    assert not (vendor / "mermaid").exists(), "diagrams are rendered at build time: readers get no Mermaid"
    for built, source in [
        ("katex/katex.min.js", "katex/dist/katex.min.js"),
        ("iframe-worker/shim.js", "iframe-worker/shim/index.js"),
    ]:
        assert (vendor / built).read_bytes() == (node_modules / source).read_bytes(), built
    installed = json.loads((node_modules / "mermaid" / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == mermaid_version
    assert not list(vendor.rglob("*.map")), "source maps should not be shipped"


def test_offline_build_uses_local_search_shim(offline_build):
    html = (offline_build.site / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/vendor/iframe-worker/shim.js"' in html
    assert "unpkg" not in html
    assert (offline_build.site / "search" / "search_index.js").is_file()
    assert (offline_build.site / "assets" / "vendor" / "iframe-worker" / "shim.js").is_file()
    assert "navigation.instant" not in html


def test_missing_node_modules_is_a_clear_error(tmp_path):
    hook = paths.ROOT / "overrides" / "hooks" / "vendor_assets.py"
    spec = importlib.util.spec_from_file_location("vendor_assets", hook)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(PluginError, match="npm ci"):
        module.copy_vendor_assets(tmp_path / "node_modules", tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_citations_link_to_one_reference_each_and_back(site_build):
    """Every in-text [n] links to item n of its page's references; each reference links back; the
    rendered list has exactly one item per numbered reference of the source."""
    import re as _re

    checked = 0
    for source in sorted(paths.DOCS.rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        refs = _re.search(r"^## References[^\n]*\n(.*?)(?=^## |\Z)", text, _re.S | _re.M)
        if not refs:
            continue
        numbered = len(_re.findall(r"^\d+\.\s+\S", refs.group(1), _re.M))
        src_uri = source.relative_to(paths.DOCS).as_posix()
        html = (site_build.site / File(src_uri, str(paths.DOCS), "/site", True).dest_path).read_text(encoding="utf-8")
        items = _re.findall(r'<li id="(ref-[a-z0-9-]+-\d+)">', html)
        assert len(items) == numbered, f"{src_uri}: {len(items)} rendered references for {numbered} in the source"
        for target in _re.findall(r'class="fg-cite" id="[^"]+" href="#([^"]+)"', html):
            assert target in items, f"{src_uri}: a citation points at #{target}, which is not a reference"
        for back in _re.findall(r'class="fg-cite-back" href="#([^"]+)"', html):
            assert f'id="{back}"' in html, f"{src_uri}: a back link points at #{back}, which does not exist"
        checked += 1
    assert checked >= 20
