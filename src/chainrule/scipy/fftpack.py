"""Differentiable ``scipy.fftpack`` (SciPy's legacy FFT module, which older programs import):
its transforms, with its signatures, over ``chainrule.scipy.fft``; ``rfft``/``irfft`` in
fftpack's packed real format; and the pseudo-differential operators (``diff``, ``hilbert``,
``tilbert``, ``shift``, ``cs_diff``...), whose values are SciPy's and whose derivatives are
SciPy's operator again (each is linear in ``x``: its transpose is the operator with the
opposite symbol, the same one or its negative, or the opposite shift).

Nothing traced: SciPy's own function. The keyword ``overwrite_x`` is accepted and ignored.

>>> import numpy as np, chainrule as cr
>>> t = np.linspace(0.0, 2 * np.pi, 8, endpoint=False)
>>> np.round(diff(np.sin(t)), 12) + 0.0             # the spectral derivative: cos t
array([ 1.        ,  0.70710678,  0.        , -0.70710678, -1.        ,
       -0.70710678,  0.        ,  0.70710678])
>>> g = cr.grad(lambda x: diff(x) @ np.cos(t))(np.sin(t))     # diff's transpose is -diff
>>> bool(np.allclose(g, -diff(np.cos(t))))
True
"""

import numpy as np

from ..core.primitive import Primitive, Tracer
from ..core.registry import SCIPY_FFTPACK, COMPOSITE, CREATION, add, lookup, SCIPY_FFT
from ..primitives.declare import declare
from ..primitives.scipy_linalg import loop_batch, scipy_module
from ..primitives.util import shape
from ..numpy.registered import cnp

__all__ = []


def _fft(name):
    return lookup(SCIPY_FFT, name).obj


def _traced(*values):
    return any(isinstance(v, Tracer) for v in values)


def _fftpack():
    return scipy_module("fftpack")


def _plain_or(name, traced_fn):
    """SciPy's function when nothing is traced, else ``traced_fn``."""
    def fn(x, *args, **kwargs):
        if not _traced(x, *args, *kwargs.values()):
            return getattr(_fftpack(), name)(x, *args, **kwargs)
        kwargs.pop("overwrite_x", None)
        return traced_fn(x, *args, **kwargs)
    fn.__name__ = fn.__qualname__ = name
    return fn


