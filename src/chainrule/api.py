"""The transformations: grad, value_and_grad, jvp, vjp, linearize, jacfwd,
jacrev, jacobian, hessian, hvp, stop_gradient, make_graph.

Each one is a thin composition of two interpreters: forward mode
(:mod:`chainrule.interpreters.forward`) and reverse mode with its tape
(:mod:`chainrule.interpreters.reverse`). Arguments and results may be pytrees;
``argnums`` and ``has_aux`` are handled here, once.

>>> import chainrule as cr, chainrule.numpy as cnp
>>> f = lambda x, y: (x + y) * cnp.sin(y)
>>> [round(float(g), 6) for g in cr.grad(f, argnums=(0, 1))(1.0, cnp.pi / 2)]
[1.0, 1.0]
"""

import functools
import inspect
import math

import numpy as np

from .core.primitive import Tracer
from .core.graph import Graph
from .core import tree as T
from .interpreters.forward import JVPTrace, JVPTracer
from .interpreters.reverse import ReverseTrace, ReverseTracer, backward_pass
from .interpreters.replay import forward_replay
from .primitives.util import lower
from .primitives.elementwise import stop_gradient as _stop_gradient_p
from .primitives import composites as C

__all__ = ["grad", "value_and_grad", "jvp", "vjp", "linearize", "jacfwd", "jacrev",
           "jacobian", "hessian", "hvp", "stop_gradient", "make_graph", "JacobianChoice"]

def stop_gradient(x):
    """Treat ``x`` as a constant in every mode (forward tangents stop too).

    >>> import chainrule as cr
    >>> cr.grad(lambda x: x * cr.stop_gradient(x))(3.0)
    3.0
    """
    return T.tree_map(_stop_gradient_p, x)


# ---- input checks --------------------------------------------------------------------
def _dtype_of(x):
    if type(x) is float:
        return _F64
    return np.result_type(lower(x))


_F64 = np.dtype(np.float64)


def _check_differentiable(x, arg, leaf, fname):
    """The dtype of a differentiated input; a clear TypeError unless it is real float."""
    dt = _dtype_of(x)
    if dt.kind == "f":
        return dt
    what = f"argument {arg}" if leaf is None else f"argument {arg} (leaf {leaf})"
    if dt.kind == "c":
        raise TypeError(
            f"{fname}: {what} is complex ({dt}); chainrule differentiates real functions only. "
            f"Pass the real and imaginary parts as two float arguments.")
    raise TypeError(
        f"{fname}: {what} has dtype {dt}, and only floating-point inputs can be differentiated. "
        f"Pass a float (e.g. 1.0 instead of 1) or convert with x.astype(float); to keep an "
        f"integer argument, leave it out of argnums.")


def _argnums_tuple(argnums, nargs, fname):
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if len({i % nargs for i in nums if -nargs <= i < nargs}) != len(nums) and \
            all(-nargs <= i < nargs for i in nums):
        raise ValueError(f"{fname}: argnums={argnums} repeats an argument; list each "
                         f"argument once")
    for i in nums:
        if not -nargs <= i < nargs:
            raise ValueError(f"{fname}: argnums={argnums} but the function got {nargs} "
                             f"positional argument(s)")
    return nums


def _gradient(c, leaf, dt):
    """The cotangent of an input as its gradient: zeros if unreached, in the input's dtype."""
    if c is None:
        return _zeros(leaf, dt)
    if dt is _F64 and (type(c) is float or type(c) is np.float64):
        return c
    return _cast_like(c, dt)


def _cast_like(ct, dt):
    cdt = getattr(ct, "dtype", None)
    if cdt is not None and cdt != dt:
        return C.astype(ct, dt)
    return ct


def _zeros(x, dt):
    z = np.zeros(np.shape(lower(x)), dtype=dt)
    return z[()] if z.ndim == 0 else z


def _strip(trace, tree):
    """Replace this trace's tracers in ``tree`` by their values (aux outputs)."""
    def one(x):
        return x._value if isinstance(x, Tracer) and x._trace is trace else x
    return T.tree_map(one, tree)


