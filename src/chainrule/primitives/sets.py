"""NumPy's set operations and NumPy 2's ``unique_*`` functions, ``lexsort``,
``packbits``/``unpackbits``, ``array_equiv``, ``array_equal``, ``histogram2d``/``histogramdd``.

As ``unique`` does, a set operation's values are entries of its inputs: each is taken
(a selection, with its derivative) from its first occurrence in ``ar1`` then ``ar2``, so
``union1d``, ``intersect1d``, ``setdiff1d``, ``setxor1d`` and the ``unique_*`` values are
differentiable the way ``sort``'s are. Indices, counts and bits are integers (zero
derivative). Which entries are chosen depends on the values: under ``vmap`` the choice is
made example by example (a loop), and the outputs must have one shape for all examples.

>>> import chainrule as cr
>>> cr.grad(lambda a: union1d(a, np.array([5.0])).sum())(np.array([1.0, 1.0, 2.0]))
array([1., 0., 1.])
"""

import numpy as np

from ..core.primitive import Primitive, Tracer, bind, concrete_value
from ..core import registry
from ..interpreters.batching import BatchedValueError
from .declare import declare, export, LOOP
from .util import shape, ndim, lower, result_type
from . import basic as B
from . import elementwise as E
from . import structural as S
from . import composites as C
from . import more_numpy as MN
from . import numpy_extras as X


def _traced(*xs):
    return any(isinstance(x, Tracer) for x in xs)


def _first_occurrences(c, values, equal_nan=True):
    """The index in ``c`` of each of ``values``' first occurrence (``values`` drawn from c, in
    any order: NumPy 2.3's unique_values need not sort). With ``equal_nan=False`` each nan is
    its own value: the k-th nan of ``values`` is the k-th nan of ``c``."""
    u, first = np.unique(c, return_index=True, equal_nan=equal_nan)
    if not len(u):
        return np.zeros(0, np.intp)
    idx = first[np.minimum(np.searchsorted(u, values), len(u) - 1)]
    if not equal_nan and values.dtype.kind in "fc":
        nans = np.isnan(values)
        idx[nans] = np.flatnonzero(np.isnan(c))[:int(nans.sum())]
    return idx


def _set_indices_impl(a, b=None, *, op, assume_unique=False):
    a, b = np.ravel(a), None if b is None else np.ravel(b)
    if op.startswith("unique_"):
        r = getattr(np, op)(a)
        values = r if op == "unique_values" else r[0]
        if op == "unique_all":
            return tuple(np.asarray(f) for f in r[1:])
        # (each nan its own value, as these functions count them)
        return (_first_occurrences(a, values, equal_nan=False),) + tuple(
            np.asarray(f) for f in ([] if op == "unique_values" else r[1:]))
    c = np.concatenate([a, b])
    if op == "intersect1d":
        values, ia, ib = np.intersect1d(a, b, assume_unique=assume_unique, return_indices=True)
        return (ia, ib)
    values = getattr(np, op)(a, b, assume_unique=assume_unique) if op != "union1d" else \
        np.union1d(a, b)
    if op == "setdiff1d" and assume_unique:
        # order of a kept, duplicates of a kept: the positions themselves
        return (np.flatnonzero(~np.isin(a, b)),)
    return (_first_occurrences(c, values),)


_set_indices = Primitive("set_indices", _set_indices_impl, multiple_results=True)
declare(_set_indices, jvp=None, vjp=None, batch=LOOP, names=())


def _pick(v, idx):
    # (take_along_axis: the indices may be batched, under vmap's loop)
    return C.take_along_axis(v, idx, axis=0)


def _flat(x):
    return C.ravel(C.array(x) if isinstance(x, (list, tuple)) else x)


def _both(ar1, ar2):
    a, b = _flat(ar1), _flat(ar2)
    dt = np.result_type(result_type(lower(a)), result_type(lower(b)))
    a = a if result_type(lower(a)) == dt else E.astype(a, dtype=dt)
    b = b if result_type(lower(b)) == dt else E.astype(b, dtype=dt)
    return a, b


