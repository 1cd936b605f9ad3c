"""Reliability diagram of the calibration worked example in docs/foundations/metrics.md (#calibration)."""

import numpy as np

# The worked example's three score bins: edges, count, mean prediction, observed positive rate.
BINS = [((0.0, 0.1), 600, 0.05, 0.04), ((0.1, 0.3), 300, 0.20, 0.12), ((0.3, 1.0), 100, 0.50, 0.35)]
n = sum(count for _, count, _, _ in BINS)
ece = sum(count / n * abs(rate - pred) for _, count, pred, rate in BINS)
expected = sum(count * pred for _, count, pred, _ in BINS)
observed = sum(count * rate for _, count, _, rate in BINS)
assert round(ece, 3) == 0.045 and round(expected) == 140 and round(observed) == 95  # the page's numbers
# The numbers the page states, which the assertions above reproduce (scripts/check_consistency.py).
ON_PAGE = ["0.045", "140", "95"]

ALT = (f"Reliability diagram. Three score bins of the worked example plotted as observed positive rate "
       f"against mean prediction: 0.05 against 0.04 (600 predictions), 0.20 against 0.12 (300) and "
       f"0.50 against 0.35 (100). All three points lie below the diagonal y = x, further below as the "
       f"score rises, so the model over-predicts; ECE is {ece:.3f} and expected over observed positives "
       f"is {expected:.0f}/{observed:.0f} = {expected / observed:.2f}.")
CAPTION = ("The calibration worked example as a reliability diagram: each point is one score bin, at its "
           "mean prediction (x) and observed positive rate (y), with area proportional to its count "
           "(600, 300, 100 of 1,000 predictions). The vertical gap to the diagonal is the bin's calibration "
           f"error; weighting the gaps by bin share gives ECE = {ece:.3f}. Shaded bands are the bins' edges "
           "(the last one, 0.3–1.0, runs off the chart).")


def draw(s):
    fig, ax = s.figure(width=5.6, height=4.6)
    top = 0.6
    for i, ((lo, hi), _count, _pred, _rate) in enumerate(BINS):
        ax.axvspan(lo, min(hi, top), color=s.muted, alpha=0.10 if i % 2 == 0 else 0.04, linewidth=0)
    ax.plot([0, top], [0, top], color=s.muted, linestyle="--", linewidth=1.2, label="Perfect calibration (y = x)")
    for (lo, hi), count, pred, rate in BINS:
        ax.plot([pred, pred], [rate, pred], color=s.offline, linewidth=2.2, solid_capstyle="butt")
        small = count == 600  # the first bin's gap is too short to label beside: label it to the right
        ax.annotate(f"gap {pred - rate:.2f}", (pred, (pred + rate) / 2), xytext=(16 if small else 8, 4 if small else 0),
                    textcoords="offset points", va="center", color=s.offline, fontsize=9.5)
        ax.annotate(f"{count} predictions", (pred, rate), xytext=(16 if small else 8, -12), textcoords="offset points",
                    color=s.muted, fontsize=9.5)
    counts = np.array([c for _, c, _, _ in BINS])
    ax.scatter([p for _, _, p, _ in BINS], [r for _, _, _, r in BINS], s=counts * 0.45, color=s.online,
               zorder=3, label="Bin: mean prediction vs observed rate")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_aspect("equal")
    ax.set_xlabel("Mean predicted probability in the bin")
    ax.set_ylabel("Observed positive rate in the bin")
    ax.text(0.585, 0.015, f"ECE = {ece:.3f}\nexpected ÷ observed\n= {expected:.0f} ÷ {observed:.0f} = {expected / observed:.2f}",
            ha="right", va="bottom", fontsize=10.5, color=s.fg)
    ax.legend(loc="upper left")
    return fig
