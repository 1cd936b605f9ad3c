"""Focal loss against cross-entropy: docs/foundations/loss-functions.md (#focal-loss)."""

import numpy as np

# FL(p_t) = -(1 - p_t)^gamma ln p_t (alpha left out, as in the page's worked example); gamma = 0 is cross-entropy.
GAMMAS = [0, 0.5, 1, 2, 5]
POINTS = [0.99, 0.9, 0.5, 0.1]  # the worked example's rows


def focal(p, gamma):
    return -((1 - p) ** gamma) * np.log(p)


rows = [(p, focal(p, 0), focal(p, 2)) for p in POINTS]
assert [round(ce, 5) for _, ce, _ in rows[:1]] == [0.01005] and round(rows[0][2], 7) == 0.000001
assert [round(ce / fl, 1) for _, ce, fl in rows] == [10000.0, 100.0, 4.0, 1.2]  # the page's down-weighting
# The numbers the page states, which the assertions above reproduce (scripts/check_consistency.py).
ON_PAGE = ["0.01005", "10,000"]

ALT = ("Two panels comparing focal loss with cross-entropy as a function of p_t, the probability given to the "
       "true class. Left, linear axes: curves for gamma 0 (cross-entropy), 0.5, 1, 2 and 5; the larger gamma, "
       "the closer the loss of well-classified examples (p_t above about 0.6) is to zero, while hard examples "
       "keep most of their loss. Right, logarithmic loss axis for gamma 2: at p_t 0.99 focal loss is 10,000 "
       "times smaller than cross-entropy, at 0.9 100 times, at 0.5 4 times and at 0.1 1.2 times.")
CAPTION = ("Focal loss, −(1 − p_t)^γ ln p_t, against cross-entropy (γ = 0); α is left out, as in the worked example. "
           "Left: raising γ flattens the loss of easy examples. Right, on a log scale, the worked example's four "
           "rows at γ = 2: the down-weighting factor (1 − p_t)^−2 is 10,000× for an easy example at p_t = 0.99 "
           "and only 1.2× for a hard one at 0.1, which is why 100,000 easy negatives stop swamping the few objects.")


def draw(s):
    fig, (left, right) = s.figure(width=7.2, height=3.8, ncols=2)
    p = np.linspace(0.005, 0.999, 800)
    colors = [s.fg, s.online, s.store, s.offline, s.model]
    for gamma, color in zip(GAMMAS, colors):
        label = "γ = 0 (cross-entropy)" if gamma == 0 else f"γ = {gamma}"
        left.plot(p, focal(p, gamma), color=color, label=label, linewidth=2.4 if gamma in (0, 2) else 1.6)
    left.set_xlim(0, 1)
    left.set_ylim(0, 5)
    left.set_xlabel("p_t, probability of the true class")
    left.set_ylabel("Loss")
    left.set_title("Larger γ: easy examples cost ~0")
    left.legend(loc="upper right")
    right.plot(p, focal(p, 0), color=s.fg, label="cross-entropy")
    right.plot(p, focal(p, 2), color=s.offline, label="focal, γ = 2")
    for pt, ce, fl in rows:
        right.plot([pt, pt], [fl, ce], color=s.muted, linewidth=1.0)
        right.plot([pt], [ce], "o", color=s.fg, markersize=4)
        right.plot([pt], [fl], "o", color=s.offline, markersize=4)
        factor = ce / fl
        text = f"{factor:,.0f}×" if factor >= 3 else f"{factor:.1f}×"
        at = 1e-5 if pt == 0.99 else ce if pt == 0.1 else np.sqrt(ce * fl)  # labels clear of the curves
        right.annotate(text, (pt, at), xytext=(4, 9) if pt == 0.1 else (-5, 0), textcoords="offset points",
                       ha="left" if pt == 0.1 else "right", va="center", fontsize=9.5, color=s.fg)
    right.set_yscale("log")
    right.set_xlim(0, 1.02)
    right.set_ylim(5e-7, 10)
    right.set_xlabel("p_t, probability of the true class")
    right.set_ylabel("Loss (log scale)")
    right.set_title("γ = 2: the worked example's rows")
    right.legend(loc="lower left")
    return fig
