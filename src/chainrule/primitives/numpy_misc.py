"""More NumPy names, built from the primitives: ``diagflat``, ``nancumsum``,
``nancumprod``, ``nanmedian``, ``nanargmax``/``nanargmin``, ``trim_zeros``, ``resize``,
``extract``, ``sort_complex``, ``unwrap``; the array conversions (``asanyarray``,
``ascontiguousarray``, ``asfortranarray``, ``asarray_chkfinite``, ``require``: the identity
on traced values, a copy of plain ones); and NumPy's in-place writers (``put``, ``place``,
``putmask``, ``copyto``, ``fill_diagonal``), which work on plain arrays as NumPy's do and
refuse traced values with the functional form to use instead.

>>> import chainrule as cr
>>> cr.grad(lambda x: nancumsum(x)[-1])(np.array([1.0, np.nan, 2.0]))
array([1., 0., 1.])
"""

import numpy as np

from ..core.primitive import Primitive, Tracer, InPlaceError, concrete_value
from ..core import registry
from ..interpreters.batching import BatchedValueError
from .declare import declare, export
from .util import shape, ndim, lower, result_type, owned_result
from . import basic as B
from . import elementwise as E
from . import structural as S
from . import composites as C
from . import more_numpy as MN
from . import quantiles as Q
from . import numpy_extras as X


def _as_array(x):
    return C.array(x) if isinstance(x, (list, tuple)) else x


@export()
def diagflat(v, k=0):
    """A 2-D array with the flattened input on its ``k``-th diagonal (numpy.diagflat).

    >>> diagflat(np.array([[1.0, 2.0]]))
    array([[1., 0.],
           [0., 2.]])
    """
    return C.diag(C.ravel(_as_array(v)), k)


def _nan_to(x, v):
    x = _as_array(x)
    if result_type(lower(x)).kind not in "fc":
        return x
    return E.where(E.isnan(x), np.zeros((), result_type(lower(x))) + v, x)


@export()
def nancumsum(a, axis=None, dtype=None, out=None):
    """Cumulative sum with nan counted as 0 (numpy.nancumsum); nan entries get a zero
    derivative.

    >>> nancumsum(np.array([1.0, np.nan, 2.0]))
    array([1., 1., 3.])
    """
    if out is not None:
        raise C.out_argument_error("nancumsum")
    return registry.lookup(registry.NUMPY, "cumsum").obj(_nan_to(a, 0), axis=axis, dtype=dtype)


@export()
def nancumprod(a, axis=None, dtype=None, out=None):
    """Cumulative product with nan counted as 1 (numpy.nancumprod).

    >>> nancumprod(np.array([2.0, np.nan, 3.0]))
    array([2., 2., 6.])
    """
    if out is not None:
        raise C.out_argument_error("nancumprod")
    return C.cumprod(_nan_to(a, 1), axis=axis, dtype=dtype)


