"""Whole Jacobians, Hessians and Hessian-vector products, with one engine.

A Jacobian is a linear map applied to every basis vector: J·eₖ for each input
direction (columns, forward mode) or eₖᵀJ for each output direction (rows,
reverse mode). The engine here builds the identity as one batch per leaf and
pushes it through the linear map once, vectorised by :func:`~chainrule.vmap`;
then it reshapes the batch into one block per (output leaf, input leaf), of
shape ``output.shape + input.shape``. The three entry points differ only in the
linear map:

- :func:`jacfwd`: ``jvp`` of the function (nothing recorded);
- :func:`jacrev`: the pullback of one recorded pass (``vjp``);
- :func:`jacobian`: one recorded pass, then whichever of its pushforward
  (forward replay of the tape) or pullback needs fewer basis vectors.

``hessian = jacfwd(jacrev)`` and ``hvp = jvp(grad)`` compose them.

The one fallback: vmap cannot batch code that reads a batched value as
concrete data (``BatchedValueError``), and a user's custom rule sees the
batched tangents or cotangents directly (say a ``custom_jvp`` rule with
``if cnp.all(t == 0)``). The same linear map is then applied to the basis
vectors one at a time and the results stacked, exactly as vmap would have.

>>> import chainrule as cr, chainrule.numpy as cnp
>>> cr.jacrev(lambda x: x * cnp.sum(x))(cnp.array([1.0, 2.0])).tolist()
[[4.0, 1.0], [2.0, 5.0]]
"""

import functools
import math

import numpy as np

from ..core import tree
from ..core.vspace import shape_of, dtype_of
from ..interpreters.batching import BatchedValueError
from ..core.primitive import full_lower
from ..primitives import composites
from ..primitives.arrays import array_api_only, in_library_of, is_lazy
from .args import (autograd_keywords, check_callable, check_differentiable,
                   check_holomorphic_input, diff_args, check_leaves, own_tree, arrays_in)
from .differentiate import grad, jvp, jvp_named
from .jit import staged_after
from .recording import Recording
from .vectorize import vmap

__all__ = ["jacfwd", "jacrev", "jacobian", "hessian", "hvp", "JacobianChoice"]


# ---- the engine --------------------------------------------------------------------------
def _blocks(leaves):
    """The shape and the number of elements of each leaf."""
    shapes = [tuple(shape_of(x)) for x in leaves]
    return shapes, [math.prod(s) for s in shapes]


def _identity(leaves, dtypes):
    """The identity, split per leaf: leaf k gets an (n, *shape_k) stack of basis vectors."""
    shapes, sizes = _blocks(leaves)
    n = sum(sizes)
    if len(leaves) == 1:
        return [np.eye(n, dtype=dtypes[0]).reshape((n,) + shapes[0])]
    stacks, off = [], 0
    for s, k, dt in zip(shapes, sizes, dtypes):
        e = np.zeros((n, k), dtype=dt)
        e[np.arange(off, off + k), np.arange(k)] = 1.0
        stacks.append(e.reshape((n,) + s))
        off += k
    return stacks


# A row loop of more basis vectors than this stages a replayed map after its first calls.
_STAGE_ROWS = 4


