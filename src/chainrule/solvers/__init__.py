"""Solvers on chainrule's public API: matrix-free GMRES, Newton-Krylov with exact
JVPs, and implicitly differentiated roots and fixed points.

>>> from chainrule import solvers
>>> sorted(solvers.__all__)[:3]
['GMRESInfo', 'NewtonInfo', 'NoConvergence']

This is an application layer: it imports only ``chainrule`` (the public
transforms), ``chainrule.numpy``, ``chainrule.tree`` and NumPy.
"""

from .gmres import gmres, GMRESInfo
from .newton import newton_krylov, NewtonInfo, NoConvergence
from .implicit import root, fixed_point

__all__ = ["gmres", "GMRESInfo", "newton_krylov", "NewtonInfo", "NoConvergence", "root",
           "fixed_point"]