#: Each function's docstring example and its output (SciPy's, computed once when this was
#: written, so that importing the module does not import SciPy).
_EXAMPLES = {
    'fft': ('fft(np.array([1.0, 2.0, 3.0])).real.round(6) + 0.0',
             'array([ 6. , -1.5, -1.5])'),
    'ifft': ('ifft(np.array([1.0, 2.0, 3.0])).real.round(6) + 0.0',
             'array([ 2. , -0.5, -0.5])'),
    'fftn': ('fftn(np.array([[1.0, 2.0], [3.0, 4.0]])).real.round(6) + 0.0',
             'array([[10., -2.],\n       [-4.,  0.]])'),
    'ifftn': ('ifftn(np.array([[1.0, 2.0], [3.0, 4.0]])).real.round(6) + 0.0',
             'array([[ 2.5, -0.5],\n       [-1. ,  0. ]])'),
    'fft2': ('fft2(np.array([[1.0, 2.0], [3.0, 4.0]])).real.round(6) + 0.0',
             'array([[10., -2.],\n       [-4.,  0.]])'),
    'ifft2': ('ifft2(np.array([[1.0, 2.0], [3.0, 4.0]])).real.round(6) + 0.0',
             'array([[ 2.5, -0.5],\n       [-1. ,  0. ]])'),
    'dct': ('dct(np.array([1.0, 2.0, 3.0])).round(6) + 0.0',
             'array([12.      , -3.464102,  0.      ])'),
    'idct': ('idct(np.array([1.0, 2.0, 3.0])).round(6) + 0.0',
             'array([ 7.464102, -5.      ,  0.535898])'),
    'dst': ('dst(np.array([1.0, 2.0, 3.0])).round(6) + 0.0',
             'array([ 8.      , -3.464102,  4.      ])'),
    'idst': ('idst(np.array([1.0, 2.0, 3.0])).round(6) + 0.0',
             'array([ 7.464102, -1.      ,  0.535898])'),
    'dctn': ('dctn(np.array([[1.0, 2.0], [3.0, 4.0]])).round(6) + 0.0',
             'array([[ 40.      ,  -5.656854],\n       [-11.313708,   0.      ]])'),
    'idctn': ('idctn(np.array([[1.0, 2.0], [3.0, 4.0]])).round(6) + 0.0',
             'array([[16.071068, -5.585786],\n       [-8.414214,  1.928932]])'),
    'dstn': ('dstn(np.array([[1.0, 2.0], [3.0, 4.0]])).round(6) + 0.0',
             'array([[ 20.      ,  -5.656854],\n       [-11.313708,   0.      ]])'),
    'idstn': ('idstn(np.array([[1.0, 2.0], [3.0, 4.0]])).round(6) + 0.0',
             'array([[13.071068, -0.585786],\n       [-3.414214, -1.071068]])'),
    'diff': ('diff(np.array([0.0, 1.0, 0.0, -1.0])).round(6) + 0.0',
             'array([ 1.,  0., -1.,  0.])'),
    'tilbert': ('tilbert(np.array([0.0, 1.0, 0.0, -1.0]), 0.5).round(6) + 0.0',
             'array([ 2.163953,  0.      , -2.163953,  0.      ])'),
    'itilbert': ('itilbert(np.array([0.0, 1.0, 0.0, -1.0]), 0.5).round(6) + 0.0',
             'array([-0.462117,  0.      ,  0.462117,  0.      ])'),
    'hilbert': ('hilbert(np.array([0.0, 1.0, 0.0, -1.0])).round(6) + 0.0',
             'array([ 1.,  0., -1.,  0.])'),
    'ihilbert': ('ihilbert(np.array([0.0, 1.0, 0.0, -1.0])).round(6) + 0.0',
             'array([-1.,  0.,  1.,  0.])'),
    'cs_diff': ('cs_diff(np.array([0.0, 1.0, 0.0, -1.0]), 0.5, 1.0).round(6) + 0.0',
             'array([-0.959517,  0.      ,  0.959517,  0.      ])'),
    'sc_diff': ('sc_diff(np.array([0.0, 1.0, 0.0, -1.0]), 0.5, 1.0).round(6) + 0.0',
             'array([ 0.337698,  0.      , -0.337698,  0.      ])'),
    'ss_diff': ('ss_diff(np.array([0.0, 1.0, 0.0, -1.0]), 0.5, 1.0).round(6) + 0.0',
             'array([ 0.      ,  0.443409,  0.      , -0.443409])'),
    'cc_diff': ('cc_diff(np.array([0.0, 1.0, 0.0, -1.0]), 0.5, 1.0).round(6) + 0.0',
             'array([ 0.      ,  0.730763,  0.      , -0.730763])'),
    'shift': ('shift(np.array([0.0, 1.0, 0.0, -1.0]), 0.5).round(6) + 0.0',
             'array([ 0.479426,  0.877583, -0.479426, -0.877583])'),
    'fftshift': ('fftshift(np.arange(4.0))', 'array([2., 3., 0., 1.])'),
    'ifftshift': ('ifftshift(np.arange(4.0))', 'array([2., 3., 0., 1.])'),
    'rfft': ('rfft(np.array([1.0, 2.0, 3.0, 4.0]))', 'array([10., -2.,  2., -2.])'),
    'irfft': ('irfft(np.array([10.0, -2.0, 2.0, -2.0]))', 'array([1., 2., 3., 4.])'),
}


def _register(name, fn, doc):
    call, output = _EXAMPLES[name]
    output = output.replace("\n", "\n    ")
    fn.__doc__ = f"{doc}\n\n    >>> import numpy as np\n    >>> {call}\n    {output}\n"
    fn.__module__ = __name__
    add(SCIPY_FFTPACK, name, COMPOSITE, fn)
    globals()[name] = fn
    __all__.append(name)


# ---- the transforms, with fftpack's signatures ----------------------------------------------
def _complex_transform(name):
    target = _fft(name)
    if name in ("fft", "ifft"):
        return lambda x, n=None, axis=-1: target(x, n=n, axis=axis)
    default_axes = (-2, -1) if name.endswith("2") else None
    return lambda x, shape=None, axes=default_axes: target(x, s=shape, axes=axes)


for _name in ("fft", "ifft", "fftn", "ifftn", "fft2", "ifft2"):
    _register(_name, _plain_or(_name, _complex_transform(_name)),
              f"``scipy.fftpack.{_name}``, differentiable (``chainrule.scipy.fft.{_name}`` with "
              f"fftpack's signature).")


