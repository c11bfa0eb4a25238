"""``scipy.integrate.odeint`` (needs the ``scipy`` extra), differentiable in the initial
state ``y0``, the time points ``t`` and the extra arguments ``args``.

- Reverse mode is the adjoint method: from the last time point back to the first, SciPy's
  ``odeint`` integrates the state, the adjoint a(t) (da/dt = −aᵀ ∂f/∂y) and the parameters'
  cotangent (dθ̄/dt = −aᵀ ∂f/∂θ) backwards, adding the output cotangent at each time point;
  aᵀ ∂f/∂(y, θ) is chainrule's reverse mode applied to ``func``.
- Forward mode solves the sensitivity equations ds/dt = ∂f/∂y·s + ∂f/∂θ·θ̇ alongside the
  state, with chainrule's forward mode applied to ``func``.

Both rules are numerical ODE solves, accurate to the tolerances ``rtol``/``atol``; they are
first derivatives only: a second derivative of ``odeint`` raises a TypeError.

``func`` is called with chainrule tracers, so it must be written with ``chainrule.numpy``;
differentiable parameters go in ``args``, or ``func`` closes over them (``def rhs(y, t):
return -k * y`` inside a function of ``k``): a traced value in its closure cells, or in
the closures of the functions it calls through them, is passed to the solver as one more
argument (:func:`closure_tracers`). One read from a global or an object's attribute is
not seen, and is refused with a message saying to pass it through ``args``.

The derivatives of ``func`` are taken with :func:`chainrule.vjp` and :func:`chainrule.jvp`:
this module sits with the namespaces (layer 3), above the transforms it applies, and declares
``odeint`` as a primitive whose rules call them.

>>> import numpy as np, chainrule as cr
>>> float(odeint(lambda y, t: -y, 1.0, np.array([0.0, 1.0]))[1, 0].round(6))   # e^-1
0.367879
"""

import numpy as np

from ..core.primitive import Primitive, Tracer
from ..core import tree
from ..core.registry import INTEGRATE, FIRST_ORDER
from ..primitives.declare import declare, export
from ..primitives.util import shape, dtype
from ..primitives.scipy_linalg import scipy_module, loop_batch
from ..primitives import composites as C
from ..transforms.differentiate import vjp, jvp

__all__ = ["odeint", "ode", "OdeintSolver", "flat_args", "closure_tracers", "cells_holding"]


class _Layout:
    """Flattening of (y, arg₁, arg₂, …) into one state vector for SciPy's solver."""

    def __init__(self, values):
        self.shapes = [np.shape(v) for v in values]
        self.sizes = [int(np.prod(s)) for s in self.shapes]
        self.offsets = np.cumsum([0] + self.sizes)

    def split(self, vec):
        return [vec[o:o + n].reshape(s) for o, n, s in zip(self.offsets, self.sizes, self.shapes)]

    @staticmethod
    def join(values):
        return np.concatenate([np.ravel(np.asarray(v, dtype=np.float64)) for v in values])


class OdeintSolver:
    """SciPy's ``odeint`` (LSODA) with its tolerances: how the ODE primitives integrate."""

    name = "odeint"

    def __init__(self, rtol, atol, mxstep):
        self.key = ("odeint", rtol, atol, mxstep)
        self.rtol, self.atol, self.mxstep = rtol, atol, mxstep

    def trajectory(self, rhs, state0, times, main=False):
        """The states at ``times`` (one row each, the first is ``state0``); ``rhs(state, t)``."""
        return scipy_module("integrate").odeint(rhs, state0, times, rtol=self.rtol,
                                                atol=self.atol, mxstep=self.mxstep)

    def segment(self, rhs, state, t_from, t_to):
        return self.trajectory(rhs, state, np.array([t_from, t_to]))[-1]

    def __eq__(self, other):
        return type(other) is type(self) and other.key == self.key

    def __hash__(self):
        return hash(self.key)

    def __repr__(self):
        return f"{type(self).__name__}{self.key[1:]}"


