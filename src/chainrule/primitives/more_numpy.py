"""More of NumPy: remainders, differences, order statistics, convolutions, ``einsum`` in
full, polynomial and interpolation helpers, nan-aware reductions, and NumPy's
non-differentiable helpers (``unique``, ``bincount``, ``histogram``…) passed through.

Most are composites of existing primitives: their derivatives follow from those.

>>> import chainrule as cr
>>> cr.grad(lambda x: median(x))(np.array([3.0, 1.0, 2.0]))
array([0., 0., 1.])
"""

import numpy as np

from ..core.primitive import Tracer
from ..core import registry
from ..core.registry import NUMPY, NonZero
from .declare import export, reads
from .util import shape, ndim, lower, numpy_scalar, result_type, axis_index
from . import basic as B
from . import elementwise as E
from . import structural as S
from . import linalg as L
from . import composites as C

# ---- remainders: d/dx = 1, d/dy = −floor(x/y) (mod) or −trunc(x/y) (fmod) -------------
_MOD_DOMAIN = (NonZero(2.2, 2.8), NonZero(1.0, 1.05))
mod = E.binary("mod", np.mod, lambda ans, x, y: 1.0,
               lambda ans, x, y: E.negative(E.floor_divide(x, y)),
               domain=_MOD_DOMAIN, names=("mod", "remainder"))
fmod = E.binary("fmod", np.fmod, lambda ans, x, y: 1.0,
                lambda ans, x, y: E.negative(E.trunc(E.divide(x, y))), domain=_MOD_DOMAIN)
fabs = E.unary("fabs", np.fabs, lambda ans, x: E.sign(x), domain=NonZero(0.2, 2.0),
               uses=reads(0))
degrees = E.unary("degrees", np.degrees, lambda ans, x: 180.0 / np.pi, uses=reads())


@export("divmod")
def divmod_(x, y):
    """(x // y, x % y), as Python's divmod and numpy.divmod.

    >>> divmod_(np.array([7.0, -7.0]), 2.0)
    (array([ 3., -4.]), array([1., 1.]))
    """
    return E.floor_divide(x, y), mod(x, y)


@export()
def radians(x):
    """Degrees to radians (numpy.radians, the same as deg2rad).

    >>> float(radians(180.0))
    3.141592653589793
    """
    return E.deg2rad(x)


# ---- einsum in full: repeated indices, the sublist form, any number of operands ---------------
def _sublist_to_string(args):
    ops, terms = [], []
    args = list(args)
    out = None
    while args:
        if len(args) == 1:
            out = args.pop()
            break
        ops.append(args.pop(0))
        terms.append(args.pop(0))

    def letters(sub):
        s = ""
        for k in sub:
            s += "..." if k is Ellipsis else L._LETTERS[int(k)]
        return s
    spec = ",".join(letters(t) for t in terms)
    if out is not None:
        spec += "->" + letters(out)
    return spec, ops


def _take_repeated_diagonals(term, x):
    """Fold every index repeated inside one operand into a diagonal ('ii' → 'i')."""
    while len(set(term)) != len(term):
        c = next(c for c in term if term.count(c) > 1)
        i = term.index(c)
        j = term.index(c, i + 1)
        x = L.diagonal(x, axis1=i, axis2=j)
        term = term[:i] + term[i + 1:j] + term[j + 1:] + c
    return term, x


@export()
def einsum(*operands, optimize=None, **kwargs):
    """numpy.einsum in full: subscripts or the sublist form (``einsum(a, [0, 1], b, [1, 2])``),
    indices repeated inside one operand (``'ii->'``, ``'ii->i'``, ``'iij->j'``), any number
    of operands; ``optimize`` is accepted (the contraction order is NumPy's).

    >>> import chainrule as cr
    >>> cr.grad(lambda a: einsum("ii->", a))(np.ones((2, 2)))
    array([[1., 0.],
           [0., 1.]])
    """
    if kwargs:
        raise TypeError(f"einsum: unsupported arguments {sorted(kwargs)}")
    if operands and isinstance(operands[0], str):
        subscripts, ops = operands[0], list(operands[1:])
    else:
        subscripts, ops = _sublist_to_string(operands)
    ins, out = L._explicit(subscripts, [shape(o) for o in ops])
    terms, new_ops = [], []
    for term, x in zip(ins, ops):
        term, x = _take_repeated_diagonals(term, x)
        terms.append(term)
        new_ops.append(x)
    return L.einsum(*new_ops, subscripts=",".join(terms) + "->" + out)




