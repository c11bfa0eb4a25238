"""Explain automatic differentiation the way the notes teach it (an application layer).

``explain(f, *args)`` prints the forward table of dual numbers and the
backward table of adjoints; ``to_dot``/``render`` draw the graph; the
command line (``python -m chainrule``) adds a step-size study and a
symbolic/numerical/AD comparison.

>>> import chainrule.numpy as cnp
>>> from chainrule.explain import explain
>>> e = explain(lambda x, y: (x + y) * cnp.sin(y), 1.0, cnp.pi / 2, quiet=True)
>>> [round(float(g), 6) for g in e.gradient]
[1.0, 1.0]
"""

from .explanation import explain, Explanation
from .picture import to_dot, to_svg, render, MissingExtraError

__all__ = ["explain", "Explanation", "to_dot", "to_svg", "render", "MissingExtraError"]
