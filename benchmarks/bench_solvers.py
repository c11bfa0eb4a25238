"""Newton-Krylov on the 2D Bratu problem: chainrule (exact JVPs) vs SciPy (finite differences).

    python benchmarks/bench_solvers.py            # N = 64, 128, 256 (a few minutes)
    python benchmarks/bench_solvers.py --quick    # N = 64 only

The problem: -Δu - λ e^u = 0 on the unit square, Dirichlet zero, N x N
interior points, written as F(u) = 4u - (neighbours) - h²λ e^u (the
5-point stencil times h², so that max|F| is a meaningful absolute
tolerance). Both solvers start from u = 0 and stop when max|F| <= tol.

- ``chainrule``: ``chainrule.solvers.newton_krylov`` with its defaults (one
  GMRES cycle per Newton step: 20 Krylov directions + 10 recycled corrections;
  exact J·v from one ``cr.linearize`` per Newton step, whose staged program the
  next step reuses; Eisenstat-Walker forcing).
- ``scipy``: ``scipy.optimize.newton_krylov`` with its defaults (LGMRES,
  finite-difference J·v, one F per J·v), fed a plain-NumPy F (its best case).
- ``+M``: both with the same preconditioner, a fast Poisson solver (DST-I
  diagonalises the 5-point Laplacian), passed as ``M=`` / ``inner_M=``.

Columns: Newton steps, Krylov iterations (J·v products; SciPy's are inside
its F count), F evaluations (chainrule counts each linearize as one),
wall time (best of --repeat runs), final max|F|, and whether the run
reached the tolerance. OMP/OPENBLAS threads are set to 1.
"""

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

import chainrule as cr  # noqa: E402
import chainrule.numpy as cnp  # noqa: E402
from chainrule.solvers import newton_krylov  # noqa: E402

try:
    import scipy
    import scipy.fft as sfft
    import scipy.optimize as sopt
    import scipy.sparse.linalg as sla
except ImportError:  # pragma: no cover
    scipy = None


def bratu_cr(lam):
    """The residual, traceable (chainrule.numpy)."""
    def F(u):
        n = u.shape[0]
        up = cnp.pad(u, 1)
        nb = up[:-2, 1:-1] + up[2:, 1:-1] + up[1:-1, :-2] + up[1:-1, 2:]
        return 4.0 * u - (nb + (lam / (n + 1) ** 2) * cnp.exp(u))
    return F


def bratu_np(lam):
    """The same residual in plain NumPy (what SciPy gets)."""
    def F(u):
        n = u.shape[0]
        up = np.pad(u, 1)
        nb = up[:-2, 1:-1] + up[2:, 1:-1] + up[1:-1, :-2] + up[1:-1, 2:]
        return 4.0 * u - (nb + (lam / (n + 1) ** 2) * np.exp(u))
    return F


def poisson_inverse(n):
    """v -> L⁻¹ v for the 5-point Laplacian (times h²) with Dirichlet zero, by DST-I."""
    c = 2.0 - 2.0 * np.cos(np.pi * np.arange(1, n + 1) / (n + 1))
    eig = c[:, None] + c[None, :]

    def apply(v):
        v2 = np.reshape(v, (n, n))
        return np.reshape(sfft.idstn(sfft.dstn(v2, type=1) / eig, type=1), np.shape(v))
    return apply


def _best(fn, repeat):
    best, res = None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = fn()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best, res


def run_chainrule(n, lam, tol, precond, repeat, maxiter=50):
    F = bratu_cr(lam)
    M = poisson_inverse(n) if precond else None

    def go():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return newton_krylov(F, np.zeros((n, n)), tol=tol, maxiter=maxiter, M=M,
                                 on_failure="warn")
    t, (x, info) = _best(go, repeat)
    return dict(solver="chainrule" + (" +M" if precond else ""), steps=info.newton_steps,
                krylov=info.krylov_iterations, fevals=info.f_evals, jvps=info.jvp_evals,
                time=t, resid=float(np.abs(bratu_np(lam)(x)).max()), ok=info.converged)


def run_scipy(n, lam, tol, precond, repeat, maxiter=50):
    Fn = bratu_np(lam)
    count = [0, 0]

    def F(u):
        count[0] += 1
        return Fn(u)

    def cb(x, f):
        count[1] += 1
    kw = {}
    if precond:
        P = poisson_inverse(n)
        kw["inner_M"] = sla.LinearOperator((n * n, n * n), matvec=P)

    def go():
        count[0] = count[1] = 0
        ok = True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                x = sopt.newton_krylov(F, np.zeros((n, n)), f_tol=tol, maxiter=maxiter,
                                       callback=cb, **kw)
            except sopt.NoConvergence as e:
                x, ok = e.args[0], False
            except (ValueError, FloatingPointError, np.linalg.LinAlgError):
                x, ok = np.full((n, n), np.nan), False
        return x, ok, tuple(count)
    t, (x, ok, (fe, steps)) = _best(go, repeat)
    resid = float(np.abs(Fn(x)).max())
    return dict(solver="scipy" + (" +M" if precond else ""), steps=steps, krylov=None,
                fevals=fe, jvps=None, time=t, resid=resid, ok=ok and resid <= tol)


