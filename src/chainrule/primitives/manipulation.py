"""NumPy's array manipulation, differentiable: insert, delete, append, put_along_axis
(functional: a new array), splits, stacks, rotations, select, partition, cross.

Functions that move elements around with constant indices are gathers: the indices are
worked out by running NumPy's own function on integer labels, so the layout is NumPy's
exactly, and the derivative follows each element (``take``'s rules).

>>> insert(np.array([1.0, 2.0]), 1, 9.0)
array([1., 9., 2.])
"""

import sys

import numpy as np

from ..core import registry
from ..core.primitive import Tracer, concrete_value
from .declare import export
from .util import shape, ndim, lower, dtype, result_type, owned_result
from . import basic as B
from . import elementwise as E
from . import structural as S
from . import composites as C
from . import numpy_extras as X


def _gather_like(parts, labelled):
    """Concatenate the flattened ``parts`` and gather them by the label array ``labelled``."""
    flat = C.concatenate([C.ravel(p) for p in parts]) if len(parts) > 1 else C.ravel(parts[0])
    return B.getitem(flat, index=(np.asarray(labelled),))


def _labels(x, start=0):
    return np.arange(start, start + int(np.prod(shape(x))), dtype=np.intp).reshape(shape(x))


def _in_dtype_of(values, arr, fname):
    """``values`` in ``arr``'s dtype, as NumPy writes them into ``arr`` (np.insert of 2.0
    into a float32 array stays float32); complex values into a real array raise instead of
    losing their imaginary part."""
    dt = np.asarray(lower(arr)).dtype if isinstance(arr, (list, tuple)) else \
        result_type(lower(arr))
    vt = result_type(lower(values))
    if vt == dt:
        return values
    if vt.kind == "c" and dt.kind != "c":
        raise TypeError(f"{fname}: complex values into a {dt} array would discard their "
                        f"imaginary part; make the array complex first (arr.astype(complex))")
    return E.astype(values, dtype=dt)


@export()
def insert(arr, obj, values, axis=None):
    """numpy.insert with constant indices ``obj``; differentiable in ``arr`` and ``values``.

    >>> insert(np.array([[1.0, 2.0], [3.0, 4.0]]), 1, 0.0, axis=1)
    array([[1., 0., 2.],
           [3., 0., 4.]])
    """
    if isinstance(obj, Tracer):
        raise TypeError("insert: the indices must be constants")
    values = _in_dtype_of(C.asarray(values), arr, "insert")
    la = _labels(arr)
    lv = _labels(values, la.size)
    labelled = np.insert(la, obj, lv, axis=axis)
    return _gather_like([arr, values], labelled)


@export()
def delete(arr, obj, axis=None):
    """numpy.delete with constant indices.

    >>> delete(np.array([1.0, 2.0, 3.0]), [0, 2])
    array([2.])
    """
    return _gather_like([arr], np.delete(_labels(arr), obj, axis=axis))


@export()
def append(arr, values, axis=None):
    """numpy.append.

    >>> append(np.array([1.0]), [2.0, 3.0])
    array([1., 2., 3.])
    """
    values = C.asarray(values)
    if axis is None:
        return C.concatenate([C.ravel(arr), C.ravel(values)])
    return C.concatenate([arr, values], axis=axis)


@export()
def put_along_axis(arr, indices, values, axis):
    """Functional numpy.put_along_axis: a new array with ``values`` put at ``indices`` (the
    input is not modified); differentiable in ``arr`` and ``values``.

    >>> put_along_axis(np.zeros(3), np.array([1]), 5.0, axis=0)
    array([0., 5., 0.])
    """
    values = _in_dtype_of(C.asarray(values), arr, "put_along_axis")
    la = _labels(arr)
    lv = _labels(values, la.size)
    if axis is None:
        out = la.ravel()
        np.put_along_axis(out, np.asarray(concrete_value(indices, "value")), lv, axis=0)
    else:
        out = la.copy()
        np.put_along_axis(out, np.asarray(concrete_value(indices, "value")), lv, axis=axis)
    return _gather_like([arr, values], out)


@export()
def copy(a, order="K", subok=False):
    """A copy (the identity, with the derivative passed through).

    >>> copy(np.array([1.0]))
    array([1.])
    """
    return E.positive(a) if isinstance(a, Tracer) else np.array(a, copy=True)