# ---- reverse mode ------------------------------------------------------------------------
def value_and_grad(f, argnums=0, has_aux=False):
    """Return a function computing ``f(*args)`` and its gradient.

    The output must be a real scalar. ``argnums`` picks the differentiated
    arguments (an int, or a tuple for a tuple of gradients); each may be a
    pytree. With ``has_aux=True``, ``f`` returns ``(value, aux)`` and the result
    is ``((value, aux), grad)``.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> v, g = cr.value_and_grad(lambda x: cnp.sum(x ** 2))(cnp.array([1.0, 2.0]))
    >>> float(v), g.tolist()
    (5.0, [2.0, 4.0])
    """
    single = isinstance(argnums, int)

    nums_for = {}  # number of positional arguments -> validated argnums

    @functools.wraps(f)
    def value_and_grad_f(*args, **kwargs):
        nums = nums_for.get(len(args))
        if nums is None:
            nums = nums_for[len(args)] = tuple(
                i % len(args) for i in _argnums_tuple(argnums, len(args), "grad"))
        trace = ReverseTrace("grad")
        args = list(args)
        specs = []  # (tracer or tracers, tree or None, leaves, dtypes), one per argnum
        for i in nums:
            a = args[i]
            if type(a) is float:  # the common cases first, without flattening
                t = args[i] = trace.new_input(a)
                specs.append((t, None, a, _F64))
            elif isinstance(a, (int, complex, np.ndarray, np.generic, Tracer)):
                dt = _check_differentiable(a, i, None, "grad")
                t = args[i] = trace.new_input(a)
                specs.append((t, None, a, dt))
            else:
                leaves, tdef = T.flatten(a)
                dts = [_check_differentiable(x, i, k, "grad") for k, x in enumerate(leaves)]
                boxed = [trace.new_input(x) for x in leaves]
                args[i] = T.unflatten(tdef, boxed)
                specs.append((boxed, tdef, leaves, dts))
        try:
            out = f(*args, **kwargs)
        finally:
            trace.finish()
        if has_aux:
            if not (isinstance(out, (tuple, list)) and len(out) == 2):
                raise TypeError("grad(has_aux=True): the function must return a pair (value, aux)")
            out, aux = out
            aux = _strip(trace, aux)
        if isinstance(out, Tracer) and out._trace is trace:
            value = out._value
            cts = backward_pass(trace.tape, {out._id: _scalar_seed(value)}, consume=True)
        else:
            value = out
            _scalar_seed(value)  # the same checks on the output, even if it is a constant
            cts = {}
        grads = []
        for t, tdef, leaf, dt in specs:
            if tdef is None:
                grads.append(_gradient(cts.get(t._id), leaf, dt))
            else:
                grads.append(T.unflatten(tdef, [_gradient(cts.get(b._id), x, d)
                                                for b, x, d in zip(t, leaf, dt)]))
        g = grads[0] if single else tuple(grads)
        return ((value, aux), g) if has_aux else (value, g)

    return value_and_grad_f


def _scalar_seed(value):
    """The cotangent 1 for a scalar output, after checking that it is a real scalar."""
    if type(value) is float or type(value) is np.float64:
        return 1.0
    shp = np.shape(lower(value)) if not isinstance(value, (tuple, list, dict)) else None
    if shp is None or shp != ():
        what = f"shape {shp}" if shp is not None else f"a {type(value).__name__}"
        raise TypeError(
            f"grad requires a scalar output, but the function returned {what}. For a "
            f"vector-valued function use cr.jacrev (full Jacobian) or cr.vjp (one "
            f"vector-Jacobian product); to differentiate a sum, return cnp.sum(...).")
    dt = _dtype_of(value)
    if dt.kind != "f":
        raise TypeError(
            f"grad requires a real floating-point output, but the function returned dtype {dt}")
    return np.ones((), dtype=dt)[()]


def grad(f, argnums=0, has_aux=False):
    """Return a function computing the gradient of scalar ``f`` by reverse mode.

    One forward pass records the computation; one backward pass over the
    record computes every partial derivative, whatever the number of inputs.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> dx, dy = cr.grad(lambda x, y: (x + y) * cnp.sin(y), argnums=(0, 1))(1.0, cnp.pi / 2)
    >>> float(dx), round(float(dy), 12)   # cos(pi/2) is 6e-17 in float64, not 0
    (1.0, 1.0)
    """
    vg = value_and_grad(f, argnums=argnums, has_aux=has_aux)

    @functools.wraps(f)
    def grad_f(*args, **kwargs):
        if has_aux:
            (_, aux), g = vg(*args, **kwargs)
            return g, aux
        return vg(*args, **kwargs)[1]

    return grad_f