def _over_basis(linear, leaves, dtypes, out_axes, replay=False):
    """``linear(*basis_leaves)`` for every basis vector of ``leaves``' space, batched.

    ``out_axes`` says, per entry of ``linear``'s result tuple, whether it varies
    with the basis vector (0: stacked along a new leading axis) or not (None).
    ``replay``: ``linear`` reads nothing but its arguments and a recording (a pullback
    or pushforward), so a row loop may stage it once and replay the generated code.
    """
    basis = _identity(leaves, dtypes)
    if basis and basis[0].shape[0] == 0:
        out = _over_empty_basis(linear, basis, out_axes)
        if any(is_lazy(full_lower(x)) for x in leaves):  # empty, but Dask's as well
            import dask.array as da
            out = tree.tree_map(lambda v: da.from_array(v) if type(v) is np.ndarray else v, out)
        return out
    standard_only = [array_api_only(full_lower(x)) for x in leaves]
    if any(standard_only):
        # An Array API library's arrays: the basis vectors in that library and on x's
        # device, so that no NumPy array meets them (their operators would refuse it)
        basis = [in_library_of(b, full_lower(x)) if s else b
                 for b, x, s in zip(basis, leaves, standard_only)]
    lazy = [is_lazy(full_lower(x)) for x in leaves]
    if any(lazy):
        # Dask arrays: the basis vectors as Dask arrays chunked like x along x's axes, so
        # that a Jacobian is a Dask array (a linear map's, computed from constants alone,
        # was a NumPy array)
        basis = [_lazy_basis(b, full_lower(x)) if z else b
                 for b, x, z in zip(basis, leaves, lazy)]
        standard_only = lazy  # (no staged replay: jit takes NumPy values only)
    try:
        return vmap(linear, out_axes=out_axes)(*basis)
    except BatchedValueError:
        if not basis or basis[0].shape[0] == 0:
            raise
    # The map reads a batched value as data: the same map, one basis vector at a time
    # (a replay of a recording is staged after two rows: one program for all the others).
    n = basis[0].shape[0]
    if replay and n > _STAGE_ROWS and not any(standard_only):
        linear = staged_after(linear, 2)
    results = [linear(*[b[k, ...] for b in basis]) for k in range(n)]
    axes = out_axes if isinstance(out_axes, tuple) else (out_axes,) * len(results[0])
    stacked = []
    for j, axis in enumerate(axes):
        if axis is None:
            stacked.append(results[0][j])
            continue
        struct = tree.flatten(results[0][j])[1]
        columns = zip(*[tree.flatten(r[j])[0] for r in results])
        stacked.append(tree.unflatten(struct, [composites.stack(list(c), axis=0)
                                               for c in columns]))
    return tuple(stacked)


def _lazy_basis(b, x):
    # (the basis vectors' axis chunked like x's when x has one axis: the Jacobian's
    # columns then come in x's chunks)
    import dask.array as da
    along = tuple(x.chunks[0]) if len(x.chunks) == 1 else (b.shape[0],)
    return da.from_array(b, chunks=(along,) + tuple(x.chunks))


def _over_empty_basis(linear, basis, out_axes):
    """No basis vector (the space is empty): the map is evaluated once at zero, unbatched
    (a batch of size 0 would make rules such as reshape(-1) ambiguous), for the shapes
    and dtypes of its results; the stacked results are empty."""
    res = linear(*[np.zeros(b.shape[1:], b.dtype) for b in basis])
    axes = out_axes if isinstance(out_axes, tuple) else (out_axes,) * len(res)
    out = []
    for r, axis in zip(res, axes):
        if axis is None:
            out.append(r)
        else:
            out.append(tree.tree_map(lambda v: np.zeros((0,) + tuple(shape_of(v)),
                                                        dtype_of(v)), r))
    return tuple(out)


def _from_columns(out, columns, in_leaves, in_tree):
    """J from the tangents of every input basis vector: ``columns`` (a pytree like ``out``)
    holds, per output leaf, an (n, *out.shape) stack."""
    out_leaves, out_tree = tree.flatten(out)
    in_shapes, sizes = _blocks(in_leaves)
    rows = []
    for o, t in zip(out_leaves, tree.flatten(columns)[0]):
        os_ = tuple(shape_of(o))
        row, off = [], 0
        for s, k, x in zip(in_shapes, sizes, in_leaves):
            block = t[off:off + k, ...] if len(sizes) > 1 else t      # (k, *os_)
            block = composites.reshape(block, (k, math.prod(os_)))
            row.append(_chunked_like(composites.reshape(composites.transpose(block), os_ + s),
                                     full_lower(x)))
            off += k
        rows.append(row)
    return tree.unflatten(out_tree, [tree.unflatten(in_tree, r) for r in rows])


