"""scipy.interpolate with derivatives: SciPy's build + evaluate alone against chainrule's value,
gradient in the data y, gradient in the evaluation points x, and a JVP in y, for one spline
construction (n knots, m evaluation points).

Usage:  python benchmarks/bench_interpolate.py [--n 200] [--m 1000] [--repeat N]

The gradient in y is the transposed construction: a banded solve with the transposed matrix per
cotangent (docs/interpolate.md), then the transposed evaluation (sparse: k+1 basis functions per
point). Process CPU time, median of ``--repeat`` interleaved samples (benchmarks/timing.py); the
ratios to SciPy's value are the figures to read.
"""

import argparse

import numpy as np

import timing


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--m", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    import scipy.interpolate as si
    import chainrule as cr
    import chainrule.numpy as cnp
    import chainrule.scipy.interpolate as ci

    n, m = args.n, args.m
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(0.0, 10.0, n))
    y = rng.standard_normal(n)
    t = rng.uniform(x[0], x[-1], m)
    g = rng.standard_normal(m)
    builders = {
        "CubicSpline": (si.CubicSpline, ci.CubicSpline),
        "CubicSpline natural": (lambda x, y: si.CubicSpline(x, y, bc_type="natural"),
                                lambda x, y: ci.CubicSpline(x, y, bc_type="natural")),
        "make_interp_spline k=3": (si.make_interp_spline, ci.make_interp_spline),
        "make_interp_spline k=5": (lambda x, y: si.make_interp_spline(x, y, k=5),
                                   lambda x, y: ci.make_interp_spline(x, y, k=5)),
        "splrep + splev": (lambda x, y: (lambda t, tck=si.splrep(x, y): si.splev(t, tck)),
                           lambda x, y: (lambda t, tck=ci.splrep(x, y): ci.splev(t, tck))),
    }
    print(f"n = {n} knots, m = {m} points; process CPU time, median of {args.repeat}; "
          f"ratio to SciPy's build + evaluate")
    print(f"{'case':<24} {'SciPy':>9} {'value':>16} {'grad y':>16} {'grad x':>16} "
          f"{'jvp y':>16}")
    for name, (sb, cb) in builders.items():
        def loss(yv, tv, cb=cb):
            return cnp.sum(g * cb(x, yv)(tv))
        gy, gx = cr.grad(loss, argnums=0), cr.grad(loss, argnums=1)
        v = rng.standard_normal(n)
        fns = {"scipy": lambda: sb(x, y)(t), "value": lambda: cb(x, y)(t),
               "grad y": lambda: gy(y, t), "grad x": lambda: gx(y, t),
               "jvp y": lambda: cr.jvp(lambda yv: loss(yv, t), (y,), (v,))}
        res, _ = timing.measure_all(fns, repeat=args.repeat)
        s = res["scipy"].median
        cells = [f"{timing.fmt_time(res[k].median):>8} {res[k].median / s:5.1f}x"
                 for k in ("value", "grad y", "grad x", "jvp y")]
        print(f"{name:<24} {timing.fmt_time(s):>9} " + " ".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