@export()
def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The median of the non-nan values (numpy.nanmedian): the mean of the middle one or two,
    nan for a slice of nans only; the nan entries get a zero derivative.

    >>> float(nanmedian(np.array([1.0, np.nan, 4.0, 2.0])))
    2.0
    """
    if out is not None:
        raise C.out_argument_error("nanmedian")
    # NumPy's mean of the middle one or two (interpolating from inf to inf gives nan)
    a = _as_array(a)
    lo, hi = (Q.nanquantile(a, 0.5, axis=axis, method=m, keepdims=keepdims)
              for m in ("lower", "higher"))
    return lo * 0.5 + hi * 0.5


def _nanarg(name, fill):
    fn = getattr(np, name)
    p = Primitive(name, lambda x, axis=None, keepdims=False: fn(x, axis=axis, keepdims=keepdims))

    def public(a, axis=None, out=None, *, keepdims=False):
        if out is not None:
            raise C.out_argument_error(name)
        return p(_as_array(a), axis=axis, keepdims=keepdims)
    public.__name__ = name
    public.__doc__ = (f"numpy.{name}: the index of the {'largest' if fill < 0 else 'smallest'} "
                      f"non-nan entry (an integer: zero derivative; a slice of nans only "
                      f"raises ValueError, as NumPy).\n\n    >>> int({name}(np.array([1.0, "
                      f"np.nan, {'3.0' if fill < 0 else '-3.0'}])))\n    2\n    ")
    declare(p, jvp=None, vjp=None, batch=S._arg_batch(p), family="reduction", public=public)
    return public


nanargmax = _nanarg("nanargmax", -1)
nanargmin = _nanarg("nanargmin", 1)


@export()
@owned_result
def trim_zeros(filt, trim="fb", axis=None):
    """``filt`` without its leading (``'f'``) and/or trailing (``'b'``) zeros
    (numpy.trim_zeros): the kept entries are gathered by their positions, which are chosen
    on the values (under vmap example by example; the lengths must agree).

    >>> trim_zeros(np.array([0.0, 1.0, 2.0, 0.0]))
    array([1., 2.])
    """
    filt = _as_array(filt)
    trim = trim.lower()
    if any(c not in "fb" for c in trim):
        raise ValueError(f"unexpected character(s) in `trim`: {trim!r}")
    nd = ndim(filt)
    axes = range(nd) if axis is None else [a % nd for a in np.atleast_1d(axis)]
    out = filt
    for ax in axes:
        others = tuple(i for i in range(nd) if i != ax)
        nonzero = E.not_equal(filt, 0)
        if others:
            nonzero = S.reduce_any(nonzero, axis=others)
        nz = E.astype(nonzero, dtype=np.dtype(np.intp))
        upto = S.cumsum(nz, axis=0)                           # nonzeros at or before i
        after = B.reduce_sum(nz) - upto + nz                  # nonzeros at or after i
        keep = np.ones(shape(filt)[ax], bool)
        if "f" in trim:
            keep = E.logical_and(keep, E.greater(upto, 0))
        if "b" in trim:
            keep = E.logical_and(keep, E.greater(after, 0))
        idx = X.flatnonzero(keep)
        idx = B.reshape(idx, shape=tuple(-1 if i == ax else 1 for i in range(nd)))
        target = tuple(shape(idx)[ax] if i == ax else n for i, n in enumerate(shape(out)))
        out = C.take_along_axis(out, B.broadcast_to(idx, shape=target), axis=ax)
    return out


@export()
def resize(a, new_shape):
    """``a``'s entries repeated in order to fill ``new_shape`` (numpy.resize).

    >>> resize(np.array([1.0, 2.0, 3.0]), (2, 2))
    array([[1., 2.],
           [3., 1.]])
    """
    a = _as_array(a)
    new_shape = (new_shape,) if isinstance(new_shape, (int, np.integer)) else tuple(new_shape)
    if any(n < 0 for n in new_shape):
        raise ValueError("all elements of `new_shape` must be non-negative")
    flat = C.ravel(a)
    size = int(np.prod(new_shape, dtype=np.intp))
    n = shape(flat)[0]
    if n == 0 or size == 0:
        return np.zeros(new_shape, dtype=result_type(lower(a)))
    reps = -(-size // n)
    return C.reshape(C.tile(flat, reps)[:size], new_shape)


@export()
def extract(condition, arr):
    """The entries of ``arr`` where ``condition`` is true, flattened (numpy.extract).

    >>> extract(np.array([True, False, True]), np.array([1.0, 2.0, 3.0]))
    array([1., 3.])
    """
    idx = X.flatnonzero(C.ravel(_as_array(condition)))
    return C.take_along_axis(C.ravel(_as_array(arr)), idx, axis=0)


@export()
def sort_complex(a):
    """Sorted by real part, then imaginary part, as a complex array (numpy.sort_complex).

    >>> sort_complex(np.array([2.0, 1.0]))
    array([1.+0.j, 2.+0.j])
    """
    b = C.sort(_as_array(a), axis=-1)
    dt = result_type(lower(b))
    if dt.kind == "c":
        return b
    # NumPy's choice: small integers to complex64, long double to its complex, the rest
    # (float32 included) to complex128
    target = np.complex64 if dt.char in "bhBH" else np.clongdouble if dt.char == "g" \
        else np.complex128
    return E.astype(b, dtype=np.dtype(target))


@export()
def unwrap(p, discont=None, axis=-1, *, period=2 * np.pi):
    """Phases with their jumps of more than ``discont`` replaced by their complement modulo
    ``period`` (numpy.unwrap). The correction is piecewise constant: d unwrap/dp is the
    identity away from the jumps.

    >>> unwrap(np.array([0.0, 3.0, 6.5])).round(6)
    array([0.      , 3.      , 0.216815])
    """
    p = _as_array(p)
    dd = MN.diff(p, axis=axis)
    if discont is None:
        discont = period / 2
    dt = np.result_type(result_type(lower(dd)), period)
    if np.issubdtype(dt, np.integer):
        high, rem = divmod(period, 2)
        ambiguous = rem == 0
    else:
        high, ambiguous = period / 2, True
    low = -high
    # the correction from the values alone (stop_gradient): its derivative is 0 anyway
    d = E.stop_gradient(dd)
    ddmod = MN.mod(d - low, period) + low
    if ambiguous:
        ddmod = E.where(E.logical_and(E.equal(ddmod, low), E.greater(d, 0)), high, ddmod)
    correct = E.where(E.less(E.absolute(d), discont), 0, ddmod - d)
    ax = axis % ndim(p)
    head = p[(slice(None),) * ax + (slice(0, 1),)]
    tail = p[(slice(None),) * ax + (slice(1, None),)]
    up = C.concatenate([head, tail + registry.lookup(registry.NUMPY, "cumsum").obj(
        correct, axis=ax)], axis=ax)
    return up if result_type(lower(up)) == dt else E.astype(up, dtype=dt)


# ---- conversions: the identity on traced values ----------------------------------------------------
def _converted(a, dtype, plain):
    """A traced ``a`` itself (in ``dtype``); a plain one converted by NumPy's ``plain`` from a
    copy, so that an output never is the caller's array."""
    if isinstance(a, Tracer) or (isinstance(a, (list, tuple)) and C._contains_tracer(a)):
        return C.array(a, dtype=dtype)
    return plain(np.array(a, dtype=dtype, copy=True))


