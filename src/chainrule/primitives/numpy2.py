"""NumPy 2's new names, built from the primitives (exact derivatives, vmap and jit for free):
``vecdot``, ``matvec``, ``vecmat``, ``unstack``, ``cumulative_sum``, ``cumulative_prod``,
``matrix_transpose``, and ``numpy.linalg``'s Array-API functions (``vector_norm``,
``matrix_norm``, ``svdvals``, ``outer``, ``cross``, ``diagonal``, ``trace``, ``matmul``,
``tensordot``, ``vecdot``, ``matrix_transpose``, ``tensorinv``).

>>> import chainrule as cr
>>> cr.grad(lambda v: vecdot(v, np.array([1.0, 2.0])))(np.array([3.0, 4.0]))
array([1., 2.])
"""

import math

import numpy as np

from ..core import registry
from ..core.registry import LINALG, NUMPY, lookup
from .declare import export
from .util import shape, ndim, lower, result_type, axis_index, owned_result
from . import basic as B
from . import elementwise as E
from . import structural as S
from . import composites as C
from . import manipulation as M


def _public(namespace, name):
    return lookup(namespace, name).obj


def _array(x):
    return C.array(x) if isinstance(x, (list, tuple)) else x


def _conj_if_complex(x):
    return E.conj(x) if result_type(lower(x)).kind == "c" else x


def _gufunc_only(name, kwargs):
    if kwargs.get("out") is not None:
        raise C.out_argument_error(name)
    extra = set(kwargs) - {"out"}
    if extra:
        raise TypeError(f"{name}: the ufunc keywords {sorted(extra)} are not supported on traced "
                        f"values (axis= is; move axes with cnp.moveaxis first)")


@export("vecdot")
def vecdot(x1, x2, /, *, axis=-1, **kwargs):
    """Σ conj(x1)·x2 along ``axis`` (numpy.vecdot; the other axes broadcast).

    >>> float(vecdot(np.array([1.0, 2.0]), np.array([3.0, 4.0])))
    11.0
    """
    _gufunc_only("vecdot", kwargs)
    x1, x2 = _array(x1), _array(x2)
    if ndim(x1) == 0 or ndim(x2) == 0:
        raise ValueError("vecdot: the inputs must be (stacks of) vectors, not 0-d")
    n1, n2 = shape(x1)[axis], shape(x2)[axis]
    if n1 != n2:
        raise ValueError(f"vecdot: the vectors along axis {axis} have lengths {n1} and {n2}; "
                         f"they must be equal")
    x1, x2 = C.moveaxis(x1, axis, -1), C.moveaxis(x2, axis, -1)
    r = B.reduce_sum(_conj_if_complex(x1) * x2, axis=-1)
    if result_type(lower(x1), lower(x2)) == np.bool_:  # NumPy's: any(x1 & x2), a bool
        r = E.astype(r, dtype=np.dtype(bool))
    return C.handed_out(r, None)


@export()
def matvec(x1, x2, /, **kwargs):
    """Matrix times vector, x1 (…, m, n) by x2 (…, n) → (…, m) (numpy.matvec).

    >>> matvec(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, 1.0]))
    array([3., 7.])
    """
    _gufunc_only("matvec", kwargs)
    x1, x2 = _array(x1), _array(x2)
    if ndim(x1) < 2 or ndim(x2) < 1:
        raise ValueError("matvec: x1 must be (a stack of) matrices and x2 (of) vectors")
    return C.matmul(x1, C.expand_dims(x2, -1))[..., 0]


@export()
def vecmat(x1, x2, /, **kwargs):
    """Conjugated vector times matrix, conj(x1) (…, n) by x2 (…, n, m) → (…, m)
    (numpy.vecmat).

    >>> vecmat(np.array([1.0, 1.0]), np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([4., 6.])
    """
    _gufunc_only("vecmat", kwargs)
    x1, x2 = _array(x1), _array(x2)
    if ndim(x1) < 1 or ndim(x2) < 2:
        raise ValueError("vecmat: x1 must be (a stack of) vectors and x2 (of) matrices")
    return C.matmul(C.expand_dims(_conj_if_complex(x1), -2), x2)[..., 0, :]