@export()
def union1d(ar1, ar2):
    """The sorted unique values of both arrays (numpy.union1d).

    >>> union1d(np.array([3.0, 1.0]), np.array([1.0, 2.0]))
    array([1., 2., 3.])
    """
    if not _traced(ar1, ar2):
        return np.union1d(ar1, ar2)
    a, b = _both(ar1, ar2)
    (idx,) = _set_indices(a, b, op="union1d")
    return _pick(C.concatenate([a, b]), idx)


@export()
def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    """The sorted values in both arrays (numpy.intersect1d), taken from ``ar1``.

    >>> intersect1d(np.array([3.0, 1.0, 2.0]), np.array([1.0, 3.0]))
    array([1., 3.])
    """
    if not _traced(ar1, ar2):
        return np.intersect1d(ar1, ar2, assume_unique=assume_unique,
                              return_indices=return_indices)
    a, b = _both(ar1, ar2)
    ia, ib = _set_indices(a, b, op="intersect1d", assume_unique=assume_unique)
    values = _pick(a, ia)
    return (values, ia, ib) if return_indices else values


@export()
def setdiff1d(ar1, ar2, assume_unique=False):
    """The values of ``ar1`` not in ``ar2`` (numpy.setdiff1d): sorted and unique, or in
    ``ar1``'s order with ``assume_unique=True``.

    >>> setdiff1d(np.array([3.0, 1.0, 2.0]), np.array([1.0]))
    array([2., 3.])
    """
    if not _traced(ar1, ar2):
        return np.setdiff1d(ar1, ar2, assume_unique=assume_unique)
    a, b = _both(ar1, ar2)
    (idx,) = _set_indices(a, b, op="setdiff1d", assume_unique=assume_unique)
    return _pick(_flat(ar1), idx)  # values of ar1, in its dtype (as NumPy's)


@export()
def setxor1d(ar1, ar2, assume_unique=False):
    """The sorted values in exactly one of the arrays (numpy.setxor1d).

    >>> setxor1d(np.array([3.0, 1.0]), np.array([1.0, 2.0]))
    array([2., 3.])
    """
    if not _traced(ar1, ar2):
        return np.setxor1d(ar1, ar2, assume_unique=assume_unique)
    a, b = _both(ar1, ar2)
    (idx,) = _set_indices(a, b, op="setxor1d", assume_unique=assume_unique)
    return _pick(C.concatenate([a, b]), idx)


def _unique_result(op, x):
    x = C.array(x) if isinstance(x, (list, tuple)) else x
    if not _traced(x):
        return getattr(np, op)(x)
    parts = _set_indices(_flat(x), op=op)
    values = _pick(_flat(x), parts[0])
    if op == "unique_values":
        return values
    result = type(getattr(np, op)(np.zeros(1)))  # the namedtuple NumPy returns
    if op == "unique_counts":
        return result(values, parts[1])
    if op == "unique_inverse":
        return result(values, B.reshape(parts[1], shape=shape(x)))
    return result(values, parts[0], B.reshape(parts[1], shape=shape(x)), parts[2])


@export()
def unique_values(x):
    """The sorted unique values (numpy.unique_values: each nan its own value).

    >>> unique_values(np.array([2.0, 1.0, 2.0]))
    array([1., 2.])
    """
    return _unique_result("unique_values", x)


@export()
def unique_counts(x):
    """``(values, counts)`` (numpy.unique_counts); the values carry their derivative.

    >>> unique_counts(np.array([2.0, 1.0, 2.0])).counts
    array([1, 2])
    """
    return _unique_result("unique_counts", x)


@export()
def unique_inverse(x):
    """``(values, inverse_indices)`` (numpy.unique_inverse): values[inverse] is ``x``.

    >>> unique_inverse(np.array([2.0, 1.0, 2.0])).inverse_indices
    array([1, 0, 1])
    """
    return _unique_result("unique_inverse", x)


@export()
def unique_all(x):
    """``(values, indices, inverse_indices, counts)`` (numpy.unique_all).

    >>> unique_all(np.array([2.0, 1.0, 2.0])).indices
    array([1, 0])
    """
    return _unique_result("unique_all", x)


# ---- integer-valued: lexsort, bits ------------------------------------------------------------
def _lexsort_batch(vals, dims, axis=-1):
    (k,), (d,) = vals, dims
    # keys (nkeys, ...): the batch axis goes right after the keys' axis
    k = C.moveaxis(k, d, 1)
    a = axis if axis < 0 else axis + 1
    return bind(_lexsort, [k], dict(axis=a)), 0


