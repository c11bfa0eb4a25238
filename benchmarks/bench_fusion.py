"""numexpr fusion in jit: jit(grad(f), fuse=True) against jit(grad(f)) (NumPy only).

Usage:  python benchmarks/bench_fusion.py [--sizes 10000,100000,1000000] [--threads N]
                                          [--repeat N]

W4 (20 elementwise operations with sin, tanh, exp, cos, log, sqrt) and W4-arith (20 of
``*`` and ``+``), gradient of the sum, at each size. One thread by default (process CPU
time, as the other benchmarks); ``--threads N`` lets numexpr use N threads and times
wall-clock instead (NumPy's elementwise loops stay on one thread).
"""

import os
import sys

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
_threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"
os.environ["NUMEXPR_NUM_THREADS"] = _threads

import argparse  # noqa: E402

import numpy as np  # noqa: E402

import timing  # noqa: E402
from workloads.w4_elementwise import chain, arith  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args(argv)
    import chainrule as cr
    import chainrule.numpy as cnp
    from chainrule.interpreters import fusion

    if fusion.numexpr is None:
        sys.exit("numexpr is not installed (pip install numexpr, or the 'numexpr' extra)")
    clock = "cpu" if args.threads == 1 else "wall"
    print(f"numexpr {fusion.numexpr.__version__}, {fusion.numexpr.get_num_threads()} thread(s); "
          f"{'process CPU' if clock == 'cpu' else 'wall'} time, median of {args.repeat}")
    print(f"{'workload':<9} {'size':>9} {'jit NumPy':>11} {'jit numexpr':>12} {'ratio':>7}")
    for name, fn in (("W4", lambda x: cnp.sum(chain(x, cnp))),
                     ("W4-arith", lambda x: cnp.sum(arith(x)))):
        for size in (int(s) for s in args.sizes.split(",")):
            x = np.random.default_rng(0).uniform(-1.0, 1.0, size)
            plain, fused = cr.jit(cr.grad(fn)), cr.jit(cr.grad(fn), fuse=True)
            assert np.allclose(plain(x), fused(x), rtol=1e-14, atol=0)
            times, _ = timing.measure_all({"plain": lambda: plain(x), "fused": lambda: fused(x)},
                                          repeat=args.repeat, clock=clock)
            a, b = times["plain"].median, times["fused"].median
            print(f"{name:<9} {size:>9} {timing.fmt_time(a):>11} {timing.fmt_time(b):>12} "
                  f"{b / a:>6.2f}x")


if __name__ == "__main__":
    main()
