"""``scipy.optimize``'s solvers with exact derivatives in and out (needs the ``scipy`` extra).

In: where SciPy would difference the function numerically (``jac=None``, a Newton method's
missing Hessian), chainrule gives SciPy the exact gradient, Jacobian, Hessian or
Hessian-vector product of the function, which must then be written with
``chainrule.numpy``. Out: the solution is differentiable in ``args`` (and ``curve_fit``'s
``popt`` in ``xdata``, ``ydata`` and ``sigma``) by the implicit function theorem
(:mod:`chainrule.scipy.implicit`), to any order, under ``vmap`` (one SciPy solve per
example) and ``jit`` (a solve per call). With nothing traced, each function is SciPy's
own call and returns SciPy's own result.

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> loss = lambda w, a: cnp.sum((w - a) ** 2) + cnp.sum(w ** 4)
>>> w_star = lambda a: minimize(loss, np.zeros(2), args=(a,)).x
>>> a = np.array([0.5, 1.0])
>>> J = cr.jacobian(w_star)(a)           # dw*/da = (I + 6 diag(w*²))⁻¹ from 2(w−a)+4w³ = 0
>>> np.allclose(J, np.diag(1 / (1 + 6 * w_star(a) ** 2)), atol=1e-6)
True
"""

import inspect

import numpy as np

from .. import numpy as cnp
from ..core import tree
from ..core.primitive import Tracer, concrete_value, full_lower
from ..interpreters.batching import BatchedValueError
from ..core.registry import OPTIMIZE
from ..primitives.declare import export
from ..primitives.util import shape, dtype
from ..transforms.differentiate import grad
from ..transforms.jacobians import jacobian, hessian, hvp
from .adjoint import cells_holding, closure_tracers
from .implicit import solution_p
from .solver_support import (_as_tuple, _converged, _exact, _explained, _float, _lift_closures,
                             _optimize,
                             _plain, _refuse_active_bounds, _result, _root_report, _scalar,
                             _solve, _staged, _start, _traced)

__all__ = ["minimize", "minimize_scalar", "root", "root_scalar", "fsolve", "brentq", "brenth",
           "ridder", "bisect", "toms748", "newton", "least_squares", "curve_fit"]


# ---- minimize ----------------------------------------------------------------------------------
_NO_GRADIENT = {"nelder-mead", "powell", "cobyla", "cobyqa"}
_FULL_HESSIAN = {"dogleg", "trust-exact"}
_HESSIAN_PRODUCT = {"newton-cg", "trust-ncg", "trust-krylov", "trust-constr"}


@export("minimize", namespace=OPTIMIZE, prim=solution_p)
@_explained
def minimize(fun, x0, args=(), method=None, jac=None, hess=None, hessp=None, bounds=None,
             constraints=(), tol=None, callback=None, options=None):
    """``scipy.optimize.minimize``, given chainrule's exact gradient (``jac=None``) and, for
    the Newton methods, its Hessian or Hessian-vector products; the result's ``x`` and
    ``fun`` are differentiable in ``args`` (from ∇f(x*, args) = 0).

    >>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
    >>> f = lambda x, c: cnp.sum((x - c) ** 2)
    >>> res = minimize(f, np.zeros(2), args=(np.array([1.0, 2.0]),), method="BFGS")
    >>> np.round(res.x, 6), res.njev < 10
    (array([1., 2.]), True)
    """
    args = _as_tuple(args)
    fun, args, jac, hess, hessp = _lift_closures(fun, args, jac, hess, hessp)
    kind = method.lower() if isinstance(method, str) else method
    objective = _scalar(fun, first=jac is True)
    start = _start(x0, args, np.atleast_1d)
    if jac is None and kind not in _NO_GRADIENT and not callable(kind):
        jac = _exact("minimize", lambda x, *a: grad(objective)(x, *a), start)
    if hess is None and hessp is None and jac is not None:
        if kind in _FULL_HESSIAN:
            hess = lambda x, *a: hessian(objective)(x, *a)  # noqa: E731
        elif kind in _HESSIAN_PRODUCT:
            # (trust-constr probes hessp with an int8 vector: p is cast to x's type)
            hessp = lambda x, p, *a: hvp(lambda y: objective(y, *a), (x,),  # noqa: E731
                                         (np.asarray(p, dtype=dtype(x)),))[0]
    options_ = dict(method=method, jac=jac, hess=hess, hessp=hessp, bounds=bounds,
                    constraints=constraints, tol=tol, callback=callback, options=options)
    so = _optimize()
    leaves = tree.leaves(args)
    if not _traced([x0] + leaves, "minimize"):
        return so.minimize(_plain("minimize", fun), x0, args=args, **options_)
    if constraints:
        raise NotImplementedError(
            "chainrule.scipy.optimize.minimize: derivatives through a constrained minimum "
            "are not supported; differentiate an unconstrained problem (a penalty, or a "
            "change of variables) instead")
    results = []

    def solve(x0, *a):
        res = so.minimize(_plain("minimize", fun), x0, args=a, **options_)
        _converged("minimize", res.success, res.message)
        if bounds is not None:
            b = bounds if hasattr(bounds, "lb") else so.Bounds(*zip(*bounds))
            _refuse_active_bounds("minimize", res.x, b.lb, b.ub)
        results.append(res)
        return res.x

    x = _solve("minimize", solve, lambda x, *a: grad(objective)(x, *a), x0, args)
    return _result(results, x, objective(x, *args), _staged([x0] + leaves), so)


