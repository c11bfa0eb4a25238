"""``scipy.integrate.cubature`` and ``qmc_quad`` (needs the ``scipy`` extra): integrals over
boxes, differentiable as :func:`~chainrule.scipy.quad.quad` is.

- ``cubature``: SciPy's adaptive cubature for the value. ``args`` θ and the traced values ``f``
  closes over: ∫ ∂f/∂θ dx, another SciPy cubature of chainrule's derivative of ``f`` (forward
  mode: its tangent; reverse mode: the gradient of ⟨ḡ, f(x, θ)⟩ at each point). A limit bⱼ
  (aⱼ): the integral over the face xⱼ = bⱼ (with a minus sign for aⱼ), a cubature over the
  other variables (f at the limit in one dimension), 0 at an infinite limit. Each is the
  same primitive again, so every order is available, to the tolerances.
- ``qmc_quad``: a quasi-Monte Carlo estimate on the points SciPy draws from ``qrng`` (SciPy
  draws them, on the unit cube, exactly as for the plain call); the estimate and its standard
  error are written with ``chainrule.numpy`` over those points, so their derivative is the
  estimator's own, exact, every order, in the limits and in what ``func`` closes over.

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> f = lambda s: cubature(lambda x, s: cnp.exp(-s * cnp.sum(x * x, axis=-1)),
...                        [0.0, 0.0], [1.0, 1.0], args=(s,)).estimate
>>> round(float(f(1.0)), 8), round(float(cr.grad(f)(1.0)), 8)
(0.55774629, -0.28300504)
"""
import warnings

import numpy as np

from .. import numpy as cnp
from ..core import tree
from ..core.primitive import Primitive, Tracer, concrete_value, full_lower, traced_by
from ..core.registry import INTEGRATE
from ..interpreters.batching import BatchedValueError, BatchTracer
from ..interpreters.staging import StagingTracer
from ..interpreters.reverse import selective_vjp_rules
from ..primitives.declare import declare, export
from ..primitives.util import shape, dtype
from ..primitives.scipy_linalg import scipy_module, loop_batch
from ..primitives.special import logsumexp
from ..transforms.differentiate import jvp
from ..transforms.jacobians import jacfwd
from .adjoint import closure_tracers, cells_holding

__all__ = ["cubature", "qmc_quad"]

_STATUS = ("converged", "not_converged")


# ---- cubature: the primitive ----------------------------------------------------------------
def _impl(a, b, *theta, func, options):
    res = scipy_module("integrate").cubature(lambda x: func(x, *theta), a, b, **dict(options))
    estimate = np.array(res.estimate)   # (SciPy's floating type: float32 stays float32)
    return (estimate if estimate.dtype.kind in "fc" else estimate.astype(np.float64),
            np.array(res.error), np.array([_STATUS.index(res.status), res.subdivisions],
                                          dtype=np.float64))


def _face(func, j):
    """y ↦ func at the points y with xⱼ = c inserted (c, the face's coordinate, comes last)."""
    def f(y, *rest):
        theta, c = rest[:-1], rest[-1]
        column = cnp.zeros((shape(y)[0], 1)) + c
        return func(cnp.concatenate([y[:, :j], column, y[:, j:]], axis=1), *theta)
    return f


def _on_face(func, a, b, theta, j, at, options):
    """∫ f over the face xⱼ = at of the box (f at that point in one dimension), 0 where ``at``
    is infinite, nan where it is nan (under vmap, where each example's limit differs, the
    choice is a where)."""
    try:
        if concrete_value(cnp.isinf(at), "bool"):
            return 0.0
        if concrete_value(cnp.isnan(at), "bool"):
            return np.nan
        return _face_integral(func, a, b, theta, j, at, options)
    except BatchedValueError:
        infinite = cnp.isinf(at)
        value = _face_integral(func, a, b, theta, j, cnp.where(infinite, 0.0, at), options)
        return cnp.where(infinite, 0.0, value)


