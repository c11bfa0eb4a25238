"""The functions of ``chainrule.scipy.fft``: SciPy's names and keywords over
``chainrule.numpy.fft``, and the discrete cosine and sine transforms of types 1 to 4.

A DCT or DST is a linear map; each is written as one FFT of length 2N (or 2(N ∓ 1) for
type 1) with a phase factor before and/or after and a real or imaginary part taken, e.g.
DCT-II: y_k = 2·Re(e^(−iπk/2N) · FFT₂ₙ(x)_k). Their derivatives are then the FFT's, exact,
in both modes and to any order, and vmap batches them. ``overwrite_x`` and ``workers``
are accepted and ignored (chainrule never writes into its input); ``plan`` must be None.

>>> import numpy as np, scipy.fft
>>> x = np.array([1.0, 2.0, 0.5, -1.0])
>>> bool(np.allclose(dct(x, norm="ortho"), scipy.fft.dct(x, norm="ortho")))
True
"""

import numpy as np

from ..core.registry import SCIPY_FFT, CREATION
from ..primitives.declare import export
from ..primitives.util import shape, ndim
from .. import numpy as cnp

__all__ = []

_SQRT2 = float(np.sqrt(2.0))
_SWAP = {None: "forward", "backward": "forward", "forward": "backward", "ortho": "ortho"}


def _no_plan(plan):
    if plan is not None:
        raise NotImplementedError("chainrule.scipy.fft: plan= is not supported (pass None)")


def _passthrough(name, doc):
    """SciPy's ``fft``-style signature over chainrule.numpy.fft's function of that name."""
    inner = getattr(cnp.fft, name)

    def fn(x, n=None, axis=-1, norm=None, overwrite_x=False, workers=None, *, plan=None):
        _no_plan(plan)
        return inner(x, n, axis, norm)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return export(name, namespace=SCIPY_FFT)(fn)


def _nd_lengths(x, s, axes, inverse_real, real=True):
    """SciPy's defaults for the N-d transforms where they differ from NumPy's: a 0-d input of
    a ``real`` transform is refused (no axis to transform; SciPy's fftn takes it), and an inverse real transform of one bin along the last
    axis is a signal of one point (pocketfft's 2m − 1; NumPy's 2(m − 1) = 0 raises)."""
    if ndim(x) == 0 and s is None and axes is None and real:
        raise ValueError("at least 1 axis must be transformed (a 0-d input has no axis; pass "
                         "an array of at least one dimension)")
    if s is not None or not inverse_real:
        return s
    full = shape(x)
    axes = tuple(range(len(full))) if axes is None else tuple(axes)
    if not axes or not all(-len(full) <= a < len(full) for a in axes) or full[axes[-1]] != 1:
        return s   # (an axis out of range: the transform's own error)
    return tuple(full[a] for a in axes[:-1]) + (1,)


def _passthrough_n(name, default_axes, doc):
    inner = getattr(cnp.fft, name)

    def fn(x, s=None, axes=default_axes, norm=None, overwrite_x=False, workers=None, *,
           plan=None):
        _no_plan(plan)
        x = np.asarray(x) if isinstance(x, (list, tuple, int, float, complex)) else x
        return inner(x, _nd_lengths(x, s, axes, name.startswith("irfft"), "rfft" in name),
                     axes, norm)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return export(name, namespace=SCIPY_FFT)(fn)


_EX = """

    >>> import numpy as np, scipy.fft
    >>> x = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    >>> bool(np.allclose({name}({arg}), scipy.fft.{name}({arg})))
    True
    """
for _name, _what, _arg in (
        ("fft", "the one-dimensional discrete Fourier transform", "x"),
        ("ifft", "its inverse", "x"),
        ("rfft", "the transform of real input (the non-negative frequencies)", "x"),
        ("irfft", "the inverse of rfft (a real signal of length n)", "x"),
        ("hfft", "the transform of a Hermitian-symmetric signal (real output)", "x"),
        ("ihfft", "the inverse of hfft", "x")):
    _passthrough(_name, f"{_what[0].upper()}{_what[1:]} along ``axis`` (SciPy's signature; "
                        f"chainrule.numpy.fft.{_name} computes it)." + _EX.format(name=_name,
                                                                                  arg=_arg))
