"""Power against sample size for the CTR test of docs/foundations/experimentation.md (#sample-size)."""

import numpy as np
from _style import normal_cdf, normal_ppf

# The page's worked example: baseline CTR 2%, two-sided alpha 0.05, the two-proportion approximation
#   n = 2 (z_{1-a/2} + z_{1-b})^2 p (1 - p) / delta^2   per arm, so   power = Phi(delta sqrt(n / (2 p (1-p))) - z_{1-a/2}).
P, ALPHA = 0.02, 0.05
Z_A = normal_ppf(1 - ALPHA / 2)


def n_for(relative, power):
    delta = P * relative
    return 2 * (Z_A + normal_ppf(power)) ** 2 * P * (1 - P) / delta ** 2


def power(n, relative):
    return normal_cdf(P * relative * np.sqrt(n / (2 * P * (1 - P))) - Z_A)


n1_80, n1_90, n5_80 = n_for(0.01, 0.8), n_for(0.01, 0.9), n_for(0.05, 0.8)
# Fourteen days at 4 M impressions a day per arm, shrunk by the design effect 1 + (20 - 1) x 0.05 = 1.95.
DEFF = 1 + (20 - 1) * 0.05
n14 = 40e6 * 0.10 * 14 / DEFF
mde14 = np.sqrt(2 * (Z_A + normal_ppf(0.8)) ** 2 * P * (1 - P) / n14) / P
assert (round(n1_80 / 1e6, 2), round(n1_90 / 1e6, 1), round(n5_80 / 1e3)) == (7.69, 10.3, 308)
assert round(mde14 * 100, 2) == 0.52  # the page's numbers
# The numbers the page states, which the assertions above reproduce (scripts/check_consistency.py).
ON_PAGE = ["7.69 M", "10.3 M", "308", "0.52"]

ALT = ("Statistical power against impressions per arm, on a logarithmic axis, for a 2% baseline CTR at "
       "alpha 0.05. Each curve is an S shape: the 5% relative lift reaches 80% power at 308 thousand "
       "impressions per arm, the 1% lift needs 7.69 million for 80% and 10.3 million for 90%, and a "
       "0.52% lift reaches 80% only at the 28.7 million effective impressions that 14 days provide.")
CAPTION = ("Power of the page's CTR test (baseline 2%, two-sided α = 0.05, the two-proportion approximation) "
           "against impressions per arm. Dots mark the worked example's answers: 308 K per arm for a 5% "
           "relative lift at 80% power, 7.69 M for 1% (10.3 M at 90%). The vertical line is what 14 days "
           "buy: 4 M impressions a day per arm, divided by the design effect 1.95 for correlated impressions, "
           "is 28.7 M effective impressions, enough for an MDE of 0.52%. Halving the lift moves a curve four "
           "times further right.")


def draw(s):
    fig, ax = s.figure(width=6.4, height=4.0)
    n = np.logspace(4, 8.3, 600)
    for relative, color, label in ((0.05, s.store, "5% relative lift"), (0.01, s.online, "1% relative lift"),
                                   (mde14, s.model, f"{mde14:.2%} relative lift")):
        ax.plot(n, power(n, relative), color=color, label=label)
    ax.axhline(0.8, color=s.muted, linestyle="--", linewidth=1.0)
    ax.axhline(0.9, color=s.muted, linestyle=":", linewidth=1.0)
    s.note(ax, 1.15e4, 0.81, "80% power", va="bottom")
    s.note(ax, 1.15e4, 0.91, "90% power", va="bottom")
    for x, y, color, text, dx in ((n5_80, 0.8, s.store, "308 K", -8), (n1_80, 0.8, s.online, "7.69 M", -8),
                                  (n1_90, 0.9, s.online, "10.3 M", -8)):
        ax.plot([x], [y], "o", color=color, zorder=3)
        ax.annotate(text, (x, y), xytext=(dx, 6), textcoords="offset points", ha="right", color=color, fontsize=9.5)
    ax.axvline(n14, color=s.offline, linewidth=1.2)
    ax.annotate("14 days:\n28.7 M effective\nper arm", (n14, 0.3), xytext=(6, 0), textcoords="offset points",
                color=s.offline, fontsize=9.5, va="center")
    ax.set_xscale("log")
    ax.set_xticks([1e4, 1e5, 1e6, 1e7, 1e8], ["10 K", "100 K", "1 M", "10 M", "100 M"])
    ax.minorticks_off()
    ax.set_xlim(1e4, 2e8)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Impressions per arm (log scale)")
    ax.set_ylabel("Power: P(significant | lift is real)")
    s.legend(ax, loc="upper left", bbox_to_anchor=(0.0, 0.76))
    return fig