_lexsort = Primitive("lexsort", lambda keys, axis=-1: np.lexsort(keys, axis=axis))
declare(_lexsort, jvp=None, vjp=None, batch=_lexsort_batch, names=())


def lexsort(keys, axis=-1):
    """The indirect stable sort by several keys, the last the primary (numpy.lexsort); an
    integer result.

    >>> lexsort((np.array([1.0, 0.0]), np.array([2.0, 2.0])))
    array([1, 0])
    """
    if isinstance(keys, (list, tuple)):
        if not _traced(*keys):
            return np.lexsort(keys, axis=axis)
        keys = C.stack(list(keys))
    elif not _traced(keys):
        return np.lexsort(keys, axis=axis)
    if ndim(keys) == 1:  # one key: argsort, stable
        return S.argsort(keys, axis=-1, kind="stable")
    return _lexsort(keys, axis=axis)


registry.add(registry.NUMPY, "lexsort", registry.NONDIFF, lexsort, prim=_lexsort)


def _bits_batch(prim):
    def rule(vals, dims, axis=None, **params):
        (x,), (d,) = vals, dims
        x = C.moveaxis(x, d, 0)
        if axis is None:
            x, axis = C.reshape(x, (shape(x)[0], -1)), 1
        else:
            axis = axis % (ndim(x) - 1) + 1
        return bind(prim, [x], dict(params, axis=axis)), 0
    return rule


_packbits = Primitive("packbits", lambda a, axis=None, bitorder="big":
                      np.packbits(a, axis=axis, bitorder=bitorder))
declare(_packbits, jvp=None, vjp=None, batch=_bits_batch(_packbits), names=())
_unpackbits = Primitive("unpackbits", lambda a, axis=None, count=None, bitorder="big":
                        np.unpackbits(a, axis=axis, count=count, bitorder=bitorder))
declare(_unpackbits, jvp=None, vjp=None, batch=_bits_batch(_unpackbits), names=())


def packbits(a, /, axis=None, bitorder="big"):
    """Booleans or integers packed into the bits of uint8 (numpy.packbits).

    >>> packbits(np.array([1, 0, 1]))
    array([160], dtype=uint8)
    """
    return _packbits(a, axis=axis, bitorder=bitorder)


def unpackbits(a, /, axis=None, count=None, bitorder="big"):
    """The bits of uint8 values (numpy.unpackbits).

    >>> unpackbits(np.array([160], dtype=np.uint8))[:3]
    array([1, 0, 1], dtype=uint8)
    """
    return _unpackbits(a, axis=axis, count=count, bitorder=bitorder)


registry.add(registry.NUMPY, "packbits", registry.NONDIFF, packbits, prim=_packbits)
registry.add(registry.NUMPY, "unpackbits", registry.NONDIFF, unpackbits, prim=_unpackbits)


@export(kind=registry.NONDIFF)
def array_equiv(a1, a2):
    """Whether the arrays are equal after broadcasting (numpy.array_equiv), a Python bool.

    >>> array_equiv(np.array([1.0, 1.0]), 1.0)
    True
    """
    try:
        np.broadcast_shapes(np.shape(lower(a1)), np.shape(lower(a2)))
    except ValueError:
        return False
    same = S.reduce_all(E.equal(a1, a2))
    try:
        return bool(concrete_value(same, "bool"))
    except BatchedValueError:  # under vmap: one answer per example
        return same


@export(kind=registry.NONDIFF)
def array_equal(a1, a2, equal_nan=False):
    """Whether the arrays have the same shape and elements (numpy.array_equal), a Python bool.
    NumPy's own answers False for traced arrays (it cannot convert them), whatever they hold.

    >>> array_equal(np.array([1.0, np.nan]), np.array([1.0, np.nan]), equal_nan=True)
    True
    """
    if np.shape(lower(a1)) != np.shape(lower(a2)):
        return False
    same = E.equal(a1, a2)
    if equal_nan and all(result_type(a).kind in "fc" for a in (a1, a2)):
        same = E.logical_or(same, E.logical_and(E.isnan(a1), E.isnan(a2)))
    same = S.reduce_all(same)
    try:
        return bool(concrete_value(same, "bool"))
    except BatchedValueError:  # under vmap: one answer per example
        return same