for _name, _axes, _what in (
        ("fft2", (-2, -1), "the two-dimensional discrete Fourier transform"),
        ("ifft2", (-2, -1), "its inverse"),
        ("fftn", None, "the N-dimensional discrete Fourier transform"),
        ("ifftn", None, "its inverse"),
        ("rfft2", (-2, -1), "the two-dimensional transform of real input"),
        ("irfft2", (-2, -1), "the inverse of rfft2"),
        ("rfftn", None, "the N-dimensional transform of real input"),
        ("irfftn", None, "the inverse of rfftn")):
    _passthrough_n(_name, _axes, f"{_what[0].upper()}{_what[1:]} over ``axes`` (SciPy's "
                                 f"signature)." + _EX.format(name=_name, arg="x"))


@export(namespace=SCIPY_FFT)
def hfftn(x, s=None, axes=None, norm=None, overwrite_x=False, workers=None, *, plan=None):
    """The N-dimensional transform of a Hermitian-symmetric signal: irfftn of its conjugate
    with the normalisation swapped (as SciPy defines it).

    >>> import numpy as np, scipy.fft
    >>> x = np.array([[1.0, 2.0 + 1j], [0.5j, -1.0]])
    >>> bool(np.allclose(hfftn(x), scipy.fft.hfftn(x)))
    True
    """
    _no_plan(plan)
    x = np.asarray(x) if isinstance(x, (list, tuple, int, float, complex)) else x
    return cnp.fft.irfftn(cnp.conj(x), _nd_lengths(x, s, axes, True), axes, _SWAP[norm])


@export(namespace=SCIPY_FFT)
def hfft2(x, s=None, axes=(-2, -1), norm=None, overwrite_x=False, workers=None, *, plan=None):
    """:func:`hfftn` over two axes.

    >>> import numpy as np, scipy.fft
    >>> x = np.array([[1.0, 2.0 + 1j], [0.5j, -1.0]])
    >>> bool(np.allclose(hfft2(x), scipy.fft.hfft2(x)))
    True
    """
    return hfftn(x, s, axes, norm, plan=plan)


@export(namespace=SCIPY_FFT)
def ihfftn(x, s=None, axes=None, norm=None, overwrite_x=False, workers=None, *, plan=None):
    """The inverse of :func:`hfftn`: the conjugate of rfftn with the normalisation swapped.

    >>> import numpy as np, scipy.fft
    >>> x = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    >>> bool(np.allclose(ihfftn(x), scipy.fft.ihfftn(x)))
    True
    """
    _no_plan(plan)
    x = np.asarray(x) if isinstance(x, (list, tuple, int, float, complex)) else x
    return cnp.conj(cnp.fft.rfftn(x, _nd_lengths(x, s, axes, False), axes, _SWAP[norm]))


@export(namespace=SCIPY_FFT)
def ihfft2(x, s=None, axes=(-2, -1), norm=None, overwrite_x=False, workers=None, *, plan=None):
    """:func:`ihfftn` over two axes.

    >>> import numpy as np, scipy.fft
    >>> x = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    >>> bool(np.allclose(ihfft2(x), scipy.fft.ihfft2(x)))
    True
    """
    return ihfftn(x, s, axes, norm, plan=plan)


@export(namespace=SCIPY_FFT)
def fftshift(x, axes=None):
    """The zero frequency moved to the centre (chainrule.numpy.fft.fftshift).

    >>> fftshift(np.arange(4.0))
    array([2., 3., 0., 1.])
    """
    return cnp.fft.fftshift(x, axes)


@export(namespace=SCIPY_FFT)
def ifftshift(x, axes=None):
    """The inverse of :func:`fftshift`.

    >>> ifftshift(np.array([2.0, 3.0, 0.0, 1.0]))
    array([0., 1., 2., 3.])
    """
    return cnp.fft.ifftshift(x, axes)


@export(namespace=SCIPY_FFT, kind=CREATION)
def fftfreq(n, d=1.0, *, xp=None, device=None):
    """The sample frequencies of an FFT of length n (differentiable in the spacing d).

    >>> fftfreq(4, 0.5)
    array([ 0. ,  0.5, -1. , -0.5])
    """
    return cnp.fft.fftfreq(n, d)


@export(namespace=SCIPY_FFT, kind=CREATION)
def rfftfreq(n, d=1.0, *, xp=None, device=None):
    """The sample frequencies of an rfft of length n.

    >>> rfftfreq(4, 0.5)
    array([0. , 0.5, 1. ])
    """
    return cnp.fft.rfftfreq(n, d)


@export(namespace=SCIPY_FFT, kind=CREATION)
def next_fast_len(target, real=False):
    """The smallest length ≥ ``target`` that SciPy's FFT computes fast (SciPy's own answer).

    >>> next_fast_len(97)
    98
    """
    import scipy.fft
    return scipy.fft.next_fast_len(target, real)


