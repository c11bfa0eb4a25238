"""``scipy.integrate.quad``, ``quad_vec`` and ``fixed_quad`` (needs the ``scipy`` extra),
differentiable in the limits and in ``args``.

- A limit: the fundamental theorem, ∂/∂b ∫ₐᵇ f = f(b) and ∂/∂a = −f(a), with f evaluated by
  chainrule (so it is differentiable again). An infinite limit has no derivative: the
  integrand of a convergent integral vanishes there, and its contribution is 0.
- ``args`` θ: ∫ ∂f/∂θ dx, itself an integral computed by SciPy (``quad`` of chainrule's
  forward derivative of ``func`` in forward mode, ``quad_vec`` of its gradient in reverse
  mode). These integrals are the same primitives again, so every order is available,
  accurate to the quadrature's tolerances.

``fixed_quad`` (Gauss–Legendre of order n) is a composite: exact derivatives of the rule.

>>> import numpy as np, chainrule as cr
>>> round(float(cr.grad(lambda s: quad(lambda x, s: np.exp(-s * x * x), 0.0, 1.0,
...                                    args=(s,))[0])(1.0)), 6)   # -∫₀¹ x² e^(-x²) dx
-0.189472
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Primitive, concrete_value
from ..interpreters.batching import BatchedValueError
from ..core.registry import INTEGRATE
from ..primitives.declare import declare, export
from ..primitives.util import shape, dtype
from ..primitives.scipy_linalg import scipy_module, loop_batch
from ..transforms.differentiate import vjp, jvp
from .adjoint import flat_args

__all__ = ["quad", "quad_vec", "fixed_quad"]


def _plain_float(x):
    return float(np.asarray(x, dtype=np.float64))


# ---- the primitives: [value, abserr] of ∫ₐᵇ func(x, *args) dx (scalar or array valued) ---------
def _quad_impl(a, b, *args, func, options):
    val, err = scipy_module("integrate").quad(
        lambda x: _plain_float(func(x, *args)), _plain_float(a), _plain_float(b), **options)
    return np.array([val, err])


def _quad_vec_impl(a, b, *args, func, options):
    val, err = scipy_module("integrate").quad_vec(
        lambda x: np.ravel(np.asarray(func(x, *args), dtype=np.float64)),
        _plain_float(a), _plain_float(b), **options)
    return np.concatenate([np.ravel(val), [err]])


def _at_limit(func, x, args):
    """func(x, *args) flattened, and 0 at an infinite limit (a convergent integral's integrand
    vanishes there). Under vmap, where each example's limit differs, the choice is a where."""
    try:
        if not concrete_value(cnp.isfinite(x), "bool"):
            return 0.0
        return cnp.ravel(cnp.asarray(func(x, *args)))
    except BatchedValueError:
        finite = cnp.isfinite(x)
        value = cnp.ravel(cnp.asarray(func(cnp.where(finite, x, 0.0), *args)))
        return cnp.where(finite, value, 0.0)


def _ends(func, a, b, ta, tb, args):
    """tb·f(b) − ta·f(a) (the fundamental theorem), as a flat array."""
    out = 0.0
    for t, x, sign in ((tb, b, 1.0), (ta, a, -1.0)):
        if t is not None:
            out = out + sign * t * _at_limit(func, x, args)
    return out


def _inexact(args):
    """The positions of the arguments that carry derivatives (an integer in ``args``, or
    one closed over, such as an integer limit of a nested quad, is a constant)."""
    return [i for i, a in enumerate(args) if np.dtype(dtype(a)).kind in "fc"]


def _with(args, idx, th):
    full = list(args)
    for i, t in zip(idx, th):
        full[i] = t
    return full


def _tangent_integrand(func, k):
    def f(x, *rest):
        args, targs = rest[:k], rest[k:]
        idx = _inexact(args)
        if not idx:
            return cnp.zeros_like(cnp.asarray(func(x, *args), dtype=np.float64))
        return jvp(lambda *th: func(x, *_with(args, idx, th)), tuple(args[i] for i in idx),
                   tuple(targs[i] for i in idx))[1]
    return f


