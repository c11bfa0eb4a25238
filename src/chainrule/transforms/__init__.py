"""Layer 3: the transformations, split by concern.

- :mod:`.args`: ``argnums``, input checks, the casts of results (shared by all);
- :mod:`.recording`: one recorded run, with its pullback and pushforward;
- :mod:`.differentiate`: ``grad``, ``value_and_grad``, ``vjp``, ``jvp``, ``linearize``,
  ``stop_gradient``;
- :mod:`.vectorize`: ``vmap``;
- :mod:`.jacobians`: ``jacfwd``, ``jacrev``, ``jacobian``, ``hessian``, ``hvp`` (one engine);
- :mod:`.graph`: ``make_graph``; :mod:`.residuals`: ``tape_residuals`` (what reverse
  mode keeps);
- :mod:`.jit`: ``jit`` (staged programs; :mod:`.watch` watches what they captured);
- :mod:`.calls`, :mod:`.custom`, :mod:`.checkpoint`: the call primitives
  (``custom_vjp``, ``custom_jvp``, ``checkpoint``).

What every transform returns follows one rule (:func:`.args.own`): a result leaf has
the dtype of the value it belongs to (a gradient that of its input leaf, a tangent that
of its output); a 0-d result is a NumPy scalar (``np.float64`` for a Python float);
arrays are fresh and writable, sharing no memory with the caller's arguments or with
each other.

>>> import numpy as np, chainrule as cr
>>> cr.grad(lambda x: x * x)(3.0), cr.grad(lambda x: x * x)(np.float32(3.0))
(np.float64(6.0), np.float32(6.0))

Each is public as ``chainrule.<name>``; this package is what the applications
(layer 4) may import besides ``chainrule`` itself.

>>> import chainrule as cr
>>> cr.grad is grad and cr.vmap is vmap
True
"""

from .differentiate import grad, value_and_grad, vjp, jvp, linearize, stop_gradient
from .vectorize import vmap
from .jacobians import jacfwd, jacrev, jacobian, hessian, hvp, JacobianChoice
from .graph import make_graph
from .custom import custom_jvp, custom_vjp
from .checkpoint import checkpoint
from .residuals import tape_residuals, TapeReport
from .jit import jit

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "linearize", "stop_gradient", "vmap", "jacfwd", "jacrev",
           "jacobian", "hessian", "hvp", "JacobianChoice", "make_graph", "custom_jvp",
           "custom_vjp", "checkpoint", "tape_residuals", "TapeReport", "jit"]