@export(namespace=SCIPY_FFT, kind=CREATION)
def prev_fast_len(target, real=False):
    """The largest length ≤ ``target`` that SciPy's FFT computes fast (SciPy's own answer).

    >>> prev_fast_len(97)
    96
    """
    import scipy.fft
    return scipy.fft.prev_fast_len(target, real)


# ---- DCT and DST: along the last axis, real input ---------------------------------------------
def _phase(k, period, sign, like):
    """exp(sign·iπk/period) in the complex dtype of ``like``'s FFT (complex64 for float32)."""
    cdt = np.complex64 if cnp.asarray(like).dtype == np.float32 else np.complex128
    return np.exp(sign * 1j * np.pi * np.asarray(k, dtype=np.float64) / period).astype(cdt)


def _weights(n, positions, value, like):
    w = np.ones(n)
    for p in positions:
        w[p] = value
    return w.astype(cnp.asarray(like).dtype)


def _pad_front(x):
    return cnp.pad(x, [(0, 0)] * (ndim(x) - 1) + [(1, 0)])


def _cosine(x, kind, n):
    """The unnormalised DCT of type ``kind`` of real ``x`` along its last axis (length n).
    A real signal's FFT is rfft's half spectrum: the first n + 1 bins are all that is read."""
    k = np.arange(n)
    if kind == 1:
        return cnp.real(cnp.fft.rfft(x * _weights(n, (0, n - 1), 0.5, x) * 2.0,
                                     n=2 * (n - 1))[..., :n])
    if kind == 2:
        return 2.0 * cnp.real(_phase(k, 2 * n, -1, x) * cnp.fft.rfft(x, n=2 * n)[..., :n])
    if kind == 3:
        c = x * _weights(n, (0,), 0.5, x) * 2.0 * _phase(k, 2 * n, 1, x)
        return cnp.real(cnp.fft.ifft(c, n=2 * n, norm="forward")[..., :n])
    twisted = cnp.fft.fft(x * _phase(k, 2 * n, -1, x), n=2 * n)[..., :n]
    return 2.0 * cnp.real(_phase(2 * k + 1, 4 * n, -1, x) * twisted)


def _sine(x, kind, n):
    """The unnormalised DST of type ``kind`` of real ``x`` along its last axis (length n)."""
    k = np.arange(n)
    if kind == 1:
        return -2.0 * cnp.imag(cnp.fft.rfft(_pad_front(x), n=2 * (n + 1))[..., 1:n + 1])
    if kind == 2:
        return -2.0 * cnp.imag(_phase(k + 1, 2 * n, -1, x)
                               * cnp.fft.rfft(x, n=2 * n)[..., 1:n + 1])
    if kind == 3:
        c = x * _weights(n, (n - 1,), 0.5, x) * 2.0 * _phase(k + 1, 2 * n, 1, x)
        return cnp.imag(cnp.fft.ifft(_pad_front(c), n=2 * n, norm="forward")[..., :n])
    twisted = cnp.fft.fft(x * _phase(k, 2 * n, -1, x), n=2 * n)[..., :n]
    return -2.0 * cnp.imag(_phase(2 * k + 1, 4 * n, -1, x) * twisted)


#: (input entries scaled by √2, output entries scaled by 1/√2) of the orthogonalized variants
_ORTHO = {("c", 1): ((0, -1), (0, -1)), ("c", 2): ((), (0,)), ("c", 3): ((0,), ()),
          ("c", 4): ((), ()), ("s", 1): ((), ()), ("s", 2): ((), (-1,)),
          ("s", 3): ((-1,), ()), ("s", 4): ((), ())}
_INVERSE_TYPE = {1: 1, 2: 3, 3: 2, 4: 4}


def _float(x):
    x = cnp.asarray(x)
    if x.dtype.kind in "iub":
        return cnp.asarray(x, dtype=np.float64)
    if x.dtype == np.float16:
        return cnp.asarray(x, dtype=np.float32)
    return x


def _fit_last(x, n):
    have = shape(x)[-1]
    if n < have:
        return x[..., :n]
    if n > have:
        return cnp.pad(x, [(0, 0)] * (ndim(x) - 1) + [(0, n - have)])
    return x