def _record(f, primals, kind):
    """Run ``f`` under a reverse trace. Returns what the tape-based transforms need."""
    flat, in_tree = T.flatten(tuple(primals))
    dts = [_check_differentiable(x, i, None, kind) for i, x in enumerate(flat)]
    trace = ReverseTrace(kind)
    boxed = [trace.new_input(x) for x in flat]
    try:
        out = f(*T.unflatten(in_tree, boxed))
    finally:
        trace.finish()
    return trace, flat, in_tree, dts, [b._id for b in boxed], out


def _split_outputs(trace, out):
    out_flat, out_tree = T.flatten(out)
    ids, vals = [], []
    for o in out_flat:
        if isinstance(o, Tracer) and o._trace is trace:
            ids.append(o._id)
            vals.append(o._value)
        else:
            ids.append(None)
            vals.append(o)
    return ids, vals, out_tree


def vjp(f, *primals, has_aux=False):
    """Evaluate ``f`` and return ``(out, vjp_fn)``: ``vjp_fn(u)`` computes uᵀJ.

    ``vjp_fn`` takes a cotangent shaped like ``out`` and returns a tuple with
    one cotangent per primal. It may be called many times (one backward pass
    each) and is itself differentiable.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> out, f_vjp = cr.vjp(lambda x: cnp.sin(x), cnp.array([0.0, cnp.pi]))
    >>> f_vjp(cnp.array([1.0, 1.0]))[0].round(6).tolist()
    [1.0, -1.0]
    """
    trace, flat, in_tree, dts, in_ids, out = _record(f, primals, "vjp")
    if has_aux:
        out, aux = out
        aux = _strip(trace, aux)
    out_ids, out_vals, out_tree = _split_outputs(trace, out)
    out_value = T.unflatten(out_tree, out_vals)

    def vjp_fn(ct):
        ct_flat, ct_tree = T.flatten(ct)
        if ct_tree != out_tree:
            raise ValueError(
                f"vjp_fn: the cotangent must have the structure of the output ({out_tree}), "
                f"got {ct_tree}")
        seeds = {}
        for k, (oid, c, o) in enumerate(zip(out_ids, ct_flat, out_vals)):
            if np.shape(lower(c)) != np.shape(lower(o)):
                raise ValueError(
                    f"vjp_fn: cotangent {k} has shape {np.shape(lower(c))} but output {k} has "
                    f"shape {np.shape(lower(o))}; pass a cotangent shaped like the output")
            if oid is not None:
                seeds[oid] = c if oid not in seeds else seeds[oid] + c
        cts = backward_pass(trace.tape, seeds)
        res = [_zeros(x, dt) if cts.get(i) is None else _cast_like(cts[i], dt)
               for x, dt, i in zip(flat, dts, in_ids)]
        return T.unflatten(in_tree, res)

    return (out_value, vjp_fn, aux) if has_aux else (out_value, vjp_fn)


# ---- forward mode -----------------------------------------------------------------------
def _check_tangents(flat_p, flat_t, fname):
    for k, (p, t) in enumerate(zip(flat_p, flat_t)):
        pd = _check_differentiable(p, k, None, fname)
        ps, ts = np.shape(lower(p)), np.shape(lower(t))
        if ps != ts:
            raise ValueError(
                f"{fname}: tangent {k} has shape {ts} but primal {k} has shape {ps}; a tangent "
                f"must have exactly the shape of its primal")
        td = _dtype_of(t)
        if td != pd:
            raise ValueError(
                f"{fname}: tangent {k} has dtype {td} but primal {k} has dtype {pd}; pass "
                f"tangent.astype({pd}) (tangents live in the same space as their primals)")


