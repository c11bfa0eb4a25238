"""NumPy's ufunc methods on chainrule.numpy's ufuncs: ``add.outer``, ``multiply.reduce``,
``maximum.accumulate``, ``add.at``, ``add.reduceat``.

Scientific NumPy code uses them constantly (``np.subtract.outer(x, x)`` for pair
separations, ``np.add.at(acc, i, f)`` to accumulate forces, ``np.maximum.accumulate`` for
running peaks), and a program whose import line became ``chainrule.numpy`` must keep
running. With no traced value among the arguments each method is NumPy's own, so its
results and errors are NumPy's. With one, ``outer``, ``reduce`` and ``accumulate`` are
written with chainrule.numpy's functions (``sum``, ``cumsum`` … where NumPy's meaning is
one; otherwise a fold of the ufunc itself along the axis), so derivatives, vmap and jit
follow; ``at``, which writes in place, refuses with the functional spelling to use.

The functions are looked up in the registry when called: every primitive is declared by
then, and this module needs to import none of the modules that declare them.

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> cnp.subtract.outer(np.arange(3.0), np.arange(2.0)).tolist()
[[0.0, -1.0], [1.0, 0.0], [2.0, 1.0]]
>>> cr.grad(lambda x: cnp.sum(cnp.hypot.accumulate(x)))(np.array([3.0, 4.0])).tolist()
[1.6, 0.8]
"""
import functools

import numpy as np

from ..core import registry
from ..core.primitive import Primitive, Tracer, InPlaceError
from .util import axis_index

__all__ = ["UfuncPrimitive", "give_ufunc_methods"]

# NumPy's ufunc methods that are one of chainrule.numpy's functions (with the same keywords).
_REDUCTIONS = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min",
               "logical_and": "all", "logical_or": "any"}
_ACCUMULATIONS = {"add": "cumsum", "multiply": "cumprod"}
_NO_VALUE = np._NoValue


def _cnp(name):
    return registry.lookup(registry.NUMPY, name).obj


def _traced(*values):
    for v in values:
        if isinstance(v, Tracer):
            return True
        if isinstance(v, (list, tuple)) and _traced(*v):
            return True
    return False


def _no_out(name, method, out):
    if out is not None:
        raise InPlaceError(
            f"numpy.{name}.{method}(..., out=...) writes in place into an array, which breaks "
            f"the derivative of traced values; assign the result instead: y = "
            f"chainrule.numpy.{name}.{method}(...)")


def _binary_only(ufunc, method):
    if ufunc.nin != 2:
        raise ValueError(f"{method} only supported for binary functions")


def outer(f, name, A, B, /, **kwargs):
    """``ufunc.outer(A, B)``: f(a, b) for every pair, shape A.shape + B.shape."""
    ufunc = getattr(np, name)
    if not _traced(A, B):
        return ufunc.outer(A, B, **kwargs)
    _binary_only(ufunc, "outer")
    _no_out(name, "outer", kwargs.pop("out", None))
    A, B = _cnp("asarray")(A), _cnp("asarray")(B)
    return f(_cnp("reshape")(A, tuple(A.shape) + (1,) * B.ndim), B, **kwargs)


def _fold_front(f, name, a, initial):
    """f folded over a's first axis, left to right (NumPy's order), from ``initial`` if given."""
    n = a.shape[0]
    if n == 0 and initial is _NO_VALUE:
        if getattr(np, name).identity is None:
            raise ValueError(f"zero-size array to reduction operation {name} which has no "
                             f"identity")
        initial = getattr(np, name).identity
    if initial is _NO_VALUE:
        result, start = a[0], 1
    else:
        result, start = _cnp("broadcast_to")(_cnp("asarray")(initial, dtype=a.dtype),
                                             tuple(a.shape[1:])), 0
    for i in range(start, n):
        result = f(result, a[i])
    return result


def reduce(f, name, array, /, axis=0, dtype=None, out=None, keepdims=False, initial=_NO_VALUE,
           where=True):
    """``ufunc.reduce(array, axis)``: f applied cumulatively along ``axis`` to one value."""
    ufunc = getattr(np, name)
    given = {}  # only what the caller gave: NumPy's own reduce then sees the same call
    for key, value, default in (("dtype", dtype, None), ("out", out, None),
                                ("keepdims", keepdims, False), ("initial", initial, _NO_VALUE),
                                ("where", where, True)):
        if value is not default:
            given[key] = value
    if not _traced(array, initial, where):
        return ufunc.reduce(array, axis, **given)
    _binary_only(ufunc, "reduce")
    _no_out(name, "reduce", out)
    given.pop("out", None)
    if name in _REDUCTIONS:
        return _cnp(_REDUCTIONS[name])(array, axis=axis, **given)
    if dtype is not None or where is not True:
        raise NotImplementedError(
            f"chainrule.numpy.{name}.reduce on traced values takes no dtype= or where=; "
            f"convert with astype, or select with chainrule.numpy.where first")
    a = _cnp("asarray")(array)
    named = range(a.ndim) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    axes = tuple(sorted((axis_index(ax, a.ndim) for ax in named), reverse=True))
    result = a
    for ax in axes:  # the last axis first, so that the others keep their numbers
        result = _fold_front(f, name, _cnp("moveaxis")(result, ax, 0), initial)
    if keepdims:
        result = _cnp("expand_dims")(result, tuple(sorted(axes)))
    return result