# ---- multi-dimensional histograms --------------------------------------------------------------
def _sample_columns(sample):
    if isinstance(sample, (list, tuple)):
        cols = [_flat(s) for s in sample]
    else:
        s = C.transpose(C.atleast_2d(sample)) if ndim(sample) < 2 else sample  # N points
        cols = [s[:, i] for i in range(shape(s)[1])]
    return cols


@export()
def histogramdd(sample, bins=10, range=None, density=None, weights=None):
    """numpy.histogramdd: counts (integer-valued in the data: zero derivative there;
    differentiable in traced ``weights``) and each dimension's edges, which move with the
    data's minimum and maximum (or a traced ``range``) as :func:`histogram`'s do.

    >>> h, (ex, ey) = histogramdd(np.array([[0.0, 0.0], [1.0, 1.0]]), bins=2)
    >>> h
    array([[1., 0.],
           [0., 1.]])
    """
    rng = range
    bounds = [r for pair in (rng or ()) if pair is not None for r in pair]
    columns = sample if isinstance(sample, (list, tuple)) else ()
    if not _traced(sample, weights, *columns, *bounds):
        return np.histogramdd(sample, bins=bins, range=range, density=density, weights=weights)
    cols = _sample_columns(sample)
    d = len(cols)
    if isinstance(bins, (list, tuple)):
        bins = list(bins)
    else:
        bins = [bins] * d if np.ndim(lower(bins)) == 0 else [bins[i] for i in range(d)]
    if len(bins) != d:
        raise ValueError("The dimension of bins must be equal to the dimension of the sample x.")
    if any(isinstance(b, str) for b in bins):
        raise TypeError("histogramdd(bins='...') of traced values: pass numbers of bins or edges")
    rngs = [None] * d if rng is None else list(rng)
    edges = [X._bin_edges(c, b, None if r is None else tuple(r))
             for c, b, r in zip(cols, bins, rngs)]
    idx = [X._bin_index_p(c, e) for c, e in zip(cols, edges)]
    sizes = tuple(shape(e)[0] - 1 for e in edges)
    inside = np.ones(np.shape(lower(idx[0])), bool)
    for i in idx:
        inside = E.logical_and(inside, E.greater_equal(i, 0))
    flat = np.zeros(np.shape(lower(idx[0])), np.intp)
    for i, n in zip(idx, sizes):
        flat = flat * n + E.where(E.greater_equal(i, 0), i, 0)
    flat = E.where(inside, flat, -1)
    total = int(np.prod(sizes))
    onehot = E.equal(B.reshape(flat, shape=(-1, 1)), np.arange(total).reshape(1, total))
    if weights is None:
        counts = B.reduce_sum(E.astype(onehot, dtype=np.dtype(np.float64)), axis=0)
    else:
        w = _flat(weights)
        counts = C.matmul(w, E.astype(onehot, dtype=result_type(lower(w))))
    counts = C.reshape(counts, sizes)
    if density:
        widths = [MN.diff(e) for e in edges]
        volume = widths[0]
        for k, wk in enumerate(widths[1:], start=1):
            volume = C.reshape(volume, shape(volume) + (1,)) * wk
        counts = counts / volume / B.reduce_sum(counts)
    return counts, edges


@export()
def histogram2d(x, y, bins=10, range=None, density=None, weights=None):
    """numpy.histogram2d: :func:`histogramdd` of the pairs (x, y), returning
    ``(counts, x edges, y edges)``.

    >>> histogram2d(np.array([0.0, 1.0]), np.array([0.0, 1.0]), bins=2)[0]
    array([[1., 0.],
           [0., 1.]])
    """
    if not _traced(x, y, weights):
        return np.histogram2d(x, y, bins=bins, range=range, density=density, weights=weights)
    try:
        n = len(bins)
    except TypeError:
        n = 1
    if n != 1 and n != 2:
        bins = [bins, bins]  # explicit edges, one array for both
    h, edges = histogramdd([x, y], bins, range, density, weights)
    return h, edges[0], edges[1]
