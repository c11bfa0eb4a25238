"""scipy.stats draws with their parameter derivatives: SciPy's rvs (the value) against
chainrule's rvs (the same values) and its pathwise gradient by implicit reparameterization.

Usage:  python benchmarks/bench_rvs.py [--sizes 1000,10000] [--repeat N]

weibull_min moves its draws through a ppf differentiable in the shape; gamma and beta through
the implicit rule with tanh-sinh quadrature of the density (their cdfs have no derivative in
the shapes). Process CPU time, median of ``--repeat`` interleaved samples
(benchmarks/timing.py); the ratios are the figures to read.
"""

import argparse

import numpy as np

import timing

CASES = {"weibull_min": (1.5,), "gamma": (2.0,), "beta": (2.0, 3.0)}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args(argv)
    import scipy.stats
    import chainrule as cr
    import chainrule.numpy as cnp
    import chainrule.scipy.stats as cst

    print(f"process CPU time, median of {args.repeat}")
    print(f"{'distribution':<12} {'n':>6} {'SciPy rvs':>10} {'rvs':>9} {'grad':>9} "
          f"{'grad/SciPy':>11}")
    for name, shapes in CASES.items():
        for n in (int(s) for s in args.sizes.split(",")):
            ours, theirs = getattr(cst, name).rvs, getattr(scipy.stats, name).rvs
            draw = lambda *s: ours(*s, size=n, random_state=0)   # noqa: E731
            assert np.array_equal(draw(*shapes), theirs(*shapes, size=n, random_state=0))
            grad = cr.grad(lambda *s: cnp.sum(draw(*s)), argnums=tuple(range(len(shapes))))
            t, _ = timing.measure_all({"scipy": lambda: theirs(*shapes, size=n, random_state=0),
                                       "value": lambda: draw(*shapes),
                                       "grad": lambda: grad(*shapes)}, repeat=args.repeat)
            s, v, g = (t[k].median for k in ("scipy", "value", "grad"))
            print(f"{name:<12} {n:>6} {timing.fmt_time(s):>10} {timing.fmt_time(v):>9} "
                  f"{timing.fmt_time(g):>9} {g / s:>10.0f}x")


if __name__ == "__main__":
    main()