def _chunked_like(J, x):
    """``J`` (a Dask block of a Jacobian whose last axes are ``x``'s) with ``x``'s chunks
    along them, as the gradient of each row would have (pulled back under vmap, the rows
    come out in whatever chunks the batched rules gave)."""
    if not (is_lazy(J) and is_lazy(x)) or x.ndim == 0:
        return J
    want = tuple(J.chunks[:J.ndim - x.ndim]) + tuple(x.chunks)
    return J if J.chunks == want else J.rechunk(want)


def _from_rows(out_leaves, out_tree, rows_ct, in_leaves, in_tree):
    """J from the cotangents of every output basis vector: ``rows_ct`` (a pytree like the
    inputs) holds, per input leaf, an (m, *in.shape) stack."""
    out_shapes, sizes = _blocks(out_leaves)
    in_shapes = _blocks(in_leaves)[0]
    ct_leaves = tree.flatten(rows_ct)[0]
    rows, off = [], 0
    for os_, k in zip(out_shapes, sizes):
        row = []
        for c, s, x in zip(ct_leaves, in_shapes, in_leaves):
            block = c[off:off + k, ...] if len(sizes) > 1 else c       # (k, *s)
            row.append(_chunked_like(composites.reshape(block, os_ + s), full_lower(x)))
        rows.append(row)
        off += k
    return tree.unflatten(out_tree, [tree.unflatten(in_tree, r) for r in rows])


# ---- complex values (JAX's rules, docs/complex.md) ---------------------------------------
def _check_real(dts, fname, what, direct):
    """Forward mode pushes real basis vectors, so it sees only the real directions of a
    complex input; reverse mode pulls back real ones, so it sees only the real part of a
    complex output. Either is the whole Jacobian only for a holomorphic function."""
    for dt in dts:
        if dt.kind == "c":
            raise TypeError(
                f"{fname} requires real-valued {what}s (a floating dtype), but got {dt}. For "
                f"holomorphic differentiation pass holomorphic=True; for a non-holomorphic "
                f"function of complex {what}s use cr.{direct} directly.")


def _check_holomorphic(dts, fname, what):
    for dt in dts:
        if dt.kind != "c":
            raise TypeError(f"{fname} with holomorphic=True requires complex {what}s, but "
                            f"got {dt}; pass complex values or drop holomorphic=True")


# ---- the transforms ----------------------------------------------------------------------
@autograd_keywords
def jacfwd(f, argnums=0, has_aux=False, holomorphic=False):
    """Full Jacobian by forward mode: the JVPs of all n input basis vectors, pushed
    through the function together in one batched (vmapped) pass.

    The result for output leaf of shape S and input leaf of shape R has shape S + R
    (a NumPy scalar when both are 0-d). Where a value is needed as data inside the
    batch (a batching rule cannot apply), it falls back to one JVP per column.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> cr.jacfwd(lambda x: x ** 2)(cnp.array([1.0, 2.0])).tolist()
    [[2.0, 0.0], [0.0, 4.0]]

    Inputs must be real unless ``holomorphic=True`` (complex inputs; the result is
    the complex derivative):

    >>> cr.jacfwd(lambda z: z ** 2, holomorphic=True)(cnp.array([1j, 2.0 + 0j])).tolist()
    [[2j, 0j], [0j, (4+0j)]]
    """
    check_callable(f, "jacfwd")
    return _jacfwd(f, argnums, has_aux, "jacfwd", holomorphic)


def _jacfwd(f, argnums, has_aux, fname, holomorphic=False):
    @functools.wraps(f)
    def jac_f(*args):
        sel, substitute = diff_args(args, argnums, fname)
        in_leaves, in_tree = tree.flatten(sel)
        check_leaves(in_leaves, args, argnums, fname)
        dts = [check_differentiable(x, i, None, fname) for i, x in enumerate(in_leaves)]
        if holomorphic:
            _check_holomorphic(dts, fname, "input")
        else:
            _check_real(dts, fname, "input", "jvp")

        def push(*tangent_leaves):
            return jvp_named(lambda s: f(*substitute(s)), (sel,),
                             (tree.unflatten(in_tree, list(tangent_leaves)),), has_aux, fname)

        res = _over_basis(push, in_leaves, dts, (None, 0, None) if has_aux else (None, 0))
        jac = own_tree(_from_columns(res[0], res[1], in_leaves, in_tree), arrays_in(args))
        return (jac, res[2]) if has_aux else jac

    return jac_f


