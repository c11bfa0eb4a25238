"""Discrete Fourier transforms: ``chainrule.numpy.fft`` (NumPy's signatures).

Four primitives, each over a tuple of axes with the transform lengths ``s`` and NumPy's
``norm``: ``fftn``, ``ifftn``, ``rfftn`` and ``irfftn``; ``fft``, ``fft2``, ``rfft`` …
call them. The rules follow JAX's convention for complex values (docs/complex.md: the
pairing ⟨c, t⟩ = Re Σ c·t, no conjugate), under which the DFT matrix, being symmetric, is
its own transpose:

- ``fftn``/``ifftn``: the VJP is the same transform of the cotangent (same ``norm``),
  followed by the transpose of the zero-padding or cropping to ``s``;
- ``rfftn`` (real input): the cotangent of the half spectrum is zero-padded to the full
  length, transformed by ``fftn``, and its real part taken (JAX's ``_rfft_transpose``);
- ``irfftn``: the ``rfftn`` of the cotangent, the bins that stand for two (±k) counted
  twice, scaled by the normalisation and conjugated (JAX's ``_irfft_transpose``).

Axes are kept negative (counted from the end), so a leading batch axis changes nothing.

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> x = np.array([1.0, 2.0, 0.5, -1.0])
>>> np.allclose(cnp.fft.fft(x), np.fft.fft(x))
True
>>> cr.grad(lambda x: cnp.sum(cnp.abs(cnp.fft.fft(x)) ** 2))(x).tolist()  # Parseval: 2·N·x
[8.0, 16.0, 4.0, -8.0]
"""

import math

import numpy as np

from ..core.primitive import Primitive
from ..core.registry import FFT, CREATION
from .declare import declare, export, reads
from .util import shape, dtype, ndim, owned_result
from .basic import moveaxis_to_front, getitem, real
from . import elementwise as E
from . import structural as S

__all__ = ["fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2",
           "rfftn", "irfftn", "fftshift", "ifftshift", "fftfreq", "rfftfreq"]

_NORMS = (None, "backward", "ortho", "forward")


# ---- shapes --------------------------------------------------------------------------------
def _fit(x, lengths, axes):
    """``x`` cropped or zero-padded (at the end) to ``lengths`` along ``axes``."""
    shp = shape(x)
    nd = len(shp)
    index = [slice(None)] * nd
    width = [(0, 0)] * nd
    crop = pad = False
    for n, a in zip(lengths, axes):
        have = shp[a]
        if n < have:
            index[a % nd] = slice(0, n)
            crop = True
        elif n > have:
            width[a % nd] = (0, n - have)
            pad = True
    if crop:
        x = getitem(x, index=tuple(index))
    if pad:
        x = S.pad(x, pad_width=tuple(width))
    return x


def _scale(n, norm, inverse):
    """The factor NumPy's ``norm`` puts on a transform of ``n`` points."""
    if norm == "ortho":
        return 1.0 / math.sqrt(n)
    if (norm in (None, "backward")) == inverse:
        return 1.0 / n
    return 1.0


def _batch(prim):
    def rule(vals, dims, **params):
        (x,), (d,) = vals, dims
        return prim(moveaxis_to_front(x, d), **params), 0
    return rule


# ---- complex to complex ------------------------------------------------------------------
def _fftn_vjp(prim):
    def vjp(g, ans, x, s, axes, norm):
        c = prim(g, s=tuple(shape(g)[a] for a in axes), axes=axes, norm=norm)
        c = _fit(c, tuple(shape(x)[a] for a in axes), axes)
        return real(c) if dtype(x).kind != "c" else c
    return vjp


fftn_p = Primitive("fftn", lambda x, s, axes, norm: np.fft.fftn(x, s=s, axes=axes, norm=norm))
ifftn_p = Primitive("ifftn", lambda x, s, axes, norm: np.fft.ifftn(x, s=s, axes=axes, norm=norm))
for _p in (fftn_p, ifftn_p):
    declare(_p, jvp=[lambda t, ans, x, s, axes, norm, p=_p: p(t, s=s, axes=axes, norm=norm)],
            vjp=[_fftn_vjp(_p)], batch=_batch(_p), names=(), namespace=FFT, residuals=reads())


