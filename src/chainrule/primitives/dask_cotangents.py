"""Cotangents of Dask arrays without passes the rules would make for nothing.

Two forms that the derivative rules produce on Dask arrays are recognised, so that the
work they describe is done once, inside the task that needs it:

* a **uniform** cotangent, one value broadcast (a sum's, a mean's: the seed's 1 expanded
  to the summed array's chunks). It is kept as that value: a product or quotient with a
  number, a negation, a sum of two such are computed on the value (one element, one tiny
  task) and broadcast again, where Dask would write a new array (``100 * ones``). Every
  element is the same arithmetic on the same two numbers, so the bits are those of the
  array operation.
* a **scaled factor** in a NaN-safe product, ``nan_safe_multiply(g, c * u)`` with a number
  ``c`` (the ``2 * x`` of ``x ** 2``'s derivative) and ``g`` perhaps a negation ``-w``
  (a difference's cotangent): one task per block computes ``u * c`` (the sign of ``g``
  folded into ``c``, an exact negation) and multiplies ``g`` into it in place, where the
  rules' graph writes ``c * u``, ``-w`` and the product as three arrays. Real floats
  only: their products are exactly rounded and commute, so the bits are the same.

Imports nothing of chainrule but :mod:`chainrule.primitives.arrays`; NumPy values never
reach it.
"""

import operator

import numpy as np

from .arrays import by_blocks, plain_lazy, negation_of, lazy_subclass

__all__ = ["uniform_broadcast", "uniform_value", "nan_safe_product"]

_uniform = {}  # Dask's Array class -> its subclass that remembers its one value


def uniform_broadcast(v, shape, chunks):
    """``v`` (a 0-d array or a number) broadcast to ``shape``, chunked as ``chunks``: a
    Dask array that keeps ``v`` for the arithmetic of :func:`uniform_value`."""
    import dask.array as da
    b = da.broadcast_to(v, tuple(shape), chunks=chunks)
    if b.dtype.kind != "f":
        return b
    base = type(b)
    cls = _uniform.get(base)
    if cls is None:
        cls = _uniform[base] = lazy_subclass(base, "UniformCotangent", dict(
            {name: _operator(fn, swap) for name, (fn, swap) in _OPERATORS.items()},
            __array_ufunc__=_array_ufunc))
    out = cls(b.dask, b.name, b.chunks, meta=b._meta)
    out._uniform = v
    out._uniform_name = b.name  # an item assignment (g[0] = 0) renames it: then no longer
    return out


def uniform_value(x):
    """The value that the Dask array ``x`` broadcasts, when it was made by
    :func:`uniform_broadcast` and not written into since; else None."""
    if type(x) in _uniform.values() and x.name == x._uniform_name:
        return x._uniform
    return None


def _is_number(c):
    # A real number as an operand of the value (bool excluded: NumPy's True * x is x * 1,
    # but a bool has no float arithmetic of its own to reproduce)
    if type(c) in (int, float):
        return True
    if isinstance(c, (np.generic, np.ndarray)) and np.ndim(c) == 0:
        return c.dtype.kind in "iuf"
    return False


def _uniform_result(fn, operands):
    # ``fn`` of the operands computed on the uniform ones' values and broadcast again, or
    # None when an operand is neither a number nor a uniform array of the first one's
    # chunks, or the value's dtype is not the one Dask gives the array operation
    first = next((o for o in operands if uniform_value(o) is not None), None)
    if first is None:
        return None
    values = []
    for o in operands:
        v = uniform_value(o)
        if v is not None:
            if o.chunks != first.chunks:
                return None
            values.append(v)
        elif _is_number(o):
            values.append(o)
        else:
            return None
    dt = np.result_type(*[o.dtype if hasattr(o, "chunks") else o for o in operands])
    r = fn(*values)
    if dt.kind != "f" or (r.dtype if hasattr(r, "dtype") else np.result_type(r)) != dt:
        return None
    return uniform_broadcast(r, first.shape, first.chunks)