@autograd_keywords
def jacrev(f, argnums=0, has_aux=False, holomorphic=False):
    """Full Jacobian by reverse mode: one recorded forward pass, then the VJPs of all
    m output basis vectors in one batched (vmapped) backward pass.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> cr.jacrev(lambda x: cnp.sin(x))(cnp.array([0.0, 0.0])).tolist()
    [[1.0, 0.0], [0.0, 1.0]]

    Outputs must be real unless ``holomorphic=True`` (complex inputs and outputs):

    >>> cr.jacrev(lambda z: z * 1j, holomorphic=True)(cnp.array([1j])).tolist()
    [[1j]]
    """
    check_callable(f, "jacrev")
    return _jacrev(f, argnums, has_aux, "jacrev", holomorphic)


def _jacrev(f, argnums, has_aux, fname, holomorphic=False):
    @functools.wraps(f)
    def jac_f(*args):
        sel, substitute = diff_args(args, argnums, fname)
        in_leaves, in_tree = tree.flatten(sel)
        check_leaves(in_leaves, args, argnums, fname)
        if holomorphic:
            _check_holomorphic([dtype_of(x) for x in in_leaves], fname, "input")
        rec = Recording(lambda s: f(*substitute(s)), (sel,), fname, has_aux=has_aux)
        pullback = rec.pullback()
        out_leaves, out_tree = rec.out_values, rec.out_tree
        out_dts = [check_differentiable(o, i, None, fname, output=True)
                   for i, o in enumerate(out_leaves)]
        if holomorphic:
            _check_holomorphic(out_dts, fname, "output")
        else:
            _check_real(out_dts, fname, "output", "vjp")
        (cts,) = _over_basis(lambda *b: (pullback(tree.unflatten(out_tree, list(b)))[0],),
                             out_leaves, out_dts, 0, replay=True)
        jac = own_tree(_from_rows(out_leaves, out_tree, cts, in_leaves, in_tree),
                       arrays_in(args))
        return (jac, rec.aux) if has_aux else jac

    return jac_f


class JacobianChoice:
    """Which mode :func:`jacobian` used and why."""

    def __init__(self, mode, n_inputs, n_outputs):
        self.mode = mode
        self.n_inputs = n_inputs
        self.n_outputs = n_outputs
        if mode == "forward":
            self.reason = (f"forward mode: {n_inputs} input element(s) < {n_outputs} output "
                           f"element(s), so {n_inputs} JVP pass(es) (one per column) beat "
                           f"{n_outputs} VJP pass(es) (one per row)")
        else:
            self.reason = (f"reverse mode: {n_outputs} output element(s) <= {n_inputs} input "
                           f"element(s), so {n_outputs} VJP pass(es) (one per row) cost no more "
                           f"than {n_inputs} JVP pass(es) (one per column)")

    def __repr__(self):
        return f"JacobianChoice({self.mode!r}: {self.reason})"


