"""``scipy.integrate.tanhsinh`` and ``nsum`` (needs the ``scipy`` extra): SciPy's elementwise
integrals and sums, differentiable as :func:`~chainrule.scipy.quad.quad` is.

Both call ``f(x, *args)`` elementwise, the arguments broadcast with the limits, and return
SciPy's result object (``integral`` or ``sum``, ``error``, ``success``, ``status``, ``nfev``…).

- ``args`` θ, and the traced values ``f`` closes over: ∫ ∂f/∂θ dx (Σ ∂f/∂θ for ``nsum``), a
  ``tanhsinh`` (``nsum``) of chainrule's forward derivative of ``f``, by SciPy again: forward
  mode integrates the tangent; reverse mode one partial derivative per argument (broadcast
  ``args``, elementwise) and per scalar the function closes over. Each is the same primitive
  again, so every order is available, accurate to the tolerances.
- ``tanhsinh``'s limits: the fundamental theorem, ±f at the limit (0 at an infinite one).
  ``nsum``'s limits and ``step`` choose which terms are summed and are not differentiated
  (a traced one is refused).

With ``log=True`` (``f`` is the logarithm of the integrand, the result that of the integral L)
the derivatives are those of L: ∫ exp(f − L) ∂f/∂θ dx, and exp(f(b) − L) at a limit.

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> f = lambda s: tanhsinh(lambda x, s: cnp.exp(-s * x * x), 0.0, np.inf, args=(s,)).integral
>>> round(float(f(1.0)), 10), round(float(cr.grad(f)(1.0)), 10)    # ½√(π/s), −¼√π s^(−3/2)
(0.8862269255, -0.4431134627)
"""
import numpy as np

from .. import numpy as cnp
from ..core.primitive import Primitive, Tracer, full_lower, traced_by
from ..core.registry import INTEGRATE
from ..interpreters.batching import BatchTracer
from ..interpreters.staging import StagingTracer
from ..interpreters.reverse import selective_vjp_rules
from ..primitives.declare import declare, export
from ..primitives.util import shape, dtype
from ..primitives.scipy_linalg import scipy_module, loop_batch
from ..transforms.differentiate import jvp
from .adjoint import closure_tracers, cells_holding

__all__ = ["tanhsinh", "nsum"]

_FIELDS = {"tanhsinh": ("integral", ("error", "success", "status", "nfev", "maxlevel")),
           "nsum": ("sum", ("error", "success", "status", "nfev"))}


def _plain_call(kind, func, lo, hi, args, nargs, options):
    """SciPy's result, ``func(x, *args[:nargs], *args[nargs:])`` with the broadcast arguments
    through SciPy and the closed-over ones bound here (they are not elementwise in x)."""
    own, fixed = args[:nargs], args[nargs:]
    f = lambda x, *a: func(x, *a, *fixed)   # noqa: E731
    options = dict(options)
    if isinstance(options.get("tolerances"), _frozen):
        options["tolerances"] = None if options["tolerances"].none else dict(options["tolerances"])
    return getattr(scipy_module("integrate"), kind)(f, lo, hi, args=tuple(own), **options)


def _impl(lo, hi, *args, kind, func, nargs, options):
    res = _plain_call(kind, func, lo, hi, args, nargs, options)
    value, report = _FIELDS[kind]
    out = np.array(res[value])   # (SciPy's floating type: float32 stays float32)
    return (out if out.dtype.kind in "fc" else out.astype(np.float64),) + tuple(
        np.array(res[k]) for k in report)


def _tangent_integrand(func, nargs):
    """x ↦ the derivative of func(x, ·) along the arguments' tangents: its arguments are the
    broadcast ones, their tangents, then the closed-over ones and theirs."""
    def f(x, *rest):
        own, town = rest[:nargs], rest[nargs:2 * nargs]
        fixed = rest[2 * nargs:]
        k = len(fixed) // 2
        vals, tans = tuple(own) + tuple(fixed[:k]), tuple(town) + tuple(fixed[k:])
        return jvp(lambda *th: func(x, *th[:nargs], *th[nargs:]), vals, tans)[1]
    return f


