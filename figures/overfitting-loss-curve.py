"""Training and validation loss of a click model with ID features over several epochs: docs/framework/model-development.md (#optimisers)."""

import numpy as np
from _style import SEED

# Simulated (one seed): a logistic click model on 8 dense features plus a one-hot item ID with 4,000
# items whose traffic follows Zipf's law, so most IDs are rare. The true click logit is a dense part
# plus a small per-item effect (standard deviation 0.3). Training: 40,000 impressions, Adagrad, batch
# 256, no regularisation, 8 epochs. Validation: the next 20,000 impressions from the same process (a
# time-based split). Log loss is measured 8 times per epoch.
ITEMS, DENSE, TRAIN, VALID, EPOCHS, BATCH, LR = 4_000, 8, 40_000, 20_000, 8, 256, 0.3
rng = np.random.default_rng(SEED)
popularity = 1 / np.arange(1, ITEMS + 1) ** 1.05
popularity /= popularity.sum()
w_true = rng.normal(0, 0.6, DENSE)
item_effect = rng.normal(0, 0.3, ITEMS)


def sample(n):
    x = rng.normal(0, 1, (n, DENSE))
    item = rng.choice(ITEMS, n, p=popularity)
    logit = -2.0 + x @ w_true + item_effect[item]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    return x, item, y


xt, it, yt = sample(TRAIN)
xv, iv, yv = sample(VALID)


def log_loss(w, b, e, x, item, y):
    p = np.clip(1 / (1 + np.exp(-(x @ w + b + e[item]))), 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


w, b, e = np.zeros(DENSE), 0.0, np.zeros(ITEMS)
gw, gb, ge = np.full(DENSE, 1e-8), 1e-8, np.full(ITEMS, 1e-8)  # Adagrad accumulators
steps_per_epoch = TRAIN // BATCH
checkpoints = {round(steps_per_epoch * k / 8) for k in range(1, 9)}
epochs, train_loss, valid_loss = [0.0], [log_loss(w, b, e, xt, it, yt)], [log_loss(w, b, e, xv, iv, yv)]
for epoch in range(EPOCHS):
    order = rng.permutation(TRAIN)
    for step in range(1, steps_per_epoch + 1):
        idx = order[(step - 1) * BATCH:step * BATCH]
        x, item, y = xt[idx], it[idx], yt[idx]
        err = 1 / (1 + np.exp(-(x @ w + b + e[item]))) - y
        grad_w, grad_b = x.T @ err / BATCH, err.mean()
        grad_e = np.bincount(item, weights=err, minlength=ITEMS) / BATCH
        gw += grad_w ** 2
        gb += grad_b ** 2
        ge += grad_e ** 2
        w -= LR * grad_w / np.sqrt(gw)
        b -= LR * grad_b / np.sqrt(gb)
        e -= LR * grad_e / np.sqrt(ge)
        if step in checkpoints:
            epochs.append(epoch + step / steps_per_epoch)
            train_loss.append(log_loss(w, b, e, xt, it, yt))
            valid_loss.append(log_loss(w, b, e, xv, iv, yv))
best = int(np.argmin(valid_loss))
best_epoch, best_valid = epochs[best], valid_loss[best]
final_gap = valid_loss[-1] - train_loss[-1]
assert 0.5 <= best_epoch <= 2 and valid_loss[-1] > best_valid + 0.005  # the shape the page describes

ALT = (f"Training and validation log loss of a simulated click model over {EPOCHS} epochs. Both fall during the "
       f"first epoch; validation loss reaches its minimum, {best_valid:.4f}, at epoch {best_epoch:.2f} and then "
       f"rises while training loss keeps falling, ending {final_gap:.3f} below validation: the model memorises "
       f"rare item IDs. Early stopping keeps the checkpoint at the minimum.")
CAPTION = (f"Over-fitting in a recommender-style model, simulated with one seed: logistic regression on 8 dense "
           f"features and a one-hot ID of 4,000 items with Zipf-distributed traffic (most IDs are seen a handful "
           f"of times), trained with Adagrad and no regularisation on 40,000 impressions and validated on the "
           f"next 20,000. Validation loss bottoms out at epoch {best_epoch:.2f}, then climbs as the rare IDs' "
           f"weights fit noise: the reason to stop early on the days after the training window, or to train one "
           f"pass over fresh data.")


def draw(s):
    fig, ax = s.figure(width=6.4, height=3.8)
    ax.plot(epochs, train_loss, color=s.offline, label="training log loss")
    ax.plot(epochs, valid_loss, color=s.online, label="validation log loss (next days)")
    ax.axvline(best_epoch, color=s.store, linestyle="--", linewidth=1.2)
    ax.plot([best_epoch], [best_valid], "o", color=s.store, zorder=3)
    ax.annotate(f"early stop: epoch {best_epoch:.2f}", (best_epoch, best_valid), xytext=(10, 22),
                textcoords="offset points", color=s.store, fontsize=9.5,
                arrowprops={"arrowstyle": "-", "color": s.store, "linewidth": 0.8})
    ax.annotate("", (EPOCHS, train_loss[-1]), (EPOCHS, valid_loss[-1]),
                arrowprops={"arrowstyle": "<->", "color": s.muted, "linewidth": 1.0})
    s.note(ax, EPOCHS - 0.12, (train_loss[-1] + valid_loss[-1]) / 2, f"gap {final_gap:.3f}", ha="right", va="center")
    ax.set_ylim(min(train_loss) - 0.006, valid_loss[-1] + 0.012)  # the first steps, from 0.693, run off the top
    ax.set_xlim(0, EPOCHS + 0.1)
    ax.set_xlabel("Epochs over the training window")
    ax.set_ylabel("Log loss (nats)")
    ax.legend(loc="upper right")
    return fig
