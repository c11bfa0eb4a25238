"""The six bases of ``numpy.polynomial`` (power, Chebyshev, Legendre, Hermite, HermiteE,
Laguerre), differentiable in the coefficients and the points.

Every function gives NumPy's own result when nothing is traced. With traced inputs:

- the evaluation functions (``chebval``, ``chebval2d``, ``chebgrid3d``, ``chebvander``...),
  ``chebadd``/``chebsub``/``chebdiv``, the companion matrices, roots, ``chebfromroots``,
  ``chebfit`` and the weights are NumPy's code written with ``chainrule.numpy``, the same
  operations in the same order, so the values are NumPy's to the bit and every derivative
  comes from the operations;
- the maps linear in the coefficients (``chebder``, ``chebint``, ``chebmulx``,
  ``cheb2poly``, ``poly2cheb``) and the product (``chebmul``, ``chebpow``) compute the
  value with NumPy's function, and their derivatives from the map itself: the same function
  on the tangent, and its transpose (the matrix of the map, built once per size by applying
  NumPy's function to the unit series) on the cotangent; the product's transpose is the
  contraction with the products of pairs of basis polynomials.

NumPy removes trailing zero coefficients of most results (``trimseq``): the number of
coefficients depends on their values. chainrule does the same from the concrete values
(under ``jit`` a guard); under ``vmap``, where each example could trim differently, the
coefficients keep their full length (the trailing entries are then exact zeros).

>>> import chainrule as cr
>>> from chainrule.numpy.polynomial.chebyshev import chebval
>>> c = np.array([1.0, 2.0, 3.0])
>>> chebval(0.5, c)                              # T0 + 2 T1 + 3 T2 at 0.5
np.float64(0.5)
>>> cr.grad(lambda c: chebval(0.5, c))(c)       # (T0, T1, T2)(0.5)
array([ 1. ,  0.5, -0.5])
"""

import functools
import operator

import numpy as np
from numpy.polynomial import (polynomial as _npoly, chebyshev as _ncheb, legendre as _nleg,
                              hermite as _nherm, hermite_e as _nherme, laguerre as _nlag,
                              polyutils as _npu)

from ..registered import cnp
from ...core.primitive import Primitive, Tracer, concrete_value
from ...core.registry import NUMPY_POLYNOMIAL, CONSTANT, CREATION
from ...interpreters.batching import BatchedValueError
from ...primitives.declare import declare, export
from ...primitives.scipy_linalg import loop_batch
from ...primitives.util import shape, ndim, dtype, values_or_none, traced

__all__ = ["BASES", "traced", "module_of"]

#: module name -> (NumPy's module, prefix of its function names, class name)
BASES = {
    "polynomial": (_npoly, "poly", "Polynomial"),
    "chebyshev": (_ncheb, "cheb", "Chebyshev"),
    "legendre": (_nleg, "leg", "Legendre"),
    "hermite": (_nherm, "herm", "Hermite"),
    "hermite_e": (_nherme, "herme", "HermiteE"),
    "laguerre": (_nlag, "lag", "Laguerre"),
}
_INTEGER_CHARS = "?bBhHiIlLqQpP"


# ---- series: NumPy's as_series and trimseq ------------------------------------------------
def _array(c):
    if isinstance(c, Tracer):
        return c
    if type(c) in (list, tuple) and traced(c):
        return cnp.stack([_array(v) for v in c]) if len(c) else cnp.asarray(c)
    return cnp.asarray(c)


def _series(c, trim=True):
    """NumPy's ``as_series([c], trim)`` for one series: 1-D, floating point (integers as
    float64), trailing zeros removed with ``trim`` (from the concrete values)."""
    c = _array(c)
    if ndim(c) == 0:
        c = cnp.reshape(c, (1,))
    if ndim(c) != 1:
        raise ValueError("Coefficient array is not 1-d")
    if shape(c)[0] == 0:
        raise ValueError("Coefficient array is empty")
    if dtype(c).char in _INTEGER_CHARS:
        c = cnp.astype(c, np.float64)
    return trimseq(c) if trim else c


def _common(*cs):
    """``as_series`` of several series: one common dtype, as NumPy's ``np.common_type``."""
    cs = [_series(c) for c in cs]
    dt = np.result_type(*[dtype(c) for c in cs])
    return [c if dtype(c) == dt else cnp.astype(c, dt) for c in cs]


def trimseq(c):
    """NumPy's ``polyutils.trimseq``: ``c`` without its trailing zeros (one kept)."""
    values = values_or_none(c)
    if values is None or len(values) == 0 or values[-1] != 0:
        return c
    nz = np.flatnonzero(values)
    return c[:int(nz[-1]) + 1 if len(nz) else 1]