# ---- differences --------------------------------------------------------------------------------
def _sl(nd, ax, s):
    return (slice(None),) * ax + (s,)


@export()
def diff(a, n=1, axis=-1, prepend=np._NoValue, append=np._NoValue):
    """n-th discrete difference along ``axis`` (numpy.diff).

    >>> diff(np.array([1.0, 4.0, 9.0]))
    array([3., 5.])
    """
    if isinstance(a, (list, tuple)):  # array_like, as NumPy takes it (tracers too)
        a = C.asarray(a)
    nd = ndim(a)
    if nd == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    ax = axis_index(axis, nd)
    parts = []
    for extra, where in ((prepend, 0), (append, 1)):
        if extra is not np._NoValue:
            if ndim(extra) == 0:
                s = list(shape(a))
                s[ax] = 1
                extra = C.broadcast_to(extra, tuple(s))
            parts.append((where, extra))
    if parts:
        seq = [p for w, p in parts if w == 0] + [a] + [p for w, p in parts if w == 1]
        a = C.concatenate(seq, axis=ax)
    # booleans differ by not_equal, as in NumPy (their subtraction is an error)
    sub = E.not_equal if result_type(lower(a)) == np.bool_ else E.subtract
    for _ in range(n):
        m = shape(a)[ax]
        a = sub(B.getitem(a, index=_sl(nd, ax, slice(1, None))),
                B.getitem(a, index=_sl(nd, ax, slice(0, max(m - 1, 0)))))
    return a


@export()
def ediff1d(ary, to_end=None, to_begin=None):
    """Differences of the flattened array, with optional values before and after.

    >>> ediff1d(np.array([1.0, 2.0, 4.0]), to_begin=0.0)
    array([0., 1., 2.])
    """
    d = diff(C.ravel(ary))
    dt = result_type(lower(d))

    def end(v, name):   # NumPy casts the ends to ary's dtype (same_kind)
        v = C.ravel(C.asarray(v))
        if not np.can_cast(result_type(lower(v)), dt, casting="same_kind"):
            raise TypeError(f"dtype of `{name}` must be compatible with input `ary` under the "
                            f"`same_kind` rule.")
        return E.astype(v, dtype=dt)
    seq = ([end(to_begin, "to_begin")] if to_begin is not None else []) + [d] + \
        ([end(to_end, "to_end")] if to_end is not None else [])
    return C.concatenate(seq) if len(seq) > 1 else d


def _gradient_spacings(f, varargs, axes):
    """NumPy's varargs: none (1), one scalar for every axis, or one scalar or coordinate
    array per axis. A coordinate array becomes its differences — or, when they are all equal
    (checked on concrete values, as NumPy does), the one spacing."""
    if not varargs:
        return [1.0] * len(axes)
    if len(varargs) == 1 and ndim(varargs[0]) == 0:
        return list(varargs) * len(axes)
    if len(varargs) != len(axes):
        raise TypeError("invalid number of arguments")
    out = []
    for h, ax in zip(varargs, axes):
        if ndim(h) == 0:
            out.append(h)
            continue
        if ndim(h) != 1:
            raise ValueError("distances must be either scalars or 1d")
        if shape(h)[0] != shape(f)[ax]:
            raise ValueError("when 1d, distances must match the length of the corresponding "
                             "dimension")
        if result_type(lower(h)).kind in "iub":
            h = E.astype(h, dtype=np.dtype(np.float64))
        d = diff(h)
        if not isinstance(d, Tracer) and shape(d)[0] and np.all(d == d[0]):
            d = d[0]
        out.append(d)
    return out


