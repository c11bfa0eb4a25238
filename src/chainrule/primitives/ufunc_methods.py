"""NumPy's ufunc methods on chainrule's binary ufuncs: ``logaddexp.reduce``, ``add.outer``,
``maximum.accumulate``, ``multiply.reduceat`` — as ``chainrule.numpy.logaddexp.reduce(x)`` and
as NumPy's own ``numpy.logaddexp.reduce(x)`` on a traced x (``tracer_methods`` routes it here).

Each is written with the ufunc itself and differentiable primitives, so its derivative comes
from theirs: a reduction NumPy has a name for uses it (``add.reduce`` is ``sum``,
``logaddexp.reduce`` is ``logsumexp``), any other folds the ufunc along the axis, pairwise and
in NumPy's order (``subtract.reduce([a, b, c])`` is ``(a − b) − c``). NumPy checks the
arguments first, on a zero array of the same shape, so a bad axis raises NumPy's own error.
``ufunc.at`` writes in place and raises, naming the functional form.
"""
import numpy as np

from ..core import registry
from ..core.primitive import Primitive, Tracer, InPlaceError, attach_method
from .util import shape, ndim, dtype

_NO_VALUE = np._NoValue

# Reductions NumPy has a function for, whose derivative rules are then used directly.
_REDUCTIONS = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min"}
_ACCUMULATIONS = {"add": "cumsum", "multiply": "cumprod"}


def _np(name):
    return registry.lookup(registry.NUMPY, name).obj


def _out_error(ufunc, method):
    return InPlaceError(
        f"numpy.{ufunc.__name__}.{method}(..., out=...) writes in place into an array, which "
        f"breaks the derivative of traced values; assign the result instead: "
        f"y = chainrule.numpy.{ufunc.__name__}.{method}(...)")


def _where_error(ufunc):
    return TypeError(
        f"numpy.{ufunc.__name__}.reduce(..., where=mask) is not supported for traced values; "
        f"mask first: chainrule.numpy.{ufunc.__name__}.reduce(chainrule.numpy.where(mask, x, "
        f"fill)) with fill the ufunc's identity.")


def _axes(axis, nd):
    if axis is None or nd == 0:  # (NumPy reduces a 0-d array over axis 0 to itself)
        return tuple(range(nd))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(int(a) % nd for a in axes)


def _fold(fn, x, axes, initial):
    """fn folded over the axes of x (moved to the front and flattened into one), in order."""
    rest = [a for a in range(ndim(x)) if a not in axes]
    x = _np("transpose")(x, axes + tuple(rest))
    n = int(np.prod([shape(x)[i] for i in range(len(axes))], dtype=int))
    x = _np("reshape")(x, (n,) + shape(x)[len(axes):])
    acc = initial
    for i in range(n):
        acc = x[i] if acc is _NO_VALUE else fn(acc, x[i])
    return acc


def reduce(fn, ufunc, array, axis=0, dtype_=None, out=None, keepdims=False,
           initial=_NO_VALUE, where=True):
    if out is not None:
        raise _out_error(ufunc, "reduce")
    if not (isinstance(where, (bool, np.bool_)) and where):   # (np.True_ is all too)
        raise _where_error(ufunc)
    x = _np("asarray")(array)
    if dtype_ is not None:
        x = _np("asarray")(x, dtype=dtype_)
    extra = {} if initial is _NO_VALUE else {"initial": initial}
    with np.errstate(all="ignore"):
        ref = ufunc.reduce(np.zeros(shape(x), dtype(x)), axis=axis, keepdims=keepdims, **extra)
    axes = _axes(axis, ndim(x))
    name = ufunc.__name__
    empty = any(shape(x)[a] == 0 for a in axes)
    if not empty and (name in _REDUCTIONS or name in ("logaddexp", "logaddexp2")):
        if name in _REDUCTIONS:
            y = _np(_REDUCTIONS[name])(x, axis=axes, keepdims=keepdims)
        else:
            # (a Python float: NumPy's float64 scalar would promote float32 x to float64)
            scale = 1.0 if name == "logaddexp" else float(np.log(2.0))
            logsumexp = registry.lookup(registry.SPECIAL, "logsumexp").obj
            y = logsumexp(x * scale, axis=axes, keepdims=keepdims) / scale
        return y if initial is _NO_VALUE else fn(y, initial)
    y = _fold(fn, x, axes, initial)
    rest = tuple(s for a, s in enumerate(shape(x)) if a not in axes)
    if y is _NO_VALUE:   # an empty reduction without initial: the ufunc's identity, in
        y = _np("asarray")(ufunc.identity, dtype=ref.dtype)   # NumPy's type (hypot's 0 is int)
    if tuple(shape(y)) != rest:
        y = _np("broadcast_to")(_np("asarray")(y, dtype=ref.dtype), rest)
    return _np("reshape")(y, np.shape(ref))