def _face_integral(func, a, b, theta, j, at, options):
    n = shape(a)[0]
    if n == 1:
        return func(cnp.reshape(cnp.asarray(at, dtype=np.float64), (1, 1)), *theta)[0]
    idx = np.array([i for i in range(n) if i != j])
    return cubature_p(cnp.take(a, idx), cnp.take(b, idx), *theta, at, func=_face(func, j),
                      options=options)[0]


def _tangent_integrand(func, k):
    def f(x, *rest):
        return jvp(lambda *th: func(x, *th), tuple(rest[:k]), tuple(rest[k:]))[1]
    return f


def _limit_terms(func, a, b, ta, tb, theta, options):
    out = 0.0
    for t, ends, sign in ((tb, b, 1.0), (ta, a, -1.0)):
        if t is None:
            continue
        for j in range(shape(a)[0]):
            out = out + sign * t[j] * _on_face(func, a, b, theta, j, ends[j], options)
    return out


def _jvp(primals, tangents, func, options):
    ans = cubature_p(*primals, func=func, options=options)
    a, b, *theta = primals
    ta, tb, *tth = tangents
    d = _limit_terms(func, a, b, ta, tb, theta, options)
    if any(t is not None for t in tth):
        filled = [cnp.zeros(shape(v)) if t is None else t for t, v in zip(tth, theta)]
        d = d + cubature_p(a, b, *theta, *filled, func=_tangent_integrand(func, len(theta)),
                           options=options)[0]
    d = cnp.broadcast_to(cnp.asarray(d, dtype=dtype(ans[0])), shape(ans[0]))
    return ans, (d, cnp.zeros(shape(ans[1])), cnp.zeros(shape(ans[2])))


def _cotangent_integrand(func, k, out_shape):
    """x ↦ the gradient of ⟨g, f(xₚ, θ)⟩ at each point p, the arguments' flattened (g last)."""
    def f(x, *rest):
        theta, g = rest[:k], rest[k]
        sizes = [int(np.prod(shape(t))) for t in theta]

        def flat(v):
            parts, start = [], 0
            for t, n in zip(theta, sizes):
                parts.append(cnp.reshape(v[start:start + n], shape(t)))
                start += n
            return func(x, *parts)
        jac = jacfwd(flat)(cnp.concatenate([cnp.ravel(cnp.asarray(t, dtype=np.float64))
                                            for t in theta]))
        n_out = int(np.prod(out_shape))
        jac = cnp.reshape(jac, (shape(x)[0], n_out, sum(sizes)))
        return cnp.einsum("pos,o->ps", jac, cnp.ravel(g))
    return f


def _vjp(g, ans, vals, params, parents=None):
    # (selective: a constant limit or argument costs no cubature)
    func, options = params["func"], params["options"]
    wanted = [True] * len(vals) if parents is None else [p is not None for p in parents]
    g = g[0]
    a, b, *theta = vals
    n = shape(a)[0]
    out = []
    for k, (ends, sign) in enumerate(((a, -1.0), (b, 1.0))):
        if not wanted[k]:
            out.append(None)
            continue
        parts = [sign * cnp.sum(g * _on_face(func, a, b, theta, j, ends[j], options))
                 for j in range(n)]
        out.append(cnp.stack(parts) if parts else cnp.zeros((0,)))
    if any(wanted[2:]):
        flat = cubature_p(a, b, *theta, g, func=_cotangent_integrand(func, len(theta), shape(g)),
                          options=options)[0]
        start = 0
        for t, want in zip(theta, wanted[2:]):
            size = int(np.prod(shape(t)))
            out.append(cnp.reshape(flat[start:start + size], shape(t)) if want else None)
            start += size
    else:
        out.extend([None] * len(theta))
    return out


_cubature = Primitive("cubature", _impl, multiple_results=True)
#: ``cubature_p(a, b, *theta, func=, options=)``: SciPy's cubature of ``func(x, *theta)`` over the
#: box [a, b]: (estimate, error, [status, subdivisions]), differentiable in a, b and theta.
cubature_p = declare(_cubature, jvp=_jvp, vjp=_vjp, batch=loop_batch(_cubature), names=())
selective_vjp_rules.add(cubature_p)


