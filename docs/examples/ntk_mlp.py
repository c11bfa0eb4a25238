"""The empirical NTK of a 3-layer MLP, its spectrum, and kernel regression vs training.

Run:  python docs/examples/ntk_mlp.py [--plot PATH]   (about half a minute)

The figure goes to PATH, by default ``ntk_mlp.png`` in the system's temporary directory; the
path is printed. ``--update-doc-image`` regenerates the picture in docs/images/ for the
maintainers (the only way this script writes into the checkout).

A wide tanh MLP (NTK parameterisation, 1 -> 512 -> 512 -> 1) is fit to 256 noisy
samples of a 1-D function by full-batch gradient descent on the mean squared
error. In the wide (lazy) regime the trained network follows its linearisation
around the initial parameters, whose training dynamics are solved by the NTK
Θ = J Jᵀ in closed form (Jacot et al. 2018; Lee et al. 2019):

    f_t(x*) = f_0(x*) + Θ(x*, X) Θ(X, X)⁻¹ (I - exp(-η t Θ(X, X) / N)) (y - f_0(X))

The script computes Θ with ``chainrule.ntk.empirical_ntk`` (both methods, and
checks they agree), prints and plots its eigenvalues, and compares the kernel
prediction with the trained network on test points.
"""

import argparse
import os
import tempfile
import time

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.ntk import empirical_ntk, choose_method, param_count

HERE = os.path.dirname(os.path.abspath(__file__))
DOC_IMAGE = os.path.join(HERE, "..", "images", "ntk_mlp.png")

WIDTH, N_TRAIN, N_TEST, STEPS, LR = 512, 256, 200, 1000, 1.0


def init(rng, sizes):
    # NTK parameterisation: weights N(0, 1), the 1/sqrt(fan_in) scale is in the forward pass.
    return [(rng.normal(size=(m, n)), rng.normal(size=n) * 0.1) for m, n in zip(sizes, sizes[1:])]


def mlp(params, x):
    """x: (N, 1) -> (N, 1)."""
    for w, b in params[:-1]:
        x = cnp.tanh(x @ w / np.sqrt(w.shape[0]) + b)
    w, b = params[-1]
    return x @ w / np.sqrt(w.shape[0]) + b


def target(x):
    return np.sin(3 * x) + 0.3 * np.cos(9 * x)


def main(plot_path=None):
    rng = np.random.default_rng(0)
    x_train = np.sort(rng.uniform(-2, 2, size=(N_TRAIN, 1)), axis=0)
    y_train = target(x_train) + 0.05 * rng.normal(size=x_train.shape)
    x_test = np.linspace(-2.5, 2.5, N_TEST)[:, None]
    params0 = init(rng, [1, WIDTH, WIDTH, 1])
    print(f"MLP 1-{WIDTH}-{WIDTH}-1: {param_count(params0)} parameters, "
          f"{N_TRAIN} training points")

    # ---- the kernel ----------------------------------------------------------------------
    print(choose_method(mlp, params0, x_train))
    t0 = time.perf_counter()
    K = empirical_ntk(mlp, params0, x_train, method="auto")
    t1 = time.perf_counter()
    K_vp = empirical_ntk(mlp, params0, x_train[:64], method="ntk_vp")
    t2 = time.perf_counter()
    print(f"Θ(X, X) {K.shape} in {t1 - t0:.2f} s; ntk_vp on 64 points in {t2 - t1:.2f} s, "
          f"max |difference| {np.abs(K_vp - K[:64, :64]).max():.2e}")
    K_sX = empirical_ntk(mlp, params0, x_test, x_train)
    eig = np.linalg.eigvalsh(K)[::-1]
    print("largest eigenvalues:", np.array2string(eig[:6], precision=3))
    print(f"smallest eigenvalue: {eig[-1]:.3g} (Θ is positive semi-definite up to round-off)")

    # ---- kernel regression: the linearised network after STEPS steps of GD ---------------
    f0_train = np.asarray(mlp(params0, x_train))
    f0_test = np.asarray(mlp(params0, x_test))
    w, V = np.linalg.eigh(K)
    decay = 1 - np.exp(-LR * STEPS * np.clip(w, 0, None) / N_TRAIN)
    coef = V @ ((decay / w)[:, None] * (V.T @ (y_train - f0_train)))
    f_kernel = f0_test + K_sX @ coef

    # ---- the network trained by gradient descent ---------------------------------------------
    def loss(p):
        r = mlp(p, x_train) - y_train
        return 0.5 * cnp.mean(r * r)

    step = cr.value_and_grad(loss)
    params = params0
    t0 = time.perf_counter()
    for i in range(STEPS):
        value, g = step(params)
        params = [(w_ - LR * gw, b_ - LR * gb) for (w_, b_), (gw, gb) in zip(params, g)]
        if i % 250 == 0:
            print(f"  step {i:4d}  loss {float(value):.5f}")
    print(f"trained {STEPS} steps in {time.perf_counter() - t0:.1f} s, final loss "
          f"{float(loss(params)):.5f}")
    f_net = np.asarray(mlp(params, x_test))
    gap = np.sqrt(np.mean((f_net - f_kernel) ** 2))
    scale = np.sqrt(np.mean((f_net - f0_test) ** 2))
    print(f"RMS(trained net - NTK prediction) = {gap:.4f}  (RMS change of the net during "
          f"training: {scale:.4f})")

    if plot_path:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(1, 2, figsize=(11, 4))
        ax[0].semilogy(eig, ".", ms=3)
        ax[0].set_title(f"NTK eigenvalues, {N_TRAIN} points, P={param_count(params0)}")
        ax[0].set_xlabel("index")
        ax[0].set_ylabel("eigenvalue")
        ax[1].plot(x_train[:, 0], y_train[:, 0], ".", color="0.6", ms=3, label="training data")
        ax[1].plot(x_test[:, 0], f0_test[:, 0], ":", color="0.4", label="network at init")
        ax[1].plot(x_test[:, 0], f_net[:, 0], lw=2.5, label=f"trained network ({STEPS} GD steps)")
        ax[1].plot(x_test[:, 0], f_kernel[:, 0], "--", lw=1.5,
                   label="NTK kernel regression (same t)")
        ax[1].set_ylim(-2.5, 2.5)
        ax[1].legend(fontsize=8)
        ax[1].set_title(f"prediction: RMS gap net vs kernel = {gap:.3f}")
        fig.tight_layout()
        fig.savefig(plot_path, dpi=110)
        print("wrote", os.path.abspath(plot_path))
    return gap, scale


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description="The empirical NTK of a wide MLP.")
    cli.add_argument("--plot", metavar="PATH",
                     default=os.path.join(tempfile.gettempdir(), "ntk_mlp.png"),
                     help="where to write the figure (default: ntk_mlp.png in the temp directory)")
    cli.add_argument("--update-doc-image", action="store_true",
                     help="write the figure to docs/images/ntk_mlp.png instead (maintainers)")
    args = cli.parse_args()
    main(DOC_IMAGE if args.update_doc_image else args.plot)