# ---- real to half spectrum, and back -----------------------------------------------------
def _rfftn_vjp(g, ans, x, s, axes, norm):
    full = _fit(g, s[-1:], axes[-1:])  # the missing bins are zero: pad the last axis
    c = real(fftn_p(full, s=s, axes=axes, norm=norm))
    return _fit(c, tuple(shape(x)[a] for a in axes), axes)


rfftn_p = Primitive("rfftn", lambda x, s, axes, norm: np.fft.rfftn(x, s=s, axes=axes, norm=norm))
declare(rfftn_p, jvp=[lambda t, ans, x, s, axes, norm: rfftn_p(t, s=s, axes=axes, norm=norm)],
        vjp=[_rfftn_vjp], batch=_batch(rfftn_p), names=(), namespace=FFT, residuals=reads())


def _irfftn_vjp(g, ans, x, s, axes, norm):
    n = math.prod(s)
    half = rfftn_p(g, s=s, axes=axes, norm="backward")
    m = shape(half)[axes[-1]]
    odd = s[-1] % 2
    # bins 1 … m−1 (m−2 when the length is even: the last is the unpaired Nyquist bin) stand
    # for two frequencies ±k of the real signal
    mask = np.concatenate([[1.0], np.full(m - 2 + odd, 2.0), np.ones(1 - odd)])[:m]
    mask = mask.reshape((m,) + (1,) * (-axes[-1] - 1))
    c = E.conj(half * (mask * _scale(n, norm, True)))
    c = _fit(c, tuple(shape(x)[a] for a in axes), axes)
    return real(c) if dtype(x).kind != "c" else c


irfftn_p = Primitive("irfftn",
                     lambda x, s, axes, norm: np.fft.irfftn(x, s=s, axes=axes, norm=norm))
declare(irfftn_p, jvp=[lambda t, ans, x, s, axes, norm: irfftn_p(t, s=s, axes=axes, norm=norm)],
        vjp=[_irfftn_vjp], batch=_batch(irfftn_p), names=(), namespace=FFT,
        residuals=reads())


# ---- NumPy's signatures --------------------------------------------------------------------
def _axes(x, s, axes, default_all):
    nd = ndim(x)
    if axes is None:
        if s is not None:
            axes = tuple(range(-len(s), 0))
        else:
            axes = tuple(range(-nd, 0)) if default_all else (-2, -1)
    axes = tuple(int(a) for a in axes)
    for a in axes:
        if not -nd <= a < nd:
            raise ValueError(f"fft: axis {a} is out of bounds for an array of dimension {nd}")
    return tuple(a - nd if a >= 0 else a for a in axes)


def _array(a):
    """A list or tuple (NumPy accepts them) as an array; arrays and tracers as they are."""
    return np.asarray(a) if isinstance(a, (list, tuple, int, float, complex)) else a


def _norm(norm):
    if norm not in _NORMS:
        raise ValueError(f'fft: norm must be "backward", "ortho" or "forward", got {norm!r}')
    return "backward" if norm is None else norm


def _lengths(x, s, axes, half_input=False):
    if s is not None:
        if len(s) != len(axes):
            raise ValueError("fft: s and axes must have the same length")
        return tuple(int(n) for n in s)
    shp = shape(x)
    out = [shp[a] for a in axes]
    if half_input:  # irfft: m bins stand for a signal of 2(m − 1) points
        out[-1] = 2 * (out[-1] - 1)
    return tuple(out)


@export(namespace=FFT)
@owned_result
def fftn(a, s=None, axes=None, norm=None):
    """N-dimensional DFT (``numpy.fft.fftn``).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> x = np.arange(6.0).reshape(2, 3)
    >>> np.allclose(cnp.fft.fftn(x, s=(2, 4), norm="ortho"), np.fft.fftn(x, s=(2, 4), norm="ortho"))
    True
    """
    a = _array(a)
    axes = _axes(a, s, axes, True)
    return fftn_p(a, s=_lengths(a, s, axes), axes=axes, norm=_norm(norm))