def accumulate(fn, ufunc, array, axis=0, dtype_=None, out=None):
    if out is not None:
        raise _out_error(ufunc, "accumulate")
    x = _np("asarray")(array)
    if dtype_ is not None:
        x = _np("asarray")(x, dtype=dtype_)
    with np.errstate(all="ignore"):
        ufunc.accumulate(np.zeros(shape(x), dtype(x)), axis=axis)   # NumPy's checks
    if ufunc.__name__ in _ACCUMULATIONS:
        return _np(_ACCUMULATIONS[ufunc.__name__])(x, axis=axis)
    x = _np("moveaxis")(x, axis, 0)
    partial = [x[0]] if shape(x)[0] else []
    for i in range(1, shape(x)[0]):
        partial.append(fn(partial[-1], x[i]))
    y = _np("stack")(partial) if partial else x
    return _np("moveaxis")(y, 0, axis)


def outer(fn, ufunc, a, b, out=None, dtype_=None):
    if out is not None:
        raise _out_error(ufunc, "outer")
    a, b = _np("asarray")(a), _np("asarray")(b)
    y = fn(_np("reshape")(a, shape(a) + (1,) * ndim(b)), b)
    return y if dtype_ is None else _np("asarray")(y, dtype=dtype_)


def reduceat(fn, ufunc, array, indices, axis=0, dtype_=None, out=None):
    if out is not None:
        raise _out_error(ufunc, "reduceat")
    x = _np("asarray")(array)
    if dtype_ is not None:
        x = _np("asarray")(x, dtype=dtype_)
    indices = np.asarray(indices)
    if not indices.size:  # (np.asarray([]) is float, which NumPy takes as no index)
        indices = indices.astype(np.intp)
    with np.errstate(all="ignore"):
        ref = ufunc.reduceat(np.zeros(shape(x), dtype(x)), indices, axis=axis)  # NumPy's checks
    if not indices.size:
        return _np("zeros")(ref.shape, dtype=ref.dtype)
    x = _np("moveaxis")(x, axis, 0)
    n = shape(x)[0]
    pieces = []
    for i, start in enumerate(indices):
        stop = indices[i + 1] if i + 1 < len(indices) else n
        pieces.append(reduce(fn, ufunc, x[start:stop], axis=0) if start < stop else x[start])
    return _np("moveaxis")(_np("stack")(pieces), 0, axis)


def at(fn, ufunc, a, indices, b=None):
    form = "add(b)" if ufunc.__name__ == "add" else "set(...)"
    raise InPlaceError(
        f"numpy.{ufunc.__name__}.at(a, indices, ...) writes into a in place, which breaks the "
        f"derivative of traced values; use the functional form  a = chainrule.numpy.at(a)"
        f"[indices].{form}  (a new array; with .add repeated indices accumulate, as in "
        f"add.at).")


def _traced(x):
    if isinstance(x, Tracer):
        return True
    return type(x) in (list, tuple) and any(_traced(y) for y in x)


def _method(impl, ufunc):
    def method(fn, *args, **kwargs):
        if not any(_traced(a) for a in (*args, *kwargs.values())):
            # nothing traced: NumPy's own method (add.at writes into a plain array, as in NumPy)
            return getattr(ufunc, impl.__name__)(*args, **kwargs)
        if "dtype" in kwargs:
            kwargs["dtype_"] = kwargs.pop("dtype")
        return impl(fn, ufunc, *args, **kwargs)
    method.__name__ = impl.__name__
    method.__doc__ = f"numpy.{ufunc.__name__}.{impl.__name__}, differentiable."
    return method


def _attach_all():
    for name in dir(np):
        ufunc = getattr(np, name)
        if not (isinstance(ufunc, np.ufunc) and ufunc.nin == 2 and ufunc.nout == 1
                and ufunc.signature is None):
            continue
        entry = registry.lookup(registry.NUMPY, name)
        if entry is None:
            continue
        for impl in (reduce, accumulate, outer, reduceat, at):
            method = _method(impl, ufunc)
            if isinstance(entry.obj, Primitive):
                attach_method(entry.obj, impl.__name__, method)
            elif not hasattr(entry.obj, impl.__name__):
                setattr(entry.obj, impl.__name__, method.__get__(entry.obj))


def numpy_method(ufunc, method, inputs, kwargs):
    """NumPy's ``ufunc.method(*inputs, **kwargs)`` for traced inputs, or None where chainrule
    has no such method (what tracer_methods' ``__array_ufunc__`` asks)."""
    entry = registry.lookup(registry.NUMPY, ufunc.__name__)
    impl = {"reduce": reduce, "accumulate": accumulate, "outer": outer,
            "reduceat": reduceat, "at": at}.get(method)
    if entry is None or impl is None or ufunc.nin != 2 or ufunc.signature is not None:
        return None
    return _method(impl, ufunc)(entry.obj, *inputs, **kwargs)


_attach_all()
