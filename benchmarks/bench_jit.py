"""What tracing costs: cr.jit's first call against an eager call, and when jit pays off.

Usage:  python benchmarks/bench_jit.py [WORKLOAD ...] [--repeat N]

For each workload (default W1 W2 W3-f64 W3-f32): the eager chainrule call, the first
call of a freshly built jitted function (trace + optimise + generate + compile; median
of N fresh builds), a replay, and the break-even call count: the number of calls after
which the jitted function has cost less in total than eager,
``ceil((first - eager) / (eager - replay))`` + 1. Process CPU time, one thread.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import backends  # noqa: E402
import timing  # noqa: E402
import workloads  # noqa: E402


def first_call(w, data, repeat):
    samples = []
    for _ in range(repeat):
        (fn,) = w.builders["chainrule-jit"](data).values()
        t0 = time.process_time()
        fn()
        samples.append(time.process_time() - t0)
    return statistics.median(samples)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workloads", nargs="*", default=["W1", "W2", "W3-f64", "W3-f32"])
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    backends.load("chainrule")
    by_name = {w.name: w for w in workloads.ALL}
    print(f"{'workload':<8} {'eager':>10} {'first call':>11} {'first/eager':>12} "
          f"{'replay':>10} {'replay/eager':>13} {'break-even':>11}")
    for name in args.workloads:
        w = by_name[name]
        data = w.make_data()
        (eager,) = w.builders["chainrule"](data).values()
        (jitted,) = w.builders["chainrule-jit"](data).values()
        jitted()
        t_eager = timing.measure(eager, repeat=args.repeat).median
        t_replay = timing.measure(jitted, repeat=args.repeat).median
        t_first = first_call(w, data, args.repeat)
        gain = t_eager - t_replay
        even = "never" if gain <= 0 else str(1 + max(0, math.ceil((t_first - t_eager) / gain)))
        print(f"{name:<8} {timing.fmt_time(t_eager):>10} {timing.fmt_time(t_first):>11} "
              f"{t_first / t_eager:>11.1f}x {timing.fmt_time(t_replay):>10} "
              f"{t_replay / t_eager:>12.2f}x {even:>11}")


if __name__ == "__main__":
    main()
