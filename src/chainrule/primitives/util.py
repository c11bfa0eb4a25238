"""Helpers shared by the rule definitions: shapes of possibly-traced values,
undoing broadcasting once, in one place, and the rule families that most
primitives fall into (linear, zero-derivative, "uses the answer").
"""

import numpy as np

from ..core.primitive import Primitive, Tracer
from ..interpreters.forward import jvp_rules
from ..interpreters.reverse import vjp_rules

__all__ = ["shape", "ndim", "dtype", "unbroadcast", "broadcast_like", "nondiff",
           "defrules", "lower", "is_float_dtype"]


def lower(x):
    """The plain value under every level of tracer."""
    while isinstance(x, Tracer):
        x = x._value
    return x


def shape(x):
    """Shape of a value or tracer (Python numbers have shape ())."""
    t = type(x)
    if t is np.ndarray:
        return x.shape
    if t is float or t is np.float64:
        return ()
    s = getattr(x, "shape", None)
    if s is None:
        return np.shape(x)
    return s


def ndim(x):
    return len(shape(x))


def dtype(x):
    return np.result_type(lower(x))


def is_float_dtype(dt):
    return np.issubdtype(dt, np.inexact)


def unbroadcast(g, x):
    """Sum ``g`` over the axes along which ``x`` was broadcast to ``g``'s shape."""
    # Fast exits first: this runs once per argument of almost every backward step.
    tx = type(x)
    if tx is np.ndarray:
        if type(g) is np.ndarray and g.shape == x.shape:
            return g
    elif tx is float or tx is np.float64:
        if type(g) is tx or type(g) is float or type(g) is np.float64:
            return g
    xs = shape(x)
    gs = shape(g)
    if xs == gs:
        return g
    from . import structural as S
    lead = len(gs) - len(xs)
    if lead < 0:  # x had extra leading size-1 axes (NumPy allows them in assignments)
        return S.reshape(g, shape=xs)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(xs) if n == 1 and gs[lead + i] != 1)
    if axes:
        g = S.sum(g, axis=axes)
    if shape(g) != xs:
        g = S.reshape(g, shape=xs)
    return g


def broadcast_like(t, ans):
    """Broadcast a tangent to the shape of the output it contributes to."""
    s = shape(ans)
    if shape(t) == s:
        return t
    from . import structural as S
    return S.broadcast_to(t, shape=s)


def nondiff(name, impl):
    """A primitive with zero derivative: outputs are never traced."""
    p = Primitive(name, impl)
    jvp_rules[p] = None
    vjp_rules[p] = None
    return p


def defrules(prim, jvps, vjps):
    """Register per-argument JVP and VJP rules side by side."""
    jvp_rules[prim] = tuple(jvps)
    vjp_rules[prim] = tuple(vjps)
    return prim
