"""Derivatives of one function at one point: grad, value_and_grad, vjp (reverse
mode, over a recorded tape), jvp (forward mode, dual numbers) and linearize
(record once, then J·v by replaying the tape).

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
from types import GeneratorType

import numpy as np

from ..core import tree
from ..core.primitive import Tracer, full_lower
from ..core.vspace import shape_of, dtype_of, zeros_like
from ..interpreters.forward import JVPTrace, JVPTracer
from ..interpreters.reverse import ReverseTrace, backward_pass
from ..primitives.elementwise import stop_gradient as stop_gradient_p
from ..primitives.arrays import in_library_of, is_foreign
from .args import (autograd_keywords, check_callable, check_differentiable,
                   check_holomorphic_input, argnums_tuple, strip, cast_like, check_leaves,
                   check_returned, call_user, own, own_tree, arrays_in, tree_difference, ArraySet)
from .recording import Recording, check_tangents, in_output_dtype, in_primal_library
from .jit import staged_after
from .lazy import needs_guard, refuse_compute
from .stage_reuse import tape_structure

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "jvp_named", "linearize", "stop_gradient"]


def stop_gradient(x):
    """Treat ``x`` (any pytree) as a constant in every mode: forward tangents stop too.

    >>> import chainrule as cr
    >>> cr.grad(lambda x: x * cr.stop_gradient(x))(3.0)
    np.float64(3.0)
    """
    return tree.tree_map(stop_gradient_p, x)

_F64 = np.dtype(np.float64)
_ONE_F32 = np.float32(1.0)
_NUMPY_LEAVES = (np.ndarray, np.generic, float, int, complex)


def _gradient(c, leaf, dt):
    """The cotangent of an input as its gradient: zeros if unreached, in the input's dtype."""
    if type(c) is np.ndarray and c.dtype is dt and type(leaf) is np.ndarray:
        return c  # what cast_like returns for it
    if c is None:
        return zeros_like(leaf, dt)
    if dt is _F64 and type(c) is float:
        return np.float64(c)
    if dt is _F64 and type(c) is np.float64:
        return c
    if not isinstance(leaf, _NUMPY_LEAVES):  # Dask, CuPy: the gradient stays in that library
        c = in_library_of(c, leaf)
    return cast_like(c, dt)


class _Inputs(ArraySet):
    """The caller's arrays, found only when a result is an array (so that a gradient of
    floats never looks for them): an :class:`ArraySet` filled on first use.

    ``flat`` are sequences of leaves already flattened (the differentiated ones, not
    walked again); ``values`` sequences of pytrees; ``skip`` the indices of ``values[0]``
    that ``flat`` already covers.
    """

    __slots__ = ("flat", "values", "skip", "filled")

    def __init__(self, flat, values=(), skip=()):
        self.flat, self.values, self.skip, self.filled = flat, values, skip, False

    def _fill(self):
        self.filled = True
        ArraySet.__init__(self)
        append = self.append
        by_owner, arrays = self.by_owner, self.arrays
        for leaves in self.flat:
            for x in leaves:
                if type(x) is np.ndarray and x.base is None and x.flags.owndata:
                    by_owner.setdefault(id(x), []).append(x)  # append(x), written out
                    arrays.append(x)
                else:
                    append(x)
        for k, v in enumerate(self.values):
            for x in arrays_in(v if k or not self.skip else
                               [a for i, a in enumerate(v) if i not in self.skip]):
                append(x)

    def overlaps(self, a, owner=False):
        if not self.filled:
            self._fill()
        return ArraySet.overlaps(self, a, owner)

    def __iter__(self):
        if not self.filled:
            self._fill()
        return iter(self.arrays)

    def __len__(self):
        if not self.filled:
            self._fill()
        return len(self.arrays)


def _own_gradients(cts, boxed, leaves, dtypes, inputs, results):
    """``own(_gradient(...))`` of each leaf's cotangent. A gradient that owns its memory
    (what the backward pass's own arrays do) is checked inline: it shares memory with
    another array only if that array's memory is its own, so only if it is filed under
    it, in ``inputs`` or in ``results`` (an :class:`ArraySet` each; neither may hold
    memory of unknown owner). Anything else takes :func:`own`.
    """
    out = []
    for b, x, d in zip(boxed, leaves, dtypes):
        c = cts.get(b._id)
        if type(c) is np.ndarray and c.dtype is d and type(x) is np.ndarray and \
                c.base is None and c.ndim:
            flags = c.flags
            if flags.owndata and flags.writeable:
                if not inputs.filled:
                    inputs._fill()
                key = id(c)
                if not inputs.unowned and not results.unowned and \
                        key not in inputs.by_owner and key not in results.by_owner:
                    results.by_owner[key] = [c]
                    results.arrays.append(c)
                    out.append(c)
                    continue
        out.append(own(_gradient(c, x, d), inputs, results, d))
    return out


