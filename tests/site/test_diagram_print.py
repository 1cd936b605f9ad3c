"""Every diagram prints with labels of 7 pt or more: on a portrait page, or on a landscape page of its
own (print.css) when it is too wide for portrait."""

from __future__ import annotations

import re

A4_LANDSCAPE_TEXT_PX = (297 - 2 * 12) / 25.4 * 96  # print.css: @page fg-landscape, 12 mm side margins


def test_every_diagram_prints_at_7pt_or_more(site_build):
    """print.css never shrinks a diagram below --fg-min-print (7 pt labels); that width must fit the
    page it prints on: portrait for ordinary figures, landscape for `fg-diagram--wide` ones."""
    portrait = (210 - 2 * 17) / 25.4 * 96
    found, problems = 0, []
    for html in sorted(site_build.site.rglob("index.html")):
        if "print_page" in html.parts:
            continue
        for figure in re.finditer(r'<figure class="fg-diagram( fg-diagram--wide)?" style="([^"]+)"', html.read_text()):
            found += 1
            floor = float(re.search(r"--fg-min-print:(\d+)px", figure.group(2)).group(1))
            room = A4_LANDSCAPE_TEXT_PX if figure.group(1) else portrait
            if floor > room:
                problems.append(f"{html.relative_to(site_build.site)}: needs {floor:.0f} px for 7 pt labels, "
                                f"the page has {room:.0f}")
    assert found >= 10
    assert problems == [], "diagrams too wide to print at 7 pt (redraw them top-to-bottom):\n" + "\n".join(problems)