def _padded(values, n):
    """NumPy's (trimmed) result padded with zeros back to ``n`` entries along axis 0."""
    values = np.asarray(values)
    if values.shape[0] == n:
        return values
    pad = np.zeros((n - values.shape[0],) + values.shape[1:], dtype=values.dtype)
    return np.concatenate([values, pad], axis=0)


# ---- maps linear in the coefficients: NumPy's values, the map's own derivatives -----------
@functools.lru_cache(maxsize=256)
def _matrix(fn, n, static, dt):
    """The matrix of the linear map ``c -> fn(c, **static)`` on series of length ``n``:
    column j is NumPy's result for the j-th unit series (padded to the longest)."""
    cols = []
    for j in range(n):
        e = np.zeros(n, dtype=dt)
        e[j] = 1
        cols.append(np.asarray(fn(e, **dict(static))))
    m = max(len(col) for col in cols)
    out = np.stack([_padded(col, m) for col in cols], axis=1)
    out.flags.writeable = False
    return out


def _linear_impl(c, *, fn, static):
    n_out = _matrix(fn, shape(c)[0], static, np.dtype(np.float64)).shape[0]
    return _padded(fn(c, **dict(static)), n_out)


def _linear_jvp(primals, tangents, fn, static):
    (c,), (t,) = primals, tangents
    return linear_series(c, fn=fn, static=static), linear_series(t, fn=fn, static=static)


def _linear_vjp(g, ans, c, fn, static):
    m = _matrix(fn, shape(c)[0], static, np.dtype(np.float64))
    return cnp.tensordot(m.T, g, axes=1)


linear_series = Primitive("polynomial_linear_map", _linear_impl)
declare(linear_series, jvp=_linear_jvp, vjp=[_linear_vjp], batch=loop_batch(linear_series),
        names=())


def _linear(fn, c, **static):
    """``fn(c, **static)`` for a series map linear in ``c`` (1-D), trimmed as NumPy's."""
    out = linear_series(c, fn=fn, static=tuple(sorted(static.items())))
    values = values_or_none(c)
    if values is None:
        return out
    return out[:len(fn(values, **static))]


# ---- the product: NumPy's values, derivatives by the basis products -----------------------
@functools.lru_cache(maxsize=256)
def _products(mul, n1, n2):
    """T[i, j] = the product of the i-th and j-th basis polynomials, as a series of length
    n1 + n2 - 1: the product of two series is bilinear, ``sum_ij c1_i c2_j T[i, j]``."""
    t = np.zeros((n1, n2, n1 + n2 - 1))
    for i in range(n1):
        for j in range(n2):
            p = np.asarray(mul([0] * i + [1], [0] * j + [1]), dtype=np.float64)
            t[i, j, :len(p)] = p
    t.flags.writeable = False
    return t


def _product_impl(c1, c2, *, mul):
    return _padded(mul(c1, c2), shape(c1)[0] + shape(c2)[0] - 1)


def _product_jvp(primals, tangents, mul):
    (c1, c2), (t1, t2) = primals, tangents
    out = series_product(c1, c2, mul=mul)
    parts = [series_product(t1, c2, mul=mul) if t1 is not None else None,
             series_product(c1, t2, mul=mul) if t2 is not None else None]
    parts = [p for p in parts if p is not None]
    return out, parts[0] if len(parts) == 1 else parts[0] + parts[1]


def _product_vjp_1(g, ans, c1, c2, mul):
    t = _products(mul, shape(c1)[0], shape(c2)[0])
    return cnp.einsum("k,ijk,j->i", g, t, c2)


def _product_vjp_2(g, ans, c1, c2, mul):
    t = _products(mul, shape(c1)[0], shape(c2)[0])
    return cnp.einsum("k,ijk,i->j", g, t, c1)


series_product = Primitive("polynomial_product", _product_impl)
declare(series_product, jvp=_product_jvp, vjp=[_product_vjp_1, _product_vjp_2],
        batch=loop_batch(series_product), names=())


def _power_impl(c, *, pow_fn, mul, power, maxpower):
    n = (shape(c)[0] - 1) * power + 1
    return _padded(pow_fn(c, power, maxpower), n)


def _power_jvp(primals, tangents, pow_fn, mul, power, maxpower):
    (c,), (t,) = primals, tangents
    out = series_power(c, pow_fn=pow_fn, mul=mul, power=power, maxpower=maxpower)
    below = c if power == 2 else series_power(c, pow_fn=pow_fn, mul=mul, power=power - 1,
                                              maxpower=maxpower)
    return out, series_product(below, t, mul=mul) * float(power)


def _power_vjp(g, ans, c, pow_fn, mul, power, maxpower):
    below = c if power == 2 else series_power(c, pow_fn=pow_fn, mul=mul, power=power - 1,
                                              maxpower=maxpower)
    return _product_vjp_2(g, None, below, c, mul) * float(power)