class _SpecLeaves:
    """The differentiated leaves of value_and_grad's specs, as sequences (lazily)."""

    __slots__ = ("specs",)

    def __init__(self, specs):
        self.specs = specs

    def __iter__(self):
        return ((leaf,) if tdef is None else leaf for _, tdef, leaf, _ in self.specs)


# ---- reverse mode ------------------------------------------------------------------------
@autograd_keywords
def value_and_grad(f, argnums=0, has_aux=False, holomorphic=False):
    """Return a function computing ``f(*args)`` and its gradient.

    The output must be a real scalar; inputs may be real or complex. The gradient
    of a real function of z = x + iy is ∂f/∂x − i·∂f/∂y (JAX's convention,
    docs/complex.md). With ``holomorphic=True``, inputs and output are complex
    and the result is f'(z). ``argnums`` picks the differentiated
    arguments (an int, or a tuple for a tuple of gradients); each may be a
    pytree. With ``has_aux=True``, ``f`` returns ``(value, aux)`` and the result
    is ``((value, aux), grad)``.

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> v, g = cr.value_and_grad(lambda x: cnp.sum(x ** 2))(cnp.array([1.0, 2.0]))
    >>> float(v), g.tolist()
    (5.0, [2.0, 4.0])
    >>> cr.value_and_grad(lambda z: cnp.abs(z) ** 2)(3 + 4j)   # 2·conj(z)
    (np.float64(25.0), np.complex128(6-8j))
    """
    check_callable(f, "value_and_grad")
    single = isinstance(argnums, int)
    fname = "grad" if not holomorphic else "grad(holomorphic=True)"

    nums_for = {}  # number of positional arguments -> validated argnums

    @functools.wraps(f)
    def value_and_grad_f(*args, **kwargs):
        nums = nums_for.get(len(args))
        if nums is None:
            nums = nums_for[len(args)] = tuple(
                i % len(args) for i in argnums_tuple(argnums, len(args), "grad"))
        given = args
        args = list(args)
        specs = []  # (tracer or tracers, tree or None, leaves, dtypes), one per argnum
        trace = ReverseTrace("grad")
        try:  # the trace is finished on every path, the input checks' errors included
            for i in nums:
                a = args[i]
                if type(a) is float and not holomorphic:  # the common cases first
                    t = args[i] = trace.new_input(a)
                    specs.append((t, None, a, _F64))
                elif isinstance(a, (int, complex, np.ndarray, np.generic, Tracer)):
                    dt = check_differentiable(a, i, None, "grad")
                    if holomorphic:
                        check_holomorphic_input(dt, "grad")
                    t = args[i] = trace.new_input(a)
                    specs.append((t, None, a, dt))
                else:
                    leaves, tdef = tree.flatten(a)
                    check_leaves(leaves, given, i, "grad")
                    dts = [check_differentiable(x, i, k, "grad") for k, x in enumerate(leaves)]
                    if holomorphic:
                        for d in dts:
                            check_holomorphic_input(d, "grad")
                    boxed = trace.new_inputs(leaves)
                    args[i] = tree.unflatten(tdef, boxed)
                    specs.append((boxed, tdef, leaves, dts))
            out = call_user(f, args, kwargs, "grad", [given[i] for i in nums])
        finally:
            trace.finish()
        if out is None or type(out) is GeneratorType:
            check_returned(out, "grad")
        if has_aux:
            if not (isinstance(out, (tuple, list)) and len(out) == 2):
                raise TypeError("grad(has_aux=True): the function must return a pair (value, aux)")
            out, aux = out
            check_returned(out, "grad")
            aux = strip(trace, aux, _Inputs((), (given, kwargs.values())))
        if isinstance(out, Tracer) and out._trace is trace:
            value = out._value
            seeds = {out._id: _scalar_seed(value, holomorphic)}
            if type(value) is not np.float64 and needs_guard((value,)):
                with refuse_compute("grad"):  # the rules run on Dask values: none computed
                    cts = backward_pass(trace.tape, seeds, consume=True)
            else:
                cts = backward_pass(trace.tape, seeds, consume=True)
        else:
            value = out
            _scalar_seed(value, holomorphic)  # the same checks, even for a constant output
            cts = {}
        inputs = _Inputs(_SpecLeaves(specs), (given, kwargs.values()), nums)
        grads = []
        results = ArraySet()  # the arrays handed out so far: none may share memory with another
        for t, tdef, leaf, dt in specs:
            if tdef is None:
                c = _gradient(cts.get(t._id), leaf, dt)
                grads.append(c if type(c) is np.float64 else own(c, inputs, results, dt))
            else:
                grads.append(tree.unflatten(tdef, _own_gradients(cts, t, leaf, dt, inputs,
                                                                 results)))
        g = grads[0] if single else tuple(grads)
        if type(value) is not np.float64:
            value = own(value, inputs)  # (a Dask 0-d input returned as it is: a copy)
        return ((value, aux), g) if has_aux else (value, g)

    return value_and_grad_f


