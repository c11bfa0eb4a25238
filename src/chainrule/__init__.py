"""chainrule: exact derivatives of NumPy programs.

>>> import chainrule as cr
>>> import chainrule.numpy as cnp
>>> def f(x, y):
...     return (x + y) * cnp.sin(y)
>>> [round(float(g), 12) for g in cr.grad(f, argnums=(0, 1))(1.0, cnp.pi / 2)]
[1.0, 1.0]

Layers (each imports only from those below it): ``core`` (primitives, tracers,
bind, pytrees, the graph), ``interpreters`` (forward mode, reverse mode, tape
replay), ``primitives`` (each primitive declared once with its rules and public
names), the transforms (``transforms``) and namespaces (``numpy``, ``scipy``,
generated from the registry), and applications on the public API (``testing``, ``explain``,
``solvers``, ``ntk``, ``checkpointing``).
"""

import sys as _sys

from . import primitives as _primitives  # noqa: F401  (registers every rule)
from .core import tree
# `import chainrule.tree` and `from chainrule.tree import register_pytree_node` (JAX's
# `from jax.tree_util import ...` habit) find the module that `cr.tree` names.
_sys.modules[__name__ + ".tree"] = tree
from .core.primitive import TracerEscapeError
from .core.graph import Graph
from .interpreters.forward import MissingRuleError
from .interpreters.nan_checks import debug_nans, config
from .transforms import (grad, value_and_grad, jvp, vjp, linearize, stop_gradient, jacfwd,
                         jacrev, jacobian, hessian, hvp, make_graph, JacobianChoice, custom_jvp,
                         custom_vjp, checkpoint, vmap, tape_residuals, jit)
from . import numpy  # noqa: F401  (the differentiable NumPy namespace)
from .primitives.tracer_methods import InPlaceError
from .testing import check_grads, GradientCheckError
# cr.explain is the function; the package stays importable as chainrule.explain.
from .explain import explain
from .checkpointing import checkpoint_sequential, checkpoint_schedule, memory_report, gnvp  # noqa: E402
from . import solvers, ntk  # noqa: E402,F401
from .flatten import flatten  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "grad", "value_and_grad", "jvp", "vjp", "linearize", "jacfwd", "jacrev", "jacobian",
    "hessian", "hvp", "stop_gradient", "make_graph", "custom_jvp", "custom_vjp", "checkpoint",
    "check_grads", "tree", "Graph", "JacobianChoice", "TracerEscapeError", "MissingRuleError",
    "InPlaceError", "GradientCheckError", "explain", "vmap", "checkpoint_sequential",
    "checkpoint_schedule", "memory_report", "gnvp", "solvers", "ntk", "debug_nans", "config",
    "flatten", "tape_residuals", "jit",
]