series_power = Primitive("polynomial_power", _power_impl)
declare(series_power, jvp=_power_jvp, vjp=[_power_vjp], batch=loop_batch(series_power),
        names=())


# ---- evaluation: NumPy's recurrences, operation for operation ----------------------------
def _prepare(x, c, tensor):
    c = _array(c)
    if ndim(c) == 0:
        c = cnp.reshape(c, (1,))
    if dtype(c).char in _INTEGER_CHARS:
        c = cnp.astype(c, np.float64)
    if isinstance(x, (tuple, list)):
        x = _array(x)
    if tensor and ndim(x) > 0 and (isinstance(x, (np.ndarray, Tracer))):
        c = cnp.reshape(c, shape(c) + (1,) * ndim(x))
    return x, c


def _clenshaw_ends(c):
    if len(c) == 1:
        return c[0], 0, None
    if len(c) == 2:
        return c[0], c[1], None
    return c[-2], c[-1], len(c)


def _polyval(x, c):
    c0 = c[-1] + x * 0
    for i in range(2, len(c) + 1):
        c0 = c[-i] + c0 * x
    return c0


def _chebval(x, c):
    c0, c1, n = _clenshaw_ends(c)
    if n is not None:
        x2 = 2 * x
        for i in range(3, n + 1):
            tmp = c0
            c0 = c[-i] - c1
            c1 = tmp + c1 * x2
    return c0 + c1 * x


def _legval(x, c):
    c0, c1, nd = _clenshaw_ends(c)
    if nd is not None:
        for i in range(3, len(c) + 1):
            tmp = c0
            nd = nd - 1
            c0 = c[-i] - c1 * ((nd - 1) / nd)
            c1 = tmp + c1 * x * ((2 * nd - 1) / nd)
    return c0 + c1 * x


def _hermval(x, c):
    x2 = x * 2
    c0, c1, nd = _clenshaw_ends(c)
    if nd is not None:
        for i in range(3, len(c) + 1):
            tmp = c0
            nd = nd - 1
            c0 = c[-i] - c1 * (2 * (nd - 1))
            c1 = tmp + c1 * x2
    return c0 + c1 * x2


def _hermeval(x, c):
    c0, c1, nd = _clenshaw_ends(c)
    if nd is not None:
        for i in range(3, len(c) + 1):
            tmp = c0
            nd = nd - 1
            c0 = c[-i] - c1 * (nd - 1)
            c1 = tmp + c1 * x
    return c0 + c1 * x


def _lagval(x, c):
    c0, c1, nd = _clenshaw_ends(c)
    if nd is not None:
        for i in range(3, len(c) + 1):
            tmp = c0
            nd = nd - 1
            c0 = c[-i] - (c1 * (nd - 1)) / nd
            c1 = tmp + (c1 * ((2 * nd - 1) - x)) / nd
    return c0 + c1 * (1 - x)


_VAL = {"polynomial": _polyval, "chebyshev": _chebval, "legendre": _legval,
        "hermite": _hermval, "hermite_e": _hermeval, "laguerre": _lagval}


def _vander_rows(basis, x, ideg):
    """The rows v[0..ideg] of NumPy's pseudo-Vandermonde recurrence at ``x``."""
    v = [x * 0 + 1]
    if ideg == 0:
        return v
    if basis == "polynomial":
        v.append(x)
        for i in range(2, ideg + 1):
            v.append(v[i - 1] * x)
    elif basis == "chebyshev":
        x2 = 2 * x
        v.append(x)
        for i in range(2, ideg + 1):
            v.append(v[i - 1] * x2 - v[i - 2])
    elif basis == "legendre":
        v.append(x)
        for i in range(2, ideg + 1):
            v.append((v[i - 1] * x * (2 * i - 1) - v[i - 2] * (i - 1)) / i)
    elif basis == "hermite":
        x2 = x * 2
        v.append(x2)
        for i in range(2, ideg + 1):
            v.append(v[i - 1] * x2 - v[i - 2] * (2 * (i - 1)))
    elif basis == "hermite_e":
        v.append(x)
        for i in range(2, ideg + 1):
            v.append(v[i - 1] * x - v[i - 2] * (i - 1))
    else:  # laguerre
        v.append(1 - x)
        for i in range(2, ideg + 1):
            v.append((v[i - 1] * (2 * i - 1 - x) - v[i - 2] * (i - 1)) / i)
    return v


def _as_degree(deg):
    ideg = _npu._as_int(deg, "deg")
    if ideg < 0:
        raise ValueError("deg must be non-negative")
    return ideg


def _vander(basis, x, deg):
    ideg = _as_degree(deg)
    x = _array(x)
    if ndim(x) == 0:
        x = cnp.reshape(x, (1,))
    x = x + 0.0
    return cnp.stack(_vander_rows(basis, x, ideg), axis=-1)


