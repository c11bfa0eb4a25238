"""``scipy.integrate.solve_bvp`` (needs the ``scipy`` extra), differentiable by the implicit
function theorem in the values ``fun`` and ``bc`` close over and in the ends of the interval.

SciPy solves the boundary value problem by collocation: on its final mesh x₀ < … < x_{m−1}
the nodes' values Y (n × m) and the unknown parameters p satisfy R(Y, p; x, θ) = 0, SciPy's
collocation residuals at the middle of each interval (a cubic C¹ spline whose derivative
matches ``fun`` at the nodes and the midpoints) and the boundary conditions. The result is
SciPy's; its derivatives never go through SciPy's Newton iterations or mesh refinements:

- forward mode solves ∂R/∂(Y, p) · (Ẏ, ṗ) = −∂R/∂x · ẋ − ∂R/∂θ · θ̇;
- reverse mode solves (∂R/∂(Y, p))ᵀ λ = ḡ and returns −(∂R/∂(x, θ))ᵀ λ.

The derivative is that of the collocation solution on the final mesh (the solution SciPy
returns; it approximates the true solution's to ``tol``). The mesh is held at its fractions
of the interval, so a traced x[0] or x[-1] moves every node (the interior nodes of the guess
x, and the guesses y and p, do not change the solution: their derivative is 0). The rules
are written with chainrule's operations (a dense ∂R/∂(Y, p) by forward mode and
``linalg.solve``), so second derivatives come out exact too. ``fun`` and ``bc`` are called
with tracers in the rules: write them with ``chainrule.numpy`` (or NumPy's ufuncs and
``np.vstack``, which dispatch to it).

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> def tip(k):   # y'' = -k² y, y(0) = 0, y'(0) = 1: y(1) = sin(k)/k
...     res = solve_bvp(lambda x, y: cnp.vstack((y[1], -k * k * y[0])),
...                     lambda ya, yb: cnp.stack([ya[0], ya[1] - 1.0]),
...                     np.linspace(0.0, 1.0, 40), np.zeros((2, 40)), tol=1e-8)
...     return res.y[0, -1]
>>> round(float(tip(1.5)), 6), round(float(np.sin(1.5) / 1.5), 6)
(0.664997, 0.664997)
>>> round(float(cr.grad(tip)(1.5)), 5), round(float(np.cos(1.5) / 1.5 - np.sin(1.5) / 2.25), 5)
(-0.39617, -0.39617)
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Primitive, Tracer, concrete_value, full_lower, traced_by
from ..core import tree
from ..core.registry import INTEGRATE
from ..interpreters.batching import BatchedValueError, BatchTracer
from ..interpreters.staging import StagingTracer
from ..primitives.declare import declare, export
from ..primitives.util import shape, dtype
from ..primitives.scipy_linalg import scipy_module, loop_batch
from ..transforms.differentiate import jvp, vjp
from ..transforms.jacobians import jacfwd
from .adjoint import closure_tracers, cells_holding

__all__ = ["solve_bvp", "BVPSolution"]


def _as_array(out):
    """A user's function's value as one array (a list of rows, as SciPy accepts, is stacked)."""
    return cnp.stack([cnp.asarray(o) for o in out]) if isinstance(out, (list, tuple)) else \
        cnp.asarray(out)


class _Problem:
    """The user's functions and SciPy's settings: the static part of the primitive (compared
    by identity, as a solve's functions are)."""

    def __init__(self, fun, bc, k, S, fun_jac, bc_jac, options, captured):
        self.fun, self.bc, self.k, self.fun_jac, self.bc_jac = fun, bc, k, fun_jac, bc_jac
        self.S = None if S is None else np.asarray(S)
        self.D = None if S is None else np.linalg.pinv(np.identity(self.S.shape[0]) - self.S)
        self.options, self.captured = options, captured

    def __repr__(self):
        return f"BVP(k={self.k}, {dict(self.options)})"

    # ---- SciPy's solve, on plain values ---------------------------------------------------
    def _plain(self, f, what):
        def call(*args):
            out = f(*args)
            if any(isinstance(v, Tracer) for v in tree.leaves(out)):
                raise TypeError(
                    f"solve_bvp: {what} returned a traced value from plain inputs: it reads a "
                    f"variable being differentiated (or vmapped) from a global or an object's "
                    f"attribute, which the solver cannot see; let {what} close over it as a "
                    f"local variable (def fun(x, y): return ... k ... inside a function of k)")
            return out
        return call

    def solve(self, x0, y0, p0, theta):
        with cells_holding(self.captured, theta):
            res = scipy_module("integrate").solve_bvp(
                self._plain(self.fun, "fun"), self._plain(self.bc, "bc"), x0, y0,
                p=p0 if self.k else None, S=self.S,
                fun_jac=None if self.fun_jac is None else self._plain(self.fun_jac, "fun_jac"),
                bc_jac=None if self.bc_jac is None else self._plain(self.bc_jac, "bc_jac"),
                **dict(self.options))
        return res

    # ---- the collocation system, with chainrule's operations ------------------------------
    def rhs(self, x, y, p, theta, a=None):
        """SciPy's wrapped ``fun``: with a singular term S·y/(x − a), and D·f at x = a (the
        first node; ``a`` None: at the nodes, whose first is a)."""
        with cells_holding(self.captured, theta):
            f = _as_array(self.fun(x, y, p) if self.k else self.fun(x, y))
        if self.S is None:
            return f
        if a is not None:
            return f + cnp.matmul(self.S, y) / (x - a)
        first = cnp.matmul(self.D, f[:, 0])
        rest = f[:, 1:] + cnp.matmul(self.S, y[:, 1:]) / (x[1:] - x[0])
        return cnp.concatenate([first[:, None], rest], axis=1)

    def boundary(self, ya, yb, p, theta):
        with cells_holding(self.captured, theta):
            return cnp.ravel(_as_array(self.bc(ya, yb, p) if self.k else self.bc(ya, yb)))

    def residual(self, Y, P, x, theta):
        """SciPy's collocation residuals (``scipy.integrate._bvp.collocation_fun``) and the
        boundary conditions, as one vector."""
        h = x[1:] - x[:-1]
        f = self.rhs(x, Y, P, theta)
        y_mid = 0.5 * (Y[:, 1:] + Y[:, :-1]) - 0.125 * h * (f[:, 1:] - f[:, :-1])
        f_mid = self.rhs(x[:-1] + 0.5 * h, y_mid, P, theta, x[0])
        col = Y[:, 1:] - Y[:, :-1] - h / 6.0 * (f[:, :-1] + f[:, 1:] + 4.0 * f_mid)
        return cnp.concatenate([cnp.ravel(col), self.boundary(Y[:, 0], Y[:, -1], P, theta)])


def _impl(x0, y0, p0, *theta, problem):
    res = problem.solve(np.asarray(x0, dtype=np.float64), np.asarray(y0, dtype=np.float64),
                        np.asarray(p0, dtype=np.float64), theta)
    p = np.zeros(0) if res.p is None else np.array(res.p, dtype=np.float64)
    return (np.array(res.x), np.array(res.y), p, np.array(res.rms_residuals),
            np.array([res.niter, res.status], dtype=np.float64))


def _unknowns(Y, P):
    """The unknowns (Y, p) as one vector, and the function splitting such a vector."""
    n, m = shape(Y)

    def split(z):
        return cnp.reshape(z[:n * m], (n, m)), z[n * m:]
    return cnp.concatenate([cnp.ravel(Y), P]), split


def _jacobian(problem, Y, P, x, theta):
    z, split = _unknowns(Y, P)
    return jacfwd(lambda v: problem.residual(*split(v), x, theta))(z), split


def _solve(J, r):
    """J⁻¹ r, refused where J is singular: SciPy's solution is then not a differentiable
    function of the parameters (a LAPACK estimate of the condition, one more factorisation:
    NumPy's solve answers a matrix singular up to rounding with huge numbers silently). Not
    checked under jit, whose trace would keep the check's value, nor under vmap."""
    if not (traced_by(StagingTracer, [J]) or traced_by(BatchTracer, [J])):
        value = np.asarray(full_lower(J), dtype=np.float64)
        la = scipy_module("linalg")
        with np.errstate(all="ignore"):
            lu, _ = la.lu_factor(value, check_finite=False)
            rcond, _ = la.lapack.dgecon(lu, np.linalg.norm(value, 1))
        if np.all(np.isfinite(value)) and not rcond > np.finfo(float).eps:   # (nan: nan out)
            raise np.linalg.LinAlgError(
                "solve_bvp: the Jacobian of the collocation system is singular at SciPy's "
                "solution (a non-unique solution, or SciPy did not converge: see the result's "
                "status), so the solution is not a differentiable function of the parameters")
    return cnp.linalg.solve(J, r)


def _fractions(x0, xs):
    a, b = x0[0], x0[-1]
    return a, b, (xs - a) / (b - a)


def _bvp_jvp(primals, tangents, problem):
    ans = bvp_p(*primals, problem=problem)
    xs, Y, P = ans[:3]
    x0, theta = primals[0], primals[3:]
    tx, ttheta = tangents[0], tangents[3:]
    zeros = [cnp.zeros(shape(v)) for v in ans]
    live = [i for i, t in enumerate(ttheta) if t is not None and dtype(theta[i]).kind in "fc"]
    dx = None
    if tx is not None:
        _, _, frac = _fractions(x0, xs)
        dx = tx[0] * (1.0 - frac) + tx[-1] * frac
    if dx is None and not live:
        return ans, tuple(zeros)

    def at(x, *chosen):
        th = list(theta)
        for i, v in zip(live, chosen):
            th[i] = v
        return problem.residual(Y, P, x, th)
    _, dR = jvp(at, (xs,) + tuple(theta[i] for i in live),
                (cnp.zeros(shape(xs)) if dx is None else dx,) + tuple(ttheta[i] for i in live))
    J, split = _jacobian(problem, Y, P, xs, theta)
    dY, dP = split(-_solve(J, dR))
    return ans, (zeros[0] if dx is None else dx, dY, dP, zeros[3], zeros[4])


def _bvp_vjp(g, ans, vals, params):
    problem = params["problem"]
    xs, Y, P = ans[:3]
    x0, theta = vals[0], vals[3:]
    gx, gY, gP = g[:3]
    J, split = _jacobian(problem, Y, P, xs, theta)
    lam = _solve(cnp.swapaxes(J, 0, 1), cnp.concatenate([cnp.ravel(gY), gP]))
    live = [i for i, v in enumerate(theta) if dtype(v).kind in "fc"]

    def at(x, *chosen):
        th = list(theta)
        for i, v in zip(live, chosen):
            th[i] = v
        return problem.residual(Y, P, x, th)
    _, pull = vjp(at, xs, *[theta[i] for i in live])
    cts = pull(-lam)
    out = [None] * len(vals)
    for i, c in zip(live, cts[1:]):
        out[3 + i] = c
    xbar = gx if cts[0] is None else gx + cts[0]
    _, _, frac = _fractions(x0, xs)
    abar, bbar = cnp.sum(xbar * (1.0 - frac)), cnp.sum(xbar * frac)
    m0 = shape(x0)[0]
    out[0] = cnp.concatenate([cnp.reshape(abar, (1,)), cnp.zeros(m0 - 2),
                              cnp.reshape(bbar, (1,))])
    return out


def _batch(vals, dims, problem):
    try:
        return _loop(vals, dims, problem=problem)
    except ValueError as e:   # (NumPy's words for stacking arrays of different shapes)
        if "must match" not in str(e) and "same shape" not in str(e):
            raise
        raise ValueError("solve_bvp under vmap: the examples' final meshes differ in size "
                         "(SciPy refines each example's mesh on its own), so their solutions "
                         "cannot be stacked; loop over the examples in Python, or start from "
                         "a mesh fine enough that no node is added") from None


_bvp = Primitive("solve_bvp", _impl, multiple_results=True)
_loop = loop_batch(_bvp)
#: ``bvp_p(x, y, p, *theta, problem=)``: SciPy's (final mesh, Y, p, rms residuals,
#: [niter, status]), differentiable in x[0], x[-1] and theta (the traced values ``fun``
#: and ``bc`` close over) by the implicit function theorem.
bvp_p = declare(_bvp, jvp=_bvp_jvp, vjp=_bvp_vjp, batch=_batch, names=())


class BVPSolution:
    """The cubic C¹ spline through the nodes' values and slopes, ``sol`` of a differentiable
    solve (SciPy's ``PPoly`` of ``create_spline``, written with chainrule's operations):
    ``sol(x, nu=0)`` is the solution (its ``nu``-th derivative) at ``x``, shape
    ``(n,) + x.shape``, differentiable in the nodes' values and in ``x``; outside the mesh the
    end polynomials extrapolate, as SciPy's.

    >>> import numpy as np
    >>> sol = BVPSolution(np.array([0.0, 1.0]), np.array([[0.0, 1.0]]), np.array([[0.0, 2.0]]))
    >>> sol(np.array([0.5, 2.0]))          # x² on [0, 1], extrapolated
    array([[0.25, 4.  ]])
    """

    def __init__(self, x, y, yp):
        self.x, self.y, self.yp = x, y, yp

    def __call__(self, x, nu=0, extrapolate=None):
        if nu < 0:
            raise ValueError("Order of derivative cannot be negative (solve_bvp's sol: for an "
                             "antiderivative, integrate with a quadrature of sol)")
        m = shape(self.x)[0]
        i = cnp.clip(cnp.searchsorted(self.x, x, side="right") - 1, 0, m - 2)
        try:
            i = np.asarray(concrete_value(i, "subscript"))
        except BatchedValueError:   # under vmap each example's intervals: a one-hot mask
            return self._masked(x, i, nu)
        left = cnp.take(self.x, i)
        h = cnp.take(self.x, i + 1) - left
        y0, y1 = cnp.take(self.y, i, axis=1), cnp.take(self.y, i + 1, axis=1)
        d0, d1 = cnp.take(self.yp, i, axis=1), cnp.take(self.yp, i + 1, axis=1)
        return _cubic(_coefficients(h, y0, y1, d0, d1), x - left, nu)

    def _masked(self, x, i, nu):
        x = cnp.asarray(x)
        left, h = self.x[:-1], self.x[1:] - self.x[:-1]
        c = _coefficients(h, self.y[:, :-1], self.y[:, 1:], self.yp[:, :-1], self.yp[:, 1:])
        q = len(shape(x))
        c = [cnp.reshape(v, (shape(v)[0],) + (1,) * q + (shape(v)[1],)) for v in c]
        s = cnp.expand_dims(x, -1) - left
        chosen = cnp.expand_dims(i, -1) == cnp.arange(shape(left)[0])
        return cnp.sum(cnp.where(chosen, _cubic(c, s, nu), 0.0), axis=-1)


def _coefficients(h, y0, y1, d0, d1):
    """SciPy's create_spline: the cubic's coefficients on each interval, highest first."""
    slope = (y1 - y0) / h
    t = (d0 + d1 - 2.0 * slope) / h
    return t / h, (slope - d0) / h - t, d0, y0


def _cubic(c, s, nu):
    c0, c1, c2, c3 = c
    if nu == 0:
        return ((c0 * s + c1) * s + c2) * s + c3
    if nu == 1:
        return (3.0 * c0 * s + 2.0 * c1) * s + c2
    if nu == 2:
        return 6.0 * c0 * s + 2.0 * c1
    return (6.0 * c0 if nu == 3 else 0.0 * c0) + 0.0 * s


def _plain_report(v):
    """v's value, for SciPy's report fields (status, counts); None under jit (whose trace would
    keep the value, not recompute it) and under vmap (one value per example)."""
    if traced_by(StagingTracer, [v]) or traced_by(BatchTracer, [v]):
        return None
    return np.asarray(full_lower(v))


def _closures(*funcs):
    """The closure cells of the user's functions that hold traced values (each cell once)."""
    found, cells = [], set()
    for f in funcs:
        if f is None:
            continue
        for entry in closure_tracers(f):
            if id(entry[0]) not in cells:
                cells.add(id(entry[0]))
                found.append(entry)
    return found


@export("solve_bvp", namespace=INTEGRATE, prim=bvp_p)
def solve_bvp(fun, bc, x, y, p=None, S=None, fun_jac=None, bc_jac=None, tol=0.001,
              max_nodes=1000, verbose=0, bc_tol=None):
    """Solve dy/dx = fun(x, y[, p]) with bc(y(a), y(b)[, p]) = 0 (``scipy.integrate.solve_bvp``,
    same arguments and SciPy's result: ``sol``, ``x``, ``y``, ``yp``, ``p``, ``status``…).
    Differentiable, by the implicit function theorem on SciPy's collocation system, in the
    traced values ``fun`` and ``bc`` close over and in the ends x[0], x[-1]; ``res.sol`` is then
    a :class:`BVPSolution`, differentiable in the solution and in its query points. The
    guesses ``y``, ``p`` and the interior of ``x`` have a zero derivative. With nothing traced
    the result is SciPy's own.

    >>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
    >>> def eigenvalue(b, k):    # SciPy's Sturm-Liouville example on [0, b]: y'' + p² y = 0
    ...     res = solve_bvp(lambda x, y, p: cnp.vstack((y[1], -p[0] ** 2 * y[0])),
    ...                     lambda ya, yb, p: cnp.stack([ya[0], yb[0], ya[1] - k]),
    ...                     b * np.linspace(0, 1, 5), np.array([[0.0, 1, 0, -1, 0], [1.0] * 5]),
    ...                     p=[6.0], tol=1e-8)
    ...     return res.p[0]
    >>> round(float(eigenvalue(1.0, 6.0)), 6)          # p = 2π/b
    6.283185
    >>> dp_db, dp_dk = cr.grad(eigenvalue, argnums=(0, 1))(1.0, 6.0)
    >>> round(float(dp_db), 6), abs(float(dp_dk)) < 1e-12    # −2π/b², and no dependence on k
    (-6.283185, True)
    """
    captured = _closures(fun, bc, fun_jac, bc_jac)
    given = [v for v in tree.leaves((x, y, p, S)) if isinstance(v, Tracer)]
    options = (("bc_tol", bc_tol), ("max_nodes", max_nodes), ("tol", tol), ("verbose", verbose))
    if any(isinstance(v, Tracer) for v in tree.leaves(S)) or \
            any(isinstance(v, Tracer) for _, v in options):
        raise TypeError("solve_bvp: S and the tolerances go to SciPy as plain values and are "
                        "not differentiated; pass numbers (cr.stop_gradient(...) drops a "
                        "derivative on purpose)")
    if not captured and not given:
        return scipy_module("integrate").solve_bvp(fun, bc, x, y, p=p, S=S, fun_jac=fun_jac,
                                                   bc_jac=bc_jac, **dict(options))
    lifted = [v for _, _, values in captured for v in values]
    x, y = (cnp.asarray(v) if isinstance(v, (list, tuple)) else v for v in (x, y))
    p0 = np.zeros(0) if p is None else cnp.ravel(cnp.asarray(p))
    for v in [x, y, p0, S] + lifted:
        if v is not None and dtype(v).kind == "c":
            raise TypeError("solve_bvp: complex values are differentiated as pairs of real ones "
                            "in chainrule; write the problem for the real and imaginary parts "
                            "(SciPy's solve_bvp of plain complex values is what chainrule's "
                            "returns when nothing is traced)")
    if len(shape(x)) != 1 or shape(x)[0] < 2:
        raise ValueError("`x` must be 1 dimensional with at least 2 nodes.")
    problem = _Problem(fun, bc, 0 if p is None else int(np.prod(shape(p0))), S,
                       fun_jac, bc_jac, options, captured)
    xs, Y, P, rms, info = bvp_p(x, y, p0, *lifted, problem=problem)
    yp = problem.rhs(xs, Y, P, lifted)
    plain = _plain_report(info)
    if plain is not None:
        niter, status = (int(v) for v in plain)
        message = scipy_module("integrate")._bvp.TERMINATION_MESSAGES[status]
    else:   # under vmap (each example's count and status) or jit
        niter, status, message = info[..., 0], info[..., 1], "see status"
    result = scipy_module("integrate")._bvp.BVPResult
    return result(sol=BVPSolution(xs, Y, yp), p=None if p is None else P, x=xs, y=Y, yp=yp,
                  rms_residuals=rms, niter=niter, status=status, message=message,
                  success=status == 0)
