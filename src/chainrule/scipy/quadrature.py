"""``scipy.integrate``'s rules on samples: ``trapezoid``, ``simpson``, ``cumulative_trapezoid``,
``cumulative_simpson`` and ``romb``, written with ``chainrule.numpy`` after SciPy's own code
(same formulas, same axis handling, same result dtypes), so that they are differentiable in
the samples ``y``, the abscissae ``x`` and the spacing ``dx``, to every order.

>>> import numpy as np, chainrule as cr
>>> x = np.linspace(0.0, 1.0, 5)
>>> float(simpson(x ** 2, x=x))                       # exact for a parabola
0.3333333333333333
>>> cr.grad(lambda y: simpson(y, x=x))(x).round(4)    # Simpson's weights h/3·(1, 4, 2, 4, 1)
array([0.0833, 0.3333, 0.1667, 0.3333, 0.0833])
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import concrete_value
from ..core.registry import INTEGRATE
from ..interpreters.batching import BatchedValueError
from ..primitives.declare import export
from ..primitives.util import shape, ndim, dtype, axis_index

__all__ = ["trapezoid", "simpson", "cumulative_trapezoid", "cumulative_simpson", "romb"]


def _along(nd, axis, s):
    """The index that applies ``s`` on ``axis`` of an ``nd``-dimensional array."""
    return (slice(None),) * axis_index(axis, nd) + (s,)


def _safe_divide(num, den):
    """num/den, and 0 where den == 0 (SciPy's ``true_divide(..., where=den != 0)``)."""
    nonzero = den != 0
    return cnp.where(nonzero, num / cnp.where(nonzero, den, 1.0), 0.0)


def _check_axis(name, y, axis):
    nd = ndim(y)
    if not -nd <= axis < nd:
        raise ValueError(f"{name}: axis {axis} is out of bounds for y with {nd} dimensions")
    return axis_index(axis, nd)


@export("trapezoid", namespace=INTEGRATE)
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of samples by the trapezoidal rule (``scipy.integrate.trapezoid``),
    differentiable in ``y``, ``x`` and ``dx``.

    >>> import numpy as np, chainrule as cr
    >>> float(trapezoid(np.array([1.0, 2.0, 3.0]), dx=0.5))
    2.0
    >>> cr.grad(lambda x: trapezoid(np.array([1.0, 2.0, 3.0]), x=x))(np.array([0.0, 1.0, 3.0]))
    array([-1.5, -1. ,  2.5])
    """
    return cnp.trapezoid(y, x=x, dx=dx, axis=axis)


def _basic_simpson(y, stop, x, dx, axis):
    """Simpson's rule on the pairs of intervals that start at 0, 2, …, < stop."""
    nd = ndim(y)
    y0 = y[_along(nd, axis, slice(0, stop, 2))]
    y1 = y[_along(nd, axis, slice(1, stop + 1, 2))]
    y2 = y[_along(nd, axis, slice(2, stop + 2, 2))]
    if x is None:
        return cnp.sum(y0 + 4.0 * y1 + y2, axis=axis) * (dx / 3.0)
    h = cnp.diff(x, axis=axis)
    h0 = cnp.astype(h[_along(nd, axis, slice(0, stop, 2))], np.float64)
    h1 = cnp.astype(h[_along(nd, axis, slice(1, stop + 1, 2))], np.float64)
    hsum, hprod = h0 + h1, h0 * h1
    h0divh1 = _safe_divide(h0, h1)
    tmp = hsum / 6.0 * (y0 * (2.0 - _safe_divide(1.0, h0divh1))
                        + y1 * (hsum * _safe_divide(hsum, hprod)) + y2 * (2.0 - h0divh1))
    return cnp.sum(tmp, axis=axis)


@export("simpson", namespace=INTEGRATE)
def simpson(y, x=None, *, dx=1.0, axis=-1):
    """Integral of samples by Simpson's rule (``scipy.integrate.simpson``, SciPy ≥ 1.11: an
    even number of samples gets Cartwright's correction on the last interval), differentiable
    in ``y``, ``x`` and ``dx``.

    >>> import numpy as np, chainrule as cr
    >>> float(simpson(np.array([0.0, 1.0, 4.0, 9.0])))      # ∫₀³ t² dt
    9.0
    >>> float(cr.grad(lambda d: simpson(np.ones(5), dx=d))(0.25))  # the length 4·dx, in dx
    4.0
    """
    if not hasattr(y, "shape"):
        y = np.asarray(y)
    nd = ndim(y)
    axis = _check_axis("simpson", y, axis)
    n = shape(y)[axis]
    if x is not None:
        if not hasattr(x, "shape"):
            x = np.asarray(x)
        if ndim(x) == 1:
            x = cnp.reshape(x, tuple(shape(x)[0] if i == axis else 1 for i in range(nd)))
        elif ndim(x) != nd:
            raise ValueError("If given, shape of x must be 1-D or the same as y.")
        if shape(x)[axis] != n:
            raise ValueError("If given, length of x along axis must be the same as y.")
    if n % 2:
        return _basic_simpson(y, n - 2, x, dx, axis)
    last, before, third = (y[_along(nd, axis, i)] for i in (-1, -2, -3)) if n >= 3 else \
        (y[_along(nd, axis, -1)], y[_along(nd, axis, -2)], None)
    if n == 2:
        step = dx if x is None else x[_along(nd, axis, -1)] - x[_along(nd, axis, -2)]
        return 0.0 + 0.5 * step * (last + before)
    result = _basic_simpson(y, n - 3, x, dx, axis)
    if x is None:
        h0 = h1 = cnp.asarray(dx, dtype=np.float64)
    else:
        diffs = cnp.astype(cnp.diff(x, axis=axis), np.float64)
        h0 = cnp.squeeze(diffs[_along(nd, axis, slice(-2, -1))], axis=axis)
        h1 = cnp.squeeze(diffs[_along(nd, axis, slice(-1, None))], axis=axis)
    alpha = _safe_divide(2 * h1 ** 2 + 3 * h0 * h1, 6 * (h1 + h0))
    beta = _safe_divide(h1 ** 2 + 3.0 * h0 * h1, 6 * h0)
    eta = _safe_divide(h1 ** 3, 6 * h0 * (h0 + h1))
    correction = alpha * last + beta * before - eta * third
    if ndim(result) > 0 and dtype(result).kind == dtype(correction).kind:
        # SciPy adds in place into an array result: its dtype stays (float32 stays float32)
        return cnp.astype(result + correction, dtype(result))
    return result + correction


@export("cumulative_trapezoid", namespace=INTEGRATE)
def cumulative_trapezoid(y, x=None, dx=1.0, axis=-1, initial=None):
    """Running integral by the trapezoidal rule (``scipy.integrate.cumulative_trapezoid``);
    ``initial=0`` puts a zero first. Differentiable in ``y``, ``x`` and ``dx``.

    >>> import numpy as np
    >>> cumulative_trapezoid(np.array([1.0, 2.0, 3.0]), initial=0)
    array([0. , 1.5, 4. ])
    """
    if not hasattr(y, "shape"):
        y = np.asarray(y)
    nd = ndim(y)
    axis = _check_axis("cumulative_trapezoid", y, axis)
    if shape(y)[axis] == 0:
        raise ValueError("At least one point is required along `axis`.")
    if x is None:
        d = dx
    else:
        if not hasattr(x, "shape"):
            x = np.asarray(x)
        if ndim(x) == 1:
            d = cnp.reshape(cnp.diff(x), tuple(-1 if i == axis else 1 for i in range(nd)))
        elif ndim(x) != nd:
            raise ValueError("If given, shape of x must be 1-D or the same as y.")
        else:
            d = cnp.diff(x, axis=axis)
        if shape(d)[axis] != shape(y)[axis] - 1:
            raise ValueError("If given, length of x along axis must be the same as y.")
    mid = d * (y[_along(nd, axis, slice(1, None))] + y[_along(nd, axis, slice(None, -1))]) / 2.0
    res = cnp.cumsum(mid, axis=axis)
    if initial is not None:
        if not np.isscalar(initial):
            raise ValueError("`initial` parameter should be a scalar.")
        if initial != 0:
            raise ValueError("`initial` must be `None` or `0`.")
        first = cnp.zeros(tuple(1 if i == axis else s for i, s in enumerate(shape(res))),
                          dtype=dtype(res))
        res = cnp.concatenate([first, res], axis=axis)
    return res


def _simpson_equal(y, dx):
    d = dx[..., :-1]
    return d / 3 * (5 * y[..., :-2] / 4 + 2 * y[..., 1:-1] - y[..., 2:] / 4)


def _simpson_unequal(y, dx):
    x21, x32 = dx[..., :-1], dx[..., 1:]
    x21_x31 = x21 / (x21 + x32)
    both = x21_x31 * (x21 / x32)
    return x21 / 6 * ((3 - x21_x31) * y[..., :-2] + (3 + both + x21_x31) * y[..., 1:-1]
                      - both * y[..., 2:])


def _cumulative_simpson_sum(y, dx, rule):
    # Each interval's integral from the parabola through it and the next one (h1), or the one
    # before (h2), alternating as SciPy does; the last interval only has the one before.
    h1 = rule(y, dx)
    h2 = cnp.flip(rule(cnp.flip(y, axis=-1), cnp.flip(dx, axis=-1)), axis=-1)
    m = shape(y)[-1] - 1
    pad = [(0, 0)] * (ndim(h1) - 1)
    first = cnp.pad(h1, pad + [(0, 1)])
    second = cnp.pad(h2, pad + [(1, 0)])
    j = np.arange(m)
    use_first = (j % 2 == 0) & (j <= m - 2)
    sub = cnp.where(use_first, first, second)
    return cnp.cumsum(sub, axis=-1)


def _floating(v):
    """SciPy's ``xp_promote(v, force_floating=True)``: integers become float64."""
    v = v if hasattr(v, "shape") else np.asarray(v)
    return v if dtype(v).kind in "fc" else cnp.astype(v, np.float64)


@export("cumulative_simpson", namespace=INTEGRATE)
def cumulative_simpson(y, *, x=None, dx=1.0, axis=-1, initial=None):
    """Running integral by Simpson's rule (``scipy.integrate.cumulative_simpson``), with
    SciPy's formulas for each interval; ``initial`` is added to every value and put first.
    Differentiable in ``y``, ``x``, ``dx`` and ``initial``.

    >>> import numpy as np
    >>> cumulative_simpson(np.array([0.0, 1.0, 4.0, 9.0]), initial=0.0)   # ∫₀ᵗ s² ds·3
    array([0.        , 0.33333333, 2.66666667, 9.        ])
    """
    y = _floating(y)
    nd = ndim(y)
    if not -nd <= axis < nd:
        raise ValueError(f"`axis={axis}` is not valid for `y` with `y.ndim={nd}`.")
    axis = axis_index(axis, nd)
    original_shape = shape(y)
    n = original_shape[axis]
    yl = cnp.swapaxes(y, axis, -1)
    if n < 3:
        res = cnp.swapaxes(cumulative_trapezoid(y, x, dx=dx, axis=axis), axis, -1)
    elif x is not None:
        x = _floating(x)
        if not (shape(x) == original_shape or (ndim(x) == 1 and shape(x)[0] == n)):
            raise ValueError("If given, shape of `x` must be the same as `y` or 1-D with the "
                             "same length as `y` along `axis`.")
        x = cnp.broadcast_to(x, shape(yl)) if ndim(x) == 1 else cnp.swapaxes(x, axis, -1)
        d = cnp.diff(x, axis=-1)
        decreasing = cnp.any(d <= 0)
        try:
            if concrete_value(decreasing, "bool"):
                raise ValueError("Input x must be strictly increasing.")
            decreasing = None
        except BatchedValueError:   # under vmap: nan for the examples SciPy would refuse
            pass
        res = _cumulative_simpson_sum(yl, d, _simpson_unequal)
        if decreasing is not None:
            res = cnp.where(decreasing, np.nan, res)
    else:
        dx = _floating(dx)
        final = tuple(n - 1 if i == axis else s for i, s in enumerate(original_shape))
        alt = tuple(1 if i == axis else s for i, s in enumerate(original_shape))
        if not (ndim(dx) == 0 or shape(dx) == alt):
            raise ValueError("If provided, `dx` must either be a scalar or have the same shape "
                             "as `y` but with only 1 point along `axis`.")
        d = cnp.swapaxes(cnp.broadcast_to(dx, final), axis, -1)
        res = _cumulative_simpson_sum(yl, d, _simpson_equal)
    if initial is not None:
        initial = _floating(initial)
        alt = tuple(1 if i == axis else s for i, s in enumerate(original_shape))
        if not (ndim(initial) == 0 or shape(initial) == alt):
            raise ValueError("If provided, `initial` must either be a scalar or have the same "
                             "shape as `y` but with only 1 point along `axis`.")
        initial = cnp.swapaxes(cnp.broadcast_to(initial, alt), axis, -1)
        res = res + initial
        res = cnp.concatenate([initial, res], axis=-1)
    return cnp.swapaxes(res, -1, axis)


@export("romb", namespace=INTEGRATE)
def romb(y, dx=1.0, axis=-1, show=False):
    """Romberg integration of 2**k + 1 equally spaced samples (``scipy.integrate.romb``):
    Richardson extrapolation of the trapezoidal rule; differentiable in ``y`` and ``dx``.
    (``show`` prints nothing here.)

    >>> import numpy as np
    >>> float(romb(np.linspace(0.0, 1.0, 5) ** 4, dx=0.25))   # exact to degree 5: 1/5
    0.2
    """
    if not hasattr(y, "shape"):
        y = np.asarray(y)
    nd = ndim(y)
    axis = _check_axis("romb", y, axis)
    intervals = shape(y)[axis] - 1
    k = max(intervals - 1, 0).bit_length()
    if intervals < 1 or (1 << k) != intervals:
        raise ValueError("Number of samples must be one plus a non-negative power of 2.")
    h = intervals * cnp.asarray(dx, dtype=np.float64)
    rows = [(y[_along(nd, axis, 0)] + y[_along(nd, axis, -1)]) / 2.0 * h]
    start = step = intervals
    for i in range(1, k + 1):
        start >>= 1
        new = cnp.sum(y[_along(nd, axis, slice(start, intervals, step))], axis=axis)
        step >>= 1
        row = [0.5 * (rows[0] + h * new)]
        for j in range(1, i + 1):
            prev = row[j - 1]
            row.append(prev + (prev - rows[j - 1]) / ((1 << (2 * j)) - 1))
        rows = row
        h = h / 2.0
    return rows[k]
