"""``vmap``: vectorise a function written for one example over a batch.

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> cr.vmap(lambda x, w: cnp.dot(w, x), in_axes=(0, None))(np.ones((5, 3)), np.arange(3.0))
array([3., 3., 3., 3., 3.])

``vmap`` composes with every transformation of chainrule, in either order:
``vmap(grad(loss), in_axes=(None, 0, 0))`` gives per-example gradients,
``grad(lambda p: cnp.sum(vmap(f, (None, 0))(p, xs)))`` differentiates a batched
computation, ``vmap(vmap(f))`` maps over two axes, ``jacfwd(vmap(f))`` works
because the rules are written with chainrule primitives.
"""

import functools

import numpy as np

from ..core import tree
from ..core.primitive import Tracer
from ..interpreters.batching import BatchTrace, BatchTracer
from ..primitives import basic, composites
from ..primitives.util import shape
from ..primitives.arrays import (array_api_only, route_to_standard, in_library_of, is_foreign,
                                 is_lazy)
from ..primitives.sparse import is_sparse
from .args import (check_callable, check_returned, own, arrays_in, matrix_error,
                   raise_store_error)

__all__ = ["vmap"]




def _is_axis_leaf(a):
    return a is None or isinstance(a, (int, np.integer))


def _prefix_leaves(prefix, value, what):
    """One axis spec per leaf of ``value``, broadcasting the pytree prefix ``prefix``."""
    if _is_axis_leaf(prefix):
        return [prefix] * len(tree.flatten(value)[0])
    pinfo = tree.split_node(prefix)
    tinfo = tree.split_node(value)
    if pinfo is None:
        raise TypeError(f"vmap: {what} entries must be an int, None or a container of them; "
                        f"got {prefix!r}")
    if tinfo is None or pinfo[0] != tinfo[0] or len(pinfo[2]) != len(tinfo[2]) or \
            (pinfo[0] == "dict" and list(pinfo[1]) != list(tinfo[1])):
        raise ValueError(f"vmap: {what} {prefix!r} does not match the structure of the "
                         f"value it describes ({tree.flatten(value)[1]})")
    out = []
    for p, v in zip(pinfo[2], tinfo[2]):
        out.extend(_prefix_leaves(p, v, what))
    return out


def _in_axes_per_arg(in_axes, nargs):
    if _is_axis_leaf(in_axes):
        return (in_axes,) * nargs
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)
    if not isinstance(in_axes, tuple):
        raise TypeError("vmap: in_axes must be an int, None, or a tuple with one entry per "
                        "positional argument")
    if len(in_axes) != nargs:
        raise ValueError(f"vmap: in_axes has {len(in_axes)} entries but the function was "
                         f"called with {nargs} positional argument(s)")
    return in_axes