def _cotangent_integrand(func, k):
    # x -> (∂f/∂θ)ᵀ g, all arguments' cotangents in one flat vector (g is the last argument)
    def f(x, *rest):
        args, g = rest[:k], rest[k]
        idx = _inexact(args)
        cts = [None] * k
        if idx:
            out, pull = vjp(lambda *th: func(x, *_with(args, idx, th)),
                            *[args[i] for i in idx])
            pulled = pull(cnp.reshape(g, shape(out)) if shape(out) else cnp.reshape(g, ()))
            for i, c in zip(idx, pulled):
                cts[i] = c
        return cnp.concatenate([cnp.ravel(cnp.zeros(shape(a)) if c is None else c)
                                for c, a in zip(cts, args)])
    return f


def _integral_jvp(prim, primals, tangents, func, options):
    a, b, *args = primals
    ta, tb, *targs = tangents
    ans = prim(*primals, func=func, options=options)
    size = shape(ans)[0] - 1
    dval = _ends(func, a, b, ta, tb, args)
    if any(t is not None for t in targs):
        filled = [cnp.zeros(shape(p)) if t is None else t for t, p in zip(targs, args)]
        inner = quad_vec_p(a, b, *args, *filled, func=_tangent_integrand(func, len(args)),
                           options=_vec_options(options))
        dval = dval + inner[:size]
    dval = cnp.broadcast_to(dval, (size,)) if size else dval
    return ans, cnp.concatenate([cnp.ravel(cnp.asarray(dval, dtype=np.float64)),
                                 np.zeros(1)])


def _integral_vjp(g, ans, vals, params):
    func, options = params["func"], params["options"]
    a, b, *args = vals
    gv = g[:-1]
    ends = [None, None]
    for i, (x, sign) in enumerate(((a, -1.0), (b, 1.0))):
        ends[i] = sign * cnp.sum(gv * _at_limit(func, x, args))
    if not args:
        return ends
    flat = quad_vec_p(a, b, *args, gv, func=_cotangent_integrand(func, len(args)),
                      options=_vec_options(options))
    cts, start = [], 0
    for x in args:
        n = int(np.prod(shape(x)))
        cts.append(cnp.reshape(flat[start:start + n], shape(x)))
        start += n
    return ends + cts


def _vec_options(options):
    """quad's tolerances for the quad_vec of a derivative (quad_vec's own otherwise)."""
    keep = {"epsabs", "epsrel", "points"}
    return tuple(sorted((k, v) for k, v in dict(options).items() if k in keep))


_quad = Primitive("quad", lambda a, b, *args, func, options: _quad_impl(
    a, b, *args, func=func, options=dict(options)))
_quad_vec = Primitive("quad_vec", lambda a, b, *args, func, options: _quad_vec_impl(
    a, b, *args, func=func, options=dict(options)))
quad_p = declare(_quad, jvp=lambda p, t, **k: _integral_jvp(quad_p, p, t, **k),
                 vjp=_integral_vjp, batch=loop_batch(_quad), names=())
quad_vec_p = declare(_quad_vec, jvp=lambda p, t, **k: _integral_jvp(quad_vec_p, p, t, **k),
                     vjp=_integral_vjp, batch=loop_batch(_quad_vec), names=())


def _prepare(name, func, a, b, args):
    if not callable(func):
        raise TypeError(f"{name}: func must be callable, not {type(func).__name__}")
    if not isinstance(args, tuple):
        args = (args,)
    for x in (a, b) + tuple(args):
        if hasattr(x, "dtype") and dtype(x).kind == "c" or isinstance(x, complex):
            raise TypeError(f"{name}: complex limits and arguments are not supported; "
                            f"integrate the real and imaginary parts separately")
    user_func = func
    flat_func, args = flat_args(lambda x, _unused, *th: user_func(x, *th), args, name)
    return (lambda x, *th: flat_func(x, None, *th)), args


def _options(points, **kw):
    if points is not None:
        kw["points"] = tuple(float(p) for p in np.ravel(points))
    return tuple(sorted(kw.items()))


