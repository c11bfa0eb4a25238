"""What the solvers of :mod:`chainrule.scipy.optimizers` share: which arguments are
traced, SciPy's calls on plain values, the implicit solve over the leaves of ``args``, the
errors that say what to do, and SciPy's result objects as pytrees.

>>> _as_tuple(2.0), _numeric("a string"), _numeric(np.float32(1.0))
((2.0,), False, True)
"""
import functools
import inspect
import warnings

import numpy as np

from .. import numpy as cnp
from ..core import tree
from ..core.primitive import Tracer, concrete_value, full_lower, traced_by
from ..interpreters.batching import BatchTracer
from ..interpreters.staging import StagingTracer
from ..primitives.arrays import is_foreign
from ..primitives.scipy_linalg import scipy_module
from ..primitives.tracer_methods import CONVERSION
from ..primitives.util import dtype
from .adjoint import closure_tracers, cells_holding
from .implicit import solution_p


# ---- what every solver shares ----------------------------------------------------------------
def _traced(values, name):
    """Whether one of ``values`` is traced; arrays of another library (Dask's, CuPy's) are
    refused: SciPy's solvers run on NumPy values."""
    for v in values:
        if is_foreign(full_lower(v)):
            raise TypeError(f"chainrule.scipy.optimize.{name} runs SciPy on NumPy values, not on "
                            f"{type(full_lower(v)).__module__.split('.')[0]} arrays: convert them "
                            f"first (x.compute() for Dask, x.get() for CuPy)")
    return any(isinstance(v, Tracer) for v in values)


def _staged(values):
    """Whether jit is staging one of ``values``."""
    return traced_by(StagingTracer, values)


def _float(x):
    """A point SciPy passes to a derivative, as a float array: MINPACK and the scalar
    Newton methods first call the Jacobian or derivative at the user's guess as given,
    which may be integers, and only floating-point values are differentiated."""
    if not isinstance(x, Tracer) and dtype(x).kind in "biu":
        return np.asarray(x, dtype=np.float64)
    return x


def _as_tuple(args):
    return args if isinstance(args, tuple) else (args,)


def _scalar(fun, first=False):
    """``fun`` returning a 0-d value (SciPy accepts a size-1 array as a scalar objective;
    ``first``: ``fun`` returns ``(value, gradient)``, as with ``jac=True``)."""
    def f(x, *args):
        v = fun(x, *args)
        v = v[0] if first else v
        if dtype(v).kind in "biu":   # (a constant objective such as 3: SciPy takes ints)
            v = cnp.astype(cnp.asarray(v), np.float64)
        return cnp.reshape(v, ()) if np.size(v) == 1 and np.ndim(v) else v
    return f


def _lift_closures(fun, args, *others):
    """``(fun, args, others)`` with the traced values ``fun`` closes over (``brentq(lambda x:
    x ** 3 - a, ...)`` inside a function of ``a``, SciPy programs' usual way to pass a
    parameter) moved to the end of ``args``, as the integrators do
    (:func:`~chainrule.scipy.adjoint.closure_tracers`): the solver then sees them as arguments
    and the implicit derivative reaches them. ``fun`` and the callables among ``others``
    (a ``jac`` written in the same scope shares its cells) are called with the cells holding
    the values the solver passed: plain ones while SciPy iterates, the rules' own in the
    derivatives."""
    captured = closure_tracers(fun)
    if not captured:
        return (fun, args) + others
    lifted = tuple(v for _, _, values in captured for v in values)
    k = len(lifted)

    def holding(f):
        @functools.wraps(f)
        def call(*call_args, **kwargs):  # (SciPy passes args last: f(x, [p,] *args, *lifted))
            with cells_holding(captured, call_args[-k:]):
                return f(*call_args[:-k], **kwargs)
        return call

    return (holding(fun), args + lifted) + tuple(
        holding(o) if callable(o) and not isinstance(o, type) else o for o in others)