def jvp(f, primals, tangents, has_aux=False):
    """Forward mode: ``(f(*primals), J·tangents)`` in one pass with dual numbers.

    ``primals`` and ``tangents`` are tuples (or lists) with the same pytree
    structure and leaf shapes and dtypes.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> f = lambda x, y: (x + y) * cnp.sin(y)
    >>> out, df = cr.jvp(f, (1.0, cnp.pi / 2), (1.0, 0.0))   # seed x' = 1
    >>> round(float(out), 3), float(df)
    (2.571, 1.0)
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp(f, primals, tangents): primals and tangents must be tuples, "
                        "e.g. cr.jvp(f, (x,), (v,))")
    flat_p, tree_p = T.flatten(tuple(primals))
    flat_t, tree_t = T.flatten(tuple(tangents))
    if tree_p != tree_t:
        raise ValueError(f"jvp: tangents must have the structure of primals ({tree_p}); "
                         f"got {tree_t}")
    _check_tangents(flat_p, flat_t, "jvp")
    trace = JVPTrace("jvp")
    boxed = [JVPTracer(trace, p, t) for p, t in zip(flat_p, flat_t)]
    try:
        out = f(*T.unflatten(tree_p, boxed))
    finally:
        trace.finish()
    if has_aux:
        out, aux = out
        aux = _strip(trace, aux)
    out_flat, out_tree = T.flatten(out)
    vals, tans = [], []
    for o in out_flat:
        if isinstance(o, JVPTracer) and o._trace is trace:
            vals.append(o._value)
            tans.append(o._tangent)
        else:
            vals.append(o)
            tans.append(_zeros(o, _dtype_of(o)))
    res = T.unflatten(out_tree, vals), T.unflatten(out_tree, tans)
    return res + (aux,) if has_aux else res


def linearize(f, *primals):
    """Record ``f`` once; return ``(out, jvp_fn)`` where ``jvp_fn(*tangents)`` is J·t.

    ``jvp_fn`` replays the recorded tape with tangents: nothing is traced
    again and no primal operation is recomputed, so each J·v is cheap. This
    is what Newton-Krylov methods want.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> out, f_jvp = cr.linearize(lambda x: x ** 3, 2.0)
    >>> float(out), float(f_jvp(1.0))
    (8.0, 12.0)
    """
    trace, flat, in_tree, dts, in_ids, out = _record(f, primals, "linearize")
    out_ids, out_vals, out_tree = _split_outputs(trace, out)

    def jvp_fn(*tangents):
        flat_t, tree_t = T.flatten(tuple(tangents))
        if tree_t != in_tree:
            raise ValueError(f"linearize: jvp_fn takes tangents shaped like the primals "
                             f"({in_tree}); got {tree_t}")
        _check_tangents(flat, flat_t, "linearize")
        tan = forward_replay(trace.tape, dict(zip(in_ids, flat_t)))
        res = [_zeros(o, _dtype_of(o)) if oid is None or tan.get(oid) is None else tan[oid]
               for oid, o in zip(out_ids, out_vals)]
        return T.unflatten(out_tree, res)

    return T.unflatten(out_tree, out_vals), jvp_fn


# ---- Jacobians --------------------------------------------------------------------------
def _diff_args(args, argnums):
    nums = _argnums_tuple(argnums, len(args), "jacobian")
    sel = args[argnums] if isinstance(argnums, int) else tuple(args[i] for i in nums)

    def substitute(new):
        a = list(args)
        if isinstance(argnums, int):
            a[argnums] = new
        else:
            for i, v in zip(nums, new):
                a[i] = v
        return a
    return sel, substitute


def _basis(leaves, dts):
    """Yield (leaf index, flat position, basis pytree leaves) over every input element."""
    sizes = [int(np.prod(np.shape(lower(x)))) for x in leaves]
    for li, (x, n) in enumerate(zip(leaves, sizes)):
        for k in range(n):
            vecs = [np.zeros(np.shape(lower(y)), dtype=dt) for y, dt in zip(leaves, dts)]
            vecs[li].reshape(-1)[k] = 1.0
            yield li, k, [v[()] if v.ndim == 0 else v for v in vecs]


def _assemble(out_leaves, in_leaves, pieces, forward):
    """Build J[out][in] with shape out.shape + in.shape from columns or rows."""
    rows = []
    for oi, o in enumerate(out_leaves):
        os_ = np.shape(lower(o))
        row = []
        for ii, x in enumerate(in_leaves):
            xs = np.shape(lower(x))
            if forward:  # pieces[ii][k][oi] = column k of input ii, output leaf oi
                cols = [C.ravel(c[oi]) if np.ndim(lower(c[oi])) else C.reshape(c[oi], (1,))
                        for c in pieces[ii]]
                m = C.stack(cols, axis=-1) if cols else np.zeros((math.prod(os_), 0))
            else:  # pieces[oi][k][ii] = row k of output oi, input leaf ii
                rws = [C.ravel(r[ii]) if np.ndim(lower(r[ii])) else C.reshape(r[ii], (1,))
                       for r in pieces[oi]]
                m = C.stack(rws, axis=0) if rws else np.zeros((0, math.prod(xs)))
            row.append(C.reshape(m, tuple(os_) + tuple(xs)))
        rows.append(row)
    return rows


def _jac_tree(rows, out_tree, in_tree):
    return T.unflatten(out_tree, [T.unflatten(in_tree, r) for r in rows])


def jacfwd(f, argnums=0, has_aux=False):
    """Full Jacobian by forward mode: the JVPs of all n input basis vectors, pushed
    through the function together in one batched (vmapped) pass.

    The result for output leaf of shape S and input leaf of shape R has shape S + R.
    Where a value is needed as data inside the batch (a batching rule cannot
    apply), it falls back to one JVP per column.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> cr.jacfwd(lambda x: x ** 2)(cnp.array([1.0, 2.0])).tolist()
    [[2.0, 0.0], [0.0, 4.0]]
    """
    from .vmap import batched_jacfwd
    return _batched_or_loop(batched_jacfwd(f, argnums, has_aux),
                            _jacfwd_loop(f, argnums, has_aux), f)


def jacrev(f, argnums=0, has_aux=False):
    """Full Jacobian by reverse mode: one recorded forward pass, then the VJPs of all
    m output basis vectors in one batched (vmapped) backward pass.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> cr.jacrev(lambda x: cnp.sin(x))(cnp.array([0.0, 0.0])).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    from .vmap import batched_jacrev
    return _batched_or_loop(batched_jacrev(f, argnums, has_aux),
                            _jacrev_loop(f, argnums, has_aux), f)


