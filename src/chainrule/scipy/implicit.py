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
from ..core.primitive import Primitive, Tracer, full_lower, traced_by
from ..interpreters.batching import BatchTracer
from ..interpreters.staging import StagingTracer
from ..primitives.declare import declare
from ..primitives.util import shape, dtype
from ..primitives.scipy_linalg import loop_batch
from ..transforms.differentiate import jvp, vjp
from ..transforms.jacobians import jacfwd

__all__ = ["solution_p"]


def _impl(x0, *args, solve, residual):
    # (the result is a fresh array: SciPy's may be a view of its work arrays; in the
    # solver's floating type, float32 where SciPy keeps it, float64 for integers)
    x = np.asarray(solve(x0, *args))
    return np.array(x, dtype=x.dtype if x.dtype.kind == "f" else np.float64)


def _flat(F):
    """The residual's value as a vector (SciPy's functions may return a list of numbers)."""
    return cnp.ravel(cnp.asarray(F) if isinstance(F, (list, tuple)) else F)


def _jacobian_in_x(residual, x, rest):
    """∂F/∂x at x as an (n, n) matrix (x and F flattened)."""
    n = int(np.prod(shape(x)))
    flat = lambda v: _flat(residual(cnp.reshape(v, shape(x)), *rest))  # noqa: E731
    return _nonsingular(cnp.reshape(jacfwd(flat)(cnp.ravel(x)), (n, n)))


def _nonsingular(J):
    """J, refused where it is singular: the solution is then not a differentiable function
    of the arguments, and ``linalg.solve`` would answer 'Singular matrix' or, for a matrix
    singular up to rounding, a huge number silently. (Not checked under jit, whose trace
    would keep the check's value, nor under vmap: an exactly singular J still raises.)"""
    if traced_by(StagingTracer, [J]) or traced_by(BatchTracer, [J]):
        return J
    value = np.asarray(full_lower(J))
    if not value.size or value.ndim < 2 or value.shape[-1] != value.shape[-2]:
        return J
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        condition = np.linalg.cond(value, 1)  # (by an inverse: cheaper than the SVD's)
    if not np.all(condition < 1.0 / np.finfo(value.dtype).eps):
        raise np.linalg.LinAlgError(
            f"chainrule.scipy.optimize: the Jacobian of the solution's equation in the "
            f"unknowns (the Hessian at a minimum, the Jacobian at a root, JᵀJ of a fit) is "
            f"singular at the solution found (condition number {np.max(condition):.3g}), so "
            f"the solution is not a differentiable function of the arguments (a degenerate "
            f"minimum, a multiple root, a rank-deficient fit, a non-unique solution), or no "
            f"digit of its derivative would be right; make the problem well-posed (fix the "
            f"free directions, rescale the unknowns, add a small regularisation) to "
            f"differentiate it")
    return J


def _floating(values):
    """Positions of ``values`` that carry derivatives: integer arguments (indices, counts,
    integer data) are constants of the residual, as they are of any rule."""
    return [i for i, v in enumerate(values) if dtype(v).kind in "fc"]


def _with(values, positions, chosen):
    out = list(values)
    for i, v in zip(positions, chosen):
        out[i] = v
    return out


def _jvp(primals, tangents, solve, residual):
    x = solution_p(*primals, solve=solve, residual=residual)
    # the guess x0 (position 0) and integer arguments carry no derivative of the solution
    live = [i for i in _floating(primals) if i > 0 and tangents[i] is not None]
    if not live:
        return x, cnp.zeros(shape(x), dtype=dtype(x))
    at = lambda *chosen: _flat(residual(x, *_with(primals, live, chosen)))  # noqa: E731
    _, dF = jvp(at, tuple(primals[i] for i in live), tuple(tangents[i] for i in live))
    dx = -cnp.linalg.solve(_jacobian_in_x(residual, x, primals), dF)
    return x, cnp.reshape(dx, shape(x))


def _vjp(g, ans, vals, params):
    residual = params["residual"]
    J = _jacobian_in_x(residual, ans, vals)
    lam = cnp.linalg.solve(cnp.swapaxes(J, 0, 1), cnp.ravel(g))
    live = [i for i in _floating(vals) if i > 0]
    at = lambda *chosen: _flat(residual(ans, *_with(vals, live, chosen)))  # noqa: E731
    out = [None] * len(vals)
    if live:
        _, pull = vjp(at, *[vals[i] for i in live])
        for i, c in zip(live, pull(lam)):
            out[i] = None if c is None else -c
    return out


_solution = Primitive("implicit_solution", _impl)
solution_p = declare(_solution, jvp=_jvp, vjp=_vjp, batch=loop_batch(_solution), names=())
