"""The ETA drift check of the DishDash running example: docs/framework/monitoring.md (#running-example)."""

import numpy as np

# The page's five ETA bins (minutes): training reference e_i and rainy-Friday current a_i.
BINS = ["under 20", "20–30", "30–40", "40–50", "50 and over"]
REFERENCE = np.array([0.20, 0.35, 0.25, 0.12, 0.08])
CURRENT = np.array([0.10, 0.25, 0.30, 0.20, 0.15])
terms = (CURRENT - REFERENCE) * np.log(CURRENT / REFERENCE)
psi = float(terms.sum())
gaps = np.abs(np.cumsum(CURRENT) - np.cumsum(REFERENCE))
ks = float(gaps.max())
edge = ["20", "30", "40", "50", "∞"][int(gaps.argmax())]
assert round(psi, 3) == 0.197 and [round(t, 3) for t in terms] == [0.069, 0.034, 0.009, 0.041, 0.044]
assert round(ks, 2) == 0.20 and edge == "30"
# The numbers the page states, which the assertions above reproduce (scripts/check_consistency.py).
ON_PAGE = ["0.197", "0.069", "0.034", "0.009", "0.041", "0.044"]

ALT = ("Two panels for the ETA feature's drift on a rainy Friday. Left: side-by-side bars of the reference "
       "and current share in five ETA bins; the current distribution moves from the short bins (under 20 "
       "minutes: 0.20 to 0.10; 20 to 30: 0.35 to 0.25) to the long ones (40 to 50: 0.12 to 0.20; 50 and over: "
       "0.08 to 0.15), and each bin's PSI term is printed above it, summing to 0.197. Right: the two binned "
       "cumulative distributions, with the largest gap, 0.20, at the 30-minute edge.")
CAPTION = ("The running example's drift check, drawn from the page's table: reference (training) and current "
           "shares of the ETA feature in five bins. Each bin adds (a − e) ln(a/e) to the PSI; the total, 0.197, "
           "is between the guide's cut-offs 0.1 and 0.25, so the alert is a ticket, not a page. On the "
           "cumulative shares (right) the largest gap, the KS statistic D, is 0.20 at the 30-minute edge.")


def draw(s):
    fig, (left, right) = s.figure(width=7.2, height=3.9, ncols=2, gridspec_kw={"width_ratios": [1.35, 1]})
    x = np.arange(len(BINS))
    left.bar(x - 0.2, REFERENCE, width=0.4, color=s.muted, alpha=0.55)
    left.bar(x + 0.2, CURRENT, width=0.4, color=s.offline)
    for i, term in enumerate(terms):
        left.annotate(f"+{term:.3f}", (i, max(REFERENCE[i], CURRENT[i])), xytext=(0, 4), textcoords="offset points",
                      ha="center", fontsize=9.5, color=s.fg)
    left.text(0.98, 0.97, f"PSI = {psi:.3f}\nmoderate: 0.1–0.25", transform=left.transAxes, ha="right", va="top",
              fontsize=10.5, color=s.fg)
    left.set_xticks(x, ["under\n20", "20–30", "30–40", "40–50", "50 and\nover"])
    left.set_xlabel("ETA bin (minutes); PSI term above each")
    left.set_ylabel("Share of requests")
    left.set_ylim(0, 0.45)
    edges = [20, 30, 40, 50, 60]
    right.step([10] + edges, np.concatenate([[0], np.cumsum(REFERENCE)]), where="post", color=s.muted,
               label="reference (training)")
    right.step([10] + edges, np.concatenate([[0], np.cumsum(CURRENT)]), where="post", color=s.offline,
               label="current (rainy Friday)")
    at = 30
    right.annotate("", (at, np.cumsum(REFERENCE)[1]), (at, np.cumsum(CURRENT)[1]),
                   arrowprops={"arrowstyle": "<->", "color": s.fg, "linewidth": 1.2})
    right.text(at - 1.2, (np.cumsum(REFERENCE)[1] + np.cumsum(CURRENT)[1]) / 2, f"D = {ks:.2f}", va="center",
               ha="right", fontsize=10.5, color=s.fg)
    right.set_xticks(edges, ["20", "30", "40", "50", "∞"])
    right.set_xlim(10, 60)
    right.set_ylim(0, 1.22)  # headroom for the legend
    right.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    right.set_xlabel("ETA (minutes), bin edges")
    right.set_ylabel("Cumulative share")
    right.legend(loc="upper left")
    return fig
