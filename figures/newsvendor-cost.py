"""Expected cost of each order quantity for the strawberries-versus-pasta example: docs/case-studies/demand-forecasting.md (#costs-to-quantile)."""

import numpy as np
from _style import normal_cdf, normal_pdf, normal_ppf

# The case study's worked example: demand ~ Normal(mean, sd); each unit short costs c_u, each unit left
# over costs c_o. Expected cost of ordering q = c_o E[(q - D)+] + c_u E[(D - q)+], minimised at the
# critical ratio c_u / (c_u + c_o).
ITEMS = {
    "Strawberries": {"mean": 40, "sd": 12, "cu": 2.00, "co": 2.50, "unit": "punnets"},
    "Pasta": {"mean": 20, "sd": 6, "cu": 0.40, "co": 0.02, "unit": "packs"},
}


def expected_cost(q, item):
    z = (np.asarray(q, dtype=float) - item["mean"]) / item["sd"]
    short = item["sd"] * (normal_pdf(z) - z * (1 - normal_cdf(z)))  # E[(D - q)+]
    over = item["sd"] * (z * normal_cdf(z) + normal_pdf(z))  # E[(q - D)+]
    return item["co"] * over + item["cu"] * short


for item in ITEMS.values():
    item["ratio"] = item["cu"] / (item["cu"] + item["co"])
    item["rules"] = {
        f"critical ratio q{item['ratio']:.2f}": item["mean"] + item["sd"] * normal_ppf(item["ratio"]),
        "mean forecast": float(item["mean"]),
        "blanket p90": item["mean"] + item["sd"] * normal_ppf(0.9),
    }
costs = {name: [round(float(expected_cost(q, item)), 2) for q in item["rules"].values()] for name, item in ITEMS.items()}
quantities = {name: [round(q, 1) for q in item["rules"].values()] for name, item in ITEMS.items()}
# The page's table (quantity, € per day) for each rule.
assert quantities == {"Strawberries": [38.3, 40.0, 55.4], "Pasta": [30.0, 20.0, 27.7]}, quantities
assert costs == {"Strawberries": [21.33, 21.54, 41.00], "Pasta": [0.25, 1.01, 0.27]}, costs
# The numbers the page states, which the assertions above reproduce (scripts/check_consistency.py).
ON_PAGE = ["38.3", "55.4", "27.7", "21.33", "21.54", "41.00", "1.01"]

ALT = ("Two panels of expected daily cost against the order quantity. Strawberries (critical ratio 0.44): a "
       "U-shaped curve lowest at 38.3 punnets, €21.33; ordering the mean, 40, costs €21.54 and a blanket 90th "
       "percentile, 55.4, costs €41.00. Pasta (critical ratio 0.95): a curve that falls steeply and then stays "
       "flat, lowest at 30 packs, €0.25; the mean, 20, costs €1.01 and the 90th percentile, 27.7, €0.27.")
CAPTION = ("The strawberries-versus-pasta worked example: expected cost per day of ordering q units when demand "
           "is normal (strawberries mean 40, sd 12; pasta mean 20, sd 6), with the page's costs of a unit short "
           "and a unit left over. Each curve is lowest at its own critical ratio, c_u / (c_u + c_o): 0.44 for "
           "strawberries, 0.95 for pasta. A blanket 90% service level doubles the strawberry bill through waste; "
           "ordering the mean quadruples the pasta bill through stock-outs.")


def draw(s):
    fig, axes = s.figure(width=7.2, height=3.8, ncols=2)
    marks = (s.store, s.online, s.offline)
    for ax, (name, item) in zip(axes, ITEMS.items()):
        lo, hi = item["mean"] - 2.5 * item["sd"], item["mean"] + 3 * item["sd"]
        q = np.linspace(lo, hi, 600)
        ax.plot(q, expected_cost(q, item), color=s.fg)
        for (label, quantity), color in zip(item["rules"].items(), marks):
            cost = float(expected_cost(quantity, item))
            ax.plot([quantity], [cost], "o", color=color, markersize=7, zorder=3, label=f"{label}: {quantity:.1f}, €{cost:.2f}")
        ax.set_xlim(lo, hi)
        ax.set_ylim(0, 1.5 * float(expected_cost(q, item).max()))  # room for the legend above the curve
        ax.set_title(f"{name} (critical ratio {item['ratio']:.2f})")
        ax.set_xlabel(f"Order quantity ({item['unit']})")
        ax.set_ylabel("Expected cost per day (€)")
        s.legend(ax, loc="upper center")
    return fig
