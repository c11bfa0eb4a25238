"""NumPy's polynomial helpers on coefficient arrays, highest power first: ``poly``,
``polyadd``, ``polysub``, ``polymul``, ``polyder``, ``polyint``, ``polydiv``, ``polyfit``,
``roots``. All are built from primitives (exact derivatives, vmap and jit for free):
``polyfit`` is the scaled least-squares solve NumPy runs, ``roots`` the eigenvalues of the
companion matrix. ``poly1d`` holds coefficients that may be traced; the functions take it
and give arrays (NumPy gives a poly1d back when one went in).

>>> import chainrule as cr
>>> cr.grad(lambda c: polyder(c)[0])(np.array([1.0, 2.0, 3.0]))   # d/dc of 2·c[0]
array([2., 0., 0.])
"""

import warnings

import numpy as np

from ..core.primitive import Tracer, concrete_value
from ..interpreters.batching import BatchedValueError
from ..core.registry import LINALG, lookup
from .declare import export
from .util import shape, ndim, lower, result_type
from . import basic as B
from . import elementwise as E
from . import composites as C
from . import numpy_extras as X
from . import manipulation as M


def _linalg(name):
    return lookup(LINALG, name).obj


def _poly1d(p, name):
    if isinstance(p, (np.poly1d, poly1d)):
        p = p.coeffs
    p = C.array(p) if isinstance(p, (list, tuple)) else p
    return C.atleast_1d(p)


def _sequence(p, name):
    """``p`` refused where it is a number (0-d): NumPy's polyder, polyint and roots take
    len(p) and raise a TypeError for it."""
    if not isinstance(p, (np.poly1d, poly1d, list, tuple)) and ndim(p) == 0:
        raise TypeError(f"{name}: p must be a sequence of coefficients, got a number (NumPy "
                        f"raises too); pass [p] for the constant polynomial")
    return p


def _as_given(*ps):
    """poly1d when a poly1d went in (NumPy's rule), else the array itself."""
    if any(isinstance(p, (np.poly1d, poly1d)) for p in ps):
        return poly1d
    return lambda a: a


def _front_padded(a, n):
    k = shape(a)[0]
    if k == n:
        return a
    return C.concatenate([np.zeros(n - k, dtype=result_type(lower(a))), a])


@export()
def polyadd(a1, a2):
    """The sum of two polynomials (numpy.polyadd): the shorter is padded in front.

    >>> polyadd(np.array([1.0, 2.0]), np.array([1.0, 0.0, 1.0]))
    array([1., 1., 3.])
    """
    wrap = _as_given(a1, a2)
    a1, a2 = _poly1d(a1, "polyadd"), _poly1d(a2, "polyadd")
    n = max(shape(a1)[0], shape(a2)[0])
    return wrap(_front_padded(a1, n) + _front_padded(a2, n))


@export()
def polysub(a1, a2):
    """The difference of two polynomials (numpy.polysub).

    >>> polysub(np.array([1.0, 2.0]), np.array([1.0, 0.0, 1.0]))
    array([-1.,  1.,  1.])
    """
    wrap = _as_given(a1, a2)
    a1, a2 = _poly1d(a1, "polysub"), _poly1d(a2, "polysub")
    n = max(shape(a1)[0], shape(a2)[0])
    return wrap(_front_padded(a1, n) - _front_padded(a2, n))


@export()
def polymul(a1, a2):
    """The product of two polynomials (numpy.polymul): their coefficients' convolution.

    >>> polymul(np.array([1.0, 1.0]), np.array([1.0, -1.0]))
    array([ 1.,  0., -1.])
    """
    # NumPy's: each factor as a poly1d first (leading zeros dropped, an empty one is 0)
    a, b = (poly1d(_poly1d(p, "polymul")).coeffs for p in (a1, a2))
    return _as_given(a1, a2)(X.convolve(a, b))


@export()
def polyder(p, m=1):
    """The ``m``-th derivative of a polynomial (numpy.polyder).

    >>> polyder(np.array([1.0, 1.0, 1.0]))
    array([2., 1.])
    """
    m = int(m)
    if m < 0:
        raise ValueError("Order of derivative must be positive (see polyint)")
    wrap = _as_given(p)
    p = _poly1d(_sequence(p, "polyder"), "polyder")
    for _ in range(m):
        n = shape(p)[0] - 1
        p = p[:-1] * np.arange(n, 0, -1)
    return wrap(p)


