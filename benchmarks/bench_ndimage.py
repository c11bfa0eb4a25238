"""scipy.ndimage with derivatives: SciPy's value alone against chainrule's gradient of a scalar
of the same call (the input's, and the coordinates' where there are any), on one image.

Usage:  python benchmarks/bench_ndimage.py [--size 64] [--repeat N]

The gradient runs the traced composite (docs/ndimage.md): the interpolation's taps and
B-spline weights as chainrule.numpy operations, the rank filters' neighbourhood stack, the
measurements' per-region gathers. Process CPU time, median of ``--repeat`` interleaved samples
(benchmarks/timing.py); the ratios are the figures to read.
"""

import argparse

import numpy as np

import timing


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    import scipy.ndimage as snd
    import chainrule as cr
    import chainrule.numpy as cnp
    import chainrule.scipy.ndimage as cndi

    n = args.size
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    c = rng.uniform(0, n - 1, (2, n, n))
    labels = rng.integers(0, 10, (n, n))
    cases = {
        "map_coordinates order 1": (lambda: snd.map_coordinates(x, c, order=1), cr.grad(
            lambda x, c: cnp.sum(g * cndi.map_coordinates(x, c, order=1)), argnums=(0, 1))),
        "map_coordinates order 3": (lambda: snd.map_coordinates(x, c, order=3), cr.grad(
            lambda x, c: cnp.sum(g * cndi.map_coordinates(x, c, order=3)), argnums=(0, 1))),
        "shift order 1 (in s)": (lambda: snd.shift(x, (0.3, 0.6), order=1), cr.grad(
            lambda s: cnp.sum(g * cndi.shift(x, s, order=1)))),
        "median_filter 3x3": (lambda: snd.median_filter(x, 3), cr.grad(
            lambda x: cnp.sum(g * cndi.median_filter(x, 3)))),
        "sobel": (lambda: snd.sobel(x), cr.grad(lambda x: cnp.sum(g * cndi.sobel(x)))),
        "mean over 10 labels": (lambda: snd.mean(x, labels, range(10)), cr.grad(
            lambda x: cnp.sum(cndi.mean(x, labels, range(10))))),
    }
    print(f"{n}x{n} image, process CPU time, median of {args.repeat}")
    print(f"{'case':<26} {'SciPy value':>12} {'chainrule grad':>15} {'ratio':>7}")
    for name, (value, grad) in cases.items():
        arg = (np.array([0.3, 0.6]),) if "in s" in name else (x, c) if "coord" in name else (x,)
        t, _ = timing.measure_all({"scipy": value, "grad": lambda: grad(*arg)},
                                  repeat=args.repeat)
        s, d = t["scipy"].median, t["grad"].median
        print(f"{name:<26} {timing.fmt_time(s):>12} {timing.fmt_time(d):>15} {d / s:>6.0f}x")


if __name__ == "__main__":
    main()