def _trig(family, x, kind, n, axis, norm, orthogonalize, inverse, fname):
    if kind not in (1, 2, 3, 4):
        raise ValueError(f"{fname}: type must be 1, 2, 3 or 4, not {kind!r}")
    if norm not in (None, "backward", "ortho", "forward"):
        raise ValueError(f"{fname}: norm must be None, 'backward', 'ortho' or 'forward'")
    x = cnp.moveaxis(_float(x), axis, -1)
    if n is not None:
        if int(n) < 1:
            raise ValueError(f"{fname}: invalid number of data points ({n}) specified")
        x = _fit_last(x, int(n))
    n = shape(x)[-1]
    if n < 1:
        raise ValueError(f"{fname}: invalid number of data points (0) specified (an empty "
                         f"axis has no transform)")
    if kind == 1 and family == "c" and n < 2:
        raise ValueError(f"{fname}: the type 1 DCT needs at least 2 points along the axis")
    if cnp.asarray(x).dtype.kind == "c":   # a linear map of real data: real and imaginary parts
        out = _trig(family, cnp.real(x), kind, None, -1, norm, orthogonalize, inverse, fname) \
            + 1j * _trig(family, cnp.imag(x), kind, None, -1, norm, orthogonalize, inverse, fname)
        return cnp.moveaxis(out, -1, axis)
    if inverse:
        kind = _INVERSE_TYPE[kind]
    period = 2 * (n - 1) if (family, kind) == ("c", 1) else 2 * (n + 1) if kind == 1 else 2 * n
    if orthogonalize is None:
        orthogonalize = norm == "ortho"
    pre, post = _ORTHO[family, kind] if orthogonalize else ((), ())
    if pre:
        x = x * _weights(n, pre, _SQRT2, x)
    y = (_cosine if family == "c" else _sine)(x, kind, n)
    if post:
        y = y * _weights(n, post, 1.0 / _SQRT2, y)
    if norm == "ortho":
        y = y * float(1.0 / np.sqrt(period))
    elif (norm == "forward") != inverse:
        y = y * float(1.0 / period)
    return cnp.moveaxis(y, -1, axis)


def _trig_n(family, x, kind, s, axes, norm, orthogonalize, inverse, fname):
    x = _float(x)
    nd = ndim(x)
    if axes is None:
        axes = tuple(range(nd)) if s is None else tuple(range(nd - len(s), nd))
    axes = (axes,) if np.isscalar(axes) else tuple(axes)
    if s is None:
        s = [None] * len(axes)
    elif np.isscalar(s):
        s = [s]
    if len(s) != len(axes):
        raise ValueError(f"{fname}: s and axes must have the same length")
    for a, n in zip(axes, s):
        x = _trig(family, x, kind, n, a, norm, orthogonalize, inverse, fname)
    return x


_TRIG_EX = """

    >>> import numpy as np, scipy.fft
    >>> x = np.array([1.0, 2.0, 0.5, -1.0, 0.25])
    >>> all(np.allclose({name}(x, t, norm=m), scipy.fft.{name}(x, t, norm=m))
    ...     for t in (1, 2, 3, 4) for m in (None, "ortho", "forward"))
    True
    """


def _make_trig(name, family, inverse, what):
    def fn(x, type=2, n=None, axis=-1, norm=None, overwrite_x=False, workers=None,
           orthogonalize=None):
        return _trig(family, x, type, n, axis, norm, orthogonalize, inverse, name)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"The {what} of type 1, 2, 3 or 4 along ``axis`` (SciPy's definition, "
                  f"``norm`` and ``orthogonalize``); exact derivatives through the FFT."
                  + _TRIG_EX.format(name=name))
    return export(name, namespace=SCIPY_FFT)(fn)


def _make_trig_n(name, family, inverse, what):
    def fn(x, type=2, s=None, axes=None, norm=None, overwrite_x=False, workers=None, *,
           orthogonalize=None):
        return _trig_n(family, x, type, s, axes, norm, orthogonalize, inverse, name)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"The {what} over ``axes`` (one {name[:-1]} after another)."
                  + _TRIG_EX.format(name=name).replace("np.array([1.0, 2.0, 0.5, -1.0, 0.25])",
                                                       "np.array([[1.0, 2.0], [0.5, -1.0]])"))
    return export(name, namespace=SCIPY_FFT)(fn)


dct = _make_trig("dct", "c", False, "discrete cosine transform")
idct = _make_trig("idct", "c", True, "inverse discrete cosine transform")
dst = _make_trig("dst", "s", False, "discrete sine transform")
idst = _make_trig("idst", "s", True, "inverse discrete sine transform")
dctn = _make_trig_n("dctn", "c", False, "N-dimensional discrete cosine transform")
idctn = _make_trig_n("idctn", "c", True, "N-dimensional inverse discrete cosine transform")
dstn = _make_trig_n("dstn", "s", False, "N-dimensional discrete sine transform")
idstn = _make_trig_n("idstn", "s", True, "N-dimensional inverse discrete sine transform")