def vmap(f, in_axes=0, out_axes=0):
    """Map ``f`` over an axis of its arguments: ``vmap(f)(xs)[i] == f(xs[i])``.

    ``in_axes`` says, for each positional argument, which axis holds the examples
    (an int, negative allowed) or that the argument is shared by all examples
    (None). It may be one value for all arguments, a tuple with one entry per
    argument, and each entry may itself be a pytree prefix of the argument (e.g.
    ``{"w": None, "b": 0}``). ``out_axes`` does the same for the outputs: where
    to put the batch axis in each result, or None for results that do not
    depend on the example (an error if they do).

    >>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
    >>> loss = lambda w, x, y: (cnp.dot(w, x) - y) ** 2
    >>> per_example = cr.vmap(cr.grad(loss), in_axes=(None, 0, 0))
    >>> per_example(np.ones(2), np.eye(2), np.zeros(2)).tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """
    check_callable(f, "vmap")
    @functools.wraps(f)
    def vmapped(*args, **kwargs):
        if kwargs:
            raise TypeError("vmap: pass mapped arguments positionally (keyword arguments are "
                            "not mapped); bind constants with functools.partial or a closure")
        axes = _in_axes_per_arg(in_axes, len(args))
        flat, in_tree = tree.flatten(tuple(args))
        if len(flat) == len(args) and in_tree.children and \
                all(c.kind == "leaf" for c in in_tree.children):
            leaf_axes = list(axes)  # fast path: every argument is one array
        else:
            leaf_axes = []
            for a, sub in zip(axes, args):
                leaf_axes.extend(_prefix_leaves(a, sub, "in_axes"))
        size = None
        norm = []
        for k, (x, ax) in enumerate(zip(flat, leaf_axes)):
            if ax is None:
                norm.append(None)
                continue
            if type(x) is not np.ndarray:
                if isinstance(x, np.matrix):
                    raise matrix_error("vmap")
                if is_sparse(x):   # (mapped as one object, the result silently wrong)
                    raise TypeError(
                        f"vmap: argument leaf {k} is a SciPy sparse matrix, which vmap cannot "
                        f"map over; pass it with in_axes=None (a constant shared by every "
                        f"example), or map over a dense array (A.toarray()) or over the "
                        f"nonzeros with chainrule.scipy.sparse.csr_matmul")
                if array_api_only(x):
                    route_to_standard(x)  # an Array API library's array: no NumPy function
            s = shape(x)
            if not s:
                raise ValueError(f"vmap: in_axes={ax} for a 0-d value (leaf {k}); scalars "
                                 f"cannot be mapped over; use in_axes=None for them")
            if not -len(s) <= ax < len(s):
                raise ValueError(f"vmap: in_axes={ax} is out of range for an argument of "
                                 f"shape {s} (leaf {k})")
            ax = int(ax) % len(s)
            if size is None:
                size = s[ax]
            elif s[ax] != size:
                raise ValueError(f"vmap: mapped axes have different sizes: {size} and {s[ax]} "
                                 f"(leaf {k}, shape {s}, axis {ax})")
            norm.append(ax)
        if size is None:
            raise ValueError("vmap: in_axes maps no argument (every entry is None); at least "
                             "one argument must have a batch axis")
        trace = BatchTrace(size)
        boxed = [x if ax is None else BatchTracer(trace, x, ax) for x, ax in zip(flat, norm)]
        try:
            out = f(*tree.unflatten(in_tree, boxed))
        except ValueError as e:
            raise_store_error(e)
            raise
        finally:
            trace.finish()
        check_returned(out, "vmap")
        out_flat, out_tree = tree.flatten(out)
        if _is_axis_leaf(out_axes):
            oaxes = [out_axes] * len(out_flat)
        else:
            oaxes = _prefix_leaves(out_axes, out, "out_axes")
        res = []
        for k, (o, oa) in enumerate(zip(out_flat, oaxes)):
            if isinstance(o, BatchTracer) and o._trace is trace:
                val, d = o._val, o._bdim
            else:
                val, d = o, None
            res.append(_place(val, d, oa, size, k))
        home = next((x for x, ax in zip(flat, norm) if ax is not None
                     and type(x) is not np.ndarray and is_foreign(x) and not is_lazy(x)), None)
        if home is not None:  # a CuPy or Array API input: an output made of constants too
            res = [_home(r, home) for r in res]
        inputs, given = arrays_in(flat), []
        return tree.unflatten(out_tree, [own(r, inputs, given) for r in res])

    return vmapped


def _home(r, home):
    """A NumPy output moved into the library of the input ``home``, unless that library has
    no such dtype (float16, objects, strings in array-api-strict): then NumPy's, as before."""
    if not isinstance(r, (np.ndarray, np.generic)):
        return r
    try:
        return in_library_of(r, home)
    except (AttributeError, TypeError, ValueError):
        return r


def _place(val, d, oa, size, k):
    """Put the batch axis of an output where ``out_axes`` asks for it."""
    if oa is None:
        if d is not None:
            raise ValueError(f"vmap: out_axes=None for output {k}, but that output depends on "
                             f"the mapped examples; give it a batch axis (an int)")
        return val
    if d is None:
        if not isinstance(val, (np.ndarray, Tracer)) and not is_foreign(val):
            val = np.asarray(val)  # a number; another library's array stays there (a device)
        s = tuple(shape(val))
        val = basic.broadcast_to(basic.reshape(val, shape=(1,) + s), shape=(size,) + s)
        d = 0
    nd = len(shape(val))
    if not -nd <= oa < nd:
        raise ValueError(f"vmap: out_axes={oa} is out of range for output {k} "
                         f"(shape {shape(val)} with the batch axis)")
    oa = int(oa) % nd
    if d != oa:
        val = composites.moveaxis(val, d, oa)
    return val
