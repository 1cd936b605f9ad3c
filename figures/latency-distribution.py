"""A long-tailed latency distribution with its p50, mean and p99: docs/foundations/estimation.md (#why-the-p99-not-the-mean)."""

import numpy as np
from _style import normal_ppf

# Assumed: service latency is log-normal with the feature store's numbers from the page's follow-up,
# p50 = 2 ms and p99 = 40 ms. Then sigma = ln(40/2) / z_0.99 and the mean is p50 * exp(sigma^2 / 2).
P50, P99 = 2.0, 40.0
SIGMA = np.log(P99 / P50) / normal_ppf(0.99)
MU = np.log(P50)
MEAN = float(np.exp(MU + SIGMA ** 2 / 2))
P999 = float(np.exp(MU + SIGMA * normal_ppf(0.999)))
PAGES = 20
slow_session = 1 - 0.99 ** PAGES
assert round(slow_session, 2) == 0.18  # the page's "20 pages: 18%"
# The numbers the page states, which the assertions above reproduce (scripts/check_consistency.py).
ON_PAGE = ["18 %"]

ALT = (f"Density of a log-normal latency distribution on a logarithmic time axis, with p50 2 ms, mean "
       f"{MEAN:.1f} ms, p99 40 ms and p99.9 {P999:.0f} ms marked. The mean sits well to the right of the "
       f"median yet far left of the p99; the shaded 1% of requests beyond the p99 is what a user who loads "
       f"{PAGES} pages meets at least once with probability 18%.")
CAPTION = (f"Why the p99, not the mean: a log-normal latency with the follow-up's feature-store numbers, p50 "
           f"2 ms and p99 40 ms (so σ = ln 20 / 2.326 = {SIGMA:.2f} in log space). The mean, {MEAN:.1f} ms, "
           f"describes almost no request: most are faster and the slowest 1% (shaded) are ten times slower. "
           f"A user who loads {PAGES} pages meets that tail at least once with probability "
           f"1 − 0.99^{PAGES} = {slow_session:.0%}.")


def draw(s):
    fig, ax = s.figure(width=6.4, height=3.7)
    t = np.logspace(np.log10(0.1), np.log10(400), 1200)
    # density per unit of log10(t), so that areas on the log axis are probabilities
    z = (np.log(t) - MU) / SIGMA
    density = np.exp(-0.5 * z * z) / (SIGMA * np.sqrt(2 * np.pi)) * np.log(10)
    ax.plot(t, density, color=s.online)
    ax.fill_between(t, density, where=t >= P99, color=s.offline, alpha=0.45, linewidth=0)
    ax.fill_between(t, density, color=s.online, alpha=s.fill_alpha, linewidth=0)
    top = density.max()
    for x, label, color in ((P50, "p50\n2 ms", s.fg), (MEAN, f"mean\n{MEAN:.1f} ms", s.model),
                            (P99, "p99\n40 ms", s.offline), (P999, f"p99.9\n{P999:.0f} ms", s.muted)):
        ax.axvline(x, color=color, linestyle="--", linewidth=1.1)
        left = x == P50  # the median's label on the left of its line, clear of the curve's peak
        ax.text(x / 1.08 if left else x * 1.08, top * 1.2, label, color=color, fontsize=9.5, va="top",
                ha="right" if left else "left")
    ax.annotate("slowest 1%\nof requests", (70, 0.02), xytext=(150, top * 0.45), color=s.offline, fontsize=9.5,
                ha="center", arrowprops={"arrowstyle": "-", "color": s.offline, "linewidth": 0.8})
    ax.set_xscale("log")
    ax.set_xticks([0.1, 1, 10, 100], ["0.1", "1", "10", "100"])
    ax.minorticks_off()
    ax.set_xlim(0.1, 400)
    ax.set_ylim(0, top * 1.24)
    ax.set_yticks([])
    ax.set_xlabel("Latency (ms, log scale)")
    ax.set_ylabel("Share of requests")
    return fig
