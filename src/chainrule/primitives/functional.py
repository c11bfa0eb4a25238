"""NumPy's functions that call the user's function: ``apply_along_axis``,
``apply_over_axes``, ``vectorize``, ``fromfunction``, ``piecewise``.

Each calls the Python function on traced slices (or elements) and assembles the results
with the primitives, so grad, jvp, vmap and jit see through them; the cost is one Python
call per slice or element, as in NumPy (``vectorize`` is a loop there too). Where the
function is elementwise already, calling it on the whole array is much faster.

>>> import chainrule as cr
>>> cr.grad(lambda x: apply_along_axis(lambda r: r[0] * r[1], 1, x).sum())(np.ones((2, 2)))
array([[1., 1.],
       [1., 1.]])
"""

import re

import numpy as np

from ..core.primitive import Tracer
from .declare import export
from .util import shape, ndim, lower, result_type
from . import basic as B
from . import elementwise as E
from . import structural as S
from . import composites as C


def _as_array(x):
    return C.array(x) if isinstance(x, (list, tuple)) else x


def _index_shape(r):
    return shape(r) if isinstance(r, Tracer) or hasattr(r, "shape") else np.shape(r)


@export()
def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """``func1d`` applied to the 1-D slices of ``arr`` along ``axis`` (numpy.apply_along_axis):
    one Python call per slice, the results stacked where the axis was.

    >>> apply_along_axis(lambda v: v[::-1], 0, np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([[3., 4.],
           [1., 2.]])
    """
    arr = _as_array(arr)
    nd = ndim(arr)
    axis = int(axis)
    if not -nd <= axis < nd:
        raise np.exceptions.AxisError(axis, nd)
    axis %= nd
    moved = C.moveaxis(arr, axis, -1)
    outer = shape(moved)[:-1]
    if any(n == 0 for n in outer):
        raise ValueError("Cannot apply_along_axis when any iteration dimensions are 0")
    results = [func1d(moved[idx], *args, **kwargs) for idx in np.ndindex(*outer)]
    results = [_as_array(r) for r in results]
    res_shape = _index_shape(results[0])
    buff = C.reshape(C.stack(results), tuple(outer) + tuple(res_shape))
    k = len(res_shape)
    # the result's own axes go where ``axis`` was (NumPy's buff_permute)
    perm = (tuple(range(axis)) + tuple(range(buff_nd := len(outer) + k)[len(outer):])
            + tuple(range(axis, len(outer))))
    return C.handed_out(C.transpose(buff, perm) if buff_nd else buff, None)


@export()
def apply_over_axes(func, a, axes):
    """``func(a, axis)`` applied over each of ``axes`` in turn, the dimension kept
    (numpy.apply_over_axes).

    >>> apply_over_axes(lambda x, axis: x.sum(axis), np.ones((2, 3)), [0, 1])
    array([[6.]])
    """
    val = _as_array(a)
    n = ndim(val)
    if np.ndim(axes) == 0:
        axes = (axes,)
    for axis in axes:
        if axis < 0:
            axis = n + axis
        res = func(val, axis)
        if ndim(res) == ndim(val):
            val = res
        else:
            res = C.expand_dims(res, axis)
            if ndim(res) == ndim(val):
                val = res
            else:
                raise ValueError("function is not returning an array of the correct shape")
    return val


@export()
def fromfunction(function, shape, *, dtype=float, like=None, **kwargs):
    """``function`` called once on the index grids of ``shape`` (numpy.fromfunction); the
    function may use traced values it closes over.

    >>> fromfunction(lambda i, j: i + 10 * j, (2, 2))
    array([[ 0., 10.],
           [ 1., 11.]])
    """
    if like is not None:
        raise TypeError("fromfunction: like= is not supported")
    return function(*np.indices(shape, dtype=dtype), **kwargs)


def _cond_list(x, condlist):
    if isinstance(condlist, (np.ndarray, Tracer)):
        # (a traced 0-d condition is NumPy's bool scalar; a traced one's [0] is a Tracer
        # where NumPy's would be a scalar; a 2-D array is a list of conditions, its rows)
        if ndim(condlist) == 0 or (ndim(condlist) == 1 and ndim(x)):
            return [condlist]
        return list(condlist)
    if np.isscalar(condlist) or (not isinstance(condlist[0], (list, np.ndarray, Tracer))
                                 and ndim(x) != 0):
        return [condlist]
    return list(condlist)


def _in(v, dt):
    v = _as_array(v)
    if isinstance(v, Tracer):
        return v if result_type(lower(v)) == dt else E.astype(v, dtype=dt)
    return np.asarray(v).astype(dt)