def _moved(x, axis, n, real=True):
    """``x`` with ``axis`` last, cut or zero-padded to ``n`` there."""
    x = cnp.moveaxis(cnp.asarray(x), axis, -1)
    m = shape(x)[-1]
    if n is None or n == m:
        return x, m
    if n < m:
        return x[..., :n], n
    pad = [(0, 0)] * (len(shape(x)) - 1) + [(0, n - m)]
    return cnp.pad(x, pad), n


def _rfft_packed(x, n=None, axis=-1):
    x, n = _moved(x, axis, n)
    if n < 1:
        raise ValueError(f"invalid number of data points ({n}) specified")
    y = _fft("rfft")(x, axis=-1)
    re, im = cnp.real(y), cnp.imag(y)
    m = (n + 1) // 2           # the complex pairs y(1) .. y(m - 1)
    pairs = cnp.reshape(cnp.stack([re[..., 1:m], im[..., 1:m]], axis=-1),
                        shape(re)[:-1] + (2 * (m - 1),))
    parts = [re[..., :1], pairs] + ([re[..., m:m + 1]] if n % 2 == 0 else [])
    return cnp.moveaxis(cnp.concatenate(parts, axis=-1), -1, axis)


def _irfft_packed(x, n=None, axis=-1):
    x, n = _moved(x, axis, n)
    if n < 1:
        raise ValueError(f"invalid number of data points ({n}) specified")
    m = (n + 1) // 2
    body = cnp.reshape(x[..., 1:2 * m - 1], shape(x)[:-1] + (m - 1, 2))
    spectrum = [x[..., :1] + 0j, body[..., 0] + 1j * body[..., 1]]
    if n % 2 == 0:
        spectrum.append(x[..., n - 1:n] + 0j)
    y = _fft("irfft")(cnp.concatenate(spectrum, axis=-1), n=n, axis=-1)
    return cnp.moveaxis(y, -1, axis)


def _real_only(fn, name):
    def real_fn(x, n=None, axis=-1):
        if np.iscomplexobj(np.empty(0, dtype=cnp.asarray(x).dtype)):
            raise TypeError(f"1st argument must be real sequence (scipy.fftpack.{name})")
        return fn(x, n, axis)
    return real_fn


_register("rfft", _plain_or("rfft", _real_only(_rfft_packed, "rfft")),
          "``scipy.fftpack.rfft``: the real FFT in fftpack's packed format ``[y(0), Re y(1), "
          "Im y(1), ...]``, differentiable.")
_register("irfft", _plain_or("irfft", _real_only(_irfft_packed, "irfft")),
          "``scipy.fftpack.irfft``: the inverse of :func:`rfft`'s packed format, "
          "differentiable.")


_INVERSE_TYPE = {1: 1, 2: 3, 3: 2, 4: 4}


def _trig(name):
    """fftpack's DCT/DST with its signature; its inverses without ``norm`` are unnormalized
    (the forward transform of the inverse type), where scipy.fft's divide by 2N."""
    target = _fft(name)
    forward = _fft(name[1:]) if name.startswith("i") else None

    def pick(kind, norm):
        if forward is not None and norm is None:
            return forward, _INVERSE_TYPE[kind]
        return target, kind
    if name.endswith("n"):
        def nd(x, type=2, shape=None, axes=None, norm=None):
            fn, kind = pick(type, norm)
            return fn(x, type=kind, s=shape, axes=axes, norm=norm)
        return nd

    def one(x, type=2, n=None, axis=-1, norm=None):
        fn, kind = pick(type, norm)
        return fn(x, type=kind, n=n, axis=axis, norm=norm)
    return one


for _name in ("dct", "idct", "dst", "idst", "dctn", "idctn", "dstn", "idstn"):
    _register(_name, _plain_or(_name, _trig(_name)),
              f"``scipy.fftpack.{_name}``, differentiable (``chainrule.scipy.fft.{_name}`` "
              f"with fftpack's signature).")


# ---- the pseudo-differential operators: SciPy's values, SciPy's transposes --------------------
def _operator_impl(x, *, name, args):
    return getattr(_fftpack(), name)(x, *args)