@export()
def empty_like(prototype, dtype=None, order="K", subok=True, shape=None):
    """Zeros shaped like ``prototype`` (NumPy leaves them uninitialised; zeros are safe).

    >>> empty_like(np.ones(2))
    array([0., 0.])
    """
    from .util import shape as _shape
    return np.zeros(_shape(prototype) if shape is None else shape,
                    dtype=dtype or result_type(lower(prototype)))


# ---- splits and stacks -----------------------------------------------------------------------
@export()
@owned_result
def array_split(x, indices_or_sections, axis=0):
    """numpy.array_split: like split, but the sections may differ in size by one.

    >>> [p.shape for p in array_split(np.ones(5), 3)]
    [(2,), (2,), (1,)]
    """
    n = shape(x)[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        each, extra = divmod(n, k)
        sizes = [0] + extra * [each + 1] + (k - extra) * [each]
        bounds = list(np.cumsum(sizes))
    else:
        bounds = [0] + [int(i) for i in indices_or_sections] + [n]
    ax = axis % ndim(x)
    return [B.getitem(x, index=(slice(None),) * ax + (slice(int(a), int(b)),))
            for a, b in zip(bounds[:-1], bounds[1:])]


@export()
@owned_result
def hsplit(x, indices_or_sections):
    """numpy.hsplit (axis 1, or 0 for a 1-D array).

    >>> [p.shape for p in hsplit(np.ones((2, 4)), 2)]
    [(2, 2), (2, 2)]
    """
    return C.split(x, indices_or_sections, axis=1 if ndim(x) > 1 else 0)


@export()
@owned_result
def vsplit(x, indices_or_sections):
    """numpy.vsplit (axis 0).

    >>> [p.shape for p in vsplit(np.ones((3, 2)), [1])]
    [(1, 2), (2, 2)]
    """
    return C.split(x, indices_or_sections, axis=0)


@export()
@owned_result
def dsplit(x, indices_or_sections):
    """numpy.dsplit (axis 2).

    >>> [p.shape for p in dsplit(np.ones((1, 1, 4)), 2)]
    [(1, 1, 2), (1, 1, 2)]
    """
    return C.split(x, indices_or_sections, axis=2)


@export()
def column_stack(tup):
    """numpy.column_stack: 1-D arrays become columns.

    >>> column_stack([np.array([1.0, 2.0]), np.array([3.0, 4.0])])
    array([[1., 3.],
           [2., 4.]])
    """
    cols = [B.reshape(a, shape=(-1, 1)) if ndim(a) < 2 else a for a in map(C.asarray, tup)]
    return C.concatenate(cols, axis=1)


@export()
def row_stack(tup):
    """numpy.row_stack (vstack).

    >>> row_stack([np.ones(2), np.zeros(2)])
    array([[1., 1.],
           [0., 0.]])
    """
    return C.vstack(tup)


@export()
@owned_result
def atleast_3d(x):
    """numpy.atleast_3d: (N,) → (1, N, 1), (M, N) → (M, N, 1).

    >>> atleast_3d(np.ones(2)).shape
    (1, 2, 1)
    """
    nd = ndim(x)
    if nd == 0:
        return B.reshape(x, shape=(1, 1, 1))
    if nd == 1:
        return B.reshape(x, shape=(1, shape(x)[0], 1))
    if nd == 2:
        return B.reshape(x, shape=tuple(shape(x)) + (1,))
    return x


@export()
@owned_result
def fliplr(x):
    """Reverse the columns.

    >>> fliplr(np.array([[1.0, 2.0]]))
    array([[2., 1.]])
    """
    return S.flip(x, axis=1)


@export()
@owned_result
def flipud(x):
    """Reverse the rows.

    >>> flipud(np.array([[1.0], [2.0]]))
    array([[2.],
           [1.]])
    """
    return S.flip(x, axis=0)


@export()
@owned_result
def rot90(m, k=1, axes=(0, 1)):
    """Rotate by 90° k times in the plane of ``axes`` (numpy.rot90).

    >>> rot90(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([[2., 4.],
           [1., 3.]])
    """
    k %= 4
    if k == 0:
        return m
    if k == 2:
        return S.flip(S.flip(m, axis=axes[0]), axis=axes[1])
    perm = list(range(ndim(m)))
    a0, a1 = axes[0] % ndim(m), axes[1] % ndim(m)
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return B.transpose(S.flip(m, axis=a1), axes=tuple(perm))
    return S.flip(B.transpose(m, axes=tuple(perm)), axis=a1)


@export()
def rollaxis(a, axis, start=0):
    """numpy.rollaxis: move ``axis`` back until it lies before ``start``.

    >>> rollaxis(np.ones((2, 3, 4)), 2).shape
    (4, 2, 3)
    """
    n = ndim(a)
    axis %= n
    if start < 0:
        start += n
    if axis < start:
        start -= 1
    if axis == start:
        return a
    axes = list(range(n))
    axes.remove(axis)
    axes.insert(start, axis)
    return B.transpose(a, axes=tuple(axes))


@export()
def select(condlist, choicelist, default=0):
    """numpy.select: the first choice whose condition holds, else ``default``.

    >>> select([np.array([True, False]), np.array([True, True])], [np.ones(2), 2 * np.ones(2)])
    array([1., 2.])
    """
    result = default
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        result = E.where(cond, choice, result)
    return result


@export()
def compress(condition, a, axis=None):
    """numpy.compress with a constant ``condition``; differentiable in ``a``.

    >>> compress([True, False, True], np.array([1.0, 2.0, 3.0]))
    array([1., 3.])
    """
    # (read as data, "value": jit guards the whole condition; a "subscript" stand-in would
    # guard only its shape, and a replay would select the entries of the first call)
    labelled = np.compress(np.asarray(concrete_value(condition, "value")), _labels(a),
                           axis=axis)
    return _gather_like([a], labelled)


@export()
def choose(a, choices, mode="raise"):
    """numpy.choose with constant indices ``a``; differentiable in the ``choices``
    (NumPy's broadcasting and ``mode`` decide which entry of which choice is taken).

    >>> choose(np.array([1, 0]), [np.array([1.0, 2.0]), np.array([10.0, 20.0])])
    array([10.,  2.])
    """
    # Python numbers among the choices are weak, as in NumPy: they take the arrays' dtype
    scalar = (int, float, complex, bool)
    dt = np.result_type(*[c if type(c) in scalar else dtype(c) for c in choices]) \
        if len(choices) else None
    parts, labels, start = [], [], 0
    for c in choices:
        parts.append(np.asarray(c, dtype=dt) if type(c) in scalar else c)
        labels.append(_labels(c, start))
        start += labels[-1].size
    # (the indices are read as data here, "value": jit guards them whole; a "subscript"
    # stand-in guards only their shape, and a replay would pick the first call's entries)
    index = np.asarray(concrete_value(a, "value"))
    if not parts:
        return np.choose(index, choices, mode=mode)
    labelled = np.choose(index, labels, mode=mode)
    return _gather_like(parts, labelled)


@export()
def partition(a, kth, axis=-1):
    """numpy.partition; the derivative follows each element to its place (as for sort).

    >>> float(partition(np.array([3.0, 1.0, 2.0]), 1)[1])
    2.0
    """
    if axis is None:
        a, axis = C.ravel(a), 0
    order = X.argpartition(a, kth=kth, axis=axis)
    return S.take_along(a, order, axis=axis % ndim(a))


@export()
def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-vectors (or 2-vectors: the z component) along the last axis.

    >>> cross(np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0]))
    array([0., 0., 1.])
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    a = C.moveaxis(a, axisa, -1)
    b = C.moveaxis(b, axisb, -1)
    na, nb = shape(a)[-1], shape(b)[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError("incompatible dimensions for cross product (dimension must be 2 or 3)")

    def comp(x, i, n):
        if i < n:
            return B.getitem(x, index=(Ellipsis, i))
        return 0.0
    a0, a1, a2 = (comp(a, i, na) for i in range(3))
    b0, b1, b2 = (comp(b, i, nb) for i in range(3))
    z = a0 * b1 - a1 * b0
    if na == 2 and nb == 2:
        return z
    x = a1 * b2 - a2 * b1
    y = a2 * b0 - a0 * b2
    bs = np.broadcast_shapes(shape(a)[:-1], shape(b)[:-1])
    parts = [C.broadcast_to(v, bs) for v in (x, y, z)]
    return C.moveaxis(C.stack(parts, axis=-1), -1, axisc)


# ---- r_ and c_: NumPy's index tricks, with traced entries ----------------------------------
def _directive(item, axis, ndmin, trans1d):
    """(axis, ndmin, trans1d) from an entry such as '1', '0,2' or '1,2,0', as NumPy reads it."""
    if "," in item:
        vec = item.split(",")
        try:
            axis, ndmin = [int(x) for x in vec[:2]]
            if len(vec) == 3:
                trans1d = int(vec[2])
            return axis, ndmin, trans1d
        except Exception as e:
            raise ValueError(f"unknown special directive {item!r}") from e
    try:
        return int(item), ndmin, trans1d
    except (ValueError, TypeError) as e:
        raise ValueError("unknown special directive") from e


def _bmat(text, first, then):
    """numpy.bmat's string form ('a, b; c, d': names of arrays, rows split by ';'), each name
    looked up in ``first``, then in ``then``; with a traced block, a 2-d array with the
    matrix's values."""
    blocks = []
    for row in text.split(";"):
        found = []
        for name in (n.strip() for part in row.split(",") for n in part.split()):
            if name in first:
                found.append(first[name])
            elif name in then:
                found.append(then[name])
            else:
                raise NameError(f"name {name!r} is not defined")
        blocks.append(found)
    if not any(_holds_tracer(b) for row in blocks for b in row):
        return np.bmat(text, first, then)
    # a nested list with traced entries is an array, as NumPy's concatenate reads it
    blocks = [[C.array(b) if isinstance(b, (list, tuple)) else b for b in row] for row in blocks]
    # NumPy's order: each row's blocks along the last axis, the rows along the first, and
    # then numpy.matrix's shape (a 1-d result is one row).
    res = C.concatenate([C.concatenate(row, axis=-1) for row in blocks], axis=0)
    return _matrix_values(res)


def _matrix_values(res, col=False):
    """numpy.matrix's shape for ``res``: 2-d kept; more axes lose those of length 1 (an error
    if more than two remain); fewer make a row, a column for c_'s 'c' on a 1-d result."""
    nd = ndim(res)
    if nd == 2:
        return res
    if nd > 2:
        big = tuple(n for n in shape(res) if n > 1)
        if len(big) > 2:
            raise ValueError("shape too large to be a matrix.")
        return B.reshape(res, shape=big if len(big) == 2 else (1, -1))
    res = B.reshape(res, shape=(1, -1))
    return B.transpose(res, axes=(1, 0)) if col and nd == 1 else res


def _holds_tracer(item):
    if isinstance(item, (list, tuple)):
        return any(_holds_tracer(x) for x in item)
    return isinstance(item, Tracer)


class _AxisConcatenator:
    """NumPy's ``AxisConcatenator`` (``r_``, ``c_``) for traced entries: each entry becomes an
    array of at least ``ndmin`` dimensions and they are concatenated, so the result is
    differentiable in every traced entry. Slices are NumPy's (an arange, or a linspace for a
    complex step: constants); a leading string gives the axis, ``ndmin`` and ``trans1d`` as in
    NumPy, or 'r'/'c' for a row/column matrix. Without a traced entry, NumPy's own object answers.
    """

    def __init__(self, np_obj, axis, ndmin, trans1d, name):
        self._np, self.axis, self.ndmin, self.trans1d = np_obj, axis, ndmin, trans1d
        self.__name__ = name

    def __len__(self):
        return 0

    def __getitem__(self, key):
        if isinstance(key, str):   # NumPy's bmat syntax: names looked up in the caller's frame
            frame = sys._getframe(1)
            # NumPy's r_ hands bmat the globals as the dictionary searched first.
            return _bmat(key, frame.f_globals, frame.f_locals)
        items = key if isinstance(key, tuple) else (key,)
        if not any(_holds_tracer(it) for it in items):
            return self._np[key]
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        matrix = col = False
        objs, kinds = [], []   # kinds: the scalar itself (weak in result_type) or a dtype
        for k, item in enumerate(items):
            if isinstance(item, str):
                if k != 0:
                    raise ValueError("special directives must be the first entry.")
                if item in ("r", "c"):
                    matrix, col = True, item == "c"
                else:
                    axis, ndmin, trans1d = _directive(item, axis, ndmin, trans1d)
                continue
            if isinstance(item, slice):
                new = np.r_[item]
                if ndmin > 1:
                    new = np.array(new, ndmin=ndmin)
                    if trans1d != -1:
                        new = new.swapaxes(-1, trans1d)
                kinds.append(new.dtype)
            elif type(item) in np.ScalarType:
                new = item
                kinds.append(item)
            else:
                if isinstance(item, (list, tuple)):   # a nested list with traced entries
                    item = C.array(item)
                new = self._at_least(item, ndmin, trans1d)
                kinds.append(result_type(lower(new)))
            objs.append(new)
        final = np.result_type(*kinds)
        objs = [self._cast(o, final, ndmin) for o in objs]
        res = C.concatenate(objs, axis=axis)
        if matrix:   # numpy.matrix's values as a 2-d array: chainrule traces arrays only
            res = _matrix_values(res, col)
        return res

    @staticmethod
    def _cast(obj, final, ndmin):
        if isinstance(obj, Tracer):
            return obj if result_type(lower(obj)) == final else E.astype(obj, dtype=final)
        return np.array(obj, ndmin=ndmin, dtype=final)

    @staticmethod
    def _at_least(item, ndmin, trans1d):
        nd = ndim(item)
        if nd >= ndmin:
            return item
        new = B.reshape(item, shape=(1,) * (ndmin - nd) + tuple(shape(item)))
        if trans1d != -1:
            k2, k1 = ndmin - nd, trans1d
            if k1 < 0:
                k1 += k2 + 1
            defaxes = list(range(ndmin))
            new = B.transpose(new, axes=tuple(defaxes[:k1] + defaxes[k2:] + defaxes[k1:k2]))
        return new


r_ = _AxisConcatenator(np.r_, 0, 1, -1, "r_")
r_.__doc__ = """numpy.r_: concatenate entries along the first axis; differentiable in traced entries.

>>> import chainrule as cr
>>> cr.grad(lambda x: (r_[x, 0.0, 2.0 * x] ** 2).sum())(np.array([1.0, 2.0]))
array([10., 20.])
>>> r_[0:3]
array([0, 1, 2])

A leading 'r' or 'c' (and the string form ``r_['a, b; c, d']``) builds a ``numpy.matrix`` in
NumPy; with traced entries the result is a 2-d array with the matrix's values (chainrule
traces arrays, not matrices: ``*`` stays elementwise, ``@`` is the matrix product).

>>> cr.jvp(lambda x: r_['c', x, 2.0], (np.array([1.0]),), (np.array([1.0]),))
(array([[1.],
       [2.]]), array([[1.],
       [0.]]))
"""
c_ = _AxisConcatenator(np.c_, -1, 2, 0, "c_")
c_.__doc__ = """numpy.c_: stack 1-d entries as columns (concatenate along the last axis, at
least 2-d); differentiable in traced entries.

>>> import chainrule as cr
>>> cr.jacobian(lambda x: c_[x, 3.0 * x])(np.array([1.0, 2.0])).shape
(2, 2, 2)
"""
registry.add(registry.NUMPY, "r_", registry.COMPOSITE, r_)
registry.add(registry.NUMPY, "c_", registry.COMPOSITE, c_)


# ---- what programs moved from NumPy asked for: stacks, broadcasting, ranges, polynomials -----
@export()
def dstack(tup):
    """numpy.dstack: stack along a third axis (1-D and 2-D arrays made 3-D first).

    >>> dstack([np.ones(2), np.zeros(2)]).shape
    (1, 2, 2)
    """
    return C.concatenate([atleast_3d(C.asarray(a)) for a in tup], axis=2)


def _block_labels(arrays, parts):
    """NumPy's block structure with each array replaced by its integer labels."""
    if isinstance(arrays, list):
        return [_block_labels(a, parts) for a in arrays]
    if isinstance(arrays, tuple):   # NumPy refuses tuples in block: let it say so
        return arrays
    x = C.asarray(arrays)
    start = sum(int(np.prod(shape(p))) for p in parts)
    parts.append(x)
    return _labels(x, start)


@export()
def block(arrays):
    """numpy.block: assemble an array from nested lists of blocks. The layout is NumPy's own,
    computed on integer labels; the values are gathered, so every block is differentiable.

    >>> import chainrule as cr
    >>> block([[np.eye(2), np.zeros((2, 1))], [np.ones((1, 2)), 3.0]])
    array([[1., 0., 0.],
           [0., 1., 0.],
           [1., 1., 3.]])
    >>> cr.grad(lambda a: block([[a, a], [a, 2 * a]]).sum())(np.ones((1, 1)))
    array([[5.]])
    """
    parts = []
    labelled = np.block(_block_labels(arrays, parts))
    if not parts:
        return labelled.astype(float)
    out = _gather_like(parts, labelled)
    return out


@export()
@owned_result
def broadcast_arrays(*args, subok=False):
    """numpy.broadcast_arrays: the arguments broadcast against each other (a tuple, as
    NumPy 2 returns); the derivative of each is summed back over its broadcast axes.

    >>> [a.shape for a in broadcast_arrays(np.ones((2, 1)), np.ones(3))]
    [(2, 3), (2, 3)]
    """
    arrays = [C.asarray(a) for a in args]
    target = np.broadcast_shapes(*(shape(a) for a in arrays))
    return tuple(a if shape(a) == target else B.broadcast_to(a, shape=target) for a in arrays)


@export()
def ptp(a, axis=None, out=None, keepdims=False):
    """numpy.ptp: max − min along ``axis`` (the derivative is the max's minus the min's).

    >>> ptp(np.array([[1.0, 5.0], [2.0, 3.0]]), axis=1)
    array([4., 1.])
    """
    if out is not None:
        raise TypeError("ptp: out= is not supported under chainrule's transforms; assign the "
                        "result instead")
    maximum = registry.lookup(registry.NUMPY, "max").obj
    minimum = registry.lookup(registry.NUMPY, "min").obj
    return maximum(a, axis=axis, keepdims=keepdims) - minimum(a, axis=axis, keepdims=keepdims)


@export()
def vander(x, N=None, increasing=False):
    """numpy.vander: columns x^(N−1), …, x, 1 (or increasing powers), by successive products
    as NumPy computes them (so the same bits, and no x⁰ = x·x⁻¹ at x = 0 in the derivative).

    >>> vander(np.array([1.0, 2.0, 3.0]), 3)
    array([[1., 1., 1.],
           [4., 2., 1.],
           [9., 3., 1.]])
    """
    x = C.asarray(x)
    if ndim(x) != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    n = shape(x)[0] if N is None else int(N)
    out_dtype = np.result_type(dtype(x), int)
    if n == 0:
        return np.zeros((shape(x)[0], 0), dtype=out_dtype)
    columns = [np.ones(shape(x), dtype=out_dtype)]
    for _ in range(n - 1):
        columns.append(x if len(columns) == 1 else E.multiply(columns[-1], x))
    if not increasing:
        columns = columns[::-1]
    return C.stack(columns, axis=1)


def _dtype_probe(v):
    """A 0-d stand-in with ``v``'s dtype (a Python scalar as itself, weak in NumPy 2)."""
    return v if type(v) in (bool, int, float, complex) else np.zeros((), dtype=dtype(v))


@export()
def heaviside(x1, x2):
    """numpy.heaviside: 0 for x1 < 0, x2 where x1 == 0, 1 for x1 > 0, nan for a nan x1. The
    derivative is 0 in x1 and, where x1 == 0, 1 in x2.

    >>> heaviside(np.array([-1.0, 0.0, 2.0]), 0.5)
    array([0. , 0.5, 1. ])
    """
    # NumPy's own type resolution on 0-d stand-ins: heaviside has float loops only (integer
    # inputs give float64), a Python scalar is weak (float32 with 0.5 stays float32), and
    # complex inputs raise NumPy's TypeError.
    out_dtype = np.heaviside(_dtype_probe(x1), _dtype_probe(x2)).dtype
    x1, x2 = C.asarray(x1), C.asarray(x2)
    steps = E.where(E.less(x1, 0), 0.0, E.where(E.greater(x1, 0), 1.0, x2))
    steps = E.where(E.isnan(x1), x1, steps)
    return steps if dtype(steps) == out_dtype else E.astype(steps, dtype=out_dtype)
