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

from .core import registry
from . import primitives  # noqa: F401  (declares every primitive and composite)

__all__ = ["populate", "not_wrapped"]


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


def populate(module_globals, namespace, prefix=None):
    """Put every function registered for ``namespace`` into ``module_globals``.

    With ``prefix``, only the names registered as ``prefix + name`` without a further dot
    (``"chebyshev."`` for ``chainrule.numpy.polynomial.chebyshev``; ``""`` for the names of
    the package itself), under ``name``.

    Returns ``(sorted names, __getattr__)`` for the module's ``__all__`` and ``__getattr__``.
    """
    entries = registry.entries(namespace)
    where = namespace
    if prefix is not None:
        entries = {name[len(prefix):]: entry for name, entry in entries.items()
                   if name.startswith(prefix) and "." not in name[len(prefix):]}
        where = namespace + ("." + prefix.rstrip(".") if prefix else "")
    module_globals.update({name: entry.obj for name, entry in entries.items()})

    def __getattr__(name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise not_wrapped(where, name)

    return sorted(entries), __getattr__