@export()
@owned_result
def unstack(x, /, *, axis=0):
    """The slices of ``x`` along ``axis``, as a tuple (numpy.unstack; the inverse of stack).

    >>> unstack(np.array([[1.0, 2.0], [3.0, 4.0]]), axis=1)
    (array([1., 3.]), array([2., 4.]))
    """
    x = _array(x)
    if ndim(x) == 0:
        raise ValueError("Input array must be at least 1-d.")
    x = C.moveaxis(x, axis, 0)
    return tuple(x[i] for i in range(shape(x)[0]))


@export()
@owned_result
def matrix_transpose(x, /):
    """The last two axes swapped (numpy.matrix_transpose, ``x.mT``).

    >>> matrix_transpose(np.arange(6.0).reshape(1, 2, 3)).shape
    (1, 3, 2)
    """
    x = _array(x)
    if ndim(x) < 2:
        raise ValueError(f"matrix_transpose: input must be at least 2-D, not {ndim(x)}-D")
    return C.swapaxes(x, -1, -2)


def _cumulative(name, scan, one, x, axis, dtype, out, include_initial):
    if out is not None:
        raise C.out_argument_error(name)
    x = _array(x)
    if ndim(x) == 0:
        x = C.reshape(x, (1,))  # NumPy's: a 0-d input is a 1-d one
    if axis is None:
        if ndim(x) > 1:
            raise ValueError("For arrays which have more than one dimension ``axis`` argument "
                             "is required.")
        axis = 0
    ax = axis_index(axis, ndim(x))
    r = scan(x, axis=ax, dtype=dtype)
    if not include_initial:
        return r
    first = tuple(1 if i == ax else n for i, n in enumerate(shape(r)))
    return C.concatenate([np.full(first, one, dtype=result_type(lower(r))), r], axis=ax)