def _scalar_seed(value, holomorphic=False):
    """The cotangent 1 for a scalar output, after checking that it is a real scalar (a
    complex one with ``holomorphic``)."""
    if not holomorphic and (type(value) is float or type(value) is np.float64):
        return 1.0
    if type(value) is np.float32 and not holomorphic:
        return _ONE_F32  # what the checks below end with for it
    shp = shape_of(value) if not isinstance(value, (tuple, list, dict)) else None
    if shp is None or shp != ():
        if shp is not None:
            raise TypeError(
                f"grad requires a scalar output, but the function returned shape {shp}. For a "
                f"vector-valued function use cr.jacrev (full Jacobian) or cr.vjp (one "
                f"vector-Jacobian product); to differentiate a sum, return cnp.sum(...).")
        n = f" of {len(value)}" if isinstance(value, (tuple, list)) else ""
        raise TypeError(
            f"grad requires a scalar output, but the function returned a "
            f"{type(value).__name__}{n}. If it returns (value, aux), pass has_aux=True: "
            f"cr.grad(f, has_aux=True) differentiates the value and returns (grad, aux); for "
            f"several outputs use cr.jacrev (full Jacobian) or cr.vjp (one vector-Jacobian "
            f"product).")
    try:
        dt = dtype_of(value)
    except (AttributeError, TypeError):  # a str, an object: no dtype at all
        raise TypeError(
            f"grad requires a real floating-point output, but the function returned a "
            f"{type(value).__name__}: {value!r:.60}; return one float (a loss), e.g. "
            f"cnp.sum(...) of the values") from None
    if holomorphic:
        if dt.kind != "c":
            raise TypeError(
                f"grad with holomorphic=True requires a complex output, but the function "
                f"returned dtype {dt}. For a real-valued function drop holomorphic=True.")
    elif dt.kind == "c":
        raise TypeError(
            f"grad requires a real-valued output, but the function returned dtype {dt}. For "
            f"holomorphic differentiation pass holomorphic=True; for a non-holomorphic "
            f"function with a complex output use cr.vjp directly (or differentiate "
            f"cnp.real(...) or cnp.abs(...) of it).")
    elif dt.kind != "f":
        raise TypeError(
            f"grad requires a real floating-point output, but the function returned dtype {dt}"
            f": an integer or boolean output has no derivative; compute the output in floating "
            f"point (e.g. from x.astype(float) where an integer array entered it)")
    one = np.ones((), dtype=dt)[()]
    return one if isinstance(value, _NUMPY_LEAVES) else in_library_of(one, full_lower(value))


@autograd_keywords
def grad(f, argnums=0, has_aux=False, holomorphic=False):
    """Return a function computing the gradient of scalar ``f`` by reverse mode.

    One forward pass records the computation; one backward pass over the
    record computes every partial derivative, whatever the number of inputs.
    Each gradient leaf has its input leaf's dtype (a NumPy scalar for a 0-d
    input) and is a fresh, writable array.

    Complex inputs follow JAX's convention (docs/complex.md): for a real ``f`` of
    z = x + iy the result is ∂f/∂x − i·∂f/∂y (so ``z -= lr * conj(g)`` descends);
    with ``holomorphic=True`` (complex inputs and output) it is f'(z).

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> cr.grad(cnp.sin, holomorphic=True)(0j)
    np.complex128(1+0j)

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> dx, dy = cr.grad(lambda x, y: (x + y) * cnp.sin(y), argnums=(0, 1))(1.0, cnp.pi / 2)
    >>> float(dx), round(float(dy), 12)   # cos(pi/2) is 6e-17 in float64, not 0
    (1.0, 1.0)
    """
    check_callable(f, "grad")
    vg = value_and_grad(f, argnums=argnums, has_aux=has_aux, holomorphic=holomorphic)

    @functools.wraps(f)
    def grad_f(*args, **kwargs):
        if has_aux:
            (_, aux), g = vg(*args, **kwargs)
            return g, aux
        return vg(*args, **kwargs)[1]

    return grad_f


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
    check_callable(f, "vjp")
    rec = Recording(f, primals, "vjp", has_aux=has_aux)
    out = own_tree(rec.out, arrays_in(rec.inputs))
    return (out, rec.pullback(), rec.aux) if has_aux else (out, rec.pullback())