def jv_cost(n, lam=6.0, reps=200):
    """Seconds for one F (NumPy), one F (chainrule.numpy), one linearize, one J·v replay."""
    Fc, Fn = bratu_cr(lam), bratu_np(lam)
    rng = np.random.default_rng(0)
    u, v = rng.random((n, n)) * 0.5, rng.random((n, n))
    _, jvp_fn = cr.linearize(Fc, u)

    def per(fn, k):
        """Best of 7 batches of k calls: robust to a busy machine."""
        fn()
        best = None
        for _ in range(7):
            t0 = time.perf_counter()
            for _ in range(k):
                fn()
            dt = (time.perf_counter() - t0) / k
            best = dt if best is None else min(best, dt)
        return best
    k = max(3, reps * 64 * 64 // (n * n) // 7)
    return dict(n=n, f_np=per(lambda: Fn(u), k), f_cr=per(lambda: Fc(u), k),
                linearize=per(lambda: cr.linearize(Fc, u), k), jvp=per(lambda: jvp_fn(v), k),
                jvp_traced=per(lambda: cr.jvp(Fc, (u,), (v,)), k))


def fmt_row(n, lam, tol, r):
    dash = "—"
    return (f"| {n} | {lam:g} | {tol:.0e} | {r['solver']} | {r['steps']} | "
            f"{dash if r['krylov'] is None else r['krylov']} | {r['fevals']} | "
            f"{dash if r['jvps'] is None else r['jvps']} | {r['time']:.3f} | {r['resid']:.1e} | "
            f"{'yes' if r['ok'] else 'NO'} |")


HEADER = ("| N | λ | tol | solver | Newton steps | Krylov its | F evals | J·v replays | "
          "time (s) | final max\\|F\\| | converged |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[64, 128, 256])
    ap.add_argument("--quick", action="store_true", help="N = 64 only")
    ap.add_argument("--repeat", type=int, default=3, help="timing: best of this many runs")
    ap.add_argument("--no-precond", action="store_true", help="skip the preconditioned rows")
    args = ap.parse_args(argv)
    sizes = [64] if args.quick else args.sizes
    if scipy is None:
        raise SystemExit("this benchmark compares with SciPy: pip install scipy")
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, chainrule {cr.__version__}; "
          f"threads = 1\n")

    print("Cost of one J·v (linearize replay) against one F, Bratu, u random")
    print("| N | F numpy (µs) | F chainrule.numpy (µs) | linearize (µs) | J·v replay (µs) | "
          "J·v / F numpy | J·v / F cnp | cr.jvp traced (µs) |")
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes:
        c = jv_cost(n)
        print(f"| {n} | {c['f_np'] * 1e6:.0f} | {c['f_cr'] * 1e6:.0f} | "
              f"{c['linearize'] * 1e6:.0f} | {c['jvp'] * 1e6:.0f} | "
              f"{c['jvp'] / c['f_np']:.2f} | {c['jvp'] / c['f_cr']:.2f} | "
              f"{c['jvp_traced'] * 1e6:.0f} |", flush=True)

    print("\nBratu, λ = 6, from u = 0")
    print(HEADER)
    for n in sizes:
        rep = args.repeat if n <= 128 else 1
        for tol in (1e-8, 1e-12):
            rows = [run_chainrule(n, 6.0, tol, False, rep), run_scipy(n, 6.0, tol, False, rep)]
            if not args.no_precond:
                rows += [run_chainrule(n, 6.0, tol, True, rep), run_scipy(n, 6.0, tol, True, rep)]
            for r in rows:
                print(fmt_row(n, 6.0, tol, r), flush=True)

    print("\nStiff: λ = 6.8 (turning point ≈ 6.808), from u = 0")
    print(HEADER)
    for n in [s for s in sizes if s <= 128]:
        for tol in (1e-8, 1e-14):
            rows = [run_chainrule(n, 6.8, tol, False, 1), run_scipy(n, 6.8, tol, False, 1)]
            if not args.no_precond:
                rows += [run_chainrule(n, 6.8, tol, True, 1), run_scipy(n, 6.8, tol, True, 1)]
            for r in rows:
                print(fmt_row(n, 6.8, tol, r), flush=True)


if __name__ == "__main__":
    main()
