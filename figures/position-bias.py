"""Position bias and inverse propensity weights: docs/foundations/data-labels-splits.md (#position-bias)."""

import numpy as np

# The page's examination propensities for slots 1-3, theta = (1.0, 0.6, 0.3). Deeper slots are an
# assumption: a power-law decay from slot 3, theta_k = 0.3 (3/k)^g, with g chosen so that slot 10 is the
# page's "slot with theta = 0.05" (g = ln 6 / ln(10/3) = 1.49).
SLOTS = np.arange(1, 11)
DECAY = np.log(0.3 / 0.05) / np.log(10 / 3)
theta = np.concatenate([[1.0, 0.6, 0.3], 0.3 * (3 / SLOTS[3:]) ** DECAY])
RELEVANCE = {"A": 0.10, "B": 0.15}  # the worked example's debiased click rates
LOGGED = {"A": 1, "B": 3}  # where each item was shown
CLIP = 10
observed = {item: rel * theta[LOGGED[item] - 1] for item, rel in RELEVANCE.items()}
assert round(observed["A"], 3) == 0.10 and round(observed["B"], 3) == 0.045 and round(1 / theta[-1], 6) == 20
# The numbers the page states, which the assertions above reproduce (scripts/check_consistency.py).
ON_PAGE = ["0.10", "0.045"]

ALT = ("Two panels on position bias. Left: the click rate an item gets at slots 1 to 10 is its relevance "
       "times the probability the slot is examined; item A, relevance 10%, shown at slot 1 gets 10%, while "
       "item B, relevance 15%, shown at slot 3 gets only 4.5%, so the logs rank A above B. Right: the inverse "
       "propensity weight 1 over theta rises from 1 at slot 1 to 3.3 at slot 3 and 20 at slot 10, "
       "and clipping at 10 caps the deepest slots.")
CAPTION = ("The examination model of the worked example: click rate = θ(slot) × relevance. Propensities for "
           "slots 1–3 are the page's (1.0, 0.6, 0.3); deeper slots assume a power-law decay from slot 3, "
           "θ = 0.3 × (3/k)^1.49, which reaches the page's θ = 0.05 (weight 20) at slot 10. Left: the same item earns fewer clicks lower down, so B "
           "(relevance 15%, logged at slot 3: 4.5%) looks worse than A (10%, logged at slot 1: 10%). Right: "
           "the IPS weight 1/θ that undoes it, clipped at 10 to limit variance.")


def draw(s):
    fig, (left, right) = s.figure(width=7.2, height=3.8, ncols=2)
    for (item, rel), color in zip(RELEVANCE.items(), (s.online, s.model)):
        left.plot(SLOTS, 100 * rel * theta, "o-", color=color, markersize=4, label=f"item {item}: relevance {rel:.0%}")
        left.axhline(100 * rel, color=color, linestyle=":", linewidth=1.0)
        slot = LOGGED[item]
        left.plot([slot], [100 * observed[item]], "o", color=s.offline, markersize=9, zorder=3, fillstyle="none",
                  markeredgewidth=2)
        left.annotate(f"{item} logged at slot {slot}: {observed[item]:.1%}", (slot, 100 * observed[item]),
                      xytext=(48, 16) if item == "A" else (12, -4), textcoords="offset points", color=s.offline,
                      fontsize=9.5, va="center", arrowprops={"arrowstyle": "-", "color": s.offline, "linewidth": 0.8})
    left.set_title("Click rate = θ(slot) × relevance")
    left.set_xlabel("Slot")
    left.set_ylabel("Click rate (%)")
    left.set_xticks(SLOTS)
    left.set_ylim(0, 16.5)
    left.legend(loc="upper right", bbox_to_anchor=(1.0, 0.86))
    weights = 1 / theta
    right.bar(SLOTS, weights, color=s.online, alpha=0.35, width=0.7, label="1/θ")
    right.bar(SLOTS, np.minimum(weights, CLIP), color=s.online, width=0.7, label=f"clipped at {CLIP}")
    right.axhline(CLIP, color=s.offline, linestyle="--", linewidth=1.2)
    for slot in (3, 10):
        right.annotate(f"{weights[slot - 1]:.3g}", (slot, weights[slot - 1]), xytext=(0, 3), textcoords="offset points",
                       ha="center", fontsize=9.5, color=s.fg)
    right.set_title("IPS weight per click")
    right.set_xlabel("Slot")
    right.set_ylabel("Weight 1/θ")
    right.set_xticks(SLOTS)
    right.legend(loc="upper left")
    return fig