def _solve(name, solve, residual, x0, args):
    """The solution of ``residual(x, *args) = 0`` found by ``solve(x0, *args)``, with the
    implicit derivatives in the leaves of ``args`` (pytrees of arrays). Leaves that are no
    numbers (a string choosing a variant, a function) are passed as they are, as SciPy
    passes its args."""
    leaves, treedef = tree.flatten(args)
    if isinstance(x0, (list, tuple)):
        x0 = cnp.asarray(x0)
    numeric = [i for i, leaf in enumerate(leaves) if _numeric(leaf)]
    for leaf in [leaves[i] for i in numeric] + [x0]:
        if dtype(leaf).kind == "c":
            raise TypeError(f"{name}: SciPy's solvers work on real values; split a complex "
                            f"argument into its real and imaginary parts")

    def full(flat):
        return tree.unflatten(treedef, _with(leaves, numeric, flat))

    return solution_p(
        x0, *[leaves[i] for i in numeric],
        solve=lambda x0, *flat: solve(x0, *full(flat)),
        residual=lambda x, x0, *flat: residual(x, *full(flat)))


def _numeric(leaf):
    if isinstance(leaf, Tracer):
        return True
    if isinstance(leaf, (np.ndarray, np.generic)):
        return leaf.dtype.kind in "biufc"
    return isinstance(leaf, (int, float, complex))


def _with(values, positions, chosen):
    out = list(values)
    for i, v in zip(positions, chosen):
        out[i] = v
    return out


def _start(x0, args, shaped):
    """The plain values ``(shaped(x0), *args)`` at which a solver first calls its function,
    or None under vmap (an example's values are not at hand)."""
    if traced_by(BatchTracer, [x0] + tree.leaves(args)):
        return None
    return (shaped(np.asarray(concrete_value(x0), dtype=float)),) + \
        tuple(tree.tree_map(concrete_value, args))


def _exact(name, derivative, at, fallback=None, kwargs=None):
    """``derivative`` if chainrule can differentiate the user's function at ``at`` (its
    first point, plain values), else ``fallback`` (SciPy's finite differences) with a
    warning: a function written with NumPy, not chainrule.numpy, refuses tracers."""
    if at is None:
        return derivative
    try:
        derivative(*at, **(kwargs or {}))
    except TypeError as e:
        if CONVERSION not in str(e) and "Converting a traced value" not in str(e):
            raise
        warnings.warn(f"chainrule.scipy.optimize.{name}: the function is not written with "
                      f"chainrule.numpy, so SciPy's finite differences are used (write it with "
                      f"chainrule.numpy for exact derivatives)", RuntimeWarning, stacklevel=3)
        return fallback
    return derivative


def _plain(name, fun):
    """``fun`` as SciPy calls it, on plain values: a traced result means that it reads a
    variable being differentiated from its closure, which the solver cannot see."""
    def plain(*args, **kwargs):
        out = fun(*args, **kwargs)
        if any(isinstance(v, Tracer) for v in tree.leaves(out)):
            raise TypeError(
                f"chainrule.scipy.optimize.{name}: the function returned a traced value from "
                f"plain inputs: it closes over a variable being differentiated (or vmapped), "
                f"which the solver cannot see; pass that variable through args=(...) and take "
                f"it as an argument of the function")
        return out
    return plain


def _explained(fun):
    """``fun``, whose error for a user function that converts a traced value to NumPy
    (np.asarray, float()) says what to do in the solver's terms."""
    signature = inspect.signature(fun)

    @functools.wraps(fun)
    def solver(*args, **kwargs):
        _refuse_traced_settings(fun.__name__, signature.bind(*args, **kwargs).arguments)
        try:
            return fun(*args, **kwargs)
        except TypeError as e:
            if CONVERSION not in str(e) and "Converting a traced value" not in str(e):
                raise
            raise TypeError(
                f"chainrule.scipy.optimize.{fun.__name__}: the solution is differentiated "
                f"through the function, which converts a traced value to NumPy (np.asarray, "
                f"float(), a function of SciPy's); write it with chainrule.numpy (NumPy's "
                f"ufuncs such as np.exp, np.sum and arithmetic work on traced values as they "
                f"are)") from e
    return solver


# the arguments a solver's solution is differentiated in (or, for guesses, has a zero
# derivative in); every other one (bounds, tolerances, x_scale…) goes to SciPy as it is
_DIFFERENTIABLE = {"minimize": ("x0", "args"), "minimize_scalar": ("args",),
                   "root": ("x0", "args"), "fsolve": ("x0", "args"), "newton": ("x0", "args"),
                   "root_scalar": ("x0", "args"), "least_squares": ("x0", "args", "kwargs"),
                   "curve_fit": ("xdata", "ydata", "p0", "sigma")}