def _transposed(name, args):
    """(name, args, sign) of the transpose of ``name(., *args)``: a real Fourier multiplier
    whose symbol is odd in k transposes to minus itself, an even one to itself, a shift by a
    to the shift by -a."""
    if name == "shift":
        return name, (-args[0],) + tuple(args[1:]), 1.0
    if name == "diff":
        return name, args, -1.0 if args[0] % 2 else 1.0
    if name in ("ss_diff", "cc_diff"):
        return name, args, 1.0
    return name, args, -1.0   # tilbert, itilbert, hilbert, ihilbert, cs_diff, sc_diff


def _operator_jvp(primals, tangents, name, args):
    (x,), (t,) = primals, tangents
    return pseudo_diff(x, name=name, args=args), pseudo_diff(t, name=name, args=args)


def _operator_vjp(g, ans, x, name, args):
    tname, targs, sign = _transposed(name, args)
    out = pseudo_diff(g, name=tname, args=targs)
    n = shape(g)[-1]
    if name == "shift" and n % 2 == 0:
        # A real sequence's Nyquist term cannot turn: SciPy multiplies it by cos θ + sin θ
        # (θ = a·n/2), which is its own transpose; shift(-a) has cos θ - sin θ there.
        a = args[0] if args[1] is None else args[0] * 2 * np.pi / args[1]
        alternating = np.where(np.arange(n) % 2, -1.0, 1.0)
        nyquist = cnp.sum(g * alternating, axis=-1, keepdims=True) * alternating
        out = out + nyquist * (2 * np.sin(a * n / 2) / n)
    return -out if sign < 0 else out


pseudo_diff = Primitive("fftpack_pseudo_diff", _operator_impl)
declare(pseudo_diff, jvp=_operator_jvp, vjp=[_operator_vjp], batch=loop_batch(pseudo_diff),
        names=())


def _shifted(name):
    target = _fft(name)

    def fn(x, axes=None):
        return target(x, axes=axes)
    fn.__name__ = fn.__qualname__ = name
    return fn


def _operator(name):
    def fn(x, *args, **kwargs):
        numpy_fn = getattr(_fftpack(), name)
        if _traced(*args, *kwargs.values()):
            raise TypeError(f"scipy.fftpack.{name} is differentiable in x only; pass its "
                            f"parameters as numbers")
        if not _traced(x):
            return numpy_fn(x, *args, **kwargs)
        # (SciPy's keyword names, in its order: (order, period), (h, period), (a, b, period)...)
        import inspect
        bound = inspect.signature(numpy_fn).bind(x, *args, **kwargs)
        bound.apply_defaults()
        params = tuple(v for k, v in bound.arguments.items() if k not in ("x", "_cache"))
        if name == "diff" and params[0] == 0:
            return cnp.asarray(x) + 0   # (a copy: SciPy returns x itself)
        return pseudo_diff(cnp.asarray(x), name=name, args=params)
    fn.__name__ = fn.__qualname__ = name
    return fn


_OPERATORS = {"diff": "the periodic sequence's derivative of order ``order`` (``period``)",
              "tilbert": "the h-Tilbert transform", "itilbert": "the inverse h-Tilbert transform",
              "hilbert": "the Hilbert transform", "ihilbert": "the inverse Hilbert transform",
              "cs_diff": "the (a, b)-cosh/sinh pseudo-derivative",
              "sc_diff": "the (a, b)-sinh/cosh pseudo-derivative",
              "ss_diff": "the (a, b)-sinh/sinh pseudo-derivative",
              "cc_diff": "the (a, b)-cosh/cosh pseudo-derivative",
              "shift": "the periodic sequence shifted by ``a``"}
for _name, _what in _OPERATORS.items():
    _register(_name, _operator(_name),
              f"``scipy.fftpack.{_name}``: {_what}; SciPy's values, differentiable in ``x``.")

for _name in ("fftshift", "ifftshift"):
    _register(_name, _shifted(_name), f"``scipy.fftpack.{_name}`` (differentiable: a "
                                      f"permutation).")
for _name in ("fftfreq", "rfftfreq", "next_fast_len"):
    add(SCIPY_FFTPACK, _name, CREATION, _fft(_name))   # (the same values as fftpack's)
    globals()[_name] = _fft(_name)
    __all__.append(_name)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    if name in ("convolve", "basic", "helper", "pseudo_diffs", "realtransforms"):
        return getattr(_fftpack(), name)   # SciPy's own submodules
    from ..namespaces import not_wrapped
    raise not_wrapped(SCIPY_FFTPACK, name)
