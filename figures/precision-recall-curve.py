"""Precision-recall curve through the moderation worked example of docs/foundations/metrics.md (#precision-recall)."""

import numpy as np
from _style import normal_ppf, normal_sf

# The worked example: 100,000 posts, 500 violating; at threshold 0.7 the model flags 600, 400 of them violating.
POSITIVES, NEGATIVES = 500, 99_500
TP, FP = 400, 200
# Assumed score model (the page gives only the one operating point): scores are normal with unit variance,
# negatives centred at 0 and positives at mu, with mu and the cut chosen so that the curve passes
# exactly through the example's point (recall 0.8 at 200 false positives).
cut = normal_ppf(1 - FP / NEGATIVES)
mu = cut - normal_ppf(1 - TP / POSITIVES)
thresholds = np.linspace(mu - 4.5, cut + 3.0, 4001)
recall = normal_sf(thresholds - mu)
false_pos = NEGATIVES * normal_sf(thresholds)
precision = POSITIVES * recall / (POSITIVES * recall + false_pos)
p_op, r_op = TP / (TP + FP), TP / POSITIVES
f1 = 2 * p_op * r_op / (p_op + r_op)
assert (round(p_op, 3), round(r_op, 3), round(f1, 3)) == (0.667, 0.8, 0.727)  # the page's numbers
# The numbers the page states, which the assertions above reproduce (scripts/check_consistency.py).
ON_PAGE = ["0.667", "0.727"]
at95 = recall[np.argmin(np.abs(precision - 0.95))]  # recall at 95% precision, the auto-removal point

ALT = (f"Precision-recall curve of a moderation model with 500 violating posts in 100,000. Precision "
       f"falls from near 1 at low recall to the base rate 0.005 at full recall. The worked example's "
       f"threshold, 0.7, sits at recall 0.80 and precision 0.667 (F1 0.727); precision 0.95, the "
       f"auto-removal bar, is reached only up to recall {at95:.2f}.")
CAPTION = ("The precision-recall worked example as a curve: 500 violating posts among 100,000, and the "
           "threshold of 0.7 that flags 600 posts, 400 of them violating (precision 0.667, recall 0.800). "
           "Assumed, since the page gives one point: normally distributed scores with equal spread for "
           f"both classes, separated so that the curve passes through that point (d′ = {mu:.2f}). Precision "
           f"of 0.95 for auto-removal holds only up to recall {at95:.2f}; flagging everything gives precision "
           "0.005, the base rate.")


def draw(s):
    fig, ax = s.figure(width=6.4, height=4.2)
    ax.plot(recall, precision, color=s.online, label="Model (all thresholds)")
    ax.axhline(POSITIVES / (POSITIVES + NEGATIVES), color=s.muted, linestyle=":", linewidth=1.2)
    s.note(ax, 0.02, 0.025, "random scores: precision = base rate 0.005", va="bottom")
    ax.axhline(0.95, color=s.store, linestyle="--", linewidth=1.0)
    ax.plot([at95], [0.95], "o", color=s.store)
    ax.annotate(f"auto-removal: precision 0.95\nreached up to recall {at95:.2f}", (at95, 0.95), xytext=(-12, -44),
                textcoords="offset points", ha="right", color=s.store, fontsize=9.5,
                arrowprops={"arrowstyle": "-", "color": s.store, "linewidth": 0.8})
    ax.plot([r_op], [p_op], "o", color=s.offline, markersize=8, zorder=3)
    ax.annotate(f"threshold 0.7 (the example)\nrecall {r_op:.3f}, precision {p_op:.3f}\nF1 {f1:.3f}",
                (r_op, p_op), xytext=(-16, -70), textcoords="offset points", ha="right", color=s.offline,
                fontsize=9.5, arrowprops={"arrowstyle": "-", "color": s.offline, "linewidth": 0.8})
    ax.set_xlim(0, 1.0)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Recall = TP / (TP + FN)")
    ax.set_ylabel("Precision = TP / (TP + FP)")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.08))
    return fig