@export("minimize_scalar", namespace=OPTIMIZE, prim=solution_p)
@_explained
def minimize_scalar(fun, bracket=None, bounds=None, args=(), method=None, tol=None,
                    options=None):
    """``scipy.optimize.minimize_scalar``; the result's ``x`` and ``fun`` are differentiable
    in ``args`` (from f'(x*) = 0; a minimum on a bound of ``method='bounded'`` is refused).

    >>> import chainrule as cr
    >>> x_star = lambda a: minimize_scalar(lambda x, a: (x - a) ** 2 + x ** 4, args=(a,)).x
    >>> round(float(cr.grad(x_star)(1.0)), 6) == round(1 / (1 + 6 * float(x_star(1.0)) ** 2), 6)
    True
    """
    args = _as_tuple(args)
    fun, args = _lift_closures(fun, args)
    so = _optimize()
    kw = dict(bracket=bracket, bounds=bounds, method=method, tol=tol, options=options)
    leaves = tree.leaves(args)
    if not _traced(leaves, "minimize_scalar"):
        return so.minimize_scalar(_plain("minimize_scalar", fun), args=args, **kw)
    objective = _scalar(fun)
    results = []

    def solve(_x0, *a):
        res = so.minimize_scalar(_plain("minimize_scalar", fun), args=a, **kw)
        _converged("minimize_scalar", res.success, res.message)
        if bounds is not None:
            _refuse_active_bounds("minimize_scalar", res.x, bounds[0], bounds[1])
        results.append(res)
        return res.x

    x = _solve("minimize_scalar", solve, lambda x, *a: grad(objective)(x, *a), 0.0, args)
    return _result(results, x, objective(x, *args), _staged(leaves), so)


# ---- roots -----------------------------------------------------------------------------------
@export("root", namespace=OPTIMIZE, prim=solution_p)
@_explained
def root(fun, x0, args=(), method="hybr", jac=None, tol=None, callback=None, options=None):
    """``scipy.optimize.root``, given chainrule's exact Jacobian (``jac=None``, methods
    'hybr' and 'lm'); the result's ``x`` is differentiable in ``args`` (from F(x*, args) = 0).

    >>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
    >>> F = lambda x, a: cnp.array([x[0] + x[1] - a, x[0] - x[1]])
    >>> float(cr.grad(lambda a: root(F, np.zeros(2), args=(a,)).x[0])(4.0))
    0.5
    """
    args = _as_tuple(args)
    fun, args, jac = _lift_closures(fun, args, jac)
    so = _optimize()
    value = _array_valued((lambda x, *a: fun(x, *a)[0]) if jac is True else fun)
    if jac is None and method in ("hybr", "lm"):
        start = _start(x0, args, np.ravel)
        transposed = bool((options or {}).get("col_deriv"))   # (MINPACK then reads columns)
        jac = _exact("root", lambda x, *a: _columns(jacobian(value)(_float(x), *a),
                                                     transposed), start)
    kw = dict(method=method, jac=jac, tol=tol, callback=callback, options=options)
    leaves = tree.leaves(args)
    if not _traced([x0] + leaves, "root"):
        return so.root(_plain("root", fun), x0, args=args, **kw)
    results = []

    def solve(x0, *a):
        res = so.root(_plain("root", fun), x0, args=a, **kw)
        _converged("root", res.success, res.message)
        results.append(res)
        return res.x

    def condition(x, *a):
        """F(x) = 0, or for method 'lm' on more equations than unknowns (SciPy's least
        squares) the normal equations JᵀF = 0, the gradient of ½|F|²."""
        F = value(x, *a)
        if int(np.prod(shape(F))) == int(np.prod(shape(x))):
            return F
        return grad(lambda y, *b: 0.5 * cnp.sum(value(y, *b) ** 2))(x, *a)

    x = _solve("root", solve, condition, x0, args)
    return _result(results, x, value(x, *args), _staged([x0] + leaves), so)


