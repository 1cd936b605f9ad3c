"""Correcting predictions of a model trained on downsampled negatives: docs/case-studies/ad-click-prediction.md."""

import numpy as np

# The case study's rule: keep every click and a fraction w = 5% of non-clicks; a model trained on that
# data outputs p, and the calibrated probability is q = p / (p + (1 - p) / w).
W = 0.05


def corrected(p, w=W):
    return p / (p + (1 - p) / w)


EXAMPLES = [0.168, 0.50, 0.05]  # the worked example's rows
qs = [corrected(p) for p in EXAMPLES]
assert [round(q, 4) for q in qs] == [0.0100, 0.0476, 0.0026] and round(0.50 / qs[1], 1) == 10.5
# The numbers the page states, which the assertions above reproduce (scripts/check_consistency.py).
ON_PAGE = ["0.0476", "0.0026", "10.5"]

ALT = ("Two panels on the downsampling correction with w equal to 5%. Left: the corrected probability q against "
       "the model's output p on the sampled data, on logarithmic axes, a curve far below the diagonal, with the worked example's "
       "points: 0.168 maps to 0.0100, 0.50 to 0.0476 and 0.05 to 0.0026. Right: the ratio p over q, the factor "
       "by which an uncorrected prediction overstates the click probability, falls from 20 for small p to 10.5 "
       "at p 0.5 and towards 1 as p approaches 1, a straight line.")
CAPTION = ("Negative downsampling at w = 5%, as in the case study: a model trained on all clicks and 5% of "
           "non-clicks outputs p, and q = p / (p + (1 − p)/w) undoes the sampling (logit q = logit p + ln w). "
           "Dots are the worked example's rows. The correction is not a constant division by 20: it acts on the "
           "odds, so an uncorrected 0.50 is 10.5 times too high and an uncorrected small p about 20 times.")


def draw(s):
    fig, (left, right) = s.figure(width=7.2, height=3.7, ncols=2)
    p = np.logspace(-3, np.log10(0.9995), 1200)
    left.plot(p, p, color=s.muted, linestyle=":", linewidth=1.2, label="uncorrected (q = p)")
    left.plot(p, corrected(p), color=s.online, label="corrected, w = 5%")
    for x, q, shown in zip(EXAMPLES, qs, ("0.168", "0.50", "0.05")):
        left.plot([x], [q], "o", color=s.offline, zorder=3)
        left.annotate(f"{shown} → {q:.4f}", (x, q), xytext=(6, -12), textcoords="offset points", color=s.offline,
                      fontsize=9.5)
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xticks([0.001, 0.01, 0.1, 1], ["0.001", "0.01", "0.1", "1"])
    left.set_yticks([0.0001, 0.001, 0.01, 0.1, 1], ["0.0001", "0.001", "0.01", "0.1", "1"])
    left.minorticks_off()
    left.set_xlim(0.001, 1)
    left.set_ylim(0.00004, 1)
    left.set_xlabel("p, model output on sampled data (log)")
    left.set_ylabel("q, calibrated probability (log)")
    left.set_title("The correction")
    left.legend(loc="upper left")
    right.plot(p, p / corrected(p), color=s.model)
    right.axhline(1 / W, color=s.muted, linestyle="--", linewidth=1.0)
    s.note(right, 0.98, 1 / W + 0.4, "1/w = 20", ha="right", va="bottom")
    right.plot([0.5], [0.5 / qs[1]], "o", color=s.offline, zorder=3)
    right.annotate(f"{0.5 / qs[1]:.1f}× at p = 0.50", (0.5, 0.5 / qs[1]), xytext=(8, 4), textcoords="offset points",
                   color=s.offline, fontsize=9.5)
    right.set_xlim(0, 1)
    right.set_ylim(0, 22)
    right.set_xlabel("p, model output on sampled data")
    right.set_ylabel("p / q, overstatement if uncorrected")
    right.set_title("Not a constant factor")
    return fig
