"""``stop_gradient``: treat a value as a constant in every mode.

The transforms themselves live in :mod:`chainrule.transforms`. This module
only holds the ``stop_gradient`` primitive until it moves to
``chainrule/primitives/`` with the other primitives (issue 9, item 2); its
batching rule is registered by :mod:`chainrule.transforms.vectorize`.

>>> import chainrule as cr
>>> cr.grad(lambda x: x * cr.stop_gradient(x))(3.0)
3.0
"""

from .core import tree
from .primitives.util import nondiff

__all__ = ["stop_gradient"]

_stop_gradient_p = nondiff("stop_gradient", lambda x: x)


def stop_gradient(x):
    """Treat ``x`` as a constant in every mode (forward tangents stop too).

    >>> import chainrule as cr
    >>> cr.grad(lambda x: x * cr.stop_gradient(x))(3.0)
    3.0
    """
    return tree.tree_map(_stop_gradient_p, x)