@export()
def asanyarray(a, dtype=None, order=None, *, like=None):
    """numpy.asanyarray: the identity on traced values (a copy of plain ones).

    >>> asanyarray([1.0, 2.0])
    array([1., 2.])
    """
    return _converted(a, dtype, lambda x: x)


def _at_least_1d(x):
    # (NumPy's ascontiguousarray and asfortranarray: "ndim >= 1", a 0-d input is (1,))
    return C.reshape(x, (1,)) if ndim(x) == 0 else x


@export()
def ascontiguousarray(a, dtype=None, *, like=None):
    """numpy.ascontiguousarray: the identity on traced values (a C-ordered copy of plain ones).

    >>> ascontiguousarray(np.ones((2, 2)).T).flags["C_CONTIGUOUS"]
    True
    """
    return _at_least_1d(_converted(a, dtype, np.ascontiguousarray))


@export()
def asfortranarray(a, dtype=None, *, like=None):
    """numpy.asfortranarray: the identity on traced values (a Fortran-ordered copy of plain
    ones).

    >>> asfortranarray(np.ones((2, 2))).flags["F_CONTIGUOUS"]
    True
    """
    return _at_least_1d(_converted(a, dtype, np.asfortranarray))


@export()
def require(a, dtype=None, requirements=None, *, like=None):
    """numpy.require: the identity on traced values; plain ones get NumPy's flags.

    >>> require(np.ones(2), requirements="F").flags["F_CONTIGUOUS"]
    True
    """
    return _converted(a, dtype, lambda x: np.require(x, requirements=requirements))


