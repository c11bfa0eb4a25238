"""scipy.sparse programs differentiated: chainrule against the hand-written adjoint.

    python benchmarks/bench_sparse.py            # n = 2,000 and 20,000 points
    python benchmarks/bench_sparse.py --quick    # n = 2,000 only

Two 1-d heat-equation programs with a sparse Laplacian L (``diags``), differentiated with
respect to the initial condition u0, the loss a weighted sum of the final state:

- ``implicit``: 50 implicit Euler steps, ``u = spsolve(I - dt·L, u)``.
  - ``scipy``: the value alone, SciPy's ``spsolve`` in the loop (refactorises every step).
  - ``numpy adjoint``: the floor: one ``splu``, 50 solves forward, 50 ``trans='T'`` back.
  - ``chainrule grad``: ``cr.grad`` of the program written with
    ``chainrule.scipy.sparse.linalg.spsolve``.
- ``explicit``: 500 explicit Euler steps, ``u = u + dt·(L @ u)``.
  - ``scipy``: the value alone; ``numpy adjoint``: forward, then g += dt·Lᵀg backwards;
    ``chainrule grad``: ``cr.grad`` of the SciPy program as written (``L @ u``).

Each timing is the median of --repeat runs (wall time, one thread); the ratio is to the
hand-written adjoint. Both derivatives are checked against each other before timing.
"""

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
import scipy.sparse.linalg as ssl  # noqa: E402

import chainrule as cr  # noqa: E402
import chainrule.numpy as cnp  # noqa: E402
import chainrule.scipy.sparse.linalg as cspl  # noqa: E402


def laplacian(n):
    h = 1.0 / (n + 1)
    return sp.diags([1.0, -2.0, 1.0], [-1, 0, 1], shape=(n, n), format="csr") / h ** 2


def implicit_programs(n, steps=50):
    dt = 1e-4
    M = (sp.identity(n) - dt * laplacian(n)).tocsc()
    w = np.linspace(0.0, 1.0, n)

    def scipy_value(u0):
        u = u0
        for _ in range(steps):
            u = ssl.spsolve(M, u)
        return float(w @ u)

    def numpy_adjoint(u0):
        lu = ssl.splu(M)
        u = u0
        for _ in range(steps):
            u = lu.solve(u)
        g = w.copy()
        for _ in range(steps):
            g = lu.solve(g, trans="T")
        return g

    def loss(u0):
        u = u0
        for _ in range(steps):
            u = cspl.spsolve(M, u)
        return cnp.sum(w * u)
    return scipy_value, numpy_adjoint, cr.grad(loss)


def explicit_programs(n, steps=500):
    L = laplacian(n)
    dt = 0.2 * (1.0 / (n + 1)) ** 2
    LT = L.T.tocsr()
    w = np.linspace(0.0, 1.0, n)

    def scipy_value(u0):
        u = u0
        for _ in range(steps):
            u = u + dt * (L @ u)
        return float(w @ u)

    def numpy_adjoint(u0):
        u = u0
        for _ in range(steps):
            u = u + dt * (L @ u)
        g = w.copy()
        for _ in range(steps):
            g = g + dt * (LT @ g)
        return g

    def loss(u0):
        u = u0
        for _ in range(steps):
            u = u + dt * (L @ u)
        return cnp.sum(w * u)
    return scipy_value, numpy_adjoint, cr.grad(loss)


def median_time(fn, x, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--repeat", type=int, default=5)
    a = p.parse_args(argv)
    sizes = (2000,) if a.quick else (2000, 20000)
    print(f"{'program':10} {'n':>6} {'scipy value':>12} {'numpy adjoint':>14} "
          f"{'chainrule grad':>15} {'ratio':>6}")
    for name, make in (("implicit", implicit_programs), ("explicit", explicit_programs)):
        for n in sizes:
            value, adjoint, grad = make(n)
            u0 = np.sin(np.pi * np.linspace(0.0, 1.0, n))
            if not np.allclose(grad(u0), adjoint(u0), rtol=1e-9, atol=1e-12):
                raise SystemExit(f"!!! MISMATCH {name} n={n}")
            tv, ta, tg = (median_time(f, u0, a.repeat) for f in (value, adjoint, grad))
            print(f"{name:10} {n:>6} {tv * 1e3:>10.1f}ms {ta * 1e3:>12.1f}ms "
                  f"{tg * 1e3:>13.1f}ms {tg / ta:>6.2f}")


if __name__ == "__main__":
    main()