def _operator(fn, swap):
    def op(self, *other):
        args = (other[0], self) if swap else (self,) + other
        r = _uniform_result(fn, args) if uniform_value(self) is not None else None
        if r is not None:
            return r
        plain = plain_lazy(self)
        return fn(*((other[0], plain) if swap else (plain,) + other))
    op.__name__ = op.__qualname__ = f"uniform_{fn.__name__}"
    return op


_OPERATORS = {"__mul__": (operator.mul, False), "__rmul__": (operator.mul, True),
              "__truediv__": (operator.truediv, False), "__rtruediv__": (operator.truediv, True),
              "__neg__": (operator.neg, False),
              "__add__": (operator.add, False), "__radd__": (operator.add, True),
              "__sub__": (operator.sub, False), "__rsub__": (operator.sub, True)}
_UFUNCS = frozenset({np.multiply, np.true_divide, np.negative, np.add, np.subtract})


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    # np.multiply(g, c), np.negative(g) (the rules' primitives on Dask arrays)
    if method == "__call__" and not kwargs and ufunc in _UFUNCS:
        r = _uniform_result(ufunc, inputs)
        if r is not None:
            return r
    plain = plain_lazy(self)
    inputs = tuple(plain if i is self else plain_lazy(i) for i in inputs)
    return type(plain).__array_ufunc__(plain, ufunc, method, *inputs, **kwargs)


# ---- NaN-safe products with a scaled factor ----------------------------------------------
def _scaled_of(x):
    """(``u``, ``c``) when the Dask array ``x`` is ``c * u`` (or ``u * c``) computed block
    by block with a real number ``c`` and ``u`` of ``x``'s blocks; else None. Read from
    the last layer of ``x``'s graph."""
    try:
        from dask.blockwise import Blockwise
        layer = x.dask.layers[x.name]
        task = layer.task
        if not (isinstance(layer, Blockwise) and task.func in (operator.mul, np.multiply)
                and len(task.args) == 2 and not task.kwargs and len(layer.indices) == 2
                and not layer.new_axes and not layer.concatenate):
            return None
        arrays = [(s, i) for s, i in layer.indices if i is not None]
        numbers = [s for s, i in layer.indices if i is None]
        # (a Python number only: it does not change u's dtype, a float32 stays one, so
        # x's dtype describes u too)
        if len(arrays) != 1 or len(numbers) != 1 or type(numbers[0]) not in (int, float):
            return None
        ((source, index),) = arrays
        if tuple(index) != tuple(layer.output_indices) or \
                tuple(layer.numblocks[source]) != tuple(x.numblocks) or \
                source not in x.dask.layers:
            return None
        u = type(plain_lazy(x))(x.dask, source, x.chunks, meta=x._meta)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    return u, numbers[0]


def nan_safe_product(a, b, block, scaled_block):
    """``nan_safe_multiply(a, b)`` where an operand is a Dask array: ``scaled_block(g, u,
    c)`` block by block when one factor is ``c * u`` (see the module's docstring), the
    other ``g`` or ``-g``; else ``block(a, b)`` block by block."""
    dt = np.result_type(*[x.dtype if hasattr(x, "chunks") else x for x in (a, b)])
    if dt.kind == "f":
        for g, f in ((a, b), (b, a)):
            scaled = _scaled_of(f) if hasattr(f, "chunks") else None
            if scaled is None or not hasattr(g, "chunks") or g.dtype.kind != "f":
                continue
            (u, c) = scaled
            v = uniform_value(g)
            if v is not None and hasattr(v, "chunks") and g.shape == f.shape:
                g = v  # one value: each task takes it whole (no broadcast blocks to send)
            else:
                g, negated = negation_of(g)
                c = -c if negated else c
            r = by_blocks(scaled_block, g, u, c)
            if r.dtype == dt and _same_shape(r.shape, a.shape, b.shape):
                return r
    return by_blocks(block, a, b)


def _same_shape(shape, *shapes):
    # ``shape`` is the broadcast shape of ``shapes``, all known (a length Dask learns only
    # by computing, nan, compares unequal: then the product is left as it was)
    try:
        return shape == np.broadcast_shapes(*shapes)
    except (TypeError, ValueError):
        return False