# ---- the generated functions of one basis ------------------------------------------------
def _numpy_first(numpy_fn):
    """Call NumPy's own function when nothing is traced (its values, types and errors)."""
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if not traced(args, tuple(kwargs.values())):
                return numpy_fn(*args, **kwargs)
            return fn(*args, **kwargs)
        return wrapper
    return deco


def _functions(basis):
    """The differentiable functions of ``numpy.polynomial.<basis>``, by NumPy's names."""
    mod, p, _ = BASES[basis]
    np_fn = functools.partial(getattr, mod)
    val_f = _VAL[basis]
    fns = {}

    def val(x, c, tensor=True):
        x, c = _prepare(x, c, tensor)
        return val_f(x, c)

    def vander(x, deg):
        return _vander(basis, x, deg)

    def line(off, scl):
        s = values_or_none(scl)
        if s is not None and s == 0:
            return cnp.reshape(_array(off) + 0.0, (1,))
        off, scl = cnp.asarray(_array(off)), cnp.asarray(_array(scl))
        if basis == "laguerre":
            return cnp.stack([off + scl, -scl])
        return cnp.stack([off, scl / 2 if basis == "hermite" else scl])

    def add(c1, c2):
        return _add_sub(c1, c2, False)

    def sub(c1, c2):
        return _add_sub(c1, c2, True)

    def mul(c1, c2):
        c1, c2 = _common(c1, c2)
        out = series_product(c1, c2, mul=np_fn(p + "mul"))
        return trimseq(out)

    def mulx(c):
        c = _series(c)
        values = values_or_none(c)
        if values is not None and len(values) == 1 and values[0] == 0:
            return c
        return _linear(np_fn(p + "mulx"), c)

    def pow_(c, pow, maxpower=None if basis == "polynomial" else 16):
        c = _series(c)
        power = int(pow)
        if power != pow or power < 0:
            raise ValueError("Power must be a non-negative integer.")
        if maxpower is not None and power > maxpower:
            raise ValueError("Power is too large")
        if power == 0:
            return cnp.ones(1, dtype=dtype(c))
        if power == 1:
            return c
        return trimseq(series_power(c, pow_fn=np_fn(p + "pow"), mul=np_fn(p + "mul"),
                                    power=power, maxpower=maxpower))

    def div(c1, c2):
        c1, c2 = _common(c1, c2)
        last = values_or_none(c2[-1])
        if last is not None and last == 0:
            raise ZeroDivisionError
        lc1, lc2 = shape(c1)[0], shape(c2)[0]
        if lc1 < lc2:
            return c1[:1] * 0, c1
        if lc2 == 1:
            return c1 / c2[-1], c1[:1] * 0
        if basis == "polynomial":  # NumPy's polydiv: long division in place, written out
            scl = c2[-1]
            c2 = c2[:-1] / scl
            c1 = list(c1[k] for k in range(lc1))
            i, j = lc1 - lc2, lc1 - 1
            while i >= 0:
                top = c1[j]
                for k in range(i, j):
                    c1[k] = c1[k] - c2[k - i] * top
                i, j = i - 1, j - 1
            return cnp.stack(c1[j + 1:]) / scl, trimseq(cnp.stack(c1[:j + 1]))
        if basis == "chebyshev":  # NumPy divides the z-series (Laurent series) instead
            quo, rem = _zseries_div(_to_zseries(c1), _to_zseries(c2))
            return trimseq(_from_zseries(quo)), trimseq(_from_zseries(rem))
        quo = [None] * (lc1 - lc2 + 1)
        rem = c1
        for i in range(lc1 - lc2, -1, -1):
            prod = trimseq(series_product(np.eye(i + 1)[i], c2, mul=np_fn(p + "mul")))
            q = rem[-1] / prod[-1]
            rem = rem[:-1] - q * prod[:-1]
            quo[i] = q
        return cnp.stack(quo), trimseq(rem)

    def der(c, m=1, scl=1, axis=0):
        c, iaxis = _along_first(c, axis)
        if traced(scl):  # each of the m steps multiplies by scl
            out = linear_series(c, fn=np_fn(p + "der"), static=(("m", m), ("scl", 1)))
            out = out * _array(scl) ** _npu._as_int(m, "the order of derivation")
        else:
            out = linear_series(c, fn=np_fn(p + "der"), static=(("m", m), ("scl", scl)))
        return cnp.moveaxis(out, 0, iaxis)

    def int_(c, m=1, k=[], lbnd=0, scl=1, axis=0):
        c, iaxis = _along_first(c, axis)
        fn = np_fn(p + "int")
        if not traced(k, lbnd, scl):  # NumPy's value; the map is linear in c
            static = (("lbnd", lbnd), ("m", m), ("scl", scl))
            out = linear_series(c, fn=fn, static=static)
            if np.any(np.asarray(k) != 0):  # the constants: a constant term of the result
                out = out + fn(np.zeros(shape(c)), k=k, **dict(static))
            return cnp.moveaxis(out, 0, iaxis)
        # NumPy's steps, one integration at a time: c·scl integrated, then the constant
        # term set so that the integral is k[i] at lbnd.
        cnt = _npu._as_int(m, "the order of integration")
        ks = [_array(v) for v in (k if isinstance(k, (list, tuple)) else
                                   ([k] if ndim(k) == 0 else list(k)))]
        if len(ks) > cnt:
            raise ValueError("Too many integration constants")
        ks = ks + [0.0] * (cnt - len(ks))
        for i in range(cnt):
            c = linear_series(c * scl, fn=fn, static=(("lbnd", 0), ("m", 1), ("scl", 1)))
            end = _VAL[basis](lbnd, c)
            c = cnp.concatenate([cnp.reshape(c[0] + (ks[i] - end), (1,) + shape(c)[1:]),
                                 c[1:]])
        return cnp.moveaxis(c, 0, iaxis)

    def to_poly(c):
        return _linear(np_fn(p + "2poly"), _series(c))

    def from_poly(pol):
        return _linear(np_fn("poly2" + p), _series(pol))

    def fromroots(roots):
        if len(roots) == 0:
            return cnp.ones(1)
        roots = cnp.sort(_series(roots, trim=False))
        polys = [line(-roots[i], 1) for i in range(shape(roots)[0])]
        n = len(polys)
        while n > 1:
            m, r = divmod(n, 2)
            tmp = [mul(polys[i], polys[i + m]) for i in range(m)]
            if r:
                tmp[0] = mul(tmp[0], polys[-1])
            polys = tmp
            n = m
        return polys[0]

    def companion(c):
        return _companion(basis, _series(c))

    def roots(c):
        c = _series(c)
        n = shape(c)[0]
        if n < 2:
            return np.array([], dtype=dtype(c))
        if n == 2:
            return _two_term_root(basis, c)
        mat = _companion(basis, c)
        if basis != "polynomial":  # NumPy rotates the companion matrix (less error)
            mat = mat[::-1, ::-1]
        r = cnp.linalg.eigvals(mat)
        return cnp.sort(r)

    def fit(x, y, deg, rcond=None, full=False, w=None):
        return _fit(basis, x, y, deg, rcond, full, w)

    def valfromroots(x, r, tensor=True):
        r = _array(r)
        if ndim(r) == 0:
            r = cnp.reshape(r, (1,))
        if dtype(r).char in _INTEGER_CHARS:
            r = cnp.astype(r, np.float64)
        if isinstance(x, (tuple, list)):
            x = _array(x)
        if ndim(x) > 0:
            if tensor:
                r = cnp.reshape(r, shape(r) + (1,) * ndim(x))
            elif ndim(x) >= ndim(r):
                raise ValueError("x.ndim must be < r.ndim when tensor == False")
        return cnp.prod(x - r, axis=0)

    def weight(x):
        x = _array(x)
        if basis == "chebyshev":
            return 1. / (cnp.sqrt(1. + x) * cnp.sqrt(1. - x))
        if basis == "legendre":
            return x * 0.0 + 1.0
        if basis == "hermite":
            return cnp.exp(-x ** 2)
        if basis == "hermite_e":
            return cnp.exp(-.5 * x ** 2)
        return cnp.exp(-x)

    def valnd(c, *args):
        args = [_array(a) for a in args]
        shape0 = shape(args[0])
        if not all(shape(a) == shape0 for a in args[1:]):
            names = {3: "x, y, z", 2: "x, y"}.get(len(args))
            raise ValueError(f"{names} are incompatible" if names else
                             "ordinates are incompatible")
        c = val(args[0], c)
        for xi in args[1:]:
            c = val(xi, c, tensor=False)
        return c

    def gridnd(c, *args):
        for xi in args:
            c = val(xi, c)
        return c

    def vandernd(points, degrees):
        n_dims = len(points)
        if n_dims != len(degrees):
            raise ValueError(f"Expected {n_dims} dimensions of degrees, got {len(degrees)}")
        stacked = cnp.stack([cnp.asarray(_array(q)) for q in points]) + 0.0
        pts = [stacked[i] for i in range(n_dims)]
        arrays = []
        for i in range(n_dims):
            v = vander(pts[i], degrees[i])
            index = (Ellipsis,) + tuple(slice(None) if j == i else None for j in range(n_dims))
            arrays.append(v[index])
        v = functools.reduce(operator.mul, arrays)
        return cnp.reshape(v, shape(v)[:-n_dims] + (-1,))

    fns[p + "val"] = val
    fns[p + "vander"] = vander
    fns[p + "line"] = line
    fns[p + "add"] = add
    fns[p + "sub"] = sub
    fns[p + "mul"] = mul
    fns[p + "mulx"] = mulx
    fns[p + "pow"] = pow_
    fns[p + "div"] = div
    fns[p + "der"] = der
    fns[p + "int"] = int_
    fns[p + "fromroots"] = fromroots
    fns[p + "companion"] = companion
    fns[p + "roots"] = roots
    fns[p + "fit"] = fit
    fns[p + "val2d"] = lambda x, y, c: valnd(c, x, y)
    fns[p + "val3d"] = lambda x, y, z, c: valnd(c, x, y, z)
    fns[p + "grid2d"] = lambda x, y, c: gridnd(c, x, y)
    fns[p + "grid3d"] = lambda x, y, z, c: gridnd(c, x, y, z)
    fns[p + "vander2d"] = lambda x, y, deg: vandernd((x, y), deg)
    fns[p + "vander3d"] = lambda x, y, z, deg: vandernd((x, y, z), deg)
    if basis == "polynomial":
        fns["polyvalfromroots"] = valfromroots
    else:
        fns[p + "2poly"] = to_poly
        fns["poly2" + p] = from_poly
        fns[p + "weight"] = weight
    return fns


