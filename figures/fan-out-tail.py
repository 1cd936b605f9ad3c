"""How fan-out amplifies the tail, 1 − 0.99ⁿ: docs/foundations/estimation.md (#why-the-p99-not-the-mean)."""

import numpy as np

# Each of n parallel calls is slower than its own p99 independently with probability 0.01; the request
# waits for all of them. The page's table and its p99.99 remedy (q = 1e-4 per call).
TABLE = {1: 0.01, 5: 0.049, 10: 0.096, 20: 0.182, 50: 0.395, 100: 0.634}
for n, share in TABLE.items():
    assert round(1 - 0.99 ** n, 3) == share, n  # the page's numbers
q = 1 - 0.99 ** (1 / 100)  # per-call tail that keeps 1% of requests slow at n = 100
assert round(q * 1e4, 1) == 1.0
# The numbers the page states, which the assertions above reproduce (scripts/check_consistency.py).
ON_PAGE = ["4.9 %", "9.6 %", "18.2 %", "39.5 %", "63.4 %"]  # TABLE as percentages

ALT = ("Share of requests that wait on at least one p99-slow call against the fan-out n, from 1 to 100 on a "
       "logarithmic axis. With each call slow 1% of the time the curve 1 − 0.99^n climbs from 1% at one call "
       "to 4.9% at 5, 9.6% at 10, 18.2% at 20, 39.5% at 50 and 63.4% at 100. A second, flat curve for calls "
       "budgeted at their p99.99 stays at or below 1% all the way to 100.")
CAPTION = ("Fan-out turns one call's p99 into many requests' problem: with n parallel calls, each slower than its "
           "p99 independently 1% of the time, a request is slow with probability 1 − 0.99ⁿ (dots: the page's "
           "table). Budgeting each call at its p99.99 (q = 10⁻⁴ per call) keeps the request's share at about 1% "
           "even at n = 100. Independence is the assumption; shared causes (a slow network, a GC storm) make "
           "it worse.")


def draw(s):
    fig, ax = s.figure(width=6.4, height=3.8)
    n = np.arange(1, 101)
    ax.plot(n, 100 * (1 - 0.99 ** n), color=s.online, label="each call slow 1% of the time (its p99)")
    ax.plot(n, 100 * (1 - (1 - q) ** n), color=s.store, label="each call slow 0.01% of the time (its p99.99)")
    for k, share in TABLE.items():
        ax.plot([k], [100 * share], "o", color=s.online, markersize=5)
        ax.annotate(f"{100 * share:.3g}%", (k, 100 * share), xytext=(-5, 6), textcoords="offset points",
                    ha="right", fontsize=9.5, color=s.fg)
    ax.set_xscale("log")
    ax.set_xticks(list(TABLE), [str(k) for k in TABLE])
    ax.minorticks_off()
    ax.set_xlim(0.8, 125)
    ax.set_ylim(0, 72)
    ax.set_xlabel("Fan-out n, parallel calls the request waits for (log scale)")
    ax.set_ylabel("Requests with ≥ 1 slow call (%)")
    ax.legend(loc="upper left")
    return fig
