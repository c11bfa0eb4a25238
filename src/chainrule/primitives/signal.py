"""``scipy.signal.convolve`` and ``correlate`` (needs the ``scipy`` extra) in every mode
(full, same, valid) and any number of dimensions, differentiable in both inputs.

Convolution is bilinear: its JVP convolves the tangent with the other input, and the
cotangent of either input is a correlation of the (zero-padded) output cotangent with the
other input, written as a 'valid' convolution with the flipped input, so that the rules are
convolutions again and differentiate themselves. The values are SciPy's (``method`` is
passed through). ``correlate`` is ``convolve(in1, flip(conj(in2)))``, as in SciPy.

>>> import numpy as np, chainrule as cr
>>> convolve(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5]))
array([0. , 1. , 2.5, 4. , 1.5])
>>> cr.grad(lambda v: convolve(np.array([1.0, 2.0, 3.0]), v, "valid").sum())(np.ones(2))
array([5., 3.])
"""

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import SIGNAL
from .declare import declare, export, reads
from .util import shape, ndim, dtype
from . import elementwise as E
from . import structural as S
from .scipy_linalg import scipy_module, loop_batch

__all__ = []

_MODES = ("full", "same", "valid")


def _conv_impl(a, v, mode="full", method="auto"):
    return scipy_module("signal").convolve(a, v, mode=mode, method=method)


def _flip_all(x):
    return S.flip(x, axis=tuple(range(ndim(x))))


def _full_cotangent(g, a, v, mode):
    """The cotangent of the 'full' output: ``g`` zero-padded where the mode cut it."""
    if mode == "full":
        return g
    full = [n + m - 1 for n, m in zip(shape(a), shape(v))]
    pads = []
    for f, o in zip(full, shape(g)):
        lo = (f - o) // 2
        pads.append((lo, f - o - lo))
    return S.pad(g, pad_width=tuple(pads))


def _conv_vjp(g, ans, a, v, mode="full", method="auto", which=0):
    gf = _full_cotangent(g, a, v, mode)
    other = v if which == 0 else a
    return conv(gf, _flip_all(other), mode="valid", method=method)


_conv = Primitive("convolve", _conv_impl)
conv = declare(
    _conv,
    jvp=[lambda t, ans, a, v, mode="full", method="auto": conv(t, v, mode=mode, method=method),
         lambda t, ans, a, v, mode="full", method="auto": conv(a, t, mode=mode, method=method)],
    vjp=[lambda g, ans, a, v, mode="full", method="auto":
         _conv_vjp(g, ans, a, v, mode, method, 0),
         lambda g, ans, a, v, mode="full", method="auto":
         _conv_vjp(g, ans, a, v, mode, method, 1)],
    batch=loop_batch(_conv), names=(), residuals=(reads(1), reads(0)))


def _check(name, in1, in2, mode, method):
    if mode not in _MODES:
        raise ValueError(f"{name}: mode must be 'full', 'same' or 'valid', not {mode!r}")
    if method not in ("auto", "direct", "fft"):
        raise ValueError(f"{name}: method must be 'auto', 'direct' or 'fft', not {method!r}")
    if ndim(in1) != ndim(in2):
        raise ValueError(f"{name}: in1 and in2 should have the same dimensionality "
                         f"(got {ndim(in1)} and {ndim(in2)})")
    if 0 in shape(in1) or 0 in shape(in2):
        raise ValueError(f"{name}: in1 and in2 must not be empty")
    if mode == "valid":
        s1, s2 = shape(in1), shape(in2)
        if not (all(p >= q for p, q in zip(s1, s2)) or all(q >= p for p, q in zip(s1, s2))):
            raise ValueError(f"{name}: for 'valid' mode, one must be at least as large as the "
                             f"other in every dimension (shapes {s1} and {s2})")


@export("convolve", namespace=SIGNAL, prim=conv)
def convolve(in1, in2, mode="full", method="auto"):
    """N-dimensional convolution (``scipy.signal.convolve``), differentiable in both inputs;
    modes 'full', 'same' (shaped like ``in1``) and 'valid'.

    >>> import numpy as np
    >>> convolve(np.ones((2, 2)), np.ones((2, 2)))
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    _check("convolve", in1, in2, mode, method)
    if ndim(in1) == 0:
        return E.multiply(in1, in2)
    return conv(in1, in2, mode=mode, method=method)


@export("correlate", namespace=SIGNAL)
def correlate(in1, in2, mode="full", method="auto"):
    """N-dimensional cross-correlation (``scipy.signal.correlate``): ``convolve`` of ``in1``
    with ``in2`` flipped on every axis and conjugated; differentiable in both.

    >>> import numpy as np
    >>> correlate(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0]), "valid")
    array([2., 3.])
    """
    _check("correlate", in1, in2, mode, method)
    if ndim(in1) == 0:
        return E.multiply(in1, E.conj(in2))
    in2 = E.conj(in2) if dtype(in2).kind == "c" else in2
    return conv(in1, _flip_all(in2), mode=mode, method=method)
