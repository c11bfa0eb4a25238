"""A solution computed by SciPy, differentiated by the implicit function theorem.

``solution_p(x0, *args, solve=, residual=)`` is ``solve(x0, *args)`` (a SciPy solver run
on NumPy values: a minimiser, a root finder, a least-squares fit) where the result x
satisfies ``residual(x, x0, *args) = 0`` (the gradient of the objective at a minimum,
the function at a root). Its derivatives never go through the solver's iterations: from
``F(x(θ), θ) = 0``,

- forward mode solves ``∂F/∂x · ẋ = −∂F/∂θ · θ̇``;
- reverse mode solves ``(∂F/∂x)ᵀ λ = ḡ`` and returns ``−(∂F/∂θ)ᵀ λ``.

Both are written with chainrule's own operations (a dense ``∂F/∂x`` by forward mode and
``numpy.linalg.solve``), so they are differentiable again: second derivatives of a
minimum's location come out exact. Under ``vmap`` SciPy solves each example; ``jit``
replays the solve on every call. The initial guess ``x0`` is an argument whose derivative
is zero (the solution does not depend on it).

>>> import numpy as np, chainrule as cr
>>> import scipy.optimize as so
>>> solve = lambda x0, a: so.brentq(lambda x: x ** 3 - a, 0.0, 10.0)
>>> cube_root = lambda a: solution_p(1.0, a, solve=solve, residual=lambda x, x0, a: x ** 3 - a)
>>> round(float(cr.grad(cube_root)(8.0)), 10)      # d a^(1/3) / da = a^(-2/3) / 3
0.0833333333
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Primitive
from ..primitives.declare import declare
from ..primitives.util import shape
from ..primitives.scipy_linalg import loop_batch
from ..transforms.differentiate import jvp, vjp
from ..transforms.jacobians import jacfwd

__all__ = ["solution_p"]


def _impl(x0, *args, solve, residual):
    # (the result is a fresh float array: SciPy's may be a view of its work arrays)
    return np.array(solve(x0, *args), dtype=np.float64)


def _jacobian_in_x(residual, x, rest):
    """∂F/∂x at x as an (n, n) matrix (x and F flattened)."""
    n = int(np.prod(shape(x)))
    flat = lambda v: cnp.ravel(residual(cnp.reshape(v, shape(x)), *rest))  # noqa: E731
    return cnp.reshape(jacfwd(flat)(cnp.ravel(x)), (n, n))


def _jvp(primals, tangents, solve, residual):
    x = solution_p(*primals, solve=solve, residual=residual)
    if all(t is None for t in tangents):
        return x, cnp.zeros(shape(x))
    filled = tuple(cnp.zeros(shape(p)) if t is None else t
                   for p, t in zip(primals, tangents))
    _, dF = jvp(lambda *rest: cnp.ravel(residual(x, *rest)), primals, filled)
    dx = -cnp.linalg.solve(_jacobian_in_x(residual, x, primals), dF)
    return x, cnp.reshape(dx, shape(x))


def _vjp(g, ans, vals, params):
    residual = params["residual"]
    J = _jacobian_in_x(residual, ans, vals)
    lam = cnp.linalg.solve(cnp.swapaxes(J, 0, 1), cnp.ravel(g))
    out, pull = vjp(lambda *rest: cnp.ravel(residual(ans, *rest)), *vals)
    return [None if c is None else -c for c in pull(lam)]


_solution = Primitive("implicit_solution", _impl)
solution_p = declare(_solution, jvp=_jvp, vjp=_vjp, batch=loop_batch(_solution), names=())
