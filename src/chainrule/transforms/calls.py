"""What the call primitives share (custom_vjp, custom_jvp, checkpoint): a primitive
whose body is a Python function of a pytree of arguments.

The arguments are flattened into the primitive's operands; the output's
structure, known only once the body has run, comes back through ``box``.

>>> import chainrule as cr, chainrule.numpy as cnp
>>> has_tracer([1.0, cnp.ones(2)])
False
"""

from ..core import tree
from ..core.primitive import Tracer

__all__ = ["has_tracer", "bind_call", "run_flat"]


def has_tracer(leaves):
    """Whether any of ``leaves`` is a tracer (some transformation is watching)."""
    for x in leaves:
        if isinstance(x, Tracer):
            return True
    return False


def bind_call(prim, args, **params):
    """Apply a call primitive to pytree ``args``; returns the output pytree."""
    flat, in_tree = tree.flatten(tuple(args))
    box = []
    outs = prim(*flat, in_tree=in_tree, box=box, **params)
    return tree.unflatten(box[0], outs)


def run_flat(fn, in_tree, vals, box):
    """Run the body ``fn`` on flat operands; return its flat outputs, recording their
    structure in ``box`` (or checking it against the one recorded)."""
    out = fn(*tree.unflatten(in_tree, vals))
    out_flat, out_tree = tree.flatten(out)
    if box:
        if box[0] != out_tree:
            raise TypeError("a custom rule's output structure differs from the function's")
    else:
        box.append(out_tree)
    return tuple(out_flat)
