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
import sys
import threading

from ..core import tree
from ..core.primitive import full_lower, Primitive
from ..primitives.arrays import is_lazy

__all__ = ["LazyComputeError", "lazy_values_in", "refuse_compute", "refusing"]


class LazyComputeError(TypeError):
    """A Dask graph would have been computed inside a transform."""


def lazy_values_in(args, f=None):
    """True when an argument (or a value ``f`` closes over) holds a Dask value. Only
    called when Dask is imported."""
    values = list(args)
    for cell in getattr(f, "__closure__", None) or ():
        try:
            values.append(cell.cell_contents)
        except ValueError:  # an empty cell
            pass
    for v in values:
        for leaf in tree.leaves(v) if isinstance(v, (list, tuple, dict)) else (v,):
            if is_lazy(full_lower(leaf)):
                return True
    return False


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
