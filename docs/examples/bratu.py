"""The 2D Bratu problem, solved by Newton-Krylov with exact Jacobian-vector products.

    -Δu - λ e^u = 0 on the unit square,  u = 0 on the boundary.

On an N x N grid of interior points (h = 1/(N+1)) the 5-point stencil gives
N² equations. The residual below is that stencil times h² (so max|F| is an
absolute tolerance of order one), written with ``chainrule.numpy``
(``cnp.pad``, slicing, ``cnp.exp``) so that ``chainrule.linearize`` can
record it. The Jacobian (N² x N²) is never formed: each Newton step records
F once, and GMRES replays the record for every exact J·v.

    python docs/examples/bratu.py            # N = 64, λ = 6
    python docs/examples/bratu.py 128 6.5
"""

import sys

import numpy as np

import chainrule.numpy as cnp
from chainrule.solvers import newton_krylov


def bratu_residual(u, lam):
    """F(u) = h² (-Δu - λ e^u) with zero Dirichlet boundary values."""
    n = u.shape[0]
    up = cnp.pad(u, 1)  # the zero boundary
    neighbours = up[:-2, 1:-1] + up[2:, 1:-1] + up[1:-1, :-2] + up[1:-1, 2:]
    # one subtraction: its tangent is a negation plus an addition when replayed
    return 4.0 * u - (neighbours + (lam / (n + 1) ** 2) * cnp.exp(u))


def main(n=64, lam=6.0):
    x, info = newton_krylov(lambda u: bratu_residual(u, lam), np.zeros((n, n)), tol=1e-12,
                            verbose=True)
    print(f"\nN = {n}, λ = {lam}: max u = {x.max():.10f}")
    print(f"{info.newton_steps} Newton steps, {info.krylov_iterations} Krylov iterations, "
          f"{info.f_evals} F evaluations, {info.jvp_evals} J·v replays, {info.time:.3f} s, "
          f"final max|F| = {info.residual:.2e}")
    # symmetry of the solution: a free check of the answer
    print(f"asymmetry max|u - uᵀ| = {np.abs(x - x.T).max():.1e}")
    return x, info


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[0]) if args else 64, float(args[1]) if len(args) > 1 else 6.0)