@autograd_keywords
def jacobian(f, argnums=0, mode="auto", holomorphic=False):
    """Full Jacobian, choosing forward mode when inputs are fewer than outputs.

    The computation is recorded once; the Jacobian is then read off the record
    with the n input basis vectors (columns, by forward replays) or the m
    output basis vectors (rows, by backward passes), whichever are fewer, all
    in one batched pass. The returned function's ``choice`` attribute (a
    :class:`JacobianChoice`) says which mode was used and why.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> J = cr.jacobian(lambda x: cnp.outer(x, x).ravel())
    >>> J(cnp.array([1.0, 2.0])).shape, J.choice.mode
    ((4, 2), 'forward')

    Complex values follow :func:`jacfwd`'s and :func:`jacrev`'s rules: forward mode
    needs real inputs and reverse mode real outputs, unless ``holomorphic=True``; "auto"
    picks the mode that applies when only one does.
    """
    check_callable(f, "jacobian")
    if mode not in ("auto", "forward", "reverse"):
        raise ValueError("jacobian(mode=...) must be 'auto', 'forward' or 'reverse'")

    def jac_f(*args):
        sel, substitute = diff_args(args, argnums, "jacobian")
        in_leaves, in_tree = tree.flatten(sel)
        check_leaves(in_leaves, args, argnums, "jacobian")
        if holomorphic:
            _check_holomorphic([dtype_of(x) for x in in_leaves], "jacobian", "input")
        rec = Recording(lambda s: f(*substitute(s)), (sel,), "jacobian")
        return own_tree(_read_jacobian(rec, in_leaves, in_tree), arrays_in(args))

    def _read_jacobian(rec, in_leaves, in_tree):
        out_leaves = rec.out_values
        n = sum(math.prod(shape_of(x)) for x in in_leaves)
        m = sum(math.prod(shape_of(o)) for o in out_leaves)
        chosen = mode if mode != "auto" else ("forward" if n < m else "reverse")
        out_dts = [dtype_of(o) for o in out_leaves]
        if holomorphic:
            _check_holomorphic(out_dts, "jacobian", "output")
        else:
            in_c = any(d.kind == "c" for d in rec.dtypes)
            out_c = any(d.kind == "c" for d in out_dts)
            if mode == "auto" and in_c != out_c:
                chosen = "reverse" if in_c else "forward"
            if chosen == "forward":
                _check_real(rec.dtypes, "jacobian(mode='forward')", "input", "jvp")
            else:
                _check_real(out_dts, "jacobian(mode='reverse')", "output", "vjp")
        jac_f.choice = JacobianChoice(chosen, n, m)
        if chosen == "forward":
            pushforward = rec.pushforward()
            (columns,) = _over_basis(
                lambda *t: (pushforward(tree.unflatten(in_tree, list(t))),),
                in_leaves, rec.dtypes, (0,), replay=True)
            return _from_columns(rec.out, columns, in_leaves, in_tree)
        pullback = rec.pullback()
        (cts,) = _over_basis(lambda *b: pullback(tree.unflatten(rec.out_tree, list(b))),
                             out_leaves, out_dts, 0, replay=True)
        return _from_rows(out_leaves, rec.out_tree, cts, in_leaves, in_tree)

    jac_f.choice = None
    functools.update_wrapper(jac_f, f)
    return jac_f


@autograd_keywords
def hessian(f, argnums=0, holomorphic=False):
    """Hessian by forward-over-reverse: ``jacfwd(jacrev(f))``.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> cr.hessian(lambda x: cnp.sum(x ** 3))(cnp.array([1.0, 2.0])).tolist()
    [[6.0, 0.0], [0.0, 12.0]]
    >>> cr.hessian(lambda z: z ** 3, holomorphic=True)(1j)   # f''(z) = 6z
    np.complex128(6j)
    """
    check_callable(f, "hessian")
    return _jacfwd(_jacrev(f, argnums, False, "hessian", holomorphic), argnums, False,
                   "hessian", holomorphic)


def hvp(f, primals, tangents):
    """Hessian-vector product H·v by forward-over-reverse; the Hessian is never formed.

    One forward-mode pass through the reverse pass: ``jvp(grad(f), primals, tangents)``.
    Returns H·v shaped like ``primals`` (a tuple with one entry per primal).

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> x, v = cnp.array([1.0, 2.0]), cnp.array([1.0, 0.0])
    >>> cr.hvp(lambda x: cnp.sum(x ** 3), (x,), (v,))[0].tolist()
    [6.0, 0.0]
    """
    check_callable(f, "hvp")
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("hvp(f, primals, tangents): primals and tangents must be tuples, "
                        "e.g. cr.hvp(f, (x,), (v,))")
    nums = tuple(range(len(primals)))
    g = grad(f, argnums=nums)
    return jvp(g, tuple(primals), tuple(tangents))[1]
