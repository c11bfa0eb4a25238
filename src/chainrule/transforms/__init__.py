"""Layer 3: the transformations, split by concern.

- :mod:`.args`: ``argnums``, input checks, the casts of results (shared by all);
- :mod:`.recording`: one recorded run, with its pullback and pushforward;
- :mod:`.differentiate`: ``grad``, ``value_and_grad``, ``vjp``, ``jvp``, ``linearize``,
  ``stop_gradient``;
- :mod:`.vectorize`: ``vmap``;
- :mod:`.jacobians`: ``jacfwd``, ``jacrev``, ``jacobian``, ``hessian``, ``hvp`` (one engine);
- :mod:`.graph`: ``make_graph``;
- :mod:`.calls`, :mod:`.custom`, :mod:`.checkpoint`: the call primitives
  (``custom_vjp``, ``custom_jvp``, ``checkpoint``).

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

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "linearize", "stop_gradient", "vmap", "jacfwd", "jacrev",
           "jacobian", "hessian", "hvp", "JacobianChoice", "make_graph", "custom_jvp",
           "custom_vjp", "checkpoint"]