def _log_tangent_integrand(func, nargs):
    """With log=True (func is the logarithm of the integrand, L the logarithm of the result):
    x ↦ exp(func(x) − L) · the derivative of func, whose integral (sum) is the derivative of L."""
    tangent = _tangent_integrand(func, nargs)

    def f(x, L, *rest):
        own, fixed = rest[:nargs], rest[2 * nargs:]
        fixed = fixed[:len(fixed) // 2]
        return cnp.exp(func(x, *own, *fixed) - L) * tangent(x, *rest)
    return f


def _at(func, x, args):
    """func at a limit (the broadcast arguments as given), 0 where the limit is infinite (a
    nan limit gives nan)."""
    infinite = cnp.isinf(x)
    value = func(cnp.where(infinite, 0.0, x), *args)
    return cnp.where(infinite, 0.0, value)


def _integral_tangent(params, primals, tangents, result):
    """The tangent of the integral (sum) ``result`` along ``tangents``."""
    kind, func, nargs, log = params["kind"], params["func"], params["nargs"], params["options_log"]
    if log and dtype(result).kind == "c":
        raise TypeError(f"chainrule.scipy.integrate.{kind} with log=True: the logarithm of a "
                        f"negative integral (complex) is not differentiated; differentiate "
                        f"with log=False")
    lo, hi, *args = primals
    tlo, thi, *targs = tangents
    out = 0.0
    if kind == "nsum" and (tlo is not None or thi is not None):
        _refuse_nsum_limits()
    for t, x, sign in (((thi, hi, 1.0), (tlo, lo, -1.0)) if kind == "tanhsinh" else ()):
        if t is not None:
            at = _at(func, x, args)
            if log:   # d log I = f(b) / I, where f = exp(func)
                at = cnp.where(cnp.isinf(x), 0.0, cnp.exp(at - result))
            out = out + sign * t * at
    if any(t is not None for t in targs):
        own, fixed = args[:nargs], args[nargs:]
        town = [cnp.zeros(shape(v)) if t is None else t for t, v in zip(targs[:nargs], own)]
        tfix = [cnp.zeros(shape(v)) if t is None else t for t, v in zip(targs[nargs:], fixed)]
        if log:
            options = tuple((k, False if k == "log" else v) for k, v in params["options"])
            inner = integral_p(lo, hi, result, *own, *town, *fixed, *tfix, kind=kind,
                               func=_log_tangent_integrand(func, nargs), nargs=2 * nargs + 1,
                               options=options, options_log=False)[0]
        else:
            inner = integral_p(lo, hi, *own, *town, *fixed, *tfix, kind=kind,
                               func=_tangent_integrand(func, nargs), nargs=2 * nargs,
                               options=params["options"], options_log=False)[0]
        out = out + inner
    return out


def _jvp(primals, tangents, **params):
    ans = integral_p(*primals, **params)
    d = _integral_tangent(params, primals, tangents, ans[0])
    d = cnp.broadcast_to(cnp.asarray(d, dtype=dtype(ans[0])), shape(ans[0]))
    return ans, (d,) + tuple(cnp.zeros(shape(a)) for a in ans[1:])


def _unbroadcast(x, like_shape):
    extra = len(shape(x)) - len(like_shape)
    if extra:
        x = cnp.sum(x, axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(like_shape) if n == 1 and shape(x)[i] != 1)
    return cnp.sum(x, axis=axes, keepdims=True) if axes else x


def _vjp(g, ans, vals, params, parents=None):
    # (selective: cotangents only for the traced arguments, each costing SciPy integrals)
    g, result = g[0], ans[0]
    nargs = params["nargs"]
    n = len(vals)
    out = [None] * n
    none = [None] * n
    for i in range(n):
        v = vals[i]
        if parents is not None and parents[i] is None:
            continue
        if i >= 2 + nargs:    # a closed-over value: one tangent per scalar
            size = int(np.prod(shape(v)))
            parts = []
            for j in range(size):
                tans = list(none)
                tans[i] = cnp.reshape(cnp.asarray(np.eye(size)[j]), shape(v))
                parts.append(cnp.sum(g * _integral_tangent(params, vals, tans, result)))
            out[i] = cnp.reshape(cnp.stack(parts), shape(v)) if size else cnp.zeros(shape(v))
            continue
        if i < 2 and params["kind"] == "nsum":
            _refuse_nsum_limits()
        tans = list(none)
        tans[i] = cnp.ones(shape(v))
        partial = _integral_tangent(params, vals, tans, result)
        out[i] = _unbroadcast(cnp.broadcast_to(g * partial, shape(g)), shape(v))
    return out


def _refuse_nsum_limits():
    raise TypeError("chainrule.scipy.integrate.nsum: the limits a and b choose the terms summed "
                    "and are not differentiated; pass them as plain numbers "
                    "(cr.stop_gradient(...) drops a derivative on purpose)")


def _impl_entry(lo, hi, *args, kind, func, nargs, options, options_log):
    return _impl(lo, hi, *args, kind=kind, func=func, nargs=nargs, options=options)


_integral = Primitive("elementwise_integral", _impl_entry, multiple_results=True)
#: ``integral_p(a, b, *args, *closed, kind=, func=, nargs=, options=, options_log=)``: SciPy's
#: ``tanhsinh``/``nsum`` (``kind``) of ``func(x, *args, *closed)``: SciPy's value and report,
#: differentiable in the limits (tanhsinh), the broadcast ``args`` and the closed-over values.
integral_p = declare(_integral, jvp=_jvp, vjp=_vjp, batch=loop_batch(_integral), names=())
selective_vjp_rules.add(integral_p)


def _prepare(kind, f, a, b, args, options, log):
    if not callable(f):
        raise TypeError(f"{kind}: f must be callable, not {type(f).__name__}")
    args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
    captured = closure_tracers(f)
    lifted = [v for _, _, values in captured for v in values]
    traced = any(isinstance(v, Tracer) for v in (a, b) + args) or lifted
    if not traced:
        return None
    for v in (a, b) + args + tuple(lifted):
        if dtype(v).kind == "c":
            raise TypeError(f"chainrule.scipy.integrate.{kind}: traced complex values are not "
                            f"differentiated; integrate the real and imaginary parts")
    nargs = len(args)

    def func(x, *rest):
        with cells_holding(captured, rest[nargs:]):
            return f(x, *rest[:nargs])
    return integral_p(a, b, *args, *lifted, kind=kind, func=func, nargs=nargs,
                      options=tuple(sorted(options.items())) + (("log", log),),
                      options_log=bool(log))


def _plain_report(v):
    """v's value, for SciPy's report fields (status, counts); None under jit (whose trace would
    keep the value, not recompute it) and under vmap (one value per example)."""
    if traced_by(StagingTracer, [v]) or traced_by(BatchTracer, [v]):
        return None
    return np.asarray(full_lower(v))


def _result(kind, outs):
    value, report = _FIELDS[kind]
    from scipy._lib._util import _RichResult   # SciPy's own result type (SciPy is an extra)
    fields = {value: outs[0]}
    for k, v in zip(report, outs[1:]):
        plain = _plain_report(v)
        v = v if plain is None else plain
        fields[k] = v.astype(bool) if k == "success" and isinstance(v, np.ndarray) else \
            (v.astype(np.int32) if isinstance(v, np.ndarray) and k != "error" else v)
        if isinstance(fields[k], np.ndarray) and fields[k].ndim == 0:
            fields[k] = fields[k][()]
    return _RichResult(**fields)


@export("tanhsinh", namespace=INTEGRATE, prim=integral_p)
def tanhsinh(f, a, b, *, args=(), log=False, maxlevel=None, minlevel=2, atol=None, rtol=None,
             preserve_shape=False, callback=None):
    """∫ₐᵇ f(x, *args) dx elementwise by SciPy's tanh-sinh quadrature
    (``scipy.integrate.tanhsinh``; SciPy's result object, ``.integral`` its value).
    Differentiable in ``a``, ``b`` (±f at the limit, 0 at an infinite one), ``args`` and the
    traced values ``f`` closes over, to every order; write ``f`` with ``chainrule.numpy``.

    >>> import numpy as np, chainrule as cr
    >>> g = cr.grad(lambda b: tanhsinh(lambda x: x * x, 0.0, b).integral)
    >>> float(g(3.0))
    9.0
    """
    options = {"maxlevel": maxlevel, "minlevel": minlevel, "atol": atol, "rtol": rtol}
    traced = _prepare("tanhsinh", f, a, b, args, options, log) if not (
        preserve_shape or callback is not None) else None
    if traced is None:
        given = args if isinstance(args, (tuple, list)) else (args,)
        if (preserve_shape or callback is not None) and (closure_tracers(f) or any(
                isinstance(v, Tracer) for v in (a, b) + tuple(given))):
            raise NotImplementedError("chainrule.scipy.integrate.tanhsinh: preserve_shape=True "
                                      "and callback are supported on plain values only")
        return scipy_module("integrate").tanhsinh(
            f, a, b, args=args, log=log, preserve_shape=preserve_shape, callback=callback,
            **options)
    return _result("tanhsinh", traced)


@export("nsum", namespace=INTEGRATE, prim=integral_p)
def nsum(f, a, b, *, step=1, args=(), log=False, maxterms=2 ** 20, tolerances=None):
    """Σ f(a + k·step, *args) for a + k·step ≤ b, elementwise, by SciPy
    (``scipy.integrate.nsum``; SciPy's result object, ``.sum`` its value). Differentiable in
    ``args`` and the traced values ``f`` closes over (Σ ∂f/∂θ, by SciPy again), to every order;
    the limits and ``step`` choose the terms and are not differentiated.

    >>> import numpy as np, chainrule as cr
    >>> zeta = lambda s: nsum(lambda k, s: k ** -s, 1.0, np.inf, args=(s,)).sum
    >>> round(float(zeta(2.0)), 8), round(float(cr.grad(zeta)(2.0)), 6)   # π²/6, ζ'(2)
    (1.64493407, -0.937548)
    """
    if isinstance(step, Tracer):
        raise TypeError("chainrule.scipy.integrate.nsum: step chooses the terms summed and is "
                        "not differentiated; pass a plain number")
    options = {"step": step, "maxterms": maxterms, "tolerances": _frozen(tolerances)}
    traced = _prepare("nsum", f, a, b, args, options, log)
    if traced is None:
        return scipy_module("integrate").nsum(f, a, b, step=step, args=args, log=log,
                                              maxterms=maxterms, tolerances=tolerances)
    return _result("nsum", traced)


class _frozen(dict):
    """``tolerances`` as a hashable option (the primitive's parameters are compared)."""

    def __init__(self, d):
        super().__init__(d or {})
        self.none = d is None

    def __hash__(self):
        return hash(tuple(sorted(self.items())))
