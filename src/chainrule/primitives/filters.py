"""The IIR filter of ``scipy.signal.lfilter`` as a primitive (needs the ``scipy`` extra):
``iir(b, alpha, x, *zi, axis)`` filters ``x`` along ``axis`` with numerator ``b`` and
denominator ``a = [1, *alpha]`` (the caller normalises by a[0]), from the initial state ``zi``
(SciPy's direct form II transposed) or from rest.

The filter is y = (1/A)·(b∗x + zi_ext) (∗: causal convolution, truncated to len(x); zi_ext:
zi followed by zeros), so every rule is a filter again and differentiates itself:

- ∂y/∂x·ẋ = iir(b, α, ẋ); ∂y/∂b·ḃ = iir(ḃ, α, x); ∂y/∂zi·żi = iir([1], α, żi_ext);
- from A·y = b∗x + zi_ext, ∂y/∂α·α̇ = −iir([0, α̇], α, y);
- the transpose of u ↦ iir(c, α, u) is the filter run backwards, flip ∘ iir(c, α, ·) ∘ flip
  (a causal Toeplitz operator transposed is the anti-causal one); with r = that transpose of
  [1]/A applied to ȳ, b̄_k = Σₙ r[n]·x[n−k], ᾱ_k = −Σₙ r[n]·y[n−k] and z̄i = r[:len(zi)].

>>> import numpy as np, chainrule as cr
>>> x = np.array([1.0, 0.0, 0.0, 0.0])
>>> iir(np.array([1.0]), np.array([-0.5]), x, axis=0)           # the impulse response 0.5ⁿ
array([1.   , 0.5  , 0.25 , 0.125])
>>> cr.grad(lambda p: iir(np.array([1.0]), p, x, axis=0)[2])(np.array([-0.5]))   # d/dp p²
array([-1.])
"""

import numpy as np

from ..core.primitive import Primitive
from ..interpreters.reverse import selective_vjp_rules
from .declare import declare
from .util import shape, ndim, dtype
from . import basic as B
from . import elementwise as E
from . import composites as C
from .scipy_linalg import scipy_module, loop_batch

__all__ = ["iir"]


def _denominator(alpha):
    alpha = np.asarray(alpha)
    return np.concatenate([np.ones(1, dtype=alpha.dtype if alpha.size else np.float64), alpha])


def _iir_impl(b, alpha, x, *zi, axis):
    a = _denominator(alpha)
    if zi:
        return scipy_module("signal").lfilter(b, a, x, axis=axis, zi=zi[0])[0]
    return scipy_module("signal").lfilter(b, a, x, axis=axis)


def _along(nd, axis, s):
    return (slice(None),) * axis + (s,)


def _lagged_sums(r, u, taps, axis):
    """[Σ r[n]·u[n−k] over every axis, k = 0 … taps−1] (zero before u starts)."""
    n = shape(u)[axis]
    nd = ndim(u)
    out = []
    for k in range(taps):
        if k >= n:
            out.append(B.reduce_sum(r[_along(nd, axis, slice(0, 0))]))
            continue
        out.append(B.reduce_sum(r[_along(nd, axis, slice(k, None))]
                                * u[_along(nd, axis, slice(0, n - k))]))
    return C.stack(out) if out else C.zeros_like(np.zeros(0))


def _one(like):
    return np.ones(1, dtype=np.result_type(dtype(like), np.float64) if dtype(like).kind != "c"
                   else dtype(like))


def _extended(zi, n, axis):
    """zi followed by zeros (or cut) to length n along axis."""
    k = shape(zi)[axis]
    if k >= n:
        return zi[_along(ndim(zi), axis, slice(0, n))]
    pads = [(0, 0)] * ndim(zi)
    pads[axis] = (0, n - k)
    return C.pad(zi, tuple(pads))


def _backwards(c, alpha, g, axis):
    """The transpose of u ↦ iir(c, alpha, u): the filter run backwards in time."""
    return C.flip(iir(c, alpha, C.flip(g, axis=axis), axis=axis), axis=axis)


def _iir_jvp(primals, tangents, axis):
    b, alpha, x, *zi = primals
    tb, talpha, tx, *tzi = tangents
    y = iir(*primals, axis=axis)
    out = None

    def add(term):
        nonlocal out
        out = term if out is None else out + term
    if tx is not None:
        add(iir(b, alpha, tx, axis=axis))
    if tb is not None:
        add(iir(tb, alpha, x, axis=axis))
    if tzi and tzi[0] is not None:
        add(iir(_one(x), alpha, _extended(tzi[0], shape(x)[axis], axis), axis=axis))
    if talpha is not None and shape(alpha)[0]:
        lead = C.concatenate([C.zeros_like(talpha[:1]), talpha])
        add(E.negative(iir(lead, alpha, y, axis=axis)))
    if out is None:
        out = C.zeros_like(y)
    return y, out


def _iir_vjp(g, ans, vals, params, parents=None):
    # Selective: a constant's cotangent (the coefficients', when only the signal is
    # differentiated) is not computed.
    axis = params["axis"]
    b, alpha, x, *zi = vals
    wanted = [True] * len(vals) if parents is None else [p is not None for p in parents]
    r = _backwards(_one(x), alpha, g, axis) if (wanted[0] or wanted[1] or any(wanted[3:])) \
        else None
    cts = [_lagged_sums(r, x, shape(b)[0], axis) if wanted[0] else None,
           E.negative(_lagged_sums(r, ans, shape(alpha)[0] + 1, axis)[1:]) if wanted[1]
           else None,
           _backwards(b, alpha, g, axis) if wanted[2] else None]
    if zi and wanted[3]:
        k = shape(zi[0])[axis]
        n = shape(x)[axis]
        head = r[_along(ndim(r), axis, slice(0, min(k, n)))]
        if k > n:
            pads = [(0, 0)] * ndim(r)
            pads[axis] = (0, k - n)
            head = C.pad(head, tuple(pads))
        cts.append(head)
    return cts


def _iir_batch(vals, dims, axis):
    if dims[0] is not None or dims[1] is not None:
        return loop_batch(_iir)(vals, dims, axis=axis)
    b, alpha, x, *zi = vals
    size = B.axis_size(vals, dims)
    x = B.broadcast_front(x, dims[2], size)
    zi = [B.broadcast_front(z, d, size) for z, d in zip(zi, dims[3:])]
    return iir(b, alpha, x, *zi, axis=axis + 1), 0


_iir = Primitive("lfilter", _iir_impl)
iir = declare(_iir, jvp=_iir_jvp, vjp=_iir_vjp, batch=_iir_batch, names=())
selective_vjp_rules.add(iir)