def _to_zseries(c):
    """NumPy's ``chebyshev._cseries_to_zseries``."""
    n = shape(c)[0]
    zs = cnp.concatenate([np.zeros(n - 1, dtype=dtype(c)), c / 2])
    return zs + zs[::-1]


def _from_zseries(zs):
    """NumPy's ``chebyshev._zseries_to_cseries``."""
    n = (shape(zs)[0] + 1) // 2
    c = zs[n - 1:]
    return cnp.concatenate([c[:1], c[1:n] * 2])


def _zseries_div(z1, z2):
    """NumPy's ``chebyshev._zseries_div`` (its in-place slice updates, entry by entry)."""
    lc1, lc2 = shape(z1)[0], shape(z2)[0]
    dlen = lc1 - lc2
    scl = z2[0]
    z2 = z2 / scl
    z1 = [z1[k] for k in range(lc1)]
    quo = [None] * (dlen + 1)
    i, j = 0, dlen
    while i < j:
        r = z1[i]
        quo[i] = quo[dlen - i] = r
        tmp = r * z2
        for k in range(lc2):
            z1[i + k] = z1[i + k] - tmp[k]
        for k in range(lc2):
            z1[j + k] = z1[j + k] - tmp[k]
        i, j = i + 1, j - 1
    r = z1[i]
    quo[i] = r
    tmp = r * z2
    for k in range(lc2):
        z1[i + k] = z1[i + k] - tmp[k]
    return cnp.stack(quo) / scl, cnp.stack(z1[i + 1:i - 1 + lc2])