def _impl(y0, t, *args, func, solver):
    y0 = np.asarray(y0, dtype=np.float64)
    rhs = lambda y, tt: np.ravel(np.asarray(func(y.reshape(y0.shape), tt, *args), dtype=np.float64))
    out = solver.trajectory(rhs, np.ravel(y0), np.asarray(t, dtype=np.float64), main=True)
    return out.reshape((len(t),) + y0.shape)


def _field(func, t):
    """``y, *args -> func(y, t, *args)`` as one array: a list (SciPy's style, ``[y[1], -y[0]]``)
    is stacked, so that its derivative is taken as an array's."""
    def f(y, *args):
        out = func(y, t, *args)
        return C.stack(list(out)) if isinstance(out, (list, tuple)) else out
    return f


def _no_second_order(*_, **__):
    raise TypeError("chainrule.scipy.integrate.odeint and solve_ivp have first derivatives only "
                    "(adjoint and sensitivity ODE solves); for a second derivative, integrate "
                    "with a fixed-step method written in chainrule.numpy (e.g. an RK4 loop)")


# ---- forward mode: the sensitivity equations ---------------------------------------------------
def _sens_impl(y0, t, *rest, func, solver):
    # rest: the args, then the tangents of y0, t and each arg
    k = (len(rest) - 2) // 2
    args, (ydot0, tdot), targs = rest[:k], rest[k:k + 2], rest[k + 2:]
    y0 = np.asarray(y0, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    n = y0.size
    shp = y0.shape

    def rhs(state, tt):
        y, s = state[:n].reshape(shp), state[n:].reshape(shp)
        f, df = jvp(_field(func, tt), (y,) + tuple(args), (s,) + tuple(targs))
        return np.concatenate([np.ravel(f), np.ravel(df)])

    f0 = np.asarray(func(y0, t[0], *args), dtype=np.float64)
    s0 = np.asarray(ydot0, dtype=np.float64) - f0 * np.asarray(tdot)[0]
    sol = solver.trajectory(rhs, np.concatenate([y0.ravel(), s0.ravel()]), t)
    ys, ss = sol[:, :n].reshape((len(t),) + shp), sol[:, n:].reshape((len(t),) + shp)
    fs = np.stack([np.asarray(func(ys[i], t[i], *args), dtype=np.float64) for i in range(len(t))])
    return ss + fs * np.asarray(tdot).reshape((len(t),) + (1,) * len(shp))


def _tangent_value(t, like):
    return np.zeros(np.shape(like)) if t is None else t


def _odeint_jvp(primals, tangents, func, solver):
    ans = ode(*primals, func=func, solver=solver)
    tans = [_tangent_value(t, p) for t, p in zip(tangents, primals)]
    return ans, ode_sens(*(list(primals) + tans), func=func, solver=solver)


# ---- reverse mode: the adjoint method ----------------------------------------------------------
def _adjoint_impl(g, ys, y0, t, *args, func, solver):
    t = np.asarray(t, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    g = np.asarray(g, dtype=np.float64)
    args = [np.asarray(a, dtype=np.float64) for a in args]
    shp = ys.shape[1:]
    n = int(np.prod(shp))
    layout = _Layout([np.zeros(shp)] + args)

    def rhs(state, tt):
        y, a = state[:n].reshape(shp), state[n:2 * n].reshape(shp)
        f, pull = vjp(_field(func, tt), y, *args)
        cts = pull(-a)
        return np.concatenate([np.ravel(np.asarray(f, dtype=np.float64)),
                               layout.join([np.zeros(shp) if c is None else c for c in cts])])

    f_at = [np.asarray(func(ys[i], t[i], *args), dtype=np.float64) for i in range(len(t))]
    t_bar = np.array([0.0] + [float(np.sum(g[i] * f_at[i])) for i in range(1, len(t))])
    a = np.zeros(shp)
    th = [np.zeros(np.shape(x)) for x in args]
    for i in range(len(t) - 1, 0, -1):
        a = a + g[i]
        if t[i] != t[i - 1]:   # (a segment of length zero changes nothing)
            state = np.concatenate([ys[i].ravel(), layout.join([a] + th)])
            parts = layout.split(solver.segment(rhs, state, t[i], t[i - 1])[n:])
            a, th = parts[0], parts[1:]
    t_bar[0] = -float(np.sum(a * f_at[0]))
    a = a + g[0]
    return (a, t_bar) + tuple(th)


def _odeint_vjp(g, ans, vals, params):
    return ode_adjoint(g, ans, *vals, **params)


_ode = Primitive("odeint", _impl)
_sens = Primitive("odeint_sensitivity", _sens_impl)
_adj = Primitive("odeint_adjoint", _adjoint_impl, multiple_results=True)
ode_sens = declare(_sens, jvp=_no_second_order, vjp=_no_second_order, batch=loop_batch(_sens),
                   names=())
ode_adjoint = declare(_adj, jvp=_no_second_order, vjp=_no_second_order, batch=loop_batch(_adj),
                      names=())
#: ``ode(y0, t, *args, func=, solver=)``: y at the times ``t`` of dy/dt = func(y, t, *args),
#: integrated by ``solver`` (:class:`OdeintSolver`, or ``solve_ivp``'s); its rules are the
#: sensitivity equations (forward) and the adjoint method (reverse), solved by the same solver.
ode = declare(_ode, jvp=_odeint_jvp, vjp=_odeint_vjp, batch=loop_batch(_ode), names=())


def flat_args(func, args, name):
    """``(func, leaves)``: extra arguments that are pytrees become their leaves, and ``func``
    (called as ``func(y, t, *args)``) sees them rebuilt. Traced values that ``func`` closes
    over (``def rhs(y, t): return -k * y`` inside a function of ``k``, SciPy programs' usual
    way to pass parameters) become extra arguments too: the solver's derivative rules must
    see every traced input (see :func:`closure_tracers`)."""
    leaves, treedef = tree.flatten(args)
    if any(not _array_like(x) for x in leaves):
        raise TypeError(f"{name}: args must hold arrays or numbers (in tuples, lists or dicts)")
    rebuild = len(leaves) != len(args) or any(x is not a for x, a in zip(leaves, args))
    user_func = func
    captured = closure_tracers(user_func)
    lifted = [v for _, _, values in captured for v in values]
    n = len(leaves)

    def func(y, s, *flat):
        own, consts = flat[:n], flat[n:]
        with cells_holding(captured, consts):
            out = user_func(y, s, *(tree.unflatten(treedef, list(own)) if rebuild else own))
        if _escaped(out, (y, s) + flat):
            raise TypeError(
                f"{name}: the function returned a traced value from plain inputs: it closes over "
                f"a variable being differentiated (or vmapped), which {name} cannot see; pass "
                f"that variable through args=(...) and take it as an argument of the function")
        return out
    return func, tuple(leaves) + tuple(lifted)


def closure_tracers(func, seen=None):
    """``[(cell, rebuild, traced values)]`` for the closure cells of ``func`` (and of the
    functions it closes over: solve_ivp's ``lambda y, t: fun(t, y)``) that hold a traced
    value, directly or in a tuple, list or dict; ``rebuild(values)`` is the cell's content
    with those values in place of the traced ones.

    >>> import chainrule as cr
    >>> seen = []
    >>> def outer(k):
    ...     rhs = lambda y: -k * y
    ...     seen.append(len(closure_tracers(rhs)))
    ...     return k
    >>> _ = cr.grad(outer)(1.0); seen
    [1]
    """
    seen = set() if seen is None else seen
    if id(func) in seen or len(seen) > 32:   # (a cycle, or a deep web of closures: stop)
        return []
    seen.add(id(func))
    found = []
    for cell in getattr(func, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:   # a cell not yet filled
            continue
        if isinstance(value, Tracer):
            found.append((cell, lambda vals: vals[0], [value]))
        elif isinstance(value, (tuple, list, dict)):
            items, structure = tree.flatten(value)
            at = [i for i, x in enumerate(items) if isinstance(x, Tracer)]
            if at:
                def rebuild(vals, items=items, at=at, structure=structure):
                    new = list(items)
                    for i, v in zip(at, vals):
                        new[i] = v
                    return tree.unflatten(structure, new)
                found.append((cell, rebuild, [items[i] for i in at]))
        elif callable(value) and getattr(value, "__closure__", None):
            found.extend(closure_tracers(value, seen))
    return found


class cells_holding:
    """While the solver calls the user's function, its closure cells hold the values the
    solver passed (plain numbers on the primal path, the rules' own tracers in the
    derivatives) instead of the caller's tracers; the caller's contents come back after.
    (The user's function is called from the solver alone while it integrates; a second
    thread calling the same closure meanwhile would see the solver's values.)"""

    def __init__(self, captured, consts):
        self.captured, self.consts = captured, consts

    def __enter__(self):
        self.saved = [cell.cell_contents for cell, _, _ in self.captured]
        i = 0
        for cell, rebuild, values in self.captured:
            cell.cell_contents = rebuild(list(self.consts[i:i + len(values)]))
            i += len(values)

    def __exit__(self, *exc):
        for (cell, _, _), value in zip(self.captured, self.saved):
            cell.cell_contents = value
        return False


def _escaped(out, inputs):
    """A traced result from untraced inputs: the function read a tracer from its closure."""
    return isinstance(out, Tracer) and not any(isinstance(v, Tracer) for v in inputs)


def _array_like(x):
    return isinstance(x, (Tracer, np.ndarray, np.generic, int, float, complex, bool))


@export("odeint", namespace=INTEGRATE, prim=ode, family=FIRST_ORDER)
def odeint(func, y0, t, args=(), rtol=1.49012e-8, atol=1.49012e-8, mxstep=5000):
    """Integrate dy/dt = func(y, t, *args) from y(t[0]) = y0 (``scipy.integrate.odeint``;
    ``y0`` may have any shape), returning y at each time point, shape ``(len(t),) + y0.shape``
    (a number ``y0`` is a state of one element, as SciPy's: shape ``(len(t), 1)``).
    ``args`` may hold pytrees of arrays (a list of (W, b) pairs). Differentiable in ``y0``,
    ``t`` and ``args`` (first derivatives: the adjoint method in
    reverse mode, the sensitivity equations in forward mode). Write ``func`` with
    ``chainrule.numpy``.

    >>> import numpy as np, chainrule as cr
    >>> decay = lambda y, t, k: -k * y
    >>> ys = odeint(decay, 1.0, np.array([0.0, 1.0]), args=(0.5,))
    >>> np.round(ys, 6).tolist()            # exp(-0.5)
    [[1.0], [0.606531]]
    >>> g = cr.grad(lambda k: odeint(decay, 1.0, np.array([0.0, 1.0]), args=(k,))[1, 0])(0.5)
    >>> round(float(g), 5)                  # d/dk exp(-k) = -exp(-k)
    -0.60653
    """
    if not callable(func):
        raise TypeError(f"odeint: func must be callable, not {type(func).__name__}")
    if not isinstance(args, tuple):
        args = (args,)
    # Extra arguments may be pytrees (a network's list of (W, b) pairs): the primitive sees
    # their leaves, and func sees them rebuilt.
    func, args = flat_args(func, args, "odeint")
    if len(shape(t)) != 1 or shape(t)[0] < 1:
        raise ValueError(f"odeint: t must be a 1-D sequence of time points, got shape {shape(t)}")
    for i, a in enumerate((y0, t) + args):
        if dtype(a).kind == "c":
            raise TypeError("odeint: complex values are not supported (SciPy's odeint integrates "
                            "real systems); split a complex state into its real and imaginary "
                            "parts")
    if not isinstance(t, Tracer):
        t = np.asarray(t, dtype=np.float64)
    if len(shape(y0)) == 0:  # as SciPy: a number is a state of one element, (len(t), 1) out
        y0 = C.reshape(C.asarray(y0), (1,))
    return ode(y0, t, *args, func=func, solver=OdeintSolver(rtol, atol, mxstep))