def _closure_args(name, f, args):
    args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
    captured = closure_tracers(f)
    lifted = [v for _, _, values in captured for v in values]
    k = len(args)

    def func(x, *theta):
        with cells_holding(captured, theta[k:]):
            return f(x, *theta[:k])
    return func, args + tuple(lifted), bool(lifted)


def _vector(v):
    """A limit given as a list (possibly of traced numbers) as one array."""
    if isinstance(v, (list, tuple)):
        return cnp.stack([cnp.asarray(x, dtype=np.float64) for x in v]) if v else np.zeros(0)
    return v


def _traced(*values):
    return any(isinstance(x, Tracer) for x in tree.leaves(values))


def _no_complex(name, values):
    for v in values:
        if dtype(v).kind == "c":
            raise TypeError(f"chainrule.scipy.integrate.{name}: traced complex values are not "
                            f"differentiated; integrate the real and imaginary parts")


@export("cubature", namespace=INTEGRATE, prim=cubature_p)
def cubature(f, a, b, *, rule="gk21", rtol=1e-8, atol=0, max_subdivisions=10000, args=(),
             workers=1, points=None):
    """∫ f(x, *args) over the box [a, b] (``scipy.integrate.cubature``: ``f`` takes points of
    shape (n, d) and returns (n, ...); SciPy's result, ``.estimate`` its value). Differentiable
    in ``a``, ``b`` (the integral over the face at that limit; 0 at an infinite one), ``args``
    and the traced values ``f`` closes over, to every order; write ``f`` with
    ``chainrule.numpy``. ``workers`` and ``points`` go to SciPy for plain values only; under a
    transformation the result's ``regions`` list is empty (SciPy's subregions are not traced).

    >>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
    >>> area = lambda r: cubature(lambda x: cnp.ones(x.shape[0]), [0.0, 0.0], [r, 2.0]).estimate
    >>> float(area(1.5)), float(cr.grad(area)(1.5))
    (3.0, 2.0)
    """
    func, theta, lifted = _closure_args("cubature", f, args)
    if not lifted and not _traced(a, b, theta):
        return scipy_module("integrate").cubature(
            f, a, b, rule=rule, rtol=rtol, atol=atol, max_subdivisions=max_subdivisions,
            args=args, workers=workers, points=points)
    if workers != 1 or points is not None or not isinstance(rule, str):
        raise NotImplementedError("chainrule.scipy.integrate.cubature: workers, points and a rule "
                                  "object are supported on plain values only; differentiate "
                                  "with a rule name and split the box at the points yourself")
    a, b = _vector(a), _vector(b)
    _no_complex("cubature", (a, b) + tuple(theta))
    options = (("atol", atol), ("max_subdivisions", max_subdivisions), ("rtol", rtol),
               ("rule", rule))
    estimate, error, info = cubature_p(a, b, *theta, func=func, options=options)
    plain = _plain_report(info)
    if plain is not None:
        status, subdivisions = _STATUS[int(plain[0])], int(plain[1])
    else:   # under vmap (each example's) or jit: 0 is 'converged'
        status, subdivisions = info[..., 0], info[..., 1]
    integrate = scipy_module("integrate")
    return integrate._cubature.CubatureResult(
        estimate=estimate, error=error, status=status, regions=[], subdivisions=subdivisions,
        atol=atol, rtol=rtol)


def _plain_report(v):
    """v's value, for SciPy's report fields (status, counts); None under jit (whose trace would
    keep the value, not recompute it) and under vmap (one value per example)."""
    if traced_by(StagingTracer, [v]) or traced_by(BatchTracer, [v]):
        return None
    return np.asarray(full_lower(v))