def _two_term_root(basis, c):
    if basis == "laguerre":
        return cnp.reshape(1 + c[0] / c[1], (1,))
    if basis == "hermite":
        return cnp.reshape(-.5 * c[0] / c[1], (1,))
    return cnp.reshape(-c[0] / c[1], (1,))


def _along_first(c, axis):
    """``c`` as floating point, its coefficient axis moved first (NumPy's ``axis``)."""
    c = _array(c)
    if dtype(c).char in _INTEGER_CHARS:
        c = cnp.astype(c, np.float64)
    iaxis = np.lib.array_utils.normalize_axis_index(_npu._as_int(axis, "the axis"), ndim(c))
    return cnp.moveaxis(c, iaxis, 0), iaxis


def _add_sub(c1, c2, subtract):
    """NumPy's ``polyutils._add``/``_sub``: the shorter series added into the longer."""
    c1, c2 = _common(c1, c2)
    n1, n2 = shape(c1)[0], shape(c2)[0]
    if n1 > n2:
        head = c1[:n2] - c2 if subtract else c1[:n2] + c2
        out = cnp.concatenate([head, c1[n2:]])
    else:
        c2 = -c2 if subtract else c2
        out = cnp.concatenate([c2[:n1] + c1, c2[n1:]])
    return trimseq(out)