def _columns(J, col_deriv):
    """The Jacobian as MINPACK reads it: with col_deriv, its transpose (derivatives down the
    columns), which SciPy asks of a Jacobian it is given."""
    return cnp.transpose(J) if col_deriv else J


def _array_valued(fun):
    """``fun`` with a list or tuple of numbers returned as an array (SciPy's examples of
    root return lists: [x[0] + ..., ...])."""
    def array_valued(*args):
        F = fun(*args)
        return cnp.asarray(F) if isinstance(F, (list, tuple)) else F
    return array_valued


@export("fsolve", namespace=OPTIMIZE, prim=solution_p)
@_explained
def fsolve(func, x0, args=(), fprime=None, full_output=0, col_deriv=0, xtol=1.49012e-08,
           maxfev=0, band=None, epsfcn=None, factor=100, diag=None):
    """``scipy.optimize.fsolve`` (MINPACK's hybrid method), given chainrule's exact Jacobian
    (``fprime=None``); the root is differentiable in ``args``.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> float(cr.grad(lambda a: fsolve(lambda x, a: x ** 3 - a, 1.0, args=(a,))[0])(8.0))
    0.08333333333333333
    """
    args = _as_tuple(args)
    func, args, fprime = _lift_closures(func, args, fprime)
    so = _optimize()
    if fprime is None:
        start = _start(x0, args, np.ravel)
        fprime = _exact("fsolve", lambda x, *a: _columns(jacobian(func)(_float(x), *a),
                                                          col_deriv), start)
    kw = dict(fprime=fprime, col_deriv=col_deriv, xtol=xtol, maxfev=maxfev, band=band,
              epsfcn=epsfcn, factor=factor, diag=diag)
    leaves = tree.leaves(args)
    if not _traced([x0] + leaves, "fsolve"):
        return so.fsolve(_plain("fsolve", func), x0, args=args, full_output=full_output, **kw)
    infos = []

    def solve(x0, *a):
        x, info, ier, msg = so.fsolve(_plain("fsolve", func), x0, args=a, full_output=True, **kw)
        _converged("fsolve", ier == 1, msg)
        infos.append((info, ier, msg))
        return x

    x = _solve("fsolve", solve, func, x0, args)
    if not full_output:
        return x
    if _staged([x0] + leaves):
        raise NotImplementedError("fsolve(full_output=True) under jit: the solver's report "
                                  "would be the trace's; call it without full_output")
    if len(infos) > 1:  # vmap: one report per example, which a tuple cannot carry
        raise NotImplementedError("fsolve(full_output=True) under vmap: the solver's reports "
                                  "are one per example; call it without full_output (the "
                                  "root is batched and differentiable), or loop")
    return (x,) + infos[-1]


