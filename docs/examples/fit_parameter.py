"""Fit a parameter of a nonlinear PDE by differentiating through its solve.

The 1D steady reaction-diffusion problem

    -u'' + κ u³ = f(x) on (0, 1),  u(0) = u(1) = 0,

is solved by ``chainrule.solvers.root`` (Newton-Krylov). We observe a noisy
solution at the grid points and fit κ by gradient-based least squares
(Gauss-Newton on one unknown, here simply Newton on the loss with the
gradient from implicit differentiation and the curvature from a second
derivative). The derivative of the solution with respect to κ is never
obtained by differentiating the Newton iterations: ``root`` solves one
adjoint system Jᵀλ = ∂loss/∂u with GMRES on VJPs (reverse mode), or one
tangent system J u̇ = -∂F/∂κ with GMRES on JVPs (forward mode).

    python docs/examples/fit_parameter.py
"""

import numpy as np

import chainrule as cr
import chainrule.numpy as cnp
from chainrule.solvers import root

N = 100
H = 1.0 / (N + 1)
XS = np.linspace(H, 1 - H, N)
SOURCE = 50.0 * np.sin(np.pi * XS) + 30.0 * XS


def residual(u, kappa):
    """F(u; κ) = h²(-u'' + κ u³ - f), zero boundary values."""
    up = cnp.pad(u, 1)
    return 2.0 * u - up[:-2] - up[2:] + H ** 2 * (kappa * u ** 3 - SOURCE)


def solve(kappa):
    return root(residual, np.zeros(N), kappa, tol=1e-13)


def main():
    rng = np.random.default_rng(0)
    kappa_true = 40.0
    data = np.asarray(solve(kappa_true)) + 0.002 * rng.standard_normal(N)

    def loss(kappa):
        return 0.5 * cnp.sum((solve(kappa) - data) ** 2)

    # the implicit gradient against a central finite difference of the whole solve
    k0 = 10.0
    g = cr.grad(loss)(k0)
    eps = 1e-4
    fd = (loss(k0 + eps) - loss(k0 - eps)) / (2 * eps)
    print(f"dloss/dκ at κ = {k0}: implicit {float(g):.10e}, finite difference {float(fd):.10e}")
    # forward mode (tangent solve J u̇ = -∂F/∂κ) gives the same derivative
    u0, du_fwd = cr.jvp(solve, (k0,), (1.0,))
    print(f"dloss/dκ by forward mode, u̇ · (u - d): {float(np.dot(du_fwd, u0 - data)):.10e}")

    # Newton on the loss: gradient and curvature, both through the implicit solve
    kappa = k0
    grad_fn, hess_fn = cr.grad(loss), cr.grad(cr.grad(loss))
    for it in range(12):
        gk, hk = float(grad_fn(kappa)), float(hess_fn(kappa))
        step = -gk / hk if hk > 0 else -np.sign(gk) * 5.0
        kappa = max(kappa + step, 0.0)
        print(f"iteration {it + 1:2d}: κ = {kappa:.8f}  loss = {float(loss(kappa)):.6e}  "
              f"|grad| = {abs(gk):.2e}")
        if abs(step) < 1e-10 * max(1.0, kappa):
            break
    print(f"\nfitted κ = {kappa:.6f} (true {kappa_true}, noise 0.002)")
    return kappa


if __name__ == "__main__":
    main()