def _refuse_traced_settings(name, arguments):
    allowed = _DIFFERENTIABLE.get(name, ("a", "b", "args"))    # (the bracketing finders)
    for key, value in arguments.items():
        if key in allowed or key == "f" or key == "fun" or key == "func":
            continue
        values = value.values() if key == "kwargs" and isinstance(value, dict) else [value]
        if any(isinstance(v, Tracer) for v in values for v in tree.leaves(v)):
            raise TypeError(
                f"chainrule.scipy.optimize.{name}: {key} goes to SciPy as a plain value and "
                f"is not differentiated; pass a number (cr.stop_gradient(...) drops a "
                f"derivative on purpose), or make it an argument of the function through "
                f"args=(...)")


def _converged(name, ok, message):
    if not ok:
        warnings.warn(f"chainrule.scipy.optimize.{name} did not converge ({message}); the "
                      f"derivatives of its result assume a solution", RuntimeWarning,
                      stacklevel=4)


def _refuse_active_bounds(name, x, lower, upper):
    x = np.asarray(x, dtype=float)
    lo, hi = (np.broadcast_to(np.asarray(b, dtype=float), x.shape) for b in (lower, upper))
    scale = 1e-8 * (1.0 + np.abs(x))
    if np.any(np.isfinite(lo) & (x - lo <= scale)) or np.any(np.isfinite(hi) & (hi - x <= scale)):
        raise NotImplementedError(
            f"chainrule.scipy.optimize.{name}: the solution lies on a bound, where the "
            f"derivative of the solution is not given by the implicit function theorem; "
            f"differentiate an unconstrained problem (e.g. a change of variables) instead")


def _result(results, x, value, staged, so):
    """SciPy's result with ``x`` and ``fun`` traced (under jit, only those: the rest would
    be the trace's and not be recomputed on later calls)."""
    if staged or not results:
        return so.OptimizeResult(x=x, fun=value)
    res = so.OptimizeResult(results[-1])
    if len(results) > 1:  # vmap: one solve per example, each example's report stacked
        res.success = all(r.success for r in results)
        res.message = next((r.message for r in results if not r.success), res.message)
        for k in res:
            _stack_field(res, k, [r.get(k) for r in results])
    res.x, res.fun = x, value
    return res


def _root_report(reports, so):
    """A scalar root finder's report; under vmap (one solve per example) its counts are
    every example's and its flag the first failure's."""
    if len(reports) == 1:
        return reports[0]
    failed = [r for r in reports if not r.converged]
    report = so.RootResults(root=None, iterations=np.array([r.iterations for r in reports]),
                            function_calls=np.array([r.function_calls for r in reports]),
                            flag=(failed or reports)[0].flag, method=reports[-1].method)
    report.converged = not failed
    return report


def _stack_field(res, key, values):
    """``res[key]`` as one array of every example's value (nit, jac, hess_inv…); a value
    that is no array (a LinearOperator) stays the last example's."""
    if key in ("x", "fun", "success", "message") or not all(
            isinstance(v, (np.ndarray, np.generic, int, float, bool)) for v in values):
        return
    try:
        res[key] = np.stack([np.asarray(v) for v in values])
    except ValueError:
        pass


# SciPy's results as pytrees: the solution, value, cost or root are their leaves (traced
# under a transform), the solver's report their static part; vmap and jit then return
# arrays in them, not the tracers of their trace.
_DATA_FIELDS = ("x", "fun", "cost", "root")


class _Report:
    """The static part of a result: compares by its field names, as a TreeDef's aux must."""

    def __init__(self, fields):
        self.fields = fields

    def __eq__(self, other):
        return isinstance(other, _Report) and sorted(self.fields) == sorted(other.fields)

    def __hash__(self):
        return hash(tuple(sorted(self.fields)))


def _flatten_result(res):
    keys = tuple(k for k in _DATA_FIELDS if k in res)
    return [res[k] for k in keys], (keys, _Report({k: v for k, v in res.items()
                                                  if k not in keys}))


def _result_type_unflatten(cls):
    def unflatten(aux, children):
        keys, report = aux
        res = cls.__new__(cls)
        dict.update(res, report.fields)
        dict.update(res, zip(keys, children))
        return res
    return unflatten


@functools.lru_cache(maxsize=None)
def _optimize():
    """scipy.optimize, its result types registered as pytrees (once, at the first call:
    SciPy is an extra, not imported with chainrule)."""
    so = scipy_module("optimize")
    for cls in (so.OptimizeResult, so.RootResults):
        tree.register_pytree_node(cls, _flatten_result, _result_type_unflatten(cls))
    return so
