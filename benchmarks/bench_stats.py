"""scipy.stats log-likelihoods: the gradient in every parameter against SciPy's value alone.

Usage:  python benchmarks/bench_stats.py [--sizes 1000,100000] [--repeat N]

For each distribution, the negative log-likelihood of n data points as a function of
(shapes, loc, scale): SciPy's ``logpdf(...).sum()`` (the value only), chainrule's value,
and chainrule's gradient in reverse mode (eager and under jit). Process CPU time, median
of ``--repeat`` interleaved samples (benchmarks/timing.py); the ratios are the figures to
read: what the exact gradient costs over the value SciPy computes.
"""

import argparse

import numpy as np

import timing

CASES = {  # name: (standard data maker, shapes)
    "weibull_min": (lambda rng, n: rng.weibull(1.5, n), (1.5,)),
    "truncnorm": (lambda rng, n: rng.uniform(-0.9, 1.9, n), (-1.0, 2.0)),
    "genextreme": (lambda rng, n: rng.gumbel(size=n), (0.1,)),
    "skewnorm": (lambda rng, n: rng.standard_normal(n), (2.0,)),
    "invgauss": (lambda rng, n: rng.wald(1.0, 1.0, n), (1.0,)),
}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,100000")
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args(argv)
    import scipy.stats
    import chainrule as cr
    import chainrule.numpy as cnp
    import chainrule.scipy.stats as cst

    print(f"process CPU time, median of {args.repeat}")
    print(f"{'distribution':<12} {'n':>7} {'SciPy value':>12} {'value':>9} {'grad':>9} "
          f"{'jit grad':>9} {'grad/SciPy':>11} {'jit/SciPy':>10}")
    for name, (make, shapes) in CASES.items():
        for n in (int(s) for s in args.sizes.split(",")):
            x = make(np.random.default_rng(0), n) * 2.0 + 0.5
            params = np.array([*shapes, 0.5, 2.0])
            ours, theirs = getattr(cst, name).logpdf, getattr(scipy.stats, name).logpdf
            nll = lambda p: -cnp.sum(ours(x, *p))   # noqa: E731
            grad, jit_grad = cr.grad(nll), cr.jit(cr.grad(nll))
            assert np.isclose(nll(params), -theirs(x, *params).sum(), rtol=1e-12)
            np.testing.assert_allclose(jit_grad(params), grad(params), rtol=1e-12)
            t, _ = timing.measure_all({"scipy": lambda: theirs(x, *params).sum(),
                                       "value": lambda: nll(params), "grad": lambda: grad(params),
                                       "jit": lambda: jit_grad(params)}, repeat=args.repeat)
            s, v, g, j = (t[k].median for k in ("scipy", "value", "grad", "jit"))
            print(f"{name:<12} {n:>7} {timing.fmt_time(s):>12} {timing.fmt_time(v):>9} "
                  f"{timing.fmt_time(g):>9} {timing.fmt_time(j):>9} {g / s:>10.1f}x "
                  f"{j / s:>9.1f}x")


if __name__ == "__main__":
    main()