@export()
def asarray_chkfinite(a, dtype=None, order=None):
    """numpy.asarray_chkfinite: ``a`` (the identity on traced values), after checking that it
    holds no inf or nan (ValueError, as NumPy). Under vmap the check is left out: it would
    need each example's values.

    >>> asarray_chkfinite([1.0, 2.0])
    array([1., 2.])
    """
    out = _converted(a, dtype, lambda x: x)
    if result_type(lower(out)).kind in "fc":
        try:
            finite = bool(concrete_value(S.reduce_all(E.isfinite(out)), "bool"))
        except BatchedValueError:
            finite = True
        if not finite:
            raise ValueError("array must not contain infs or NaNs")
    return out


# ---- in-place writers: NumPy's on plain arrays, refused on traced values ---------------------------
def _refuse_in_place(name, alternative, *args):
    if any(isinstance(x, Tracer) or (isinstance(x, (list, tuple)) and C._contains_tracer(x))
           for x in args):
        raise InPlaceError(
            f"numpy.{name} writes into an array in place, which cannot hold or keep a "
            f"derivative of traced values. Write  {alternative}  instead (a differentiable "
            f"updated copy; it takes plain arrays too).")


def put(a, ind, v, mode="raise"):
    """numpy.put on plain arrays (in place); traced values are refused with the functional
    form ``a = cnp.at(a)[ind].set(v)`` (the flattened index: ``cnp.at(a.ravel())``).

    >>> a = np.zeros(3); put(a, [1], 5.0); a
    array([0., 5., 0.])
    """
    _refuse_in_place("put", "a = chainrule.numpy.at(a.ravel())[ind].set(v).reshape(a.shape)",
                     a, ind, v)
    return np.put(a, ind, v, mode=mode)


def place(arr, mask, vals):
    """numpy.place on plain arrays (in place); traced values are refused with the functional
    form ``cnp.at(arr)[mask].set(vals)`` (or ``cnp.where``).

    >>> a = np.zeros(3); place(a, a == 0, [1.0, 2.0]); a
    array([1., 2., 1.])
    """
    _refuse_in_place("place", "arr = chainrule.numpy.at(arr)[mask].set(vals)  (or "
                     "chainrule.numpy.where(mask, vals, arr) for a full-size vals)",
                     arr, mask, vals)
    return np.place(arr, mask, vals)


def putmask(a, mask, values):
    """numpy.putmask on plain arrays (in place); traced values are refused with the
    functional form ``cnp.where(mask, values, a)``.

    >>> a = np.zeros(3); putmask(a, np.array([True, False, True]), 7.0); a
    array([7., 0., 7.])
    """
    _refuse_in_place("putmask", "a = chainrule.numpy.where(mask, values, a)", a, mask, values)
    return np.putmask(a, mask, values)


def copyto(dst, src, casting="same_kind", where=True):
    """numpy.copyto on plain arrays (in place); traced values are refused with the
    functional form ``cnp.where(where, src, dst)``.

    >>> d = np.zeros(2); copyto(d, np.array([1.0, 2.0])); d
    array([1., 2.])
    """
    _refuse_in_place("copyto", "dst = chainrule.numpy.where(where, src, dst)  (or dst = src)",
                     dst, src, where)
    return np.copyto(dst, src, casting=casting, where=where)


def fill_diagonal(a, val, wrap=False):
    """numpy.fill_diagonal on plain arrays (in place); traced values are refused with the
    functional form ``cnp.at(a)[cnp.diag_indices_from(a)].set(val)``.

    >>> a = np.zeros((2, 2)); fill_diagonal(a, 3.0); a
    array([[3., 0.],
           [0., 3.]])
    """
    _refuse_in_place("fill_diagonal", "a = chainrule.numpy.at(a)["
                     "chainrule.numpy.diag_indices_from(a)].set(val)", a, val)
    return np.fill_diagonal(a, val, wrap=wrap)


for _fn in (put, place, putmask, copyto, fill_diagonal):
    registry.add(registry.NUMPY, _fn.__name__, registry.CREATION, _fn)