@export()
def piecewise(x, condlist, funclist, *args, **kw):
    """numpy.piecewise: ``funclist[i]`` (a function or a constant) where ``condlist[i]``
    holds, the last condition winning; one extra function is the default. As in NumPy each
    function sees only its entries (a traced condition, under vmap, has it see every entry
    and the results selected with where).

    >>> piecewise(np.array([-1.0, 2.0]), [np.array([True, False])], [lambda v: -v, lambda v: v * v])
    array([1., 4.])
    """
    x = _as_array(x)
    if not isinstance(x, Tracer):
        x = np.asarray(x)  # (a Python number is indexed below)
    dt = result_type(lower(x))
    conds = _cond_list(x, condlist)
    n = len(conds)
    if n + 1 == len(funclist):
        others = conds[0]
        for c in conds[1:]:
            others = E.logical_or(others, c)
        conds.append(E.logical_not(others))
    elif n != len(funclist):
        raise ValueError(f"with {n} condition(s), either {n} or {n + 1} functions are expected")
    y = np.zeros(shape(x), dtype=dt)
    for cond, func in zip(conds, funclist):
        if 0 < ndim(cond) < ndim(x):  # NumPy's y[cond]: a mask of x's leading axes
            cond = B.reshape(cond, shape=shape(cond) + (1,) * (ndim(x) - ndim(cond))) \
                if isinstance(cond, Tracer) else \
                np.reshape(cond, np.shape(cond) + (1,) * (ndim(x) - np.ndim(cond)))
        if isinstance(cond, Tracer):  # under vmap: the function sees every entry
            cond = B.broadcast_to(cond, shape=shape(x))
            y = E.where(cond, _in(func(x, *args, **kw) if callable(func) else func, dt), y)
            continue
        cond = np.broadcast_to(np.asarray(cond, dtype=bool), shape(x))
        if not np.any(cond):
            continue
        if callable(func):
            vals = _in(func(x[cond], *args, **kw), dt)
        else:
            vals = _in(func, dt)
        count = int(np.count_nonzero(cond))
        if ndim(vals) == 0 or shape(vals) != (count,):
            vals = B.broadcast_to(vals, shape=(count,))
        y = S.scatter_set(y, vals, index=(cond,))
    return C.handed_out(y, None)


_SIGNATURE = re.compile(r"^\s*(\(\s*\w*(?:\s*,\s*\w+)*\s*\)(?:\s*,\s*\(\s*\w*(?:\s*,\s*\w+)*"
                        r"\s*\))*)\s*->\s*(\(\s*\w*(?:\s*,\s*\w+)*\s*\)(?:\s*,\s*\(\s*\w*"
                        r"(?:\s*,\s*\w+)*\s*\))*)\s*$")
_CORE = re.compile(r"\(([^)]*)\)")


def _parse_signature(signature):
    m = _SIGNATURE.match(signature)
    if not m:
        raise ValueError(f"vectorize: not a valid gufunc signature: {signature!r}")

    def dims(part):
        return [tuple(d.strip() for d in c.split(",") if d.strip()) for c in _CORE.findall(part)]
    return dims(m.group(1)), dims(m.group(2))


def _broadcast_shape(arrays):
    return np.broadcast_shapes(*[shape(a) for a in arrays])


def _assemble(results, loop, otypes):
    """One array per output of the calls (in ``np.ndindex(loop)`` order), shaped loop + the
    output's own shape; without ``otypes`` in the dtype of the first call's output, as NumPy."""
    single = not isinstance(results[0], tuple)
    per_output = [[r] for r in results] if single else [list(r) for r in results]
    outs = []
    for k in range(len(per_output[0])):
        parts = [_as_array(r[k]) for r in per_output]
        if any(p is None for p in parts):  # NumPy's object array of None holds no derivative
            raise TypeError("vectorize: the function returned None (a missing return?) on "
                            "traced values; return a number or an array")
        dt = np.dtype(otypes[k]) if otypes else result_type(lower(parts[0]))
        stacked = C.stack(parts)
        if result_type(lower(stacked)) != dt:
            stacked = C.astype(stacked, dt)
        outs.append(C.reshape(stacked, tuple(loop) + tuple(shape(parts[0]))))
    return outs[0] if single else tuple(outs)