def _bracketing(name):
    def find(f, a, b, args, xtol, rtol, maxiter, full_output, disp, extra):
        args = _as_tuple(args)
        f, args = _lift_closures(f, args)
        so = _optimize()
        scipy_finder = getattr(so, name)
        kw = dict(xtol=xtol, rtol=rtol, maxiter=maxiter, disp=disp, **extra)
        leaves = tree.leaves(args)
        if not _traced([a, b] + leaves, name):
            return scipy_finder(_plain(name, f), a, b, args=args, full_output=full_output, **kw)
        reports = []

        def solve(ends, *rest):
            x, r = scipy_finder(_plain(name, f), ends[0], ends[1], args=rest,
                                full_output=True, **kw)
            _converged(name, r.converged, r.flag)
            reports.append(r)
            return x

        x = _solve(name, solve, f, cnp.stack([a, b]), args)
        if not full_output:
            return x
        if _staged([a, b] + leaves):
            raise NotImplementedError(f"{name}(full_output=True) under jit: the solver's "
                                      f"report would be the trace's; call it without "
                                      f"full_output")
        r = _root_report(reports, so)
        r.root = x
        return x, r

    if name == "toms748":   # SciPy's order: (f, a, b, args=(), k=1, xtol, …)
        def finder(f, a, b, args=(), k=1, xtol=2e-12, rtol=8.881784197001252e-16,
                   maxiter=100, full_output=False, disp=True):
            return find(f, a, b, args, xtol, rtol, maxiter, full_output, disp, {"k": k})
    else:
        def finder(f, a, b, args=(), xtol=2e-12, rtol=8.881784197001252e-16, maxiter=100,
                   full_output=False, disp=True):
            return find(f, a, b, args, xtol, rtol, maxiter, full_output, disp, {})
    finder.__name__ = name
    finder.__doc__ = (
        f"``scipy.optimize.{name}``: a root of f in the bracket [a, b]; differentiable in "
        f"``args`` (from f(x*, args) = 0; the root does not depend on a and b).\n\n"
        f"    >>> import chainrule as cr\n"
        f"    >>> round(float(cr.grad(lambda c: {name}(lambda x, c: x * x - c, 0.0, 3.0, "
        f"args=(c,)))(4.0)), 9)\n"
        f"    0.25\n")
    return export(name, namespace=OPTIMIZE, prim=solution_p)(_explained(finder))


brentq, brenth, ridder, bisect, toms748 = (
    _bracketing(n) for n in ("brentq", "brenth", "ridder", "bisect", "toms748"))


@export("newton", namespace=OPTIMIZE, prim=solution_p)
@_explained
def newton(func, x0, fprime=None, args=(), tol=1.48e-08, maxiter=50, fprime2=None, x1=None,
           rtol=0.0, full_output=False, disp=True):
    """``scipy.optimize.newton`` (Newton, Halley or the secant method, as SciPy chooses
    from ``fprime``/``fprime2``; ``x0`` may be an array of independent problems); the root
    is differentiable in ``args``.

    >>> import chainrule as cr
    >>> round(float(cr.grad(lambda c: newton(lambda x, c: x * x - c, 1.0, args=(c,)))(4.0)), 9)
    0.25
    """
    args = _as_tuple(args)
    func, args, fprime, fprime2 = _lift_closures(func, args, fprime, fprime2)
    so = _optimize()
    kw = dict(fprime=fprime, tol=tol, maxiter=maxiter, fprime2=fprime2, x1=x1, rtol=rtol,
              disp=disp)
    leaves = tree.leaves(args)
    if not _traced([x0] + leaves, "newton"):
        return so.newton(_plain("newton", func), x0, args=args, full_output=full_output, **kw)
    outputs = []

    def solve(x0, *a):
        # (full_output for the report: with disp=False SciPy returns an unconverged root
        # silently, whose derivative then deserves the warning the other solvers give)
        out = so.newton(_plain("newton", func), x0, args=a, full_output=True, **kw)
        ok = getattr(out[1], "converged", out[1])   # a RootResults, or an array's flags
        _converged("newton", bool(np.all(ok)), getattr(out[1], "flag", "some failed to "
                                                       "converge"))
        outputs.append(out)
        return out[0]

    # the problems of an array x0 are independent: the residual is elementwise
    x = _solve("newton", solve, func, x0, args)
    if not full_output:
        return x
    if _staged([x0] + leaves):
        raise NotImplementedError("newton(full_output=True) under jit: the solver's report "
                                  "would be the trace's; call it without full_output")
    if isinstance(outputs[-1][1], so.RootResults):   # a scalar problem: (root, RootResults)
        r = _root_report([out[1] for out in outputs], so)
        r.root = x
        return x, r
    if len(outputs) > 1:   # an array's (root, converged, zero_der), once per example
        raise NotImplementedError("newton(full_output=True) of an array x0 under vmap: the "
                                  "flags are one array per example; call it without "
                                  "full_output (the roots are batched and differentiable)")
    return outputs[-1]._replace(root=x)