# ---- qmc_quad: the estimator over SciPy's points ----------------------------------------------
@export("qmc_quad", namespace=INTEGRATE)
def qmc_quad(func, a, b, *, n_estimates=8, n_points=1024, qrng=None, log=False):
    """A quasi-Monte Carlo estimate of ∫ func(x) over the box [a, b]
    (``scipy.integrate.qmc_quad``: ``func`` takes ``x`` of shape (d, n_points); a result with
    ``integral`` and ``standard_error``), on the points SciPy draws from ``qrng``; the
    estimator is written with ``chainrule.numpy``, so it is differentiable in ``a``, ``b`` and
    the traced values ``func`` closes over, exactly, to every order.

    >>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
    >>> from scipy.stats import qmc
    >>> est = lambda s: qmc_quad(lambda x: cnp.exp(-s * x[0]), [0.0], [1.0], n_points=64,
    ...                          qrng=qmc.Halton(1, seed=0)).integral
    >>> bool(abs(est(1.0) - (1 - np.exp(-1.0))) < 1e-2)
    True
    >>> bool(abs(cr.grad(est)(1.0) - (2 * np.exp(-1.0) - 1)) < 1e-2)   # d/ds ∫₀¹ e^(−sx)
    True
    """
    captured = closure_tracers(func)
    integrate = scipy_module("integrate")
    if not captured and not _traced(a, b):
        return integrate.qmc_quad(func, a, b, n_estimates=n_estimates, n_points=n_points,
                                  qrng=qrng, log=log)
    a, b = cnp.atleast_1d(_vector(a)), cnp.atleast_1d(_vector(b))
    _no_complex("qmc_quad", (a, b))
    d = shape(a)[0]
    result = integrate._quadrature.QMCQuadResult
    lo_plain, hi_plain = _plain_report(a), _plain_report(b)
    equal = lo_plain is not None and hi_plain is not None and bool(np.any(lo_plain == hi_plain))
    if equal:   # (SciPy's answer, without drawing a point)
        warnings.warn("A lower limit was equal to an upper limit, so the value of the integral "
                      "is zero by definition.", stacklevel=2)
        return result(np.float64(-np.inf if log else 0.0), np.float64(0.0))
    samples = []

    def record(x):
        samples.append(np.array(x).T)
        return np.zeros(np.shape(x)[-1])
    # the points, drawn by SciPy from qrng exactly as its own call draws them: on the unit cube
    # the points it passes are the samples themselves
    integrate.qmc_quad(record, np.zeros(d), np.ones(d), n_estimates=n_estimates,
                       n_points=n_points, qrng=qrng, log=False)
    samples = samples[len(samples) - n_estimates:]   # (SciPy first tries func on 1 and 2 points)
    swap = b < a
    lo, hi = cnp.where(swap, b, a), cnp.where(swap, a, b)
    sign = cnp.astype(cnp.prod(cnp.where(swap, -1.0, 1.0)), dtype(lo))
    dA = cnp.prod(hi - lo) / n_points
    estimates = []
    for sample in samples:   # (in the limits' floating type, as SciPy's)
        sample = sample.astype(np.result_type(dtype(lo), np.float16))
        values = func(cnp.swapaxes(sample * (hi - lo) + lo, 0, 1))
        estimates.append(logsumexp(values) + cnp.log(dA) if log else cnp.sum(values * dA))
    estimates = cnp.stack(estimates)
    if not log:
        integral = cnp.mean(estimates)
        error = cnp.std(estimates, ddof=1) / np.sqrt(n_estimates)
        return result(integral * sign, error)
    integral = logsumexp(estimates) - np.log(n_estimates)
    top = cnp.max(estimates)   # log of the standard deviation of exp(estimates), scaled
    spread = cnp.sum((cnp.exp(estimates - top) - cnp.exp(integral - top)) ** 2)
    error = top + 0.5 * (cnp.log(spread) - np.log(n_estimates - 1)) - 0.5 * np.log(n_estimates)
    negative = concrete_value(sign < 0, "bool")
    return result(integral + np.pi * 1j if negative else integral, error)
