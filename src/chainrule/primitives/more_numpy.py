"""More of NumPy: remainders, differences, order statistics, convolutions, ``einsum`` in
full, polynomial and interpolation helpers, nan-aware reductions, and NumPy's
non-differentiable helpers (``unique``, ``bincount``, ``histogram``…) passed through.

Most are composites of existing primitives: their derivatives follow from those.

>>> import chainrule as cr
>>> cr.grad(lambda x: median(x))(np.array([3.0, 1.0, 2.0]))
array([0., 0., 1.])
"""

import numpy as np

from ..core.primitive import Tracer, concrete_value
from ..core import registry
from ..core.registry import NUMPY, NonZero
from .declare import export
from .util import shape, ndim, lower
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
fabs = E.unary("fabs", np.fabs, lambda ans, x: E.sign(x), domain=NonZero(0.2, 2.0))
degrees = E.unary("degrees", np.degrees, lambda ans, x: 180.0 / np.pi)


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
    nd = ndim(a)
    ax = axis % nd
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
    for _ in range(n):
        m = shape(a)[ax]
        a = B.getitem(a, index=_sl(nd, ax, slice(1, None))) - \
            B.getitem(a, index=_sl(nd, ax, slice(0, max(m - 1, 0))))
    return a


@export()
def ediff1d(ary, to_end=None, to_begin=None):
    """Differences of the flattened array, with optional values before and after.

    >>> ediff1d(np.array([1.0, 2.0, 4.0]), to_begin=0.0)
    array([0., 1., 2.])
    """
    d = diff(C.ravel(ary))
    seq = ([C.ravel(C.asarray(to_begin))] if to_begin is not None else []) + [d] + \
        ([C.ravel(C.asarray(to_end))] if to_end is not None else [])
    return C.concatenate(seq) if len(seq) > 1 else d


@export()
def gradient(f, *varargs, axis=None, edge_order=1):
    """numpy.gradient with uniform (scalar) spacings: central differences inside, one-sided
    (first or second order) at the edges.

    >>> gradient(np.array([1.0, 4.0, 9.0, 16.0]))
    array([3., 4., 6., 7.])
    """
    nd = ndim(f)
    axes = list(range(nd)) if axis is None else [a % nd for a in np.atleast_1d(axis)]
    if len(varargs) == 0:
        spacing = [1.0] * len(axes)
    elif len(varargs) == 1:
        spacing = list(varargs) * len(axes)
    else:
        spacing = list(varargs)
    for h in spacing:
        if ndim(h) != 0:
            raise NotImplementedError(
                "chainrule.numpy.gradient takes scalar spacings; for coordinate arrays, "
                "divide diff(f) by diff(x) yourself")
    out = []
    for ax, h in zip(axes, spacing):
        n = shape(f)[ax]
        if n < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")

        def t(s, ax=ax):
            return B.getitem(f, index=_sl(nd, ax, s))
        inner = (t(slice(2, None)) - t(slice(0, n - 2))) / (2.0 * h)
        if edge_order == 1:
            first = (t(slice(1, 2)) - t(slice(0, 1))) / h
            last = (t(slice(n - 1, n)) - t(slice(n - 2, n - 1))) / h
        else:
            first = (-1.5 * t(slice(0, 1)) + 2.0 * t(slice(1, 2)) - 0.5 * t(slice(2, 3))) / h
            last = (0.5 * t(slice(n - 3, n - 2)) - 2.0 * t(slice(n - 2, n - 1))
                    + 1.5 * t(slice(n - 1, n))) / h
        out.append(C.concatenate([first, inner, last], axis=ax))
    return out[0] if len(out) == 1 else tuple(out)


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