@export()
def cumulative_sum(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """Cumulative sum (numpy.cumulative_sum); ``include_initial=True`` puts the empty sum 0
    first.

    >>> cumulative_sum(np.array([1.0, 2.0, 3.0]), include_initial=True)
    array([0., 1., 3., 6.])
    """
    return _cumulative("cumulative_sum", _public(NUMPY, "cumsum"), 0, x, axis, dtype, out,
                       include_initial)


@export()
def cumulative_prod(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """Cumulative product (numpy.cumulative_prod), exact derivatives at zeros as
    :func:`~chainrule.numpy.cumprod`; ``include_initial=True`` puts the empty product 1 first.

    >>> cumulative_prod(np.array([2.0, 3.0]), include_initial=True)
    array([1., 2., 6.])
    """
    return _cumulative("cumulative_prod", C.cumprod, 1, x, axis, dtype, out, include_initial)


# ---- numpy.linalg's Array-API names ----------------------------------------------------------
@export("vecdot", namespace=LINALG)
def linalg_vecdot(x1, x2, /, *, axis=-1):
    """numpy.linalg.vecdot: Σ conj(x1)·x2 along ``axis``.

    >>> float(linalg_vecdot(np.array([1.0, 2.0]), np.array([3.0, 4.0])))
    11.0
    """
    return vecdot(x1, x2, axis=axis)


@export("matrix_transpose", namespace=LINALG)
@owned_result
def linalg_matrix_transpose(x, /):
    """numpy.linalg.matrix_transpose: the last two axes swapped.

    >>> linalg_matrix_transpose(np.array([[1.0, 2.0]]))
    array([[1.],
           [2.]])
    """
    return matrix_transpose(x)


@export(namespace=LINALG)
def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """The vector norm over ``axis`` (None: all entries; a tuple: those axes as one vector),
    numpy.linalg.vector_norm.

    >>> float(vector_norm(np.array([[3.0, 0.0], [0.0, 4.0]])))
    5.0
    """
    x = _array(x)
    if isinstance(ord, str):  # ('fro', 'nuc': matrix_norm's)
        raise ValueError(f"Invalid norm order {ord!r} for vectors")
    nd, shp = ndim(x), shape(x)
    if axis is None:
        axes = tuple(range(nd))
    else:
        axes = tuple(axis_index(a, nd) for a in (axis if isinstance(axis, tuple) else (axis,)))
    rest = tuple(i for i in range(nd) if i not in axes)
    v = C.reshape(C.transpose(x, axes + rest),
                  (math.prod(shp[i] for i in axes),) + tuple(shp[i] for i in rest))
    r = _public(LINALG, "norm")(v, ord=ord, axis=0)
    if keepdims:
        r = C.reshape(r, tuple(1 if i in axes else n for i, n in enumerate(shp)))
    return r


@export(namespace=LINALG)
def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """The matrix norm of the last two axes (numpy.linalg.matrix_norm).

    >>> float(matrix_norm(np.array([[3.0, 0.0], [0.0, 4.0]]), ord=2))
    4.0
    """
    return _public(LINALG, "norm")(_array(x), ord=ord, axis=(-2, -1), keepdims=keepdims)


@export(namespace=LINALG)
def svdvals(x, /):
    """The singular values, largest first (numpy.linalg.svdvals); d s/dA = u vᵀ.

    >>> svdvals(np.array([[3.0, 0.0], [0.0, -4.0]]))
    array([4., 3.])
    """
    return _public(LINALG, "svd")(_array(x), compute_uv=False)


@export("outer", namespace=LINALG)
def linalg_outer(x1, x2, /):
    """numpy.linalg.outer: the outer product of two 1-D arrays.

    >>> linalg_outer(np.array([1.0, 2.0]), np.array([3.0]))
    array([[3.],
           [6.]])
    """
    x1, x2 = _array(x1), _array(x2)
    if ndim(x1) != 1 or ndim(x2) != 1:
        raise ValueError(f"Input arrays must be one-dimensional, but they are "
                         f"x1.ndim={ndim(x1)} and x2.ndim={ndim(x2)}.")
    return C.outer(x1, x2)


@export("cross", namespace=LINALG)
def linalg_cross(x1, x2, /, *, axis=-1):
    """numpy.linalg.cross: the cross product of 3-vectors along ``axis``.

    >>> linalg_cross(np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0]))
    array([0., 0., 1.])
    """
    x1, x2 = _array(x1), _array(x2)
    if shape(x1)[axis] != 3 or shape(x2)[axis] != 3:
        raise ValueError(f"Both input arrays must be (arrays of) 3-dimensional vectors, but they "
                         f"are {shape(x1)[axis]} and {shape(x2)[axis]} dimensional instead.")
    return M.cross(x1, x2, axis=axis)


@export("diagonal", namespace=LINALG)
@owned_result
def linalg_diagonal(x, /, *, offset=0):
    """numpy.linalg.diagonal: the diagonals of the last two axes.

    >>> linalg_diagonal(np.array([[1.0, 2.0], [3.0, 4.0]]), offset=1)
    array([2.])
    """
    return C.diagonal(_array(x), offset, -2, -1)


@export("trace", namespace=LINALG)
def linalg_trace(x, /, *, offset=0, dtype=None):
    """numpy.linalg.trace: the traces of the last two axes.

    >>> float(linalg_trace(np.array([[1.0, 2.0], [3.0, 4.0]])))
    5.0
    """
    return C.trace(C.in_dtype(_array(x), dtype), offset, -2, -1)


@export("matmul", namespace=LINALG)
def linalg_matmul(x1, x2, /):
    """numpy.linalg.matmul, which is matmul.

    >>> linalg_matmul(np.eye(2), np.array([1.0, 2.0]))
    array([1., 2.])
    """
    return C.matmul(_array(x1), _array(x2))


@export("tensordot", namespace=LINALG)
def linalg_tensordot(x1, x2, /, *, axes=2):
    """numpy.linalg.tensordot, which is tensordot with ``axes`` by keyword.

    >>> float(linalg_tensordot(np.eye(2), np.eye(2)))
    2.0
    """
    return C.tensordot(_array(x1), _array(x2), axes=axes)


@export(namespace=LINALG)
def tensorinv(a, ind=2):
    """The inverse of ``a`` as a linear map from its first ``ind`` axes' space to the rest's
    (numpy.linalg.tensorinv): tensordot(tensorinv(a), a, ind) is the identity.

    >>> tensorinv(np.eye(4).reshape(4, 2, 2), ind=1).shape
    (2, 2, 4)
    """
    a = _array(a)
    if ind <= 0:
        raise ValueError("Invalid ind argument.")
    old = shape(a)
    rows = math.prod(old[ind:])
    inv = _public(LINALG, "inv")(C.reshape(a, (rows, -1)))
    return C.reshape(inv, old[ind:] + old[:ind])


# ``except cnp.linalg.LinAlgError`` in a program moved from NumPy: NumPy's own class
registry.add(LINALG, "LinAlgError", registry.CREATION, np.linalg.LinAlgError)
