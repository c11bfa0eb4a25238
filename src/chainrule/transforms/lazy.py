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
    object's attributes (``self.X``). Only called when Dask is imported.

    >>> lazy_values_in((1.0,), lambda x: x)
    False
    """
    if any(map(_holds_lazy, args)):
        return True
    return f is not None and any(map(_holds_lazy, _reached_by(f)))


def needs_guard(values):
    """True when Dask is imported, no guard is active in this thread, and one of
    ``values`` holds a Dask value: a backward pass (or a replay) over them then runs
    inside :func:`refuse_compute`, as the function itself did (the rules call NumPy
    functions too)."""
    return "dask" in sys.modules and not refusing() and any(map(_holds_lazy, values))


_PLAIN = (float, int, bool, complex, str, bytes, type(None), np.ndarray, np.generic,
          types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type)
_MAX_ITEMS = 4096  # how many entries of nested lists, tuples and dicts to look into


def _holds_lazy(v):
    # v, or an entry of the lists, tuples and dicts it nests (any keys: a global dict of
    # the user's need not be a pytree), is a Dask value (under its tracers)
    todo, n = [v], 0
    while todo and n < _MAX_ITEMS:
        v = todo.pop()
        n += 1
        if isinstance(v, _PLAIN):
            continue
        if isinstance(v, (list, tuple)):
            todo.extend(v)
        elif isinstance(v, dict):
            todo.extend(v.values())
        elif is_lazy(full_lower(v) if isinstance(v, Tracer) else v):
            return True
    return False


# How far to follow functions and objects from the transformed function (a bound on the
# work per call: the data a program differentiates over is rarely further away).
_MAX_REACHED = 256


def _reached_by(f):
    """The values the callable ``f`` may read: see :func:`lazy_values_in`."""
    out, seen, todo = [], set(), [f]
    while todo and len(seen) < _MAX_REACHED:
        g = todo.pop()
        if id(g) in seen:
            continue
        seen.add(id(g))
        if isinstance(g, functools.partial):
            todo.append(g.func)
            out.extend(g.args)
            out.extend(g.keywords.values())
        elif isinstance(g, types.MethodType):
            todo.append(g.__func__)
            todo.append(g.__self__)
        elif isinstance(g, types.FunctionType):
            found = [c.cell_contents for c in g.__closure__ or () if _filled(c)]
            found.extend(g.__defaults__ or ())
            found.extend((g.__kwdefaults__ or {}).values())
            if not str(g.__module__).startswith("chainrule."):  # not chainrule's tables
                glob = g.__globals__
                found.extend(glob[n] for n in _global_names(g.__code__) if n in glob)
            out.extend(found)
            todo.extend(v for v in found if callable(v) or hasattr(v, "__dict__"))
        elif isinstance(g, (type, types.ModuleType, types.BuiltinFunctionType)):
            continue
        elif hasattr(g, "__dict__"):  # an object: its attributes, its __call__
            attrs = list(vars(g).values())
            out.extend(attrs)
            todo.extend(v for v in attrs if callable(v) and not isinstance(v, type))
            call = getattr(type(g), "__call__", None)
            if isinstance(call, types.FunctionType):
                todo.append(call)
    return out


def _filled(cell):
    try:
        cell.cell_contents
    except ValueError:  # an empty cell
        return False
    return True


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
