"""``vmap``: vectorise a function written for one example over a batch.

>>> import numpy as np, chainrule.numpy as cnp
>>> from chainrule.vmap import vmap
>>> vmap(lambda x, w: cnp.dot(w, x), in_axes=(0, None))(np.ones((5, 3)), np.arange(3.0))
array([3., 3., 3., 3., 3.])

``vmap`` composes with every transformation of chainrule, in either order:
``vmap(grad(loss), in_axes=(None, 0, 0))`` gives per-example gradients,
``grad(lambda p: cnp.sum(vmap(f, (None, 0))(p, xs)))`` differentiates a batched
computation, ``vmap(vmap(f))`` maps over two axes, ``jacfwd(vmap(f))`` works
because the rules are written with chainrule primitives.
"""

import functools
import math

import numpy as np

from .core import tree as T
from .core.primitive import Tracer
from .interpreters.batching import BatchTrace, BatchTracer, batch_rules
from .primitives import basic as B
from .primitives import util as _util

__all__ = ["vmap"]




def _shape(v):
    s = getattr(v, "shape", None)
    return tuple(s) if s is not None else np.shape(v)


def _is_axis_leaf(a):
    return a is None or isinstance(a, (int, np.integer))


def _prefix_leaves(prefix, tree, what):
    """One axis spec per leaf of ``tree``, broadcasting the pytree prefix ``prefix``."""
    if _is_axis_leaf(prefix):
        return [prefix] * len(T.flatten(tree)[0])
    pinfo = T._children(prefix)
    tinfo = T._children(tree)
    if pinfo is None:
        raise TypeError(f"vmap: {what} entries must be an int, None or a container of them; "
                        f"got {prefix!r}")
    if tinfo is None or pinfo[0] != tinfo[0] or len(pinfo[2]) != len(tinfo[2]) or \
            (pinfo[0] == "dict" and list(pinfo[1]) != list(tinfo[1])):
        raise ValueError(f"vmap: {what} {prefix!r} does not match the structure of the "
                         f"value it describes ({T.flatten(tree)[1]})")
    out = []
    for p, t in zip(pinfo[2], tinfo[2]):
        out.extend(_prefix_leaves(p, t, what))
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
    >>> from chainrule.vmap import vmap
    >>> loss = lambda w, x, y: (cnp.dot(w, x) - y) ** 2
    >>> per_example = vmap(cr.grad(loss), in_axes=(None, 0, 0))
    >>> per_example(np.ones(2), np.eye(2), np.zeros(2)).tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """
    @functools.wraps(f)
    def vmapped(*args, **kwargs):
        if kwargs:
            raise TypeError("vmap: pass mapped arguments positionally (keyword arguments are "
                            "not mapped); bind constants with functools.partial or a closure")
        axes = _in_axes_per_arg(in_axes, len(args))
        flat, in_tree = T.flatten(tuple(args))
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
            s = _shape(x)
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
            out = f(*T.unflatten(in_tree, boxed))
        finally:
            trace.finish()
        out_flat, out_tree = T.flatten(out)
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
        return T.unflatten(out_tree, res)

    return vmapped


def _place(val, d, oa, size, k):
    """Put the batch axis of an output where ``out_axes`` asks for it."""
    if oa is None:
        if d is not None:
            raise ValueError(f"vmap: out_axes=None for output {k}, but that output depends on "
                             f"the mapped examples; give it a batch axis (an int)")
        return val
    if d is None:
        if not isinstance(val, (np.ndarray, Tracer)):
            val = np.asarray(val)
        s = _shape(val)
        val = B.broadcast_to(B.reshape(val, shape=(1,) + s), shape=(size,) + s)
        d = 0
    nd = len(_shape(val))
    if not -nd <= oa < nd:
        raise ValueError(f"vmap: out_axes={oa} is out of range for output {k} "
                         f"(shape {_shape(val)} with the batch axis)")
    oa = int(oa) % nd
    if d != oa:
        val = B.moveaxis(val, d, oa)
    if isinstance(val, np.ndarray) and not val.flags.writeable:
        val = np.array(val)
    return val


# ---- proposal for api.py: Jacobians with every basis vector in one batched pass ----------
# jacfwd/jacrev below have the semantics of chainrule.api.jacfwd/jacrev (argnums, has_aux,
# pytrees, output leaf shape + input leaf shape), but push the whole identity through ONE
# jvp / ONE backward pass, batched by vmap, instead of one pass per basis vector. They are
# written with chainrule operations, so they nest (hessian = batched_jacfwd(batched_jacrev)).
def _basis_batch(leaves, dts):
    """The identity, split per leaf: leaf k gets an (n, *shape_k) stack of basis vectors."""
    shapes = [tuple(np.shape(_lower(x))) for x in leaves]
    sizes = [math.prod(s) for s in shapes]
    n = sum(sizes)
    if len(leaves) == 1:
        return [np.eye(n, dtype=dts[0]).reshape((n,) + shapes[0])], shapes, sizes
    out, off = [], 0
    for s, k, dt in zip(shapes, sizes, dts):
        e = np.zeros((n, k), dtype=dt)
        e[np.arange(off, off + k), np.arange(k)] = 1.0
        out.append(e.reshape((n,) + tuple(s)))
        off += k
    return out, shapes, sizes


def _lower(x):
    return _util.lower(x)


def batched_jacfwd(f, argnums=0, has_aux=False):
    """jacfwd with all n tangent basis vectors in one vmapped jvp."""
    from . import api
    from .primitives import composites as C

    @functools.wraps(f)
    def jac_f(*args):
        sel, substitute = api._diff_args(args, argnums)
        in_leaves, in_tree = T.flatten(sel)
        dts = [api._check_differentiable(x, i, None, "jacfwd") for i, x in enumerate(in_leaves)]
        basis, in_shapes, sizes = _basis_batch(in_leaves, dts)
        g = (lambda s: f(*substitute(s)))

        def push(*tangent_leaves):
            return api.jvp(g, (sel,), (T.unflatten(in_tree, list(tangent_leaves)),),
                           has_aux=has_aux)

        res = vmap(push, out_axes=(None, 0, None) if has_aux else (None, 0))(*basis)
        out, tans = res[0], res[1]
        out_leaves, out_tree = T.flatten(out)
        tan_leaves = T.flatten(tans)[0]
        rows = []
        for o, t in zip(out_leaves, tan_leaves):
            os_ = tuple(np.shape(_lower(o)))
            row, off = [], 0
            for s, k in zip(in_shapes, sizes):
                block = t[off:off + k] if len(sizes) > 1 else t      # (k, *os_)
                block = C.reshape(block, (k, -1))
                row.append(C.reshape(C.transpose(block), os_ + tuple(s)))
                off += k
            rows.append(row)
        jac = T.unflatten(out_tree, [T.unflatten(in_tree, r) for r in rows])
        return (jac, res[2]) if has_aux else jac

    return jac_f


def batched_jacrev(f, argnums=0, has_aux=False):
    """jacrev with all m cotangent basis vectors in one vmapped backward pass."""
    from . import api
    from .primitives import composites as C

    @functools.wraps(f)
    def jac_f(*args):
        sel, substitute = api._diff_args(args, argnums)
        in_leaves, in_tree = T.flatten(sel)
        res = api.vjp(lambda s: f(*substitute(s)), sel, has_aux=has_aux)
        out, pullback = res[0], res[1]
        out_leaves, out_tree = T.flatten(out)
        out_dts = [api._check_differentiable(o, i, None, "jacrev")
                   for i, o in enumerate(out_leaves)]
        basis, out_shapes, sizes = _basis_batch(out_leaves, out_dts)
        (cts,) = vmap(lambda *b: pullback(T.unflatten(out_tree, list(b))))(*basis)
        ct_leaves = T.flatten(cts)[0]
        in_shapes = [tuple(np.shape(_lower(x))) for x in in_leaves]
        rows, off = [], 0
        for os_, k in zip(out_shapes, sizes):
            row = []
            for c, s in zip(ct_leaves, in_shapes):
                block = c[off:off + k] if len(sizes) > 1 else c       # (k, *s)
                row.append(C.reshape(block, tuple(os_) + s))
            rows.append(row)
            off += k
        jac = T.unflatten(out_tree, [T.unflatten(in_tree, r) for r in rows])
        return (jac, res[2]) if has_aux else jac

    return jac_f