@export(namespace=FFT)
@owned_result
def ifftn(a, s=None, axes=None, norm=None):
    """N-dimensional inverse DFT (``numpy.fft.ifftn``).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> np.allclose(cnp.fft.ifftn(cnp.fft.fftn(np.eye(3))), np.eye(3))
    True
    """
    a = _array(a)
    axes = _axes(a, s, axes, True)
    return ifftn_p(a, s=_lengths(a, s, axes), axes=axes, norm=_norm(norm))


@export(namespace=FFT)
def fft(a, n=None, axis=-1, norm=None):
    """One-dimensional DFT along ``axis`` (``numpy.fft.fft``).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> np.allclose(cnp.fft.fft(np.ones(4), n=6), np.fft.fft(np.ones(4), n=6))
    True
    """
    return fftn(a, None if n is None else (n,), (axis,), norm)


@export(namespace=FFT)
def ifft(a, n=None, axis=-1, norm=None):
    """One-dimensional inverse DFT (``numpy.fft.ifft``).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> np.allclose(cnp.fft.ifft(np.fft.fft([1.0, 2.0, 3.0])), [1, 2, 3])
    True
    """
    return ifftn(a, None if n is None else (n,), (axis,), norm)


@export(namespace=FFT)
def fft2(a, s=None, axes=(-2, -1), norm=None):
    """Two-dimensional DFT (``numpy.fft.fft2``).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> np.allclose(cnp.fft.fft2(np.eye(2)), np.fft.fft2(np.eye(2)))
    True
    """
    return fftn(a, s, axes, norm)


@export(namespace=FFT)
def ifft2(a, s=None, axes=(-2, -1), norm=None):
    """Two-dimensional inverse DFT (``numpy.fft.ifft2``).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> np.allclose(cnp.fft.ifft2(np.fft.fft2(np.eye(2))), np.eye(2))
    True
    """
    return ifftn(a, s, axes, norm)


@export(namespace=FFT)
def rfftn(a, s=None, axes=None, norm=None):
    """N-dimensional DFT of a real array, the last axis halved (``numpy.fft.rfftn``).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> x = np.arange(6.0).reshape(2, 3)
    >>> np.allclose(cnp.fft.rfftn(x), np.fft.rfftn(x))
    True
    """
    a = _array(a)
    if dtype(a).kind == "c":
        raise TypeError("rfftn: the input must be real (NumPy rejects complex too); use fftn "
                        "for a complex array, or pass cnp.real(a)")
    axes = _axes(a, s, axes, True)
    return rfftn_p(a, s=_lengths(a, s, axes), axes=axes, norm=_norm(norm))


@export(namespace=FFT)
def irfftn(a, s=None, axes=None, norm=None):
    """Inverse of :func:`rfftn`: a real array from a half spectrum (``numpy.fft.irfftn``).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> x = np.arange(8.0).reshape(2, 4)
    >>> np.allclose(cnp.fft.irfftn(cnp.fft.rfftn(x), s=x.shape), x)
    True
    """
    a = _array(a)
    axes = _axes(a, s, axes, True)
    return irfftn_p(a, s=_lengths(a, s, axes, half_input=True), axes=axes, norm=_norm(norm))


@export(namespace=FFT)
def rfft(a, n=None, axis=-1, norm=None):
    """One-dimensional DFT of a real signal, bins 0 … n//2 (``numpy.fft.rfft``).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> np.allclose(cnp.fft.rfft([1.0, 2.0, 3.0]), np.fft.rfft([1.0, 2.0, 3.0]))
    True
    """
    return rfftn(a, None if n is None else (n,), (axis,), norm)


@export(namespace=FFT)
def irfft(a, n=None, axis=-1, norm=None):
    """Inverse of :func:`rfft` (``numpy.fft.irfft``); ``n`` defaults to 2(m − 1).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> np.allclose(cnp.fft.irfft(np.fft.rfft([1.0, 2.0, 3.0]), n=3), [1, 2, 3])
    True
    """
    return irfftn(a, None if n is None else (n,), (axis,), norm)


_SWAPPED = {None: "forward", "backward": "forward", "forward": "backward", "ortho": "ortho"}


