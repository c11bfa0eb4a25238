"""How fast can a Python tape be? W2's chain against the smallest tape that runs it.

W2 (``benchmarks/workloads/w2_overhead.py``) is 1000 elementwise operations (sin, * c, + c)
on 10 floats, forward and reverse: almost all bookkeeping. This script times, each in a
fresh process of its own (after warm-up, single-threaded, median of the samples):

* ``numpy``: the hand-written gradient (W2's floor);
* ``minimal``: a tape that knows exactly these three operations and nothing else: a
  tracer of two slots, one tuple per operation, an if-chain for the backward pass; no
  dispatch, no nesting, no shapes, no broadcasting, no checks. No general AD can be
  cheaper than this in Python, so its ratio is a floor for eager reverse mode here;
* ``chainrule``: ``cr.grad`` of the same chain.

    python benchmarks/bench_tape_floor.py            # three rounds of fresh processes
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

HERE = os.path.dirname(os.path.abspath(__file__))
IMPLS = ("numpy", "minimal", "chainrule")


def _minimal_grad(x0, n_ops, mul, add):
    import numpy as np

    class T:
        __slots__ = ("v", "i")

        def __init__(self, v, i):
            self.v, self.i = v, i

    SIN, MUL, ADD = 0, 1, 2

    def grad():
        tape = []

        def sin(a):
            tape.append((SIN, a.v, a.i))
            return T(np.sin(a.v), len(tape))

        def times(a, c):
            tape.append((MUL, c, a.i))
            return T(a.v * c, len(tape))

        def plus(a, c):
            tape.append((ADD, None, a.i))
            return T(a.v + c, len(tape))

        x = T(x0, 0)
        for _ in range(n_ops // 3):
            x = plus(times(sin(x), mul), add)
        for _ in range(n_ops % 3):
            x = sin(x)
        ct = {len(tape): np.ones_like(x0)}
        for j in range(len(tape) - 1, -1, -1):
            op, r, parent = tape[j]
            g = ct.pop(j + 1)
            if op == SIN:
                g = g * np.cos(r)
            elif op == MUL:
                g = g * r
            ct[parent] = g
        return ct[0]
    return grad


def _worker(impl, samples):
    sys.path[:0] = [os.path.join(HERE, "..", "src"), os.path.join(HERE, "..")]
    import numpy as np
    from benchmarks.workloads import w2_overhead as w2

    d = w2.make_data()
    if impl == "numpy":
        fn = w2.numpy_impl(d)["grad"]
    elif impl == "minimal":
        fn = _minimal_grad(d["x"], w2.N_OPS, w2.MUL, w2.ADD)
        np.testing.assert_allclose(fn(), w2.numpy_impl(d)["grad"](), rtol=1e-12)
    else:
        fn = w2.chainrule_impl(d)["grad"]
    for _ in range(20):
        fn()
    times = []
    for _ in range(samples):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    print(json.dumps({"impl": impl, "us_per_op": statistics.median(times) * 1e6 / w2.N_OPS}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3, help="fresh processes per implementation")
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.rounds < 1 or args.samples < 1:
        ap.error("--rounds and --samples must be at least 1")
    if args.worker:
        _worker(args.worker, args.samples)
        return
    runs = {impl: [] for impl in IMPLS}
    for _ in range(args.rounds):
        for impl in IMPLS:  # taking turns, so that the machine's load hits all alike
            out = subprocess.run([sys.executable, __file__, "--worker", impl,
                                  "--samples", str(args.samples)],
                                 capture_output=True, text=True, check=True)
            runs[impl].append(json.loads(out.stdout.splitlines()[-1])["us_per_op"])
    floor = statistics.median(runs["numpy"])
    print(f"W2 per operation, {args.rounds} fresh processes each (median, range):")
    for impl in IMPLS:
        r = runs[impl]
        m = statistics.median(r)
        print(f"  {impl:10s} {m:6.2f} µs  ({min(r):.2f}-{max(r):.2f})  {m / floor:5.2f}x hand-written")


if __name__ == "__main__":
    main()
