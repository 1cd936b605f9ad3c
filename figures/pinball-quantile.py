"""Which time to promise: expected pinball loss and the quantile it picks, docs/foundations/loss-functions.md (#regression-losses)."""

import numpy as np
from _style import normal_ppf

# Assumed delivery-time distribution for one order: log-normal with median 30 min and p90 40 min. The
# pinball loss at level tau charges tau per minute of being late and (1 - tau) per minute of being early,
# so tau = 0.9 prices lateness at 9:1, as the page's ETA promise does.
MEDIAN, P90 = 30.0, 40.0
SIGMA = np.log(P90 / MEDIAN) / normal_ppf(0.9)
rng_free_grid = np.linspace(5, 120, 4601)  # minutes; an integration grid, not a sample
z = (np.log(rng_free_grid) - np.log(MEDIAN)) / SIGMA
density = np.exp(-0.5 * z * z) / (rng_free_grid * SIGMA * np.sqrt(2 * np.pi))
step = rng_free_grid[1] - rng_free_grid[0]
QUOTES = np.linspace(18, 60, 421)


def expected_pinball(tau):
    diff = rng_free_grid[None, :] - QUOTES[:, None]  # actual minus quoted
    loss = np.maximum(tau * diff, (tau - 1) * diff)
    return (loss * density[None, :]).sum(1) * step


curves = {tau: expected_pinball(tau) for tau in (0.5, 0.9)}
best = {tau: float(QUOTES[np.argmin(c)]) for tau, c in curves.items()}
assert abs(best[0.5] - MEDIAN) <= 0.2 and abs(best[0.9] - P90) <= 0.2  # the minimiser is the tau-quantile
# The metrics page's single-order example: actual 30 min, a predicted p90 of 35 costs 0.5, of 25 costs 4.5.
assert (round(0.1 * (35 - 30), 2), round(0.9 * (30 - 25), 2)) == (0.5, 4.5)
# The numbers the page states, which the assertions above reproduce (scripts/check_consistency.py).
ON_PAGE = ["4.5"]

ALT = ("Two panels. Left: an assumed delivery-time distribution, log-normal with median 30 minutes and 90th "
       "percentile 40 minutes, both marked. Right: expected pinball loss against the quoted time for tau 0.5 "
       "and tau 0.9; the tau 0.5 curve is lowest at 30 minutes, the median, and the tau 0.9 curve is lowest at "
       "40 minutes, the 90th percentile, rising steeply for quotes that are too early.")
CAPTION = ("Pinball loss picks the quantile: for an assumed delivery time that is log-normal with median 30 min "
           "and p90 40 min (left), the expected loss of quoting q minutes (right) is lowest at the median for "
           "τ = 0.5 and at the p90 for τ = 0.9, whose 9:1 price on lateness makes early quotes expensive. This is "
           "the newsvendor's choice: promise the quantile τ = cost of late ÷ (cost of late + cost of early).")


def draw(s):
    fig, (left, right) = s.figure(width=7.2, height=3.7, ncols=2)
    left.plot(rng_free_grid, density, color=s.online)
    left.fill_between(rng_free_grid, density, where=rng_free_grid <= P90, color=s.online, alpha=s.fill_alpha,
                      linewidth=0)
    for x, label, color, side in ((MEDIAN, "median\n30 min", s.fg, "right"), (P90, "p90\n40 min", s.offline, "left")):
        left.axvline(x, color=color, linestyle="--", linewidth=1.1)
        left.text(x - 1 if side == "right" else x + 1, density.max() * 1.05, label, color=color, fontsize=9.5,
                  va="top", ha=side)
    s.note(left, 62, density.max() * 0.45, "90% of orders\narrive by minute 40", color=s.online)
    left.set_xlim(5, 90)
    left.set_ylim(0, density.max() * 1.1)
    left.set_yticks([])
    left.set_xlabel("Delivery time (minutes)")
    left.set_ylabel("Share of orders")
    left.set_title("Assumed delivery time")
    for tau, color in ((0.5, s.fg), (0.9, s.offline)):
        right.plot(QUOTES, curves[tau], color=color, label=f"τ = {tau}")
        right.plot([best[tau]], [curves[tau].min()], "o", color=color, zorder=3)
        if tau == 0.5:  # below the curves on the left, with a leader line to the minimum
            right.annotate(f"min at {best[tau]:.0f} min", (best[tau], curves[tau].min()), xytext=(19.5, 0.6),
                           color=color, fontsize=9.5, arrowprops={"arrowstyle": "-", "color": color, "linewidth": 0.8})
        else:
            right.annotate(f"min at {best[tau]:.0f} min", (best[tau], curves[tau].min()), xytext=(8, -14),
                           textcoords="offset points", ha="left", color=color, fontsize=9.5)
    right.set_xlim(18, 60)
    right.set_ylim(0, None)
    right.set_xlabel("Quoted time q (minutes)")
    right.set_ylabel("Expected pinball loss")
    right.set_title("Expected loss of each quote")
    right.legend(loc="upper center")
    return fig
