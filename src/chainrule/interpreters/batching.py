"""Batching (vmap): run a function written for one example on a whole batch.

A :class:`BatchTracer` carries a value together with ``bdim``, the axis of
that value along which the examples are stacked (``None``: the value is the
same for every example and carries no batch axis). The function being mapped
sees each tracer as *one example*: its ``shape``, ``ndim``, ``dtype`` and
``len`` are those of a single example, so shape logic written for one example
(and the shape checks of grad, jvp, vjp...) keeps working.

The rule table :data:`batch_rules` maps a primitive to
``rule(vals, dims, **params) -> (out, out_dim)`` where ``vals`` are the values
one level down (batched ones carry their batch axis at ``dims[i]``; unbatched
ones have ``dims[i] is None``). Primitives with ``multiple_results`` return a
tuple of outputs and a tuple of output dims. Rules are written with chainrule
primitives, so that they re-bind: batching composes with every other
transformation, and with itself.

A primitive without a rule is handled by :data:`fallback` (installed by the
layer that defines the rules): a loop over the batch, one ``bind`` per example.

This module depends on the core and NumPy only.
"""

import numpy as np

from ..core.primitive import Trace, Tracer, bind, full_lower
from ..core.vspace import dtype_of

__all__ = ["BatchTrace", "BatchTracer", "batch_rules", "not_mapped", "BatchedValueError",
           "per_example_shape"]

batch_rules = {}
not_mapped = None

# fallback(trace, prim, vals, dims, params) -> (out, out_dim); set by the rules layer.
_fallback = [None]


def set_fallback(fn):
    """Install the rule used for primitives absent from :data:`batch_rules`."""
    _fallback[0] = fn


class BatchedValueError(TypeError):
    """A batched value was needed as concrete data (control flow, an index, a conversion)."""


def _raw_shape(v):
    if type(v) is np.ndarray:
        return v.shape
    s = getattr(v, "shape", None)
    if s is None:
        return np.shape(v)
    return tuple(s)


def per_example_shape(value, bdim):
    """Shape of one example of ``value`` batched along ``bdim``."""
    s = _raw_shape(value)
    if bdim is None:
        return s
    return s[:bdim] + s[bdim + 1:]


class PerExample:
    """What ``lower()`` finds under a batched value: one example's shape and dtype.

    It answers ``shape``, ``ndim``, ``size``, ``dtype`` and ``len`` like an
    array of one example, and refuses to become data: the examples differ, so
    Python control flow on them, converting them to NumPy arrays or using them
    as indices cannot be batched.
    """

    __slots__ = ("shape", "dtype", "_batch")

    def __init__(self, shape, dtype, batch):
        self.shape = tuple(shape)
        self.dtype = dtype
        self._batch = batch

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return int(np.prod(self.shape, dtype=np.int64))

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of an unsized (0-d) batched value")
        return self.shape[0]

    def _refuse(self, *args, **kwargs):
        raise BatchedValueError(
            "vmap: a batched value was used as concrete data (converted to a NumPy array, used "
            "as an index, in an if/while condition, or with float()/int()). Its value differs "
            "from example to example, so this cannot be batched. Use chainrule.numpy operations "
            "(cnp.where instead of if, one-hot masks or cnp.take_along_axis with constant "
            "indices instead of batched integer indices), or pass the argument with in_axes=None "
            "if it is the same for every example.")

    __array__ = _refuse
    __bool__ = _refuse
    __float__ = _refuse
    __int__ = _refuse
    __index__ = _refuse
    __iter__ = _refuse

    def __repr__(self):
        return f"PerExample(shape={self.shape}, dtype={self.dtype}, batch={self._batch})"


class BatchTracer(Tracer):
    """A batched value: ``_val`` holds all examples, stacked along ``_bdim``.

    ``_value`` (what :func:`~chainrule.primitives.util.lower` and the shape
    helpers see) is a :class:`PerExample` describing one example.
    """

    __slots__ = ("_val", "_bdim")

    def __init__(self, trace, value, bdim):
        self._trace = trace
        self._val = value
        self._bdim = bdim

    @property
    def _value(self):
        v = self._val
        low = full_lower(v)
        t = type(low)
        # (an Array API library's array has a dtype of its own, which NumPy cannot read)
        dt = low.dtype if t is np.ndarray or t is PerExample else dtype_of(low)
        return PerExample(per_example_shape(v, self._bdim), dt, self._trace.axis_size)

    @property
    def primal(self):
        return self._value

    # One example's shape, answered without building a PerExample (hot in every rule).
    @property
    def shape(self):
        s = _raw_shape(self._val)
        d = self._bdim
        return s[:d] + s[d + 1:]

    @property
    def ndim(self):
        return len(_raw_shape(self._val)) - 1

    @property
    def size(self):
        return int(np.prod(self.shape, dtype=np.int64))

    def __len__(self):
        return len(self._value)

    def __repr__(self):
        return (f"BatchTracer(per-example shape={per_example_shape(self._val, self._bdim)}, "
                f"bdim={self._bdim}, level={self._trace.level})")


class BatchTrace(Trace):
    """The batching transformation at one level, for a batch of ``axis_size`` examples."""

    kind = "vmap"

    def __init__(self, axis_size, kind=None):
        super().__init__(kind)
        self.axis_size = axis_size

    def process(self, prim, args, params):
        vals = []
        dims = []
        batched = False
        for a in args:
            if isinstance(a, Tracer):
                if a._trace is self:
                    vals.append(a._val)
                    dims.append(a._bdim)
                    batched = True
                    continue
                if not a._trace.active:
                    self.check_foreign(a, prim)
            vals.append(a)
            dims.append(None)
        if not batched:  # pragma: no cover - bind only sends us our own tracers
            return bind(prim, vals, params)
        rule = batch_rules.get(prim)
        if rule is None:
            if _fallback[0] is None:
                raise RuntimeError(f"vmap: no batching rule for '{prim.name}' and no loop fallback installed")
            out, out_dim = _fallback[0](self, prim, vals, dims, params)
        else:
            out, out_dim = rule(vals, dims, **params)
        if prim.multiple_results:
            return tuple(o if d is None else BatchTracer(self, o, d)
                         for o, d in zip(out, out_dim))
        if out_dim is None:
            return out
        return BatchTracer(self, out, out_dim)

    def box(self, value, bdim):
        """Wrap ``value`` (batched along ``bdim``, or not when None) as a tracer of this trace."""
        if bdim is None:
            return value
        return BatchTracer(self, value, bdim)