@export()
def polyint(p, m=1, k=None):
    """The ``m``-th antiderivative (numpy.polyint), with integration constants ``k`` (the
    last one first added); differentiable in ``p`` and ``k``.

    >>> polyint(np.array([3.0, 2.0]), k=1.0)
    array([1.5, 2. , 1. ])
    """
    m = int(m)
    if m < 0:
        raise ValueError("Order of integral must be positive (see polyder)")
    if k is None:
        k = np.zeros(m)
    k = C.atleast_1d(C.array(k) if isinstance(k, (list, tuple)) else k)
    if shape(k)[0] == 1 and m > 1:
        k = B.broadcast_to(k, shape=(m,))
    if shape(k)[0] < m:
        raise ValueError("k must be a scalar or a rank-1 array of length 1 or >m.")
    wrap = _as_given(p)
    p = _poly1d(_sequence(p, "polyint"), "polyint")
    for i in range(m):
        n = shape(p)[0]
        p = C.concatenate([p / np.arange(n, 0, -1), k[i:i + 1]])
    return wrap(p)


@export()
def polydiv(u, v):
    """Quotient and remainder of polynomial division (numpy.polydiv), by NumPy's long
    division; the remainder's leading entries within 1e-14 of zero are dropped, as NumPy
    drops them (a choice made on the values).

    >>> polydiv(np.array([1.0, 0.0, -1.0]), np.array([1.0, 1.0]))
    (array([ 1., -1.]), array([0.]))
    """
    wrap = _as_given(u, v)
    u = _poly1d(u, "polydiv") + 0.0
    v = _poly1d(v, "polydiv") + 0.0
    m, n = shape(u)[0] - 1, shape(v)[0] - 1
    scale = 1.0 / v[0]
    r = [u[i] for i in range(m + 1)]
    q = []
    for k in range(m - n + 1):
        d = scale * r[k]
        q.append(d)
        for j in range(n + 1):
            r[k + j] = r[k + j] - d * v[j]
    if not q:
        q = [E.multiply(u[0] + v[0], 0.0)]
    while len(r) > 1 and _close_to_zero(r[0], eliminated=m >= n and len(r) > n):
        r = r[1:]
    return wrap(C.stack(q)), wrap(C.stack(r))


def _close_to_zero(v, eliminated):
    """NumPy's test for dropping a leading remainder entry. Under vmap each example's value
    is not at hand: the entries the division eliminated are dropped (they are zero up to
    rounding, as NumPy finds them), the others kept."""
    try:
        return bool(np.allclose(concrete_value(v, "value"), 0, rtol=1e-14))
    except BatchedValueError:
        return eliminated


@export()
def poly(seq_of_zeros):
    """The coefficients of the monic polynomial with these roots, or of a square matrix's
    characteristic polynomial (numpy.poly); real when the roots come in conjugate pairs.

    >>> poly(np.array([1.0, 2.0]))
    array([ 1., -3.,  2.])
    """
    if ndim(seq_of_zeros) == 0 and not isinstance(seq_of_zeros, (list, tuple)):
        raise TypeError("poly: pass the roots as a sequence (NumPy refuses a single number)")
    z = _poly1d(seq_of_zeros, "poly")
    sh = shape(z)
    if len(sh) == 2 and sh[0] == sh[1] and sh[0] != 0:
        z = _linalg("eigvals")(z)
    elif len(sh) == 1:
        dt = result_type(lower(z))
        z = E.astype(z, dtype=np.dtype(np.mintypecode(dt.char)))
    else:
        raise ValueError("input must be 1d or non-empty square 2d array.")
    if shape(z)[0] == 0:
        return 1.0
    dt = result_type(lower(z))
    a = np.ones((1,), dtype=dt)
    for i in range(shape(z)[0]):
        # a·(x − zᵢ): the convolution with [1, −zᵢ], whose first coefficient is a[0] alone
        # (an infinite root does not make the leading 1 a nan, as in NumPy)
        a = C.concatenate([a[:1], a[1:] - z[i] * a[:-1], -(z[i] * a[-1:])])
    if dt.kind == "c" and _conjugate_pairs(z):
        a = B.real(a)
    return a


def _conjugate_pairs(z):
    """Whether the roots come in conjugate pairs (NumPy then returns real coefficients); under
    vmap the coefficients stay complex, since each example's values are not at hand."""
    try:
        values = np.asarray(concrete_value(z, "array"), dtype=complex)
    except BatchedValueError:
        return False
    return bool(np.all(np.sort(values) == np.sort(values.conjugate())))


def _all_real(r):
    """Whether complex roots are all real (NumPy then returns them real); under vmap they stay
    complex (with zero imaginary parts), since each example's values are not at hand."""
    try:
        values = np.asarray(concrete_value(r, "array"))
    except BatchedValueError:
        return False
    return values.dtype.kind == "c" and bool(np.all(values.imag == 0))


def _differs(rank, order):
    try:
        return int(concrete_value(rank, "value")) != order
    except (BatchedValueError, TypeError):
        return False