@export()
class vectorize:
    """numpy.vectorize for traced values: the Python function is called once per element
    (or, with ``signature=``, once per core slice) on traced scalars, and the results are
    stacked, so grad, jvp, vmap and jit see through it. Its cost is one Python call and a
    few primitive operations per element (about 0.2 ms per element under grad): a function
    written with chainrule.numpy on whole arrays (``cnp.where`` for a branch) is much faster.
    On plain inputs (and plain results) it is NumPy's own vectorize.
    ``excluded``, ``otypes`` and the decorator form ``@vectorize(otypes=...)`` are NumPy's.

    >>> import chainrule as cr
    >>> f = vectorize(lambda a, b: a * b if a > 0 else b)
    >>> f(np.array([-1.0, 2.0]), 3.0)
    array([3., 6.])
    >>> cr.grad(lambda a: f(a, 3.0).sum())(np.array([-1.0, 2.0]))
    array([0., 3.])
    >>> vectorize(lambda v: v.sum(), signature="(n)->()")(np.ones((2, 3)))
    array([3., 3.])
    """

    def __init__(self, pyfunc=np._NoValue, otypes=None, doc=None, excluded=None, cache=False,
                 signature=None):
        self.pyfunc = None if pyfunc is np._NoValue else pyfunc
        if isinstance(otypes, str):
            otypes = list(otypes)
        self.otypes = None if otypes is None else [np.dtype(t) for t in otypes]
        self.excluded = set(excluded or ())
        self.signature = signature
        self._dims = None if signature is None else _parse_signature(signature)
        self.__doc__ = doc if doc is not None else getattr(self.pyfunc, "__doc__", None) or \
            type(self).__doc__

    def __call__(self, *args, **kwargs):
        if self.pyfunc is None:  # @vectorize(otypes=...): the function comes now
            (fn,) = args
            self.pyfunc = fn
            return self
        inds = [i for i in range(len(args)) if i not in self.excluded]
        names = [n for n in kwargs if n not in self.excluded]
        vargs = [_as_array(args[i]) for i in inds] + [_as_array(kwargs[n]) for n in names]

        def func(*v):
            the_args = list(args)
            for j, i in enumerate(inds):
                the_args[i] = v[j]
            kw = dict(kwargs, **dict(zip(names, v[len(inds):])))
            return self.pyfunc(*the_args, **kw)

        if not any(isinstance(v, Tracer) for v in vargs) and self._plain_results(func, vargs):
            # nothing traced in or out: NumPy's own vectorize (its speed, its semantics)
            return np.vectorize(self.pyfunc, otypes=self.otypes, excluded=self.excluded,
                                signature=self.signature)(*args, **kwargs)
        if self._dims is not None:
            return self._call_with_signature(func, vargs)
        loop = _broadcast_shape(vargs)
        if 0 in loop:
            if not self.otypes:
                raise ValueError("cannot call `vectorize` on size 0 inputs unless `otypes` is "
                                 "set")
            return tuple(np.empty(loop, t) for t in self.otypes) if len(self.otypes) > 1 \
                else np.empty(loop, self.otypes[0])
        full = [B.broadcast_to(a, shape=loop) if isinstance(a, Tracer)
                else np.broadcast_to(a, loop) for a in vargs]
        results = [func(*(a[idx] for a in full)) for idx in np.ndindex(*loop)]
        return _assemble(results, loop, self.otypes)

    def _plain_results(self, func, vargs):
        """Whether the function, called on the first element (core slice), returns plain
        values: it may close over traced ones, and then NumPy's vectorize cannot hold them."""
        if self._dims is not None:
            ks = [len(core) for core in self._dims[0]]
            if len(ks) != len(vargs) or any(np.ndim(v) < k for v, k in zip(vargs, ks)):
                return False
            loop = np.broadcast_shapes(*[np.shape(v)[:np.ndim(v) - k] for v, k in zip(vargs, ks)])
            first = [np.broadcast_to(v, loop + np.shape(v)[np.ndim(v) - k:])[(0,) * len(loop)]
                     for v, k in zip(vargs, ks)] if 0 not in loop else None
        else:
            loop = np.broadcast_shapes(*[np.shape(v) for v in vargs])
            first = [np.broadcast_to(v, loop)[(0,) * len(loop)] for v in vargs] \
                if 0 not in loop else None
        if first is None:
            return True
        out = func(*first)
        return not any(isinstance(o, Tracer) for o in (out if isinstance(out, tuple) else (out,)))

    def _call_with_signature(self, func, vargs):
        ins, outs = self._dims
        if len(vargs) != len(ins):
            raise TypeError(f"wrong number of positional arguments: expected {len(ins)}, got "
                            f"{len(vargs)}")
        sizes = {}
        loops = []
        for a, core in zip(vargs, ins):
            k = len(core)
            if ndim(a) < k:
                raise ValueError(f"input with shape {shape(a)} does not have enough dimensions "
                                 f"for all core dimensions {core}")
            for name, n in zip(core, shape(a)[ndim(a) - k:]):
                if sizes.setdefault(name, n) != n:
                    raise ValueError(f"inconsistent size for core dimension {name!r}: {n} vs "
                                     f"{sizes[name]}")
            loops.append(shape(a)[:ndim(a) - k])
        loop = np.broadcast_shapes(*loops)
        if 0 in loop:
            raise ValueError("vectorize with a signature on size-0 loop dimensions is not "
                             "supported on traced values")
        full = [B.broadcast_to(a, shape=tuple(loop) + tuple(shape(a)[len(lp):]))
                if isinstance(a, Tracer) else np.broadcast_to(a, tuple(loop) + shape(a)[len(lp):])
                for a, lp in zip(vargs, loops)]
        results = [func(*(a[idx] for a in full)) for idx in np.ndindex(*loop)]
        if len(outs) > 1 and not all(isinstance(r, tuple) and len(r) == len(outs)
                                     for r in results):
            raise ValueError(f"vectorize: the function must return {len(outs)} outputs, as the "
                             f"signature {self.signature!r} says")
        return _assemble(results, loop, self.otypes)
