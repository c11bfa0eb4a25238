"""``scipy.integrate.solve_ivp`` (needs the ``scipy`` extra), differentiable in ``y0``, ``args``,
``t_eval`` and ``t_span``.

The same primitive as :func:`chainrule.scipy.integrate.odeint` (``adjoint.ode``) with SciPy's
``solve_ivp`` as its solver: the value is SciPy's, the reverse mode is the adjoint method and
the forward mode the sensitivity equations, each integrated by ``solve_ivp`` with the same
method and tolerances (so the derivatives are accurate to ``rtol``/``atol``, first order
only). Without ``t_eval`` the output times are the solver's own steps; they are taken as fixed
points, except the end ``t_span[1]``, through which the last state is differentiable.

>>> import numpy as np, chainrule as cr
>>> sol = solve_ivp(lambda t, y: -y, (0.0, 1.0), np.array([1.0]), t_eval=[1.0], rtol=1e-10,
...                 atol=1e-12)
>>> sol.y.round(6).tolist(), bool(sol.success)
([[0.367879]], True)
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer, concrete_value, full_lower
from ..core.registry import INTEGRATE, FIRST_ORDER
from ..interpreters.batching import BatchedValueError
from ..primitives.declare import export
from ..primitives.util import ndim, dtype
from ..primitives.scipy_linalg import scipy_module
from .adjoint import ode, flat_args

__all__ = ["solve_ivp", "OdeResult", "IvpSolver"]

METHODS = ("RK23", "RK45", "DOP853", "Radau", "BDF", "LSODA")
#: Options that concern the user's system only (its Jacobian, the first step from y0): the
#: augmented systems of the derivatives are integrated without them.
_VALUE_ONLY = ("jac", "jac_sparsity", "lband", "uband", "first_step")


class IvpSolver:
    """SciPy's ``solve_ivp`` with one method and its options: how the ODE primitive integrates
    for :func:`solve_ivp`."""

    def __init__(self, method, rtol, atol, options, own_steps=None):
        # own_steps: None, or the end tf of a run whose output times are the solver's steps
        self.method, self.rtol, self.atol = method, rtol, np.asarray(atol, dtype=np.float64)
        self.options, self.own_steps = dict(options), own_steps
        self.key = (method, rtol, self.atol.tobytes(), own_steps,
                    tuple((k, v if isinstance(v, (int, float, str, type(None))) else id(v))
                          for k, v in sorted(self.options.items())))

    def _atol(self, n):
        """The absolute tolerance for an augmented state of size n: the user's per-component
        tolerance repeated, the smallest one for the rest."""
        if self.atol.ndim == 0:
            return float(self.atol)
        reps = int(np.ceil(n / self.atol.size))
        return np.concatenate([self.atol] * reps)[:n]

    def _run(self, rhs, state0, t_span, t_eval, main):
        options = self.options if main else {k: v for k, v in self.options.items()
                                             if k not in _VALUE_ONLY}
        atol = self.atol if main else self._atol(state0.size)
        return scipy_module("integrate").solve_ivp(
            lambda t, y: rhs(y, t), t_span, state0, method=self.method, t_eval=t_eval,
            rtol=self.rtol, atol=atol, **options)

    def trajectory(self, rhs, state0, times, main=False):
        """The states at ``times`` (rows; the first is ``state0``), nan after a failed step."""
        out = np.full((len(times), state0.size), np.nan)
        out[0] = state0
        if len(times) == 1:
            return out
        if main and self.own_steps is not None:
            sol = self._run(rhs, state0, (times[0], self.own_steps), None, main)
            if sol.status >= 0 and (len(sol.t) != len(times) or np.any(sol.t != times)):
                raise RuntimeError("solve_ivp took other steps than on its first run")
            out[:sol.y.shape[1]] = sol.y.T
            return out
        # The end tf is appended to t_eval by solve_ivp's caller; SciPy wants t_eval strictly
        # sorted, so an end t_eval already holds is asked once.
        repeated = len(times) > 2 and times[-1] == times[-2]
        sol = self._run(rhs, state0, (times[0], times[-1]), times[1:len(times) - repeated], main)
        out[1:1 + sol.y.shape[1]] = sol.y.T
        if repeated and sol.status >= 0:
            out[-1] = out[-2]
        return out

    def segment(self, rhs, state, t_from, t_to):
        sol = self._run(rhs, state, (t_from, t_to), None, False)
        return sol.y[:, -1] if sol.status >= 0 else np.full(state.size, np.nan)

    def __eq__(self, other):
        return type(other) is type(self) and other.key == self.key

    def __hash__(self):
        return hash(self.key)

    def __repr__(self):
        return f"IvpSolver({self.method!r}, rtol={self.rtol}, atol={self.atol})"


class OdeResult(dict):
    """``solve_ivp``'s result, as SciPy's: ``t``, ``y``, ``sol`` (None), ``t_events``,
    ``y_events`` (None), ``nfev``, ``njev``, ``nlu``, ``status``, ``message``, ``success``.
    The counts and the status come from a plain SciPy run, made when first asked for.

    >>> r = OdeResult(t=1.0)
    >>> r.t
    1.0
    """

    def __init__(self, stats=None, **fields):
        super().__init__(**fields)
        self._stats = stats

    def _fill(self):
        if self._stats is not None:
            run, self._stats = self._stats, None
            sol = run()
            for k in ("nfev", "njev", "nlu", "status", "message", "success"):
                self[k] = sol[k]

    def __getitem__(self, name):
        if name in ("nfev", "njev", "nlu", "status", "message", "success"):
            self._fill()
        return super().__getitem__(name)

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self):
        self._fill()
        return "\n".join(f"{k:>9}: {v!r}" for k, v in self.items())


def _refuse(what, instead):
    raise NotImplementedError(f"chainrule.scipy.integrate.solve_ivp: {what} is not supported "
                              f"(its derivative is not written); {instead}")


def _plain(x):
    return np.asarray(full_lower(x))


@export("solve_ivp", namespace=INTEGRATE, prim=ode, family=FIRST_ORDER)
def solve_ivp(fun, t_span, y0, method="RK45", t_eval=None, dense_output=False, events=None,
              vectorized=False, args=None, **options):
    """Solve dy/dt = fun(t, y, *args), y(t_span[0]) = y0 (``scipy.integrate.solve_ivp``),
    differentiable in ``y0``, ``args``, ``t_eval`` and ``t_span`` (first derivatives: the
    adjoint method in reverse mode, the sensitivity equations in forward mode, integrated by
    SciPy with the same ``method``, ``rtol`` and ``atol``). Write ``fun`` with
    ``chainrule.numpy``. Methods 'RK23', 'RK45', 'DOP853', 'Radau', 'BDF', 'LSODA'; events,
    ``dense_output=True`` and ``vectorized=True`` are refused. Returns SciPy's fields
    (``sol.t``, ``sol.y`` of shape ``(len(y0), len(t))``, ``success``, ``nfev``…); a failed
    integration gives nan in ``y`` after the failure, with ``t`` still every time asked for.

    >>> import numpy as np, chainrule as cr
    >>> def y_end(k):
    ...     sol = solve_ivp(lambda t, y, k: -k * y, (0.0, 2.0), np.array([1.0]), args=(k,),
    ...                     t_eval=[2.0], rtol=1e-10, atol=1e-12)
    ...     return sol.y[0, -1]
    >>> round(float(cr.grad(y_end)(0.5)), 6)           # d/dk exp(-2k) = -2 exp(-2k)
    -0.735759
    """
    if not callable(fun):
        raise TypeError(f"solve_ivp: fun must be callable, not {type(fun).__name__}")
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {METHODS} (chainrule's solve_ivp takes "
                         f"SciPy's methods by name; a solver class of your own is not supported)")
    if events is not None:
        _refuse("events", "integrate to t_eval points and locate the event with a "
                "differentiable root finder on the solution")
    if dense_output:
        _refuse("dense_output=True", "pass the times you need as t_eval")
    if vectorized:
        _refuse("vectorized=True", "leave vectorized=False (fun is called on one state)")
    if args is not None:
        try:
            args = tuple(args)
        except TypeError as exc:
            raise TypeError("Supplied 'args' cannot be unpacked. Please supply `args` as a tuple "
                            f"(e.g. `args=({args},)`)") from exc
    args = () if args is None else args
    if len(t_span) != 2:
        raise ValueError("solve_ivp: t_span must be a pair (t0, tf)")
    t0, tf = t_span
    if not hasattr(y0, "shape"):
        y0 = np.asarray(y0)
    if ndim(y0) != 1:
        raise ValueError("`y0` must be 1-dimensional.")
    for a in (y0, t0, tf) + tuple(x for x in args if hasattr(x, "dtype") or
                                  isinstance(x, complex)):
        if dtype(a).kind == "c":
            raise TypeError("solve_ivp: complex values are not supported by chainrule's "
                            "solve_ivp; split a complex state into its real and imaginary parts")
    rtol, atol = options.pop("rtol", 1e-3), options.pop("atol", 1e-6)
    jac = options.get("jac")
    if callable(jac) and args:
        options["jac"] = lambda t, y: jac(t, y, *[_plain(a) for a in args])
    user_args = args
    func, args = flat_args(lambda y, t, *a: fun(t, y, *a), args, "solve_ivp")

    def stats_of(t_eval_plain):
        """A plain SciPy run on the values (for the counts and status, when asked for)."""
        def run():
            values = [full_lower(x) for x in (y0, t0, tf, t_eval_plain) + tuple(user_args)]
            if any(not isinstance(v, (np.ndarray, np.generic, float, int, type(None)))
                   for v in values):
                raise ValueError("solve_ivp: nfev, status and success of a solve under vmap "
                                 "are not available (each example has its own)")
            y0v, t0v, tfv, tev, *argv = values
            return scipy_module("integrate").solve_ivp(
                lambda t, y: np.asarray(full_lower(fun(t, y, *argv)), dtype=np.float64),
                (float(t0v), float(tfv)), np.asarray(y0v), method=method, t_eval=tev,
                rtol=rtol, atol=atol, **options)
        return run

    if t_eval is None:
        try:
            t0_value = float(concrete_value(t0, "float"))
            tf_value = float(concrete_value(tf, "float"))
            y0_value = np.asarray(concrete_value(y0, "value"))
            arg_values = [concrete_value(a, "value") for a in args]
        except BatchedValueError:
            raise ValueError("solve_ivp under vmap needs t_eval: without it the output times "
                             "are the solver's own steps, which differ from example to "
                             "example") from None
        first = scipy_module("integrate").solve_ivp(
            lambda t, y: np.asarray(func(y, t, *arg_values), dtype=np.float64),
            (t0_value, tf_value), y0_value, method=method, rtol=rtol, atol=atol, **options)
        steps = first.t
        as_row = lambda t: cnp.reshape(cnp.asarray(t, dtype=np.float64), (1,))
        if len(steps) < 2:
            times = as_row(t0)
        else:   # (a failed run stops short of tf: its last step is a constant)
            times = cnp.concatenate([as_row(t0), steps[1:-1],
                                     as_row(tf) if first.status >= 0 else steps[-1:]])
        solver = IvpSolver(method, rtol, atol, options, own_steps=tf_value)
        ys = ode(y0, times, *args, func=func, solver=solver)
        return OdeResult(stats=lambda: first, t=times, y=cnp.transpose(ys), sol=None,
                         t_events=None, y_events=None)
    if not hasattr(t_eval, "shape"):
        t_eval = np.asarray(t_eval)
    if ndim(t_eval) != 1:
        raise ValueError("`t_eval` must be 1-dimensional.")
    # t0 goes first and tf last (both are differentiable inputs, and SciPy integrates to tf
    # whatever t_eval asks for); their rows are dropped. SciPy checks that t_eval lies in
    # t_span and is sorted.
    as_row = lambda t: cnp.reshape(cnp.asarray(t, dtype=np.float64), (1,))
    times = cnp.concatenate([as_row(t0), cnp.asarray(t_eval, dtype=np.float64), as_row(tf)])
    solver = IvpSolver(method, rtol, atol, options)
    ys = ode(y0, times, *args, func=func, solver=solver)[1:-1]
    return OdeResult(stats=stats_of(t_eval), t=t_eval if isinstance(t_eval, Tracer)
                     else np.array(t_eval), y=cnp.transpose(ys), sol=None, t_events=None,
                     y_events=None)