def accumulate(f, name, array, /, axis=0, dtype=None, out=None):
    """``ufunc.accumulate(array, axis)``: the running values of the reduction along ``axis``."""
    ufunc = getattr(np, name)
    if not _traced(array):
        return ufunc.accumulate(array, axis, dtype, out)
    _binary_only(ufunc, "accumulate")
    _no_out(name, "accumulate", out)
    if name in _ACCUMULATIONS:
        return _cnp(_ACCUMULATIONS[name])(array, axis=axis, dtype=dtype)
    a = _cnp("asarray")(array)
    if dtype is not None:
        a = a.astype(dtype)
    a = _cnp("moveaxis")(a, axis, 0)
    running = [a[0]]
    for i in range(1, a.shape[0]):
        running.append(f(running[-1], a[i]))
    return _cnp("moveaxis")(_cnp("stack")(running), 0, axis)


def at(f, name, a, indices, b=_NO_VALUE, /):
    """``ufunc.at(a, indices, b)``: NumPy's unbuffered in-place update, for plain arrays."""
    ufunc = getattr(np, name)
    if not _traced(a, indices, b):
        return ufunc.at(a, indices) if b is _NO_VALUE else ufunc.at(a, indices, b)
    fix = {"add": "a = chainrule.numpy.at(a)[indices].add(b)",
           "subtract": "a = chainrule.numpy.at(a)[indices].add(-b)"}.get(
        name, f"a = chainrule.numpy.at(a)[indices].set(chainrule.numpy.{name}(a[indices], b))"
              f" when the indices do not repeat")
    raise InPlaceError(
        f"numpy.{name}.at(a, indices, b) writes into a in place, which cannot carry the "
        f"derivative of traced values. Write  {fix}  (a new array; repeated indices add up "
        f"as with add.at). A view such as acc[:, 0] is not written through: index the "
        f"whole array, at(acc)[i, 0].")


def reduceat(f, name, array, indices, /, axis=0, dtype=None, out=None):
    """``ufunc.reduceat``: NumPy's, for plain arrays."""
    if not _traced(array, indices):
        return getattr(np, name).reduceat(array, indices, axis, dtype, out)
    raise TypeError(
        f"numpy.{name}.reduceat has no derivative rule in chainrule; reduce each slice with "
        f"chainrule.numpy.{_REDUCTIONS.get(name, name + '.reduce')} and stack the results, or "
        f"define the operation with chainrule.custom_vjp")


_METHODS = {"outer": outer, "reduce": reduce, "accumulate": accumulate, "at": at,
            "reduceat": reduceat}


class UfuncPrimitive(Primitive):
    """A primitive that is a NumPy ufunc, with the ufunc's methods.

    >>> import chainrule.numpy as cnp
    >>> cnp.maximum.accumulate([1.0, 3.0, 2.0]).tolist()
    [1.0, 3.0, 3.0]
    """

    __slots__ = ()

    def outer(self, A, B, /, **kwargs):
        return outer(self, self.name, A, B, **kwargs)

    def reduce(self, array, /, *args, **kwargs):
        return reduce(self, self.name, array, *args, **kwargs)

    def accumulate(self, array, /, *args, **kwargs):
        return accumulate(self, self.name, array, *args, **kwargs)

    def at(self, a, indices, b=_NO_VALUE, /):
        return at(self, self.name, a, indices, b)

    def reduceat(self, array, indices, /, *args, **kwargs):
        return reduceat(self, self.name, array, indices, *args, **kwargs)


def give_ufunc_methods(namespace_entries):
    """Give each chainrule.numpy function that stands for a NumPy ufunc (one output, no
    core signature) the ufunc's methods: a primitive becomes a :class:`UfuncPrimitive` (the
    same object, so every alias and rule table still finds it; the subclass adds methods
    and no state), a composite function gets them as attributes."""
    for name, entry in namespace_entries.items():
        ufunc = getattr(np, name, None)
        if not isinstance(ufunc, np.ufunc) or ufunc.nout != 1 or ufunc.signature:
            continue
        obj = entry.obj
        if type(obj) is Primitive and isinstance(getattr(np, obj.name, None), np.ufunc):
            obj.__class__ = UfuncPrimitive
        elif callable(obj) and not isinstance(obj, Primitive) and not hasattr(obj, "outer"):
            for method, impl in _METHODS.items():
                setattr(obj, method, functools.partial(impl, obj, ufunc.__name__))


give_ufunc_methods(registry.entries(registry.NUMPY))