def _batched_or_loop(batched, loop, f):
    from .interpreters.batching import BatchedValueError

    @functools.wraps(f)
    def jac_f(*args):
        try:
            return batched(*args)
        except BatchedValueError:
            return loop(*args)  # the function reads a batched value as data
    return jac_f


def _jacfwd_loop(f, argnums=0, has_aux=False):
    """jacfwd one column (one JVP) at a time."""
    @functools.wraps(f)
    def jac_f(*args):
        sel, substitute = _diff_args(args, argnums)
        in_leaves, in_tree = T.flatten(sel)
        dts = [_check_differentiable(x, i, None, "jacfwd") for i, x in enumerate(in_leaves)]
        g = (lambda s: f(*substitute(s)))
        pieces = [[] for _ in in_leaves]
        out = aux = None
        for li, k, basis in _basis(in_leaves, dts):
            res = jvp(g, (sel,), (T.unflatten(in_tree, basis),), has_aux=has_aux)
            out, t = res[0], res[1]
            if has_aux:
                aux = res[2]
            pieces[li].append(T.flatten(t)[0])
        if out is None:
            out = g(sel)
            if has_aux:
                out, aux = out
        out_leaves, out_tree = T.flatten(out)
        rows = _assemble(out_leaves, in_leaves, pieces, forward=True)
        jac = _jac_tree(rows, out_tree, in_tree)
        return (jac, aux) if has_aux else jac

    return jac_f


def _jacrev_loop(f, argnums=0, has_aux=False):
    """jacrev one row (one VJP of the recorded pass) at a time."""
    @functools.wraps(f)
    def jac_f(*args):
        sel, substitute = _diff_args(args, argnums)
        in_leaves, in_tree = T.flatten(sel)
        res = vjp(lambda s: f(*substitute(s)), sel, has_aux=has_aux)
        out, pullback = res[0], res[1]
        out_leaves, out_tree = T.flatten(out)
        out_dts = [_dtype_of(o) for o in out_leaves]
        pieces = [[] for _ in out_leaves]
        for li, k, basis in _basis(out_leaves, out_dts):
            (ct,) = pullback(T.unflatten(out_tree, basis))
            pieces[li].append(T.flatten(ct)[0])
        rows = _assemble(out_leaves, in_leaves, pieces, forward=False)
        jac = _jac_tree(rows, out_tree, in_tree)
        return (jac, res[2]) if has_aux else jac

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