@export()
def gradient(f, *varargs, axis=None, edge_order=1):
    """numpy.gradient: central differences inside, one-sided (first or second order) at the
    edges; spacings as NumPy takes them (scalars, or a coordinate array per axis, then
    second-order accurate for uneven spacing too). Differentiable in ``f`` and in the
    spacings or coordinates.

    >>> gradient(np.array([1.0, 4.0, 9.0, 16.0]))
    array([3., 4., 6., 7.])
    >>> gradient(np.array([1.0, 4.0, 9.0, 16.0]), np.array([0.0, 1.0, 1.5, 3.5]))
    array([3.        , 7.66666667, 8.7       , 3.5       ])
    """
    f = C.array(f) if isinstance(f, (list, tuple)) else f
    varargs = [C.array(h) if isinstance(h, (list, tuple)) else h for h in varargs]
    nd = ndim(f)
    axes = list(range(nd)) if axis is None else [a % nd for a in np.atleast_1d(axis)]
    if len(set(axes)) != len(axes):
        raise ValueError("duplicate value in 'axis'")
    if edge_order > 2:
        raise ValueError("'edge_order' greater than 2 not supported")
    spacing = _gradient_spacings(f, varargs, axes)
    if result_type(lower(f)).kind in "iub":
        f = E.astype(f, dtype=np.dtype(np.float64))
    out = []
    for ax, h in zip(axes, spacing):
        n = shape(f)[ax]
        if n < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")
        out.append(_gradient_along(f, ax, h, n, edge_order))
    return out[0] if len(out) == 1 else tuple(out)


def _gradient_along(f, ax, h, n, edge_order):
    nd = ndim(f)

    def t(s):
        return B.getitem(f, index=_sl(nd, ax, s))

    def along(v):   # a 1-D vector of coefficients laid along axis ax
        return B.reshape(v, shape=tuple(-1 if i == ax else 1 for i in range(nd)))
    if ndim(h) == 0:
        inner = (t(slice(2, None)) - t(slice(0, n - 2))) / (2.0 * h)
        if edge_order == 1:
            first = (t(slice(1, 2)) - t(slice(0, 1))) / h
            last = (t(slice(n - 1, n)) - t(slice(n - 2, n - 1))) / h
        else:
            first = (-1.5 / h) * t(slice(0, 1)) + (2.0 / h) * t(slice(1, 2)) \
                + (-0.5 / h) * t(slice(2, 3))
            last = (0.5 / h) * t(slice(n - 3, n - 2)) + (-2.0 / h) * t(slice(n - 2, n - 1)) \
                + (1.5 / h) * t(slice(n - 1, n))
        return C.concatenate([first, inner, last], axis=ax)
    # Uneven spacing: NumPy's second-order formulas, coefficient by coefficient.
    dx1, dx2 = along(B.getitem(h, index=(slice(0, n - 2),))), along(B.getitem(h, index=(slice(1, None),)))
    inner = (-dx2 / (dx1 * (dx1 + dx2)) * t(slice(0, n - 2))
             + (dx2 - dx1) / (dx1 * dx2) * t(slice(1, n - 1))
             + dx1 / (dx2 * (dx1 + dx2)) * t(slice(2, None)))
    h0, h1, hm2, hm1 = (B.getitem(h, index=(i,)) for i in (0, min(1, n - 2), n - 3, n - 2))
    if edge_order == 1:
        first = (t(slice(1, 2)) - t(slice(0, 1))) / h0
        last = (t(slice(n - 1, n)) - t(slice(n - 2, n - 1))) / hm1
    else:
        first = (-(2.0 * h0 + h1) / (h0 * (h0 + h1)) * t(slice(0, 1))
                 + (h0 + h1) / (h0 * h1) * t(slice(1, 2))
                 - h0 / (h1 * (h0 + h1)) * t(slice(2, 3)))
        last = (hm1 / (hm2 * (hm2 + hm1)) * t(slice(n - 3, n - 2))
                - (hm1 + hm2) / (hm2 * hm1) * t(slice(n - 2, n - 1))
                + (2.0 * hm1 + hm2) / (hm1 * (hm2 + hm1)) * t(slice(n - 1, n)))
    return C.concatenate([first, inner, last], axis=ax)