# ---- companion matrices and fits, as NumPy builds them -----------------------------------
def _companion(basis, c):
    n_c = shape(c)[0]
    if n_c < 2:
        raise ValueError("Series must have maximum degree of at least 1.")
    if n_c == 2:
        if basis == "hermite":
            return cnp.reshape(-.5 * c[0] / c[1], (1, 1))
        if basis == "laguerre":
            return cnp.reshape(1 + c[0] / c[1], (1, 1))
        return cnp.reshape(-c[0] / c[1], (1, 1))
    n = n_c - 1
    mat = np.zeros((n, n), dtype=dtype(c))
    flat = mat.reshape(-1)
    top, bot = flat[1::n + 1], flat[n::n + 1]
    if basis == "polynomial":
        bot[...] = 1
        column = c[:-1] / c[-1]
    elif basis == "chebyshev":
        scl = np.array([1.] + [np.sqrt(.5)] * (n - 1))
        top[0] = np.sqrt(.5)
        top[1:] = 1 / 2
        bot[...] = top
        column = (c[:-1] / c[-1]) * (scl / scl[-1]) * .5
    elif basis == "legendre":
        scl = 1. / np.sqrt(2 * np.arange(n) + 1)
        top[...] = np.arange(1, n) * scl[:n - 1] * scl[1:n]
        bot[...] = top
        column = (c[:-1] / c[-1]) * (scl / scl[-1]) * (n / (2 * n - 1))
    elif basis == "hermite":
        scl = np.hstack((1., 1. / np.sqrt(2. * np.arange(n - 1, 0, -1))))
        scl = np.multiply.accumulate(scl)[::-1]
        top[...] = np.sqrt(.5 * np.arange(1, n))
        bot[...] = top
        column = scl * c[:-1] / (2.0 * c[-1])
    elif basis == "hermite_e":
        scl = np.hstack((1., 1. / np.sqrt(np.arange(n - 1, 0, -1))))
        scl = np.multiply.accumulate(scl)[::-1]
        top[...] = np.sqrt(np.arange(1, n))
        bot[...] = top
        column = scl * c[:-1] / c[-1]
    else:  # laguerre: the last column is added to, not subtracted from
        flat[0::n + 1] = 2. * np.arange(n) + 1.
        top[...] = -np.arange(1, n)
        bot[...] = top
        last = mat[:, -1] + (c[:-1] / c[-1]) * n
        return cnp.concatenate([mat[:, :-1], cnp.reshape(last, (n, 1))], axis=1)
    last = mat[:, -1] - column
    return cnp.concatenate([mat[:, :-1], cnp.reshape(last, (n, 1))], axis=1)


def _fit(basis, x, y, deg, rcond, full, w):
    """NumPy's ``polyutils._fit`` with its column-scaled ``lstsq``."""
    x = _array(x) + 0.0
    y = _array(y) + 0.0
    deg = np.asarray(deg)
    if deg.ndim > 1 or deg.dtype.kind not in "iu" or deg.size == 0:
        raise TypeError("deg must be an int or non-empty 1-D array of int")
    if deg.min() < 0:
        raise ValueError("expected deg >= 0")
    if ndim(x) != 1:
        raise TypeError("expected 1D vector for x")
    if shape(x)[0] == 0:
        raise TypeError("expected non-empty vector for x")
    if ndim(y) < 1 or ndim(y) > 2:
        raise TypeError("expected 1D or 2D array for y")
    if shape(x)[0] != shape(y)[0]:
        raise TypeError("expected x and y to have same length")
    if deg.ndim == 0:
        lmax = int(deg)
        order = lmax + 1
        van = _vander(basis, x, lmax)
    else:
        deg = np.sort(deg)
        lmax = int(deg[-1])
        order = len(deg)
        van = _vander(basis, x, lmax)[:, deg]
    lhs, rhs = cnp.transpose(van), cnp.transpose(y)
    if w is not None:
        w = _array(w) + 0.0
        if ndim(w) != 1:
            raise TypeError("expected 1D vector for w")
        if shape(x)[0] != shape(w)[0]:
            raise TypeError("expected x and w to have same length")
        lhs = lhs * w
        rhs = rhs * w
    if rcond is None:
        rcond = shape(x)[0] * np.finfo(dtype(x)).eps
    if dtype(lhs).kind == "c":
        scl = cnp.sqrt(cnp.sum(cnp.square(cnp.real(lhs)) + cnp.square(cnp.imag(lhs)), axis=1))
    else:
        scl = cnp.sqrt(cnp.sum(cnp.square(lhs), axis=1))
    scl = cnp.where(scl == 0, 1.0, scl)
    c, resids, rank, s = cnp.linalg.lstsq(cnp.transpose(lhs) / scl, cnp.transpose(rhs), rcond)
    c = cnp.transpose(cnp.transpose(c) / scl)
    if deg.ndim > 0:
        rows = [None] * (lmax + 1)
        for k, d in enumerate(deg):
            rows[int(d)] = c[k]
        zero = c[0] * 0
        c = cnp.stack([zero if r is None else r for r in rows])
    try:
        deficient = int(concrete_value(rank, "int")) != order
    except BatchedValueError:  # (under vmap: one example's rank is not at hand)
        deficient = False
    if deficient and not full:
        import warnings
        warnings.warn("The fit may be poorly conditioned", np.exceptions.RankWarning,
                      stacklevel=3)
    if full:
        return c, [resids, rank, s, rcond]
    return c