@export("quad", namespace=INTEGRATE, prim=quad_p)
def quad(func, a, b, args=(), full_output=0, epsabs=1.49e-8, epsrel=1.49e-8, limit=50,
         points=None, weight=None, wvar=None, wopts=None, maxp1=50, limlst=50,
         complex_func=False):
    """∫ₐᵇ func(x, *args) dx (``scipy.integrate.quad``), returning ``(value, abserr)``;
    differentiable in ``a``, ``b`` (±func at the limit; 0 at an infinite one) and ``args``
    (∫ ∂func/∂args dx, by SciPy again), to every order. Write ``func`` with
    ``chainrule.numpy``; ``weight``, ``full_output`` and ``complex_func`` are not supported.

    >>> import numpy as np, chainrule as cr
    >>> float(quad(lambda x: x * x, 0.0, 3.0)[0])
    9.000000000000002
    >>> float(cr.grad(lambda b: quad(lambda x: x * x, 0.0, b)[0])(3.0))   # b²
    9.0
    """
    if full_output or weight is not None or complex_func:
        raise NotImplementedError("chainrule.scipy.integrate.quad: full_output, weight and "
                                  "complex_func are not supported; multiply the weight into "
                                  "func, integrate real and imaginary parts separately")
    func, args = _prepare("quad", func, a, b, args)
    out = quad_p(a, b, *args, func=func,
                 options=_options(points, epsabs=epsabs, epsrel=epsrel, limit=limit))
    return out[0], out[1]


@export("quad_vec", namespace=INTEGRATE, prim=quad_vec_p)
def quad_vec(f, a, b, epsabs=1e-200, epsrel=1e-8, norm="2", cache_size=100e6, limit=10000,
             workers=1, points=None, quadrature=None, full_output=False, *, args=()):
    """∫ₐᵇ f(x, *args) dx of an array-valued f (``scipy.integrate.quad_vec``), returning
    ``(value, error)``; differentiable in ``a``, ``b`` and ``args`` as :func:`quad`.

    >>> import numpy as np, chainrule.numpy as cnp
    >>> quad_vec(lambda x: cnp.stack([x, x * x]), 0.0, 1.0)[0].round(6)
    array([0.5     , 0.333333])
    """
    if full_output or workers != 1:
        raise NotImplementedError("chainrule.scipy.integrate.quad_vec: full_output and workers "
                                  "are not supported")
    func, args = _prepare("quad_vec", f, a, b, args)
    # the integrand's shape, from one evaluation (on the arguments as given: under vmap each
    # example's shape)
    out_shape = shape(func(0.5, *args))
    out = quad_vec_p(a, b, *args, func=func,
                     options=_options(points, epsabs=epsabs, epsrel=epsrel, norm=norm,
                                      cache_size=cache_size, limit=limit, quadrature=quadrature))
    return cnp.reshape(out[:-1], out_shape), out[-1]


@export("fixed_quad", namespace=INTEGRATE)
def fixed_quad(func, a, b, args=(), n=5):
    """Gauss–Legendre quadrature of order ``n`` (``scipy.integrate.fixed_quad``): ``func`` is
    called once on the array of nodes; returns ``(value, None)``. A composite of chainrule
    operations: exact derivatives in ``a``, ``b`` and ``args``, every order.

    >>> import numpy as np
    >>> round(float(fixed_quad(lambda x: x ** 3, 0.0, 2.0, n=2)[0]), 12)
    4.0
    """
    x, w = scipy_module("special").roots_legendre(n)
    x = np.real(x)
    if not isinstance(args, tuple):
        args = (args,)
    try:
        infinite = bool(concrete_value(cnp.logical_or(cnp.isinf(a), cnp.isinf(b)), "bool"))
    except BatchedValueError:   # under vmap: an infinite limit gives nan, as (b - a)·… does
        infinite = False
    if infinite:
        raise ValueError("Gaussian quadrature is only available for finite limits.")
    y = (b - a) * (x + 1) / 2.0 + a
    return (b - a) / 2.0 * cnp.sum(w * func(y, *args), axis=-1), None
