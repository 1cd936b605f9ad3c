"""ROC and precision-recall curves of one model at four class ratios: docs/foundations/metrics.md (#roc-auc-vs-pr-auc)."""

import numpy as np
from _style import normal_cdf, normal_pdf, normal_ppf, normal_sf

# The page's worked example: positive scores ~ N(2.5, 1), negative scores ~ N(0, 1).
D = 2.5
RATIOS = [1, 10, 100, 1000]  # negatives per positive
t = np.linspace(-6.0, 10.0, 16001)
tpr, fpr = normal_sf(t - D), normal_sf(t)
roc_auc = float(normal_cdf(D / np.sqrt(2)))


def precision_at(ratio):
    pi = 1 / (1 + ratio)
    return pi * tpr / (pi * tpr + (1 - pi) * fpr)


def average_precision(ratio):
    """AP = ∫ precision d(recall): the integral the page's code computes with scipy.quad."""
    density = normal_pdf(t - D)
    return float(np.sum(precision_at(ratio) * density) * (t[1] - t[0]))


aps = {ratio: average_precision(ratio) for ratio in RATIOS}
assert round(roc_auc, 3) == 0.961 and [round(aps[r], 3) for r in RATIOS] == [0.962, 0.800, 0.476, 0.182]
cut = D + normal_ppf(0.2)  # the threshold that catches 80% of positives
fpr80 = float(normal_sf(cut))
prec80 = {r: 0.8 / (0.8 + r * fpr80) for r in RATIOS}
assert round(fpr80, 4) == 0.0486 and round(prec80[1000], 3) == 0.016 and round(prec80[1], 2) == 0.94
# The numbers the page states, which the assertions above reproduce (scripts/check_consistency.py).
ON_PAGE = ["0.961", "0.962", "0.476", "0.182"]

ALT = ("Two panels for one model whose positive scores are normal with mean 2.5 and negatives normal with "
       "mean 0. Left, the ROC curve: a single curve with ROC-AUC 0.961 whatever the class ratio; the "
       "threshold that catches 80% of positives has a false positive rate of 4.86%. Right, precision-recall "
       "curves at 1:1, 1:10, 1:100 and 1:1000 positives to negatives, with average precision 0.962, 0.800, "
       "0.476 and 0.182; at 80% recall precision falls from 94% at 1:1 to 1.6% at 1:1000.")
CAPTION = ("The ROC-versus-PR worked example: one model (positive scores N(2.5, 1), negative scores N(0, 1)) "
           "at four class ratios. The ROC curve does not move with the ratio, because both its axes are rates "
           "within one class; the PR curve collapses as negatives multiply. The dot on every curve is the "
           "threshold that catches 80% of positives (FPR 4.86%): precision 94% at 1:1, 1.6% at 1:1000. "
           "Average precision computed by integrating precision over recall, as in the page's code.")


def draw(s):
    fig, (left, right) = s.figure(width=7.2, height=3.9, ncols=2)
    left.plot(fpr, tpr, color=s.fg, label=f"every ratio: AUC {roc_auc:.3f}")
    left.plot([0, 1], [0, 1], color=s.muted, linestyle=":", linewidth=1.2, label="random: AUC 0.5")
    left.plot([fpr80], [0.8], "o", color=s.offline, markersize=7, zorder=3)
    left.annotate(f"80% recall\nat FPR {fpr80:.2%}", (fpr80, 0.8), xytext=(18, -34), textcoords="offset points",
                  color=s.offline, fontsize=9.5, arrowprops={"arrowstyle": "-", "color": s.offline, "linewidth": 0.8})
    left.set_title("ROC: the same at any ratio")
    left.set_xlabel("False positive rate")
    left.set_ylabel("Recall (true positive rate)")
    left.set_xlim(0, 1)
    left.set_ylim(0, 1.02)
    left.legend(loc="lower right")
    for ratio, color in zip(RATIOS, s.series):
        right.plot(tpr, precision_at(ratio), color=color, label=f"1:{ratio:,}  AP {aps[ratio]:.3f}")
        right.plot([0.8], [prec80[ratio]], "o", color=color, markersize=6, zorder=3)
    right.annotate(f"{prec80[1]:.0%}", (0.8, prec80[1]), xytext=(6, 4), textcoords="offset points", fontsize=9.5,
                   color=s.series[0])
    right.annotate(f"{prec80[1000]:.1%}", (0.8, prec80[1000]), xytext=(6, 4), textcoords="offset points",
                   fontsize=9.5, color=s.series[3])
    right.set_title("Precision-recall: collapses with imbalance")
    right.set_xlabel("Recall")
    right.set_ylabel("Precision")
    right.set_xlim(0, 1)
    right.set_ylim(0, 1.02)
    s.legend(right, loc="lower left", title="positives : negatives", title_fontsize=9.5)
    return fig