def jacobian(f, argnums=0, mode="auto"):
    """Full Jacobian, choosing forward mode when inputs are fewer than outputs.

    The computation is recorded once; the Jacobian is then read off the record
    by n forward replays (columns) or m backward passes (rows), whichever is
    fewer. The returned function's ``choice`` attribute (a
    :class:`JacobianChoice`) says which mode was used and why.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> J = cr.jacobian(lambda x: cnp.outer(x, x).ravel())
    >>> J(cnp.array([1.0, 2.0])).shape, J.choice.mode
    ((4, 2), 'forward')
    """
    if mode not in ("auto", "forward", "reverse"):
        raise ValueError("jacobian(mode=...) must be 'auto', 'forward' or 'reverse'")

    def jac_f(*args):
        sel, substitute = _diff_args(args, argnums)
        in_leaves, in_tree = T.flatten(sel)
        trace, flat, _, dts, in_ids, out = _record(lambda s: f(*substitute(s)), (sel,), "jacobian")
        out_ids, out_vals, out_tree = _split_outputs(trace, out)
        n = sum(int(np.prod(np.shape(lower(x)))) for x in in_leaves)
        m = sum(int(np.prod(np.shape(lower(o)))) for o in out_vals)
        chosen = mode if mode != "auto" else ("forward" if n < m else "reverse")
        jac_f.choice = JacobianChoice(chosen, n, m)
        if chosen == "forward":
            pieces = [[] for _ in in_leaves]
            for li, k, basis in _basis(in_leaves, dts):
                tan = forward_replay(trace.tape, dict(zip(in_ids, basis)))
                pieces[li].append([_zeros(o, _dtype_of(o)) if oid is None or tan.get(oid) is None
                                   else tan[oid] for oid, o in zip(out_ids, out_vals)])
            rows = _assemble(out_vals, in_leaves, pieces, forward=True)
        else:
            out_dts = [_dtype_of(o) for o in out_vals]
            pieces = [[] for _ in out_vals]
            for li, k, basis in _basis(out_vals, out_dts):
                seeds = {}
                for oid, b in zip(out_ids, basis):
                    if oid is not None:
                        seeds[oid] = b if oid not in seeds else seeds[oid] + b
                cts = backward_pass(trace.tape, seeds)
                pieces[li].append([_zeros(x, dt) if cts.get(i) is None else cts[i]
                                   for x, dt, i in zip(in_leaves, dts, in_ids)])
            rows = _assemble(out_vals, in_leaves, pieces, forward=False)
        return _jac_tree(rows, out_tree, in_tree)

    jac_f.choice = None
    functools.update_wrapper(jac_f, f)
    return jac_f


def hessian(f, argnums=0):
    """Hessian by forward-over-reverse: ``jacfwd(jacrev(f))``.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> cr.hessian(lambda x: cnp.sum(x ** 3))(cnp.array([1.0, 2.0])).tolist()
    [[6.0, 0.0], [0.0, 12.0]]
    """
    return jacfwd(jacrev(f, argnums=argnums), argnums=argnums)


def hvp(f, primals, tangents):
    """Hessian-vector product H·v by forward-over-reverse; the Hessian is never formed.

    One forward-mode pass through the reverse pass: ``jvp(grad(f), primals, tangents)``.
    Returns H·v shaped like ``primals`` (a tuple with one entry per primal).

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> x, v = cnp.array([1.0, 2.0]), cnp.array([1.0, 0.0])
    >>> cr.hvp(lambda x: cnp.sum(x ** 3), (x,), (v,))[0].tolist()
    [6.0, 0.0]
    """
    if not isinstance(primals, (tuple, list)):
        raise TypeError("hvp(f, primals, tangents): primals and tangents must be tuples, "
                        "e.g. cr.hvp(f, (x,), (v,))")
    nums = tuple(range(len(primals)))
    g = grad(f, argnums=nums)
    return jvp(g, tuple(primals), tuple(tangents))[1]


# ---- seeing the graph -----------------------------------------------------------------------
def make_graph(f):
    """Return a function that runs ``f`` and returns its recorded :class:`Graph`.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> g = cr.make_graph(lambda x, y: (x + y) * cnp.sin(y))(1.0, cnp.pi / 2)
    >>> [(n.name, n.op, n.inputs) for n in g.nodes[2:]]
    [('w1', 'add', ['x', 'y']), ('w2', 'sin', ['y']), ('w3', 'multiply', ['w1', 'w2'])]
    """
    def graph_f(*args):
        names = _input_names(f, args)
        trace, flat, in_tree, dts, in_ids, out = _record(f, args, "make_graph")
        out_ids, out_vals, out_tree = _split_outputs(trace, out)
        return Graph(in_ids, names, flat, trace.tape, [i for i in out_ids if i is not None])

    return graph_f


def _input_names(f, args):
    try:
        params = list(inspect.signature(f).parameters)
    except (TypeError, ValueError):
        params = []
    names = []
    for i, a in enumerate(args):
        base = params[i] if i < len(params) else f"arg{i}"
        leaves, tdef = T.flatten(a)
        if tdef.kind == "leaf":
            names.append(base)
        else:
            names.extend(f"{base}[{k}]" for k in range(len(leaves)))
    return names