def _strip_zeros(p):
    try:
        values = np.asarray(concrete_value(p, "array"))
    except BatchedValueError:  # under vmap: the coefficients taken as they are
        return p, 0
    nz = np.flatnonzero(values)
    if len(nz) == 0:
        return None, 0
    return p[int(nz[0]):int(nz[-1]) + 1], shape(p)[0] - int(nz[-1]) - 1


@export()
def roots(p):
    """The roots of a polynomial (numpy.roots): the eigenvalues of its companion matrix, so
    differentiable in ``p`` where the roots are simple (real where all are real, as NumPy).

    >>> roots(np.array([1.0, -3.0, 2.0]))
    array([2., 1.])
    """
    p = _poly1d(_sequence(p, "roots"), "roots")
    if ndim(p) != 1:
        raise ValueError("Input must be a rank-1 array.")
    p, trailing = _strip_zeros(p)
    if p is None:
        return np.array([])
    n = shape(p)[0]
    dt = result_type(lower(p))
    if dt.kind not in "fc":  # NumPy's: integer coefficients as float64
        dt = np.dtype(np.float64)
        p = E.astype(p, dtype=dt)
    if n > 1:
        top = C.reshape(-p[1:] / p[0], (1, n - 1))
        companion = C.concatenate([top, np.eye(n - 2, n - 1, dtype=dt)], axis=0)
        r = _linalg("eigvals")(companion)
        if _all_real(r):
            r = B.real(r)
    else:
        r = np.zeros(0, dtype=dt)
    if trailing:
        r = C.concatenate([r, np.zeros(trailing, dtype=result_type(lower(r)))])
    return r


@export()
def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """Least-squares polynomial fit (numpy.polyfit), NumPy's column-scaled ``lstsq``;
    differentiable in ``x``, ``y`` and ``w`` where the Vandermonde matrix has full rank.

    >>> polyfit(np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0]), 1).round(12)
    array([2., 1.])
    """
    order = int(deg) + 1
    x = (C.array(x) if isinstance(x, (list, tuple)) else x) + 0.0
    y = (C.array(y) if isinstance(y, (list, tuple)) else y) + 0.0
    if deg < 0:
        raise ValueError("expected deg >= 0")
    if ndim(x) != 1:
        raise TypeError("expected 1D vector for x")
    if shape(x)[0] == 0:
        raise TypeError("expected non-empty vector for x")
    if ndim(y) < 1 or ndim(y) > 2:
        raise TypeError("expected 1D or 2D array for y")
    if shape(x)[0] != shape(y)[0]:
        raise TypeError("expected x and y to have same length")
    if rcond is None:
        rcond = shape(x)[0] * np.finfo(result_type(lower(x))).eps
    lhs = M.vander(x, order)
    rhs = y
    if w is not None:
        w = (C.array(w) if isinstance(w, (list, tuple)) else w) + 0.0
        if ndim(w) != 1:
            raise TypeError("expected a 1-d array for weights")
        if shape(w)[0] != shape(y)[0]:
            raise TypeError("expected w and y to have the same length")
        lhs = lhs * w[:, None]
        rhs = rhs * (w if ndim(rhs) == 1 else w[:, None])
    scale = E.sqrt(B.reduce_sum(lhs * lhs, axis=0))
    lhs = lhs / scale
    c, resids, rank, s = _linalg("lstsq")(lhs, rhs, rcond)
    c = C.transpose(C.transpose(c) / scale)
    if not full and _differs(rank, order):
        warnings.warn("Polyfit may be poorly conditioned", np.exceptions.RankWarning,
                      stacklevel=2)
    if full:
        return c, resids, rank, s, rcond
    if cov:
        vbase = _linalg("inv")(C.matmul(C.transpose(lhs), lhs)) / C.outer(scale, scale)
        if cov == "unscaled":
            fac = 1.0
        else:
            if shape(x)[0] <= order:
                raise ValueError("the number of data points must exceed order to scale the "
                                 "covariance matrix")
            fac = resids / (shape(x)[0] - order)
        return c, (vbase * fac if ndim(y) == 1 else vbase[:, :, None] * fac)
    return c