# ---- forward mode -----------------------------------------------------------------------
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
    check_callable(f, "jvp")
    return jvp_named(f, primals, tangents, has_aux, "jvp")


def jvp_named(f, primals, tangents, has_aux, fname):
    """:func:`jvp`, with ``fname`` (the transform the user called) in its messages."""
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(f"{fname}(f, primals, tangents): primals and tangents must be tuples, "
                        "e.g. cr.jvp(f, (x,), (v,))")
    flat_p, tree_p = tree.flatten(tuple(primals))
    flat_t, tree_t = tree.flatten(tuple(tangents))
    if tree_p != tree_t:
        where = tree_difference(tuple(primals), tuple(tangents), "primals", "tangents")
        raise ValueError(f"{fname}: tangents must have the structure of primals: {where}")
    check_leaves(flat_p, tuple(primals), None, fname)
    check_tangents(flat_p, flat_t, fname)
    flat_t = [in_primal_library(t, p) for t, p in zip(flat_t, flat_p)]
    trace = JVPTrace(fname)
    try:
        boxed = [JVPTracer(trace, p, t) for p, t in zip(flat_p, flat_t)]
        out = call_user(f, tree.unflatten(tree_p, boxed), {}, fname, primals)
    finally:
        trace.finish()
    check_returned(out, fname)
    if has_aux:
        out, aux = out
        check_returned(out, fname)
        aux = strip(trace, aux, _Inputs((flat_p, flat_t)))
    out_flat, out_tree = tree.flatten(out)
    vals, tans = [], []
    for o in out_flat:
        if isinstance(o, JVPTracer) and o._trace is trace:
            vals.append(o._value)
            # (in the output's library: NumPy tangents of Dask primals through a linear
            # map stayed NumPy arrays)
            tans.append(in_library_of(in_output_dtype(o._tangent, o._value), o._value))
        else:
            vals.append(o)
            tans.append(zeros_like(o))
    inputs = _Inputs((flat_p, flat_t))
    results = []
    vals = [own(v, inputs, results) for v in vals]
    tans = [own(t, inputs, results) for t in tans]
    res = tree.unflatten(out_tree, vals), tree.unflatten(out_tree, tans)
    return res + (aux,) if has_aux else res


# linearize's J·v is staged after this many calls: tracing costs a few replays, so a
# linearization used a handful of times (a preconditioned Krylov solve) is not staged.
_STAGE_JVP_AFTER = 8


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
    check_callable(f, "linearize")
    rec = Recording(f, primals, "linearize")
    primal_arrays = arrays_in(rec.inputs)
    # A program staged for an earlier linearization with the same structure (the previous
    # Newton step's) is reused from the first call, with this tape's values.
    structure = tape_structure(rec.trace.tape, rec.in_ids, rec.inputs, rec.out_ids,
                               rec.out_values, rec.in_tree, rec.out_tree)
    staged = staged_after(rec.pushforward(), _STAGE_JVP_AFTER, structure)

    def jvp_fn(*tangents):
        # After a few calls, J·v runs as a staged program (cr.jit) of the tape's tangent
        # rules: the same operations, without the rule dispatch per equation.
        out = staged(*tangents)
        if not primal_arrays:
            return out
        if type(out) is np.ndarray:  # one output array (a Krylov solver's J·v)
            return out.copy() if any(np.may_share_memory(out, a) for a in primal_arrays) \
                else out
        return tree.tree_map(lambda r: r.copy() if type(r) is np.ndarray and any(
            np.may_share_memory(r, a) for a in primal_arrays) else r, out)
    jvp_fn.jitted = staged.jitted
    return own_tree(rec.out, primal_arrays), jvp_fn