@export("root_scalar", namespace=OPTIMIZE, prim=solution_p)
@_explained
def root_scalar(f, args=(), method=None, bracket=None, fprime=None, fprime2=None, x0=None,
                x1=None, xtol=None, rtol=None, maxiter=None, options=None):
    """``scipy.optimize.root_scalar``, given chainrule's exact derivatives where the method
    needs them ('newton', 'halley'); the result's ``root`` is differentiable in ``args``.

    >>> import chainrule as cr
    >>> r = lambda c: root_scalar(lambda x, c: x ** 3 - c, args=(c,), method="newton", x0=1.0)
    >>> round(float(cr.grad(lambda c: r(c).root)(8.0)), 12)
    0.083333333333
    """
    args = _as_tuple(args)
    f, args, fprime, fprime2 = _lift_closures(f, args, fprime, fprime2)
    so = _optimize()
    if method in ("newton", "halley") and fprime is None:
        start = _start(0.0 if x0 is None else x0, args, float)
        fprime = _exact("root_scalar", lambda x, *a: grad(f)(_float(x), *a), start)
    if method == "halley" and fprime2 is None and fprime is not None:
        fprime2 = lambda x, *a: grad(grad(f))(_float(x), *a)  # noqa: E731
    kw = dict(method=method, bracket=bracket, fprime=fprime, fprime2=fprime2, x1=x1,
              xtol=xtol, rtol=rtol, maxiter=maxiter, options=options)
    leaves = tree.leaves(args)
    if not _traced([x0] + leaves, "root_scalar"):
        return so.root_scalar(_plain("root_scalar", f), args=args, x0=x0, **kw)
    # fprime=True: f returns (f, f') (and f'' with fprime2=True); the root solves f = 0
    residual = (lambda x, *a: f(x, *a)[0]) if fprime is True else f
    reports = []

    def solve(start, *a):
        r = so.root_scalar(_plain("root_scalar", f), args=a,
                           x0=None if x0 is None else start, **kw)
        _converged("root_scalar", r.converged, r.flag)
        reports.append(r)
        return r.root

    x = _solve("root_scalar", solve, residual, 0.0 if x0 is None else x0, args)
    if _staged([x0] + leaves) or not reports:
        return so.RootResults(root=x, iterations=-1, function_calls=-1, flag="under jit",
                              method=method or "")
    r = _root_report(reports, so)
    r.root = x
    return r


# ---- least squares ---------------------------------------------------------------------------
@export("least_squares", namespace=OPTIMIZE, prim=solution_p)
@_explained
def least_squares(fun, x0, jac=None, bounds=(-np.inf, np.inf), method="trf", ftol=1e-08,
                  xtol=1e-08, gtol=1e-08, x_scale=None, loss="linear", f_scale=1.0,
                  diff_step=None, tr_solver=None, tr_options=None, jac_sparsity=None,
                  max_nfev=None, verbose=0, args=(), kwargs=None, callback=None,
                  workers=None):
    """``scipy.optimize.least_squares``, given chainrule's exact Jacobian (``jac=None``; a
    string such as '2-point' keeps SciPy's differences); the result's ``x`` is
    differentiable in ``args`` (from Jᵀr = 0, for ``loss='linear'``).

    >>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
    >>> t = np.array([0.0, 1.0, 2.0])
    >>> fit = lambda y: least_squares(lambda p, y: p[0] + p[1] * t - y, np.zeros(2), args=(y,)).x
    >>> np.round(cr.jacobian(fit)(np.array([1.0, 2.0, 4.0])), 6)   # linear in y: the pseudo-inverse
    array([[ 0.833333,  0.333333, -0.166667],
           [-0.5     ,  0.      ,  0.5     ]])
    """
    args = _as_tuple(args)
    fun, args, jac = _lift_closures(fun, args, jac)
    kwargs = {} if kwargs is None else dict(kwargs)
    so = _optimize()
    residuals = lambda x, *a: fun(x, *a, **kwargs)  # noqa: E731
    if jac is None:
        start = _start(x0, args, np.atleast_1d)
        jac = _exact("least_squares", lambda x, *a, **k: jacobian(
            lambda y: fun(y, *a, **k))(x), start, fallback="2-point", kwargs=kwargs)
    kw = dict(jac=jac, bounds=bounds, method=method, ftol=ftol, xtol=xtol, gtol=gtol,
              loss=loss, f_scale=f_scale, diff_step=diff_step,
              tr_solver=tr_solver, tr_options=tr_options, jac_sparsity=jac_sparsity,
              max_nfev=max_nfev, verbose=verbose, kwargs=kwargs)
    # SciPy's own defaults where not given: x_scale None is 'jac' for 'lm' since SciPy 1.16
    # (1 before), and callback and workers came with 1.16
    kw.update({k: v for k, v in dict(x_scale=x_scale, callback=callback,
                                     workers=workers).items() if v is not None})
    leaves = tree.leaves(args)
    if any(isinstance(v, Tracer) for v in tree.leaves(kwargs)):
        raise TypeError("chainrule.scipy.optimize.least_squares: kwargs are passed to the "
                        "function as they are, not differentiated; pass a traced value "
                        "through args=(...) to differentiate the solution in it")
    if not _traced([x0] + leaves, "least_squares"):
        return so.least_squares(_plain("least_squares", fun), x0, args=args, **kw)
    if loss != "linear":
        raise NotImplementedError("least_squares: derivatives of the solution are given for "
                                  "loss='linear'; write a robust loss as the residuals' "
                                  "transformation and minimize it")
    results = []

    def solve(x0, *a):
        res = so.least_squares(_plain("least_squares", fun), x0, args=a, **kw)
        _converged("least_squares", res.success, res.message)
        b = bounds if hasattr(bounds, "lb") else so.Bounds(*bounds)
        _refuse_active_bounds("least_squares", res.x, b.lb, b.ub)
        results.append(res)
        return res.x

    half_squares = lambda x, *a: 0.5 * cnp.sum(residuals(x, *a) ** 2)  # noqa: E731
    x = _solve("least_squares", solve, lambda x, *a: grad(half_squares)(x, *a), x0, args)
    res = _result(results, x, residuals(x, *args), _staged([x0] + leaves), so)
    res.cost = half_squares(x, *args)
    return res