@export()
class poly1d:
    """numpy.poly1d over coefficients that may be traced: evaluation (``p(x)``, Horner's
    rule), arithmetic with polynomials and numbers, ``deriv``, ``integ``, ``roots``, ``order``
    and the coefficient views (``coeffs``, ``c``, ``coef``, ``coefficients``). Leading zeros
    are dropped as NumPy drops them (on the values).

    >>> import chainrule as cr
    >>> p = poly1d([1.0, 0.0, -2.0])
    >>> float(p(3.0)), p.deriv().coeffs, p.order
    (7.0, array([2., 0.]), 2)
    >>> cr.grad(lambda c: poly1d(c)(2.0))(np.array([1.0, 1.0]))   # (x, 1) at x = 2
    array([2., 1.])
    """

    __hash__ = None

    def __init__(self, c_or_r, r=False, variable=None):
        if isinstance(c_or_r, (poly1d, np.poly1d)):
            self._coeffs, self._variable = c_or_r.coeffs, variable or c_or_r.variable
            self._evaluated = getattr(c_or_r, "_evaluated", self._coeffs)
            return
        c = poly(c_or_r) if r else c_or_r
        c = C.atleast_1d(C.array(c) if isinstance(c, (list, tuple)) else c)
        if ndim(c) > 1:
            raise ValueError("Polynomial must be 1d only.")
        full = c
        try:
            values = np.asarray(concrete_value(c, "array"))
            nz = np.flatnonzero(values)
            c = c[int(nz[0]):] if len(nz) else c[:0]
        except BatchedValueError:  # under vmap: the coefficients as they are
            pass
        if shape(c)[0] == 0:
            c = np.array([0], dtype=result_type(lower(c)))
        self._coeffs, self._variable = c, variable or "x"
        # Traced leading zeros, dropped by value as NumPy drops them, still carry a
        # derivative (d p(x)/d c₀ = xⁿ at c₀ = 0): evaluation keeps them. (The value is the
        # same for finite x; at x = ±inf, 0·inf makes it nan where NumPy's is ±inf.)
        self._evaluated = full if (isinstance(full, Tracer) and
                                   shape(full)[0] != shape(c)[0]) else c

    coeffs = property(lambda self: self._coeffs)
    c = coef = coefficients = coeffs
    variable = property(lambda self: self._variable)
    order = property(lambda self: shape(self._coeffs)[0] - 1)
    o = order
    roots = property(lambda self: roots(self._coeffs))
    r = roots

    def __call__(self, val):
        if isinstance(val, (poly1d, np.poly1d)):
            out = poly1d([0])   # NumPy's integer start: integer polynomials stay integers
            for k in range(self.order + 1):
                out = out * val + self._coeffs[k]
            return out
        return X.polyval(self._evaluated, val)

    def __len__(self):
        return self.order

    def __getitem__(self, power):
        if power > self.order or power < 0:
            return np.zeros((), dtype=result_type(lower(self._coeffs)))[()]
        return self._coeffs[self.order - power]

    def __array__(self, dtype=None, copy=None):
        if isinstance(self._coeffs, Tracer) and not self._coeffs._trace.concrete_ok:
            # (NumPy's conversion would drop the coefficients' derivative silently)
            raise TypeError("A poly1d with traced coefficients cannot be converted to a NumPy "
                            "array: the derivative would be lost silently. Use p.coeffs or "
                            "chainrule.numpy.asarray(p) (traced arrays)")
        return np.asarray(concrete_value(self._coeffs, "array"), dtype=dtype)

    def __repr__(self):
        return f"poly1d({self._coeffs!r})".replace("array(", "").replace("))", ")")

    def __neg__(self):
        return poly1d(-self._coeffs)

    def __pos__(self):
        return self

    def __add__(self, other):
        return poly1d(polyadd(self._coeffs, _coeffs_of(other)))

    __radd__ = __add__

    def __sub__(self, other):
        return poly1d(polysub(self._coeffs, _coeffs_of(other)))

    def __rsub__(self, other):
        return poly1d(polysub(_coeffs_of(other), self._coeffs))

    def __mul__(self, other):
        return poly1d(polymul(self._coeffs, _coeffs_of(other)))

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, (poly1d, np.poly1d)):
            return polydiv(self, other)
        return poly1d(self._coeffs / other)

    def __pow__(self, n):
        if not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError("Power to non-negative integers only.")
        out = poly1d([1])   # as NumPy's: an integer polynomial's power stays integer
        for _ in range(int(n)):
            out = out * self
        return out

    def __eq__(self, other):
        if not isinstance(other, (poly1d, np.poly1d)):
            return NotImplemented
        a, b = (np.asarray(concrete_value(p.coeffs, "array")) for p in (self, other))
        return a.shape == b.shape and bool(np.all(a == b))

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def deriv(self, m=1):
        """The ``m``-th derivative, a poly1d."""
        return poly1d(polyder(self._coeffs, m))

    def integ(self, m=1, k=0):
        """The ``m``-th antiderivative with constants ``k``, a poly1d."""
        return poly1d(polyint(self._coeffs, m, k))


def _coeffs_of(p):
    if isinstance(p, (poly1d, np.poly1d)):
        return p.coeffs
    return C.atleast_1d(C.array(p) if isinstance(p, (list, tuple)) else p)