# ---- registration --------------------------------------------------------------------------
_MODULE_OF = {}


def module_of(name):
    """The module of ``numpy.polynomial`` whose function is called ``name``.

    >>> module_of("chebval")
    'chebyshev'
    """
    return _MODULE_OF[name]


def _register(basis):
    mod, p, _ = BASES[basis]
    for name, fn in _functions(basis).items():
        _MODULE_OF[name] = basis
        numpy_fn = getattr(mod, name)
        wrapped = _numpy_first(numpy_fn)(fn)
        wrapped.__name__ = wrapped.__qualname__ = name
        wrapped.__doc__ = _doc(basis, name, numpy_fn)
        wrapped.__module__ = f"chainrule.numpy.polynomial.{basis}"
        export(f"{basis}.{name}", namespace=NUMPY_POLYNOMIAL)(wrapped)
    # NumPy's constants and the functions whose inputs carry no derivative (a degree, a
    # number of points): NumPy's own objects.
    for name in ("zero", "one", "x", "domain"):
        export(f"{basis}.{p}{name}", namespace=NUMPY_POLYNOMIAL, kind=CONSTANT)(
            getattr(mod, p + name))
    _MODULE_OF[p + "trim"] = basis
    export(f"{basis}.{p}trim", namespace=NUMPY_POLYNOMIAL)(_trim_of(mod, p))
    for name in ("gauss", "pts1", "pts2"):
        if hasattr(mod, p + name):
            export(f"{basis}.{p}{name}", namespace=NUMPY_POLYNOMIAL, kind=CREATION)(
                getattr(mod, p + name))


def _trim_of(mod, p):
    numpy_trim = getattr(mod, p + "trim")

    def trim(c, tol=0):
        if not traced(c):
            return numpy_trim(c, tol)
        if tol < 0:
            raise ValueError("tol must be non-negative")
        c = _series(c)
        values = values_or_none(c)
        if values is None:  # under vmap: nothing dropped
            return c
        keep = np.flatnonzero(np.abs(values) > tol)
        return c[:1] * 0 if len(keep) == 0 else c[:int(keep[-1]) + 1]
    trim.__name__ = trim.__qualname__ = p + "trim"
    trim.__doc__ = (f"NumPy's ``{p}trim``: the coefficients up to the last one larger than "
                    f"``tol``, differentiable in those kept.\n\n"
                    f"    >>> {p}trim([1.0, 2.0, 0.0])\n    array([1., 2.])\n")
    return trim


_EXAMPLES = {"val": (0.5, [1.0, 2.0, 3.0]), "vander": ([0.0, 0.5], 2), "line": (1.0, 2.0),
             "add": ([1.0, 2.0], [3.0]), "sub": ([1.0, 2.0], [3.0]),
             "mul": ([1.0, 2.0], [3.0, 1.0]), "mulx": ([1.0, 2.0],), "pow": ([1.0, 2.0], 2),
             "div": ([1.0, 2.0, 3.0], [1.0, 1.0]), "der": ([1.0, 2.0, 3.0],),
             "int": ([1.0, 2.0],), "fromroots": ([-1.0, 1.0],),
             "companion": ([1.0, 2.0, 3.0],), "roots": ([-1.0, 0.0, 1.0],),
             "fit": ([0.0, 1.0, 2.0], [1.0, 3.0, 7.0], 2),
             "val2d": (0.5, 0.25, [[1.0, 2.0], [3.0, 4.0]]),
             "val3d": (0.5, 0.25, 1.0, [[[1.0, 2.0]]]),
             "grid2d": ([0.5], [0.25], [[1.0, 2.0], [3.0, 4.0]]),
             "grid3d": ([0.5], [0.25], [1.0], [[[1.0, 2.0]]]),
             "vander2d": ([0.5], [0.25], [1, 1]), "vander3d": ([0.5], [0.25], [1.0], [1, 1, 1]),
             "valfromroots": (2.0, [1.0, 3.0]), "2poly": ([1.0, 2.0, 3.0],), "weight": (0.5,)}


def _doc(basis, name, numpy_fn):
    _, p, _ = BASES[basis]
    args = _EXAMPLES[name[len(p):] if name.startswith(p) else "2poly"]
    first = (numpy_fn.__doc__ or name).strip().splitlines()[0]
    call = f"{name}({', '.join(map(repr, args))})"
    result = repr(numpy_fn(*args))
    result = result.replace("\n", "\n    ")
    return (f"{first} (``numpy.polynomial.{basis}.{name}``), differentiable in its arrays.\n\n"
            f"NumPy's own result on plain inputs; see :mod:`chainrule.numpy.polynomial` for\n"
            f"traced ones.\n\n    >>> {call}\n    {result}\n")


for _basis in BASES:
    _register(_basis)