def _quantile(a, q, axis, keepdims, method="linear"):
    a_sorted, axes = _sorted_front(a, axis)
    n = shape(a_sorted)[0]
    qv = np.asarray(concrete_value(q, "value"), dtype=np.float64)
    if isinstance(q, Tracer):
        raise TypeError("quantile/percentile: q must be a constant (its derivative is not "
                        "defined through the ranks); the data may be traced")
    if np.any((qv < 0) | (qv > 1)):
        raise ValueError("Quantiles must be in the range [0, 1]")
    pos = qv * (n - 1)
    if method == "linear":
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, n - 1)
        frac = pos - lo
    elif method in ("lower", "higher", "nearest", "midpoint"):
        lo = np.floor(pos).astype(int)
        hi = np.ceil(pos).astype(int)
        frac = {"lower": np.zeros_like(pos), "higher": (hi > lo).astype(float),
                "nearest": (np.around(pos) > lo).astype(float),
                "midpoint": np.where(hi > lo, 0.5, 0.0)}[method]
    else:
        raise ValueError(f"quantile: method {method!r} is not supported")
    rest = (1,) * (ndim(a_sorted) - 1)
    lo_v = B.getitem(a_sorted, index=(np.ravel(lo),))
    hi_v = B.getitem(a_sorted, index=(np.ravel(hi),))
    fr = np.ravel(frac).reshape((-1,) + rest)
    dt = np.result_type(lower(a))
    r = lo_v + (hi_v - lo_v) * fr.astype(dt if dt.kind == "f" else np.float64)
    r = B.reshape(r, shape=qv.shape + tuple(shape(a_sorted)[1:]))
    return _keep(r, a, None if axis is None else axes, keepdims, lead=qv.ndim)


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
    return _keep(r, a, None if axis is None else axes, keepdims)


@export()
def quantile(a, q, axis=None, keepdims=False, method="linear"):
    """numpy.quantile (methods linear, lower, higher, nearest, midpoint), q in [0, 1].

    >>> float(quantile(np.array([1.0, 2.0, 3.0, 4.0]), 0.5))
    2.5
    """
    r = _quantile(a, q, axis, keepdims, method)
    return r if ndim(r) or isinstance(r, Tracer) else r[()]


@export()
def percentile(a, q, axis=None, keepdims=False, method="linear"):
    """numpy.percentile: quantile with q in [0, 100].

    >>> float(percentile(np.array([1.0, 2.0, 3.0]), 50))
    2.0
    """
    return quantile(a, np.asarray(concrete_value(q, "value")) / 100.0, axis=axis, keepdims=keepdims, method=method)


# ---- nan-aware reductions ----------------------------------------------------------------------
def _nan_to(x, v):
    return E.where(E.isnan(x), v, x)


@export()
def nansum(a, axis=None, keepdims=False):
    """Sum treating nan as 0; nan entries get a zero derivative.

    >>> float(nansum(np.array([1.0, np.nan, 2.0])))
    3.0
    """
    return B.reduce_sum(_nan_to(a, 0.0), axis=axis, keepdims=keepdims)


def _count(a, axis, keepdims):
    return B.reduce_sum(E.astype(E.logical_not(E.isnan(a)), dtype=np.dtype(np.float64)),
                        axis=axis, keepdims=keepdims)


@export()
def nanmean(a, axis=None, keepdims=False):
    """Mean of the non-nan entries.

    >>> float(nanmean(np.array([1.0, np.nan, 3.0])))
    2.0
    """
    return nansum(a, axis=axis, keepdims=keepdims) / _count(a, axis, keepdims)


@export()
def nanvar(a, axis=None, ddof=0, keepdims=False):
    """Variance of the non-nan entries.

    >>> float(nanvar(np.array([1.0, np.nan, 3.0])))
    1.0
    """
    d = _nan_to(a - nanmean(a, axis=axis, keepdims=True), 0.0)
    return B.reduce_sum(d * d, axis=axis, keepdims=keepdims) / (_count(a, axis, keepdims) - ddof)


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
    return S.reduce_max(_nan_to(a, -np.inf), axis=axis, keepdims=keepdims)


@export()
def nanmin(a, axis=None, keepdims=False):
    """Minimum ignoring nan.

    >>> float(nanmin(np.array([1.0, np.nan, 3.0])))
    1.0
    """
    return S.reduce_min(_nan_to(a, np.inf), axis=axis, keepdims=keepdims)


@export()
def nanprod(a, axis=None, keepdims=False):
    """Product treating nan as 1.

    >>> float(nanprod(np.array([2.0, np.nan, 3.0])))
    6.0
    """
    return C.prod(_nan_to(a, 1.0), axis=axis, keepdims=keepdims)


@export()
def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """nan, +inf, −inf replaced by finite numbers; those entries have zero derivative.

    >>> nan_to_num(np.array([np.nan, np.inf, 1.0]), posinf=9.0)
    array([0., 9., 1.])
    """
    info = np.finfo(np.result_type(lower(x), np.float32) if np.result_type(lower(x)).kind == "f"
                    else np.float64)
    posinf = info.max if posinf is None else posinf
    neginf = info.min if neginf is None else neginf
    x = E.where(E.isnan(x), nan, x)
    x = E.where(E.logical_and(E.greater(x, 0), E.isinf(x)), posinf, x)
    return E.where(E.logical_and(E.less(x, 0), E.isinf(x)), neginf, x)
