"""Namespace modules generated from the registry: ``chainrule.numpy``, ``.numpy.linalg``,
``.numpy.fft``, ``chainrule.scipy.special``, ``.scipy.stats``.

Each such module calls :func:`populate` once: it receives every name registered for its
namespace, and an ``__getattr__`` that answers a missing name with an error naming it —
and saying where chainrule has it, when another namespace does (``cnp.logsumexp`` lives
in ``chainrule.scipy.special``) — so no derivative is ever dropped silently.

>>> import types
>>> from chainrule.core import registry
>>> mod = types.ModuleType("demo")
>>> names, missing = populate(vars(mod), registry.LINALG)
>>> "inv" in names and mod.inv is registry.lookup(registry.LINALG, "inv").obj
True
>>> try:
...     missing("sin")
... except AttributeError as e:
...     print(e)
chainrule.numpy.linalg.sin is not wrapped, but chainrule has sin as chainrule.numpy.sin
"""

import functools

import numpy as np

from .core import registry
from . import primitives  # noqa: F401  (declares every primitive and composite)

__all__ = ["populate", "not_wrapped", "VIEWS"]

#: Names whose NumPy twin answers a view of its argument: called on plain arrays, chainrule's
#: answer is copied where it would share memory with an argument (a write into a result must
#: never change the caller's array; under the transforms no result is a view anyway).
VIEWS = {
    registry.NUMPY: frozenset((
        "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_arrays", "broadcast_to", "diag",
        "diagonal", "einsum", "expand_dims", "flip", "fliplr", "flipud", "matrix_transpose",
        "moveaxis", "permute_dims", "ravel", "real", "reshape", "rot90", "split", "array_split",
        "hsplit", "vsplit", "dsplit", "squeeze", "swapaxes", "transpose", "trim_zeros",
        "unstack", "imag")),
    registry.LINALG: frozenset(("diagonal", "matrix_transpose")),
    registry.FFT: frozenset(("fftn", "ifftn")),
    registry.SCIPY_FFT: frozenset(("fftn", "ifftn")),
}


def not_wrapped(namespace, name):
    """The AttributeError for ``namespace.name`` when nothing is registered under it."""
    elsewhere = registry.elsewhere(name, namespace)
    if elsewhere:
        return AttributeError(f"{namespace}.{name} is not wrapped, but chainrule has {name} "
                              f"as {' and '.join(elsewhere)}")
    return AttributeError(
        f"{namespace}.{name} is not wrapped yet, so chainrule has no derivative for it. Write "
        f"it with the wrapped functions (see docs/coverage.md), or define it with "
        f"chainrule.custom_vjp / chainrule.custom_jvp.")


def populate(module_globals, namespace):
    """Put every function registered for ``namespace`` into ``module_globals``.

    Returns ``(sorted names, __getattr__)`` for the module's ``__all__`` and ``__getattr__``.
    """
    entries = registry.entries(namespace)
    views = VIEWS.get(namespace, frozenset())
    module_globals.update({name: _owned(entry.obj) if name in views else entry.obj
                           for name, entry in entries.items()})

    def __getattr__(name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise not_wrapped(namespace, name)

    return sorted(entries), __getattr__


def _owned(fn):
    """``fn`` whose plain-array results never share memory with a plain-array argument."""
    @functools.wraps(fn)
    def owned(*args, **kwargs):
        return _copied_where_shared(fn(*args, **kwargs), args, kwargs)
    return owned


def _copied_where_shared(result, args, kwargs):
    if isinstance(result, (list, tuple)) and not hasattr(result, "_fields"):
        return type(result)(_copied_where_shared(r, args, kwargs) for r in result)
    if type(result) is not np.ndarray or result.size == 0:
        return result
    given = [a for a in (*args, *kwargs.values()) if type(a) is np.ndarray]
    given += [a for seq in args if isinstance(seq, (list, tuple)) for a in seq
              if type(a) is np.ndarray]
    if any(np.may_share_memory(result, a) for a in given):
        return result.copy()
    return result
