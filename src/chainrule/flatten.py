"""``cr.flatten(tree) -> (vector, unflatten)``: a pytree of arrays as one flat vector, and
back (HIPS autograd's ``misc.flatten``, JAX's ``ravel_pytree``). Both directions are
differentiable, so an optimiser that wants a vector (``scipy.optimize.minimize``) can drive
a model whose parameters are a dict of arrays (see docs/optimize.md).

>>> import numpy as np, chainrule as cr
>>> v, unflatten = flatten({"w": np.ones((2, 2)), "b": 3.0})
>>> v
array([3., 1., 1., 1., 1.])
>>> unflatten(v * 2)["w"]
array([[2., 2.],
       [2., 2.]])
"""

import math

import numpy as np

from .core import tree as _tree
from .primitives import basic as _B
from .primitives import composites as _C
from .primitives.util import shape as _shape, lower as _lower

__all__ = ["flatten"]


def flatten(tree):
    """Flatten the array leaves of ``tree`` into one 1-D vector; return it and ``unflatten``,
    which maps a vector of that size back to a tree of the same structure, shapes and dtypes.

    The vector's dtype is the leaves' common floating type (float64 for Python numbers and
    integers); ``unflatten`` casts each piece back to its leaf's dtype (an integer leaf has
    no derivative; entries that are not whole numbers for it are an error, never truncated).

    >>> import numpy as np, chainrule as cr
    >>> w, unflatten = cr.flatten({"W": np.ones((2, 2)), "b": np.zeros(2)})
    >>> w
    array([1., 1., 1., 1., 0., 0.])
    >>> unflatten(2 * w)["W"]
    array([[2., 2.],
           [2., 2.]])
    """
    leaves, treedef = _tree.flatten(tree)
    shapes = [tuple(_shape(x)) for x in leaves]
    dtypes = [np.result_type(_lower(x)) for x in leaves]
    sizes = [math.prod(s) for s in shapes]
    common = np.result_type(np.float16, *dtypes) if dtypes else np.dtype(np.float64)
    if common.kind not in "fc":
        common = np.dtype(np.float64)
    if all(isinstance(x, (float, int)) and not isinstance(x, bool) for x in leaves):
        common = np.dtype(np.float64)
    parts = [_C.ravel(_C.astype(x, common) if dt != common else x)
             for x, dt in zip(leaves, dtypes)]
    vector = _C.concatenate(parts) if parts else np.zeros(0, dtype=common)

    def unflatten(v):
        if _shape(v) != (sum(sizes),):
            raise ValueError(f"unflatten expects a vector of shape ({sum(sizes)},), "
                             f"got {_shape(v)}")
        out, start = [], 0
        for s, n, dt in zip(shapes, sizes, dtypes):
            piece = _B.reshape(_B.getitem(v, index=(slice(start, start + n),)), shape=s)
            if np.result_type(_lower(piece)).kind == "c" and dt.kind != "c":
                piece = _real_part(piece, len(out))
            if dt.kind in "biu":
                _check_whole(piece, dt, len(out))
            if np.result_type(_lower(piece)) != dt:
                piece = _C.astype(piece, dt)
            out.append(piece)
            start += n
        return _tree.unflatten(treedef, out)

    return vector, unflatten


def _check_whole(piece, dt, k):
    """An integer (or bool) leaf takes whole numbers (0 and 1) only: casting 1.5 would
    truncate it silently, as a step of an optimiser over the vector would be lost."""
    if isinstance(piece, np.ndarray) or np.isscalar(piece):
        values = np.asarray(piece)
        if values.dtype.kind in "fc":
            bad = ~np.isfinite(values) | (values != np.round(values.real))
            if dt.kind == "b":
                bad |= (values != 0) & (values != 1)
            if np.any(bad):
                raise ValueError(
                    f"unflatten: leaf {k} has dtype {dt}, but its entries of the vector are not "
                    f"{'0 or 1' if dt.kind == 'b' else 'whole numbers'} (e.g. "
                    f"{values[bad].ravel()[0]}), which the cast to {dt} would change silently; make the leaf a float "
                    f"if it is a parameter (np.asarray(leaf, dtype=float)), or keep it out "
                    f"of the tree")


def _real_part(piece, k):
    """The complex entries of a real leaf as real values: an imaginary part that is not 0
    would be lost, so it is an error (a traced piece gives its real part: the transpose of
    the real leaf's embedding into the complex vector)."""
    if isinstance(piece, np.ndarray) and np.any(piece.imag != 0):
        raise ValueError(f"unflatten: leaf {k} is real, but its entries of the vector have a "
                         f"nonzero imaginary part, which would be dropped; take the real part "
                         f"first if that is what you want")
    return _B.real(piece)