# ---- order statistics --------------------------------------------------------------------------
def _sorted_front(a, axis):
    """``a`` sorted along ``axis``, that axis moved to the front."""
    if axis is None:
        a, axis = C.ravel(a), 0
    axes = tuple(np.atleast_1d(axis) % ndim(a))
    if len(axes) > 1:
        rest = [i for i in range(ndim(a)) if i not in axes]
        a = B.transpose(a, axes=tuple(axes) + tuple(rest))
        a = B.reshape(a, shape=(-1,) + tuple(shape(a)[len(axes):]))
        return C.sort(a, axis=0), axes
    a = C.moveaxis(a, axes[0], 0)
    return C.sort(a, axis=0), axes


def _keep(r, a, axes, keepdims, lead=0):
    if not keepdims:
        return r
    s = list(shape(a))
    for ax in axes if axes is not None else range(ndim(a)):
        s[ax] = 1
    return B.reshape(r, shape=tuple(shape(r)[:lead]) + tuple(s))


@export()
def median(a, axis=None, keepdims=False):
    """Median along ``axis``; the derivative goes to the middle element(s) (split equally
    between the two middle ones for an even count).

    >>> median(np.array([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]]), axis=1)
    array([2., 4.])
    """
    a_sorted, axes = _sorted_front(a, axis)
    n = shape(a_sorted)[0]
    if n == 0:
        return C.mean(a, axis=axis, keepdims=keepdims)
    mid = B.getitem(a_sorted, index=(slice((n - 1) // 2, n // 2 + 1),))
    r = C.mean(mid, axis=0)
    if result_type(lower(a_sorted)).kind in "fc":
        # sort puts nan last: a slice with a nan has NumPy's median nan (not the middle of
        # the numbers, which nanmedian would give).
        last = B.getitem(a_sorted, index=(n - 1,))
        r = E.where(E.isnan(last), last, r)
    return numpy_scalar(_keep(r, a, None if axis is None else axes, keepdims))


# ---- nan-aware reductions ----------------------------------------------------------------------
def _as_array(x):
    """A Python list or tuple (of traced values, maybe) as one array."""
    return C.array(x) if isinstance(x, (list, tuple)) else x


def _nan_to(x, v):
    x = _as_array(x)
    # Integers and booleans hold no nan: left as they are, so that nansum, nanmax... keep
    # NumPy's integer dtypes (a where with a float fill made them float64).
    if result_type(lower(x)).kind not in "fc":
        return x
    return E.where(E.isnan(x), v, x)


@export()
def nansum(a, axis=None, keepdims=False, dtype=None):
    """Sum treating nan as 0; nan entries get a zero derivative.

    >>> float(nansum(np.array([1.0, np.nan, 2.0])))
    3.0
    """
    return B.reduce_sum(_nan_to(C.in_dtype(a, dtype), 0.0), axis=axis, keepdims=keepdims)


def _count(a, axis, keepdims):
    # In a's floating dtype (float32 data keep a float32 mean, as NumPy's nanmean).
    dt = result_type(lower(a))
    dt = dt if dt.kind in "fc" else np.dtype(np.float64)
    dt = np.dtype(dt.char.lower()) if dt.kind == "c" else dt
    return B.reduce_sum(E.astype(E.logical_not(E.isnan(a)), dtype=np.finfo(dt).dtype),
                        axis=axis, keepdims=keepdims)


@export()
def nanmean(a, axis=None, keepdims=False, dtype=None):
    """Mean of the non-nan entries.

    >>> float(nanmean(np.array([1.0, np.nan, 3.0])))
    2.0
    """
    a = _as_array(a)
    return nansum(a, axis=axis, keepdims=keepdims, dtype=dtype) / _count(a, axis, keepdims)


@export()
def nanvar(a, axis=None, ddof=0, keepdims=False):
    """Variance of the non-nan entries (of complex values: the mean of |x − mean|², real,
    as NumPy).

    >>> float(nanvar(np.array([1.0, np.nan, 3.0])))
    1.0
    """
    a = _as_array(a)
    if result_type(lower(a)).kind not in "fc":
        # integers hold no nan: NumPy's nanvar is var then (ddof >= n divides by 0: inf)
        return C.var(a, axis=axis, ddof=ddof, keepdims=keepdims)
    # Only a's own nan entries are left out: a nan from inf − inf in the mean (or in a − mean)
    # is NumPy's nan, not a variance of 0.
    d = a - nanmean(a, axis=axis, keepdims=True)
    if result_type(lower(d)).kind in "fc":
        d = E.where(E.isnan(a), 0.0, d)
    dof = _count(a, axis, keepdims) - ddof
    out = B.reduce_sum(C.abs_squared(d), axis=axis, keepdims=keepdims) / dof
    # NumPy's nanvar is nan where no degree of freedom is left (dof <= 0), not a negative
    # variance or ±inf
    return C.handed_out(E.where(E.less_equal(dof, 0), np.nan, out), None)


@export()
def nanstd(a, axis=None, ddof=0, keepdims=False):
    """Standard deviation of the non-nan entries.

    >>> float(nanstd(np.array([1.0, np.nan, 3.0])))
    1.0
    """
    return E.sqrt_flat_at_zero(nanvar(a, axis=axis, ddof=ddof, keepdims=keepdims))


@export()
def nanmax(a, axis=None, keepdims=False):
    """Maximum ignoring nan.

    >>> float(nanmax(np.array([1.0, np.nan, 3.0])))
    3.0
    """
    return _nan_extremum(S.reduce_max, a, -np.inf, axis, keepdims)


@export()
def nanmin(a, axis=None, keepdims=False):
    """Minimum ignoring nan.

    >>> float(nanmin(np.array([1.0, np.nan, 3.0])))
    1.0
    """
    return _nan_extremum(S.reduce_min, a, np.inf, axis, keepdims)


def _nan_extremum(reduce, a, fill, axis, keepdims):
    """``reduce`` of ``a`` with its nan entries replaced by ``fill`` (∓inf, never chosen),
    and nan where a slice is all nan, as NumPy (the fill would be the answer there)."""
    a = _as_array(a)
    r = reduce(_nan_to(a, fill), axis=axis, keepdims=keepdims)
    if result_type(lower(a)).kind not in "fc":
        return r
    return numpy_scalar(E.where(S.reduce_all(E.isnan(a), axis=axis, keepdims=keepdims),
                                np.nan, r))


@export()
def nanprod(a, axis=None, keepdims=False, dtype=None):
    """Product treating nan as 1.

    >>> float(nanprod(np.array([2.0, np.nan, 3.0])))
    6.0
    """
    return C.prod(_nan_to(C.in_dtype(a, dtype), 1.0), axis=axis, keepdims=keepdims)


@export()
def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """nan, +inf, −inf replaced by finite numbers; those entries have zero derivative.

    >>> nan_to_num(np.array([np.nan, np.inf, 1.0]), posinf=9.0)
    array([0., 9., 1.])
    """
    if isinstance(x, (list, tuple)):
        x = C.array(x)
    dt = result_type(lower(x))   # (a Python float: float64)
    kind = dt.kind
    if kind in "biu":  # integers are finite already (NumPy's copy, in their dtype)
        if isinstance(x, Tracer):
            return x
        r = np.array(x, copy=True)
        return r if r.ndim else r[()]
    if kind == "c":  # NumPy replaces in the real and the imaginary parts separately
        parts = [nan_to_num(p, nan=nan, posinf=posinf, neginf=neginf)
                 for p in (B.real(x), E.imag(x))]
        return C.handed_out(E.where(E.isfinite(x), x, parts[0] + parts[1] * 1j), None)
    # the largest finite value of x's own dtype (65504 for float16, 1.8e308 for a Python
    # float), as a NumPy scalar of that dtype so that it does not promote x
    info = np.finfo(dt)
    posinf = dt.type(info.max) if posinf is None else posinf
    neginf = dt.type(info.min) if neginf is None else neginf
    x = E.where(E.isnan(x), nan, x)
    x = E.where(E.logical_and(E.greater(x, 0), E.isinf(x)), posinf, x)
    return C.handed_out(E.where(E.logical_and(E.less(x, 0), E.isinf(x)), neginf, x), None)