@export(namespace=FFT)
def hfft(a, n=None, axis=-1, norm=None):
    """DFT of a signal with Hermitian symmetry, given by its first half (``numpy.fft.hfft``):
    ``irfft(conj(a), n)`` with the normalisation's direction swapped, as NumPy defines it.

    >>> import numpy as np, chainrule.numpy as cnp
    >>> a = np.array([1.0, 2.0 - 1.0j, 0.5j])
    >>> np.allclose(cnp.fft.hfft(a, n=4), np.fft.hfft(a, n=4))
    True
    """
    _norm(norm)
    return irfft(E.conj(_array(a)), n, axis, _SWAPPED[norm])


@export(namespace=FFT)
def ihfft(a, n=None, axis=-1, norm=None):
    """Inverse of :func:`hfft` for a real signal (``numpy.fft.ihfft``): ``conj(rfft(a, n))``
    with the normalisation's direction swapped.

    >>> import numpy as np, chainrule.numpy as cnp
    >>> x = np.array([1.0, 2.0, 0.5, -1.0])
    >>> np.allclose(cnp.fft.ihfft(x), np.fft.ihfft(x))
    True
    """
    _norm(norm)
    return E.conj(rfft(a, n, axis, _SWAPPED[norm]))


@export(namespace=FFT)
def rfft2(a, s=None, axes=(-2, -1), norm=None):
    """Two-dimensional :func:`rfftn` (``numpy.fft.rfft2``).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> np.allclose(cnp.fft.rfft2(np.eye(3)), np.fft.rfft2(np.eye(3)))
    True
    """
    return rfftn(a, s, axes, norm)


@export(namespace=FFT)
def irfft2(a, s=None, axes=(-2, -1), norm=None):
    """Two-dimensional :func:`irfftn` (``numpy.fft.irfft2``).

    >>> import numpy as np, chainrule.numpy as cnp
    >>> np.allclose(cnp.fft.irfft2(np.fft.rfft2(np.eye(4))), np.eye(4))
    True
    """
    return irfftn(a, s, axes, norm)


def _shift_axes(x, axes):
    x = _array(x)
    if axes is None:
        return tuple(range(ndim(x)))
    return (axes,) if isinstance(axes, int) else tuple(axes)


@export(namespace=FFT)
def fftshift(x, axes=None):
    """The zero frequency moved to the centre (``numpy.fft.fftshift``): a roll.

    >>> import chainrule.numpy as cnp
    >>> cnp.fft.fftshift(cnp.fft.fftfreq(5)).tolist()
    [-0.4, -0.2, 0.0, 0.2, 0.4]
    """
    x, axes = _array(x), _shift_axes(x, axes)
    return S.roll(x, shift=tuple(shape(x)[a] // 2 for a in axes), axis=axes)


@export(namespace=FFT)
def ifftshift(x, axes=None):
    """The inverse of :func:`fftshift` (``numpy.fft.ifftshift``).

    >>> import chainrule.numpy as cnp
    >>> cnp.fft.ifftshift(cnp.fft.fftshift(cnp.arange(5.0))).tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0]
    """
    x, axes = _array(x), _shift_axes(x, axes)
    return S.roll(x, shift=tuple(-(shape(x)[a] // 2) for a in axes), axis=axes)


@export(namespace=FFT, kind=CREATION)
def fftfreq(n, d=1.0):
    """The sample frequencies of :func:`fft` (``numpy.fft.fftfreq``; constants).

    >>> import chainrule.numpy as cnp
    >>> cnp.fft.fftfreq(4, d=0.5).tolist()
    [0.0, 0.5, -1.0, -0.5]
    """
    return np.fft.fftfreq(n, d)


@export(namespace=FFT, kind=CREATION)
def rfftfreq(n, d=1.0):
    """The sample frequencies of :func:`rfft` (``numpy.fft.rfftfreq``; constants).

    >>> import chainrule.numpy as cnp
    >>> cnp.fft.rfftfreq(4).tolist()
    [0.0, 0.25, 0.5]
    """
    return np.fft.rfftfreq(n, d)