@export("curve_fit", namespace=OPTIMIZE, prim=solution_p)
@_explained
def curve_fit(f, xdata, ydata, p0=None, sigma=None, absolute_sigma=False, check_finite=None,
              bounds=(-np.inf, np.inf), method=None, jac=None, *, full_output=False,
              nan_policy=None, **kwargs):
    """``scipy.optimize.curve_fit``, given chainrule's exact Jacobian in the parameters
    (``jac=None``); ``popt`` and ``pcov`` are differentiable in ``xdata``, ``ydata`` and
    ``sigma`` (``popt`` from the fit's normal equations; ``pcov`` recomputed from them).

    >>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
    >>> x = np.linspace(0.0, 1.0, 5)
    >>> slope = lambda y: curve_fit(lambda x, a, b: a * x + b, x, y)[0][0]
    >>> np.round(cr.grad(slope)(2.0 * x + 1.0), 6)        # least squares: (x − x̄)/Σ(x − x̄)²
    array([-0.8, -0.4,  0. ,  0.4,  0.8])
    """
    so = _optimize()
    if jac is None:
        jac = lambda x, *p: jacobian(lambda q: f(x, *q))(_float(cnp.stack(p)))  # noqa: E731
    kw = dict(absolute_sigma=absolute_sigma, check_finite=check_finite, bounds=bounds,
              method=method, jac=jac, nan_policy=nan_policy, **kwargs)
    if p0 is None:  # (SciPy would count the parameters of _plain's (*args), not of f)
        p0 = _default_guess(f, bounds, so)
    data = [xdata, ydata] + ([] if sigma is None else [sigma])
    # a model closing over traced values (curve_fit has no args=): they become data the
    # fit is differentiated in, the cells holding the values the solve passes, as the
    # other solvers' closures (_lift_closures)
    captured = closure_tracers(f)
    lifted = [v for _, _, values in captured for v in values]
    if not _traced(data + tree.leaves(p0) + lifted, "curve_fit"):
        return so.curve_fit(_plain("curve_fit", f), xdata, ydata, p0=p0, sigma=sigma,
                            full_output=full_output, **kw)
    # (SciPy makes arrays of list data, which the model then receives)
    data = [cnp.asarray(d) if isinstance(d, (list, tuple)) else d for d in data]
    if nan_policy == "omit" and not check_finite:
        data = _without_nans(*data)
    if full_output:
        raise NotImplementedError("curve_fit(full_output=True) with traced data: call it "
                                  "without full_output (popt and pcov are differentiable)")
    weights = len(data) - 2     # sigma's, 0 or 1; the lifted values follow it

    def solve(p0, x, y, *rest):
        with cells_holding(captured, rest[weights:]):
            popt = so.curve_fit(_plain("curve_fit", f), x, y, p0=p0,
                                sigma=rest[0] if weights else None, **kw)[0]
        b = bounds if hasattr(bounds, "lb") else so.Bounds(*bounds)
        _refuse_active_bounds("curve_fit", popt, b.lb, b.ub)
        return popt

    def weighted(p, x, y, *rest):
        s = rest[:weights]
        with cells_holding(captured, rest[weights:]):
            r = f(x, *[p[i] for i in range(shape(p)[0])]) - y
        if not s:
            return r
        if len(shape(s[0])) == 2:  # a covariance: whiten by its Cholesky factor, as SciPy
            return cnp.linalg.solve(cnp.linalg.cholesky(s[0]), r)
        return r / s[0]

    half_squares = lambda p, *d: 0.5 * cnp.sum(weighted(p, *d) ** 2)  # noqa: E731
    data = data + lifted
    popt = _solve("curve_fit", solve, lambda p, *d: grad(half_squares)(p, *d),
                  cnp.asarray(p0, dtype=np.float64), tuple(data))
    return popt, _covariance(weighted, popt, data, absolute_sigma)


