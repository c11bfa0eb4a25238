"""The cost of the overflow-free derivative rules: gradients of hypot, arctan2, expit,
arcsinh, norm and std (NumPy only).

Usage:  python benchmarks/bench_extremes.py [--size 100000] [--repeat 7]

Each row is the gradient of the sum (norm: of the norm; std: of the column stds of a square
matrix of about ``size`` entries) on float64 data of ordinary magnitude, median and minimum
process CPU time per call. Compare two checkouts by running this file with each on the
path: the rules of these functions compute their ratios on operands scaled by a power of
two (hypot, arctan2, norm, std), expit(-x) (expit) or hypot(x, 1) (arcsinh), where the
earlier rules overflowed or cancelled at the extremes.
"""

import argparse

import numpy as np

import timing


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=100000)
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args(argv)
    import chainrule as cr
    import chainrule.numpy as cnp
    import chainrule.scipy.special as csp

    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(args.size), rng.standard_normal(args.size)
    side = max(int(args.size ** 0.5), 1)
    m = rng.standard_normal((side, side))
    grads = {
        "hypot": (cr.grad(lambda v: cnp.sum(cnp.hypot(v, y))), x),
        "arctan2": (cr.grad(lambda v: cnp.sum(cnp.arctan2(v, y))), x),
        "expit": (cr.grad(lambda v: cnp.sum(csp.expit(v))), x),
        "arcsinh": (cr.grad(lambda v: cnp.sum(cnp.arcsinh(v))), x),
        "norm": (cr.grad(cnp.linalg.norm), x),
        "std": (cr.grad(lambda v: cnp.sum(cnp.std(v, axis=0))), m),
    }
    fns = {name: (lambda f=f, a=a: f(a)) for name, (f, a) in grads.items()}
    timings, errors = timing.measure_all(fns, repeat=args.repeat)
    for name, t in timings.items():
        print(f"{name:8s} median {timing.fmt_time(t.median):>10s}   min {timing.fmt_time(t.best):>10s}")
    for name, (message, _) in errors.items():
        print(f"{name:8s} failed: {message}")


if __name__ == "__main__":
    main()
