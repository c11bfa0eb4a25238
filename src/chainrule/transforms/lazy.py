"""Dask values inside a transform: nothing is computed until the caller asks.

A transform over Dask arrays builds a Dask graph; computing part of it while tracing
would run the cluster silently, once per call. Two things could do it: a NumPy function
that Dask does not implement (Dask then computes its operands and calls NumPy, with a
FutureWarning), and a conversion to NumPy. While the user's function runs on Dask values,
Dask's scheduler is replaced by one that refuses, naming the function and the library;
``if x > 0`` and ``float(x)`` on a traced Dask value are refused by the tracers themselves.
With no Dask value among the arguments (or imported at all) nothing here runs.

>>> import chainrule as cr, chainrule.numpy as cnp, numpy as np
>>> float(cr.grad(lambda x: cnp.sum(x ** 2))(np.ones(3))[0])
2.0
"""

import contextlib
import functools
import sys
import threading
import types

import numpy as np

from ..core.primitive import full_lower, Primitive, Tracer
from ..primitives.arrays import is_lazy

__all__ = ["LazyComputeError", "lazy_values_in", "refuse_compute", "refusing", "needs_guard"]


class LazyComputeError(TypeError):
    """A Dask graph would have been computed inside a transform."""


def lazy_values_in(args, f=None):
    """True when an argument, or a value the function ``f`` reaches, holds a Dask value.
    ``f`` reaches what its closure cells, defaults and the global names its code uses
    hold, the functions among those (a helper that closes over the data), and, for a
    ``functools.partial``, a bound method or a callable object, its arguments and the
    object's attributes (``self.X``); lists, tuples and dicts are looked into. Only
    called when Dask is imported.

    >>> lazy_values_in((1.0,), lambda x: x)
    False
    """
    return _reaches_lazy(list(args) if f is None else list(args) + [f])


def needs_guard(values):
    """True when Dask is imported, no guard is active in this thread, and one of
    ``values`` holds a Dask value: a backward pass (or a replay) over them then runs
    inside :func:`refuse_compute`, as the function itself did (the rules call NumPy
    functions too)."""
    return "dask" in sys.modules and not refusing() and _reaches_lazy(list(values))


# Values with nothing inside to look at (checked by exact type first: the common case).
_PLAIN = frozenset({float, int, bool, complex, str, bytes, type(None), np.ndarray, np.float64,
                    np.float32, np.int64, types.ModuleType, types.BuiltinFunctionType, type,
                    types.BuiltinMethodType})
_PLAIN_KINDS = (np.ndarray, np.generic, type, types.ModuleType)
# A bound on the work per call: how many values to look at (the data a program
# differentiates over is rarely far from it).
_MAX_ITEMS = 4096


def _reaches_lazy(todo):
    """True when a value in ``todo``, or one it reaches (see :func:`lazy_values_in`), is a
    Dask value (under its tracers)."""
    seen, n = set(), 0
    while todo and n < _MAX_ITEMS:
        g = todo.pop()
        n += 1
        t = type(g)
        if t in _PLAIN:
            continue
        if t is list or t is tuple:
            # a list of plain arrays (a data set in a global) is passed over at C speed:
            # looking at each item made every call of a transform ~0.1 µs per item slower
            if not _PLAIN.issuperset(map(type, g)):
                todo.extend(g)
        elif t is dict:
            if not _PLAIN.issuperset(map(type, g.values())):
                todo.extend(g.values())
        elif t is types.FunctionType:
            if id(g) in seen:
                continue
            seen.add(id(g))
            for cell in g.__closure__ or ():
                try:
                    todo.append(cell.cell_contents)
                except ValueError:  # an empty cell
                    pass
            if g.__defaults__:
                todo.extend(g.__defaults__)
            if g.__kwdefaults__:
                todo.extend(g.__kwdefaults__.values())
            if not str(g.__module__).startswith("chainrule."):  # not chainrule's tables
                glob = g.__globals__
                todo.extend([glob[k] for k in _global_names(g.__code__) if k in glob])
        elif isinstance(g, Tracer):
            if is_lazy(full_lower(g)):
                return True
        elif is_lazy(g):
            return True
        elif isinstance(g, _PLAIN_KINDS):
            continue
        elif t is functools.partial:
            todo.append(g.func)
            todo.extend(g.args)
            todo.extend(g.keywords.values())
        elif t is types.MethodType:
            todo.append(g.__func__)
            todo.append(g.__self__)
        elif isinstance(g, (list, tuple)):  # a namedtuple, a subclass
            todo.extend(g)
        elif isinstance(g, dict):
            todo.extend(g.values())
        elif hasattr(g, "__dict__") and id(g) not in seen:  # an object: attributes, __call__
            seen.add(id(g))
            todo.extend(vars(g).values())
            call = getattr(t, "__call__", None)
            if type(call) is types.FunctionType:
                todo.append(call)
    return False


@functools.lru_cache(maxsize=1024)
def _global_names(code):
    # The names the code (and the functions and comprehensions defined in it) may read as
    # globals; also attribute names, which can only add a needless guard.
    names = set(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names.update(_global_names(c))
    return tuple(names)


_state = threading.local()


def refusing():
    """True while :func:`refuse_compute` guards this thread."""
    return getattr(_state, "depth", 0) > 0


@contextlib.contextmanager
def refuse_compute(fname):
    """While the block runs in this thread, computing a Dask graph raises
    :class:`LazyComputeError`; other threads compute as they would have."""
    depth = getattr(_state, "depth", 0)
    if depth:  # nested transforms: the outermost one guards
        _state.depth = depth + 1
        try:
            yield
        finally:
            _state.depth -= 1
        return
    import dask
    owner = threading.get_ident()
    before = dask.config.get("scheduler", None)

    def guard(dsk, keys, **kwargs):
        if threading.get_ident() != owner:
            return _scheduler(before)(dsk, keys, **kwargs)
        raise LazyComputeError(_message(fname))

    _state.depth = 1
    try:
        with dask.config.set(scheduler=guard):
            yield
    finally:
        _state.depth = 0


def _scheduler(name):
    # The scheduler another thread would have used: the configured one, the default
    # distributed client, or Dask's threads.
    import dask.base
    return dask.base.get_scheduler(scheduler=name) if name is not None else \
        _default_scheduler()


def _default_scheduler():
    try:
        from distributed import default_client
        return default_client().get
    except (ImportError, ValueError):
        import dask.threaded
        return dask.threaded.get


def _message(fname):
    # Name the NumPy function Dask lacks and the primitive that called it, from the stack.
    func, prim = None, None
    frame = sys._getframe(1)
    while frame is not None and (func is None or prim is None):
        loc = frame.f_locals
        if func is None and frame.f_code.co_name == "handle_nonmatching_names":
            func = loc.get("func")
        if prim is None and isinstance(loc.get("self"), Primitive):
            prim = loc["self"].name
        frame = frame.f_back
    where = f" in chainrule's primitive '{prim}'" if prim else ""
    if func is not None:
        what = (f"{func.__module__}.{func.__name__}{where} is not implemented by Dask "
                f"(dask.array), which would compute its operands")
    else:
        what = f"a Dask value was converted to a NumPy value{where}, which computes it"
    return (f"{fname}: {what}. chainrule does not compute a Dask graph silently inside a "
            f"transform: compute the input first (x.compute(), then a NumPy array), keep "
            f"this operation outside the differentiated function, or use operations Dask "
            f"provides (for control flow, cnp.where(cond, a, b))")