def _default_guess(f, bounds, so):
    """SciPy's p0 when none is given: one parameter per argument of f's own signature (not
    _plain's) after x, each 1, or inside finite bounds (their midpoint, lb + 1, ub − 1), as
    SciPy's curve_fit starts."""
    n = len(inspect.getfullargspec(f).args) - 1
    if n < 1:
        raise ValueError("Unable to determine number of fit parameters.")
    b = bounds if hasattr(bounds, "lb") else so.Bounds(*bounds)
    lb, ub = (np.broadcast_to(np.asarray(v, dtype=float), (n,)) for v in (b.lb, b.ub))
    finite_lb, finite_ub = np.isfinite(lb), np.isfinite(ub)
    with np.errstate(invalid="ignore"):  # (inf − inf where a side is unbounded: not chosen)
        return np.select([finite_lb & finite_ub, finite_lb, finite_ub],
                         [0.5 * (lb + ub), lb + 1.0, ub - 1.0], 1.0)


def _without_nans(xdata, ydata, sigma=None):
    """curve_fit's data without the points where x or y is nan, as SciPy drops them for
    nan_policy='omit' (the fit's residuals, its derivatives and pcov then ignore them)."""
    xv = np.asarray(concrete_value(xdata, "value"), dtype=float)
    has_nan = np.isnan(xv).any(axis=tuple(range(xv.ndim - 1))) | \
        np.isnan(np.asarray(concrete_value(ydata, "value"), dtype=float))
    if not has_nan.any():
        return [xdata, ydata] + ([] if sigma is None else [sigma])
    keep = np.flatnonzero(~has_nan)
    data = [cnp.take(xdata, keep, axis=-1), cnp.take(ydata, keep, axis=0)]
    if sigma is not None and len(shape(sigma)) == 2:
        data.append(cnp.take(cnp.take(sigma, keep, axis=0), keep, axis=1))
    elif sigma is not None and np.size(full_lower(sigma)) > 1:
        data.append(cnp.take(sigma, keep, axis=0))
    elif sigma is not None:
        data.append(sigma)
    return data


def _covariance(weighted, popt, data, absolute_sigma):
    """curve_fit's pcov, as SciPy computes it (the pseudo-inverse of JᵀJ by the SVD of J,
    singular values below its threshold dropped), with chainrule's operations."""
    J = jacobian(lambda p: weighted(p, *data))(popt)
    m, n = shape(J)
    _, s, vt = cnp.linalg.svd(J, full_matrices=False)
    try:
        values = np.asarray(concrete_value(s, "value"))
        keep = values > np.finfo(float).eps * max(m, n) * values[0]
        s, vt = s[keep], vt[keep]
    except BatchedValueError:  # under vmap: every singular value (a well-posed fit's)
        pass
    pcov = cnp.matmul(cnp.swapaxes(vt, 0, 1) / s ** 2, vt)
    if not absolute_sigma:
        if m <= n:  # no degree of freedom left: SciPy fills pcov with inf (its solve warns)
            return cnp.full((n, n), np.inf)
        pcov = pcov * (cnp.sum(weighted(popt, *data) ** 2) / (m - n))
    return pcov
