"""What every transform does with its arguments, written once: ``argnums``,
the checks on differentiated inputs, and the zeros and casts of results.

>>> import numpy as np
>>> argnums_tuple((0, -1), 3, "grad")
(0, -1)
>>> check_differentiable(np.arange(3), 0, None, "grad")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
TypeError: grad: argument 0 has dtype int64, and only floating-point inputs can be ...
"""

from ..core import tree
from ..core.primitive import Tracer
from ..core.vspace import dtype_of
from ..primitives import composites

__all__ = ["check_differentiable", "argnums_tuple", "diff_args", "strip", "cast_like"]


def check_differentiable(x, arg, leaf, fname):
    """The dtype of a differentiated input; a clear TypeError unless it is real float."""
    dt = dtype_of(x)
    if dt.kind == "f":
        return dt
    what = f"argument {arg}" if leaf is None else f"argument {arg} (leaf {leaf})"
    if dt.kind == "c":
        raise TypeError(
            f"{fname}: {what} is complex ({dt}); chainrule differentiates real functions only. "
            f"Pass the real and imaginary parts as two float arguments.")
    raise TypeError(
        f"{fname}: {what} has dtype {dt}, and only floating-point inputs can be differentiated. "
        f"Pass a float (e.g. 1.0 instead of 1) or convert with x.astype(float); to keep an "
        f"integer argument, leave it out of argnums.")


def argnums_tuple(argnums, nargs, fname):
    """``argnums`` as a tuple, after checking it against the number of arguments."""
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if len({i % nargs for i in nums if -nargs <= i < nargs}) != len(nums) and \
            all(-nargs <= i < nargs for i in nums):
        raise ValueError(f"{fname}: argnums={argnums} repeats an argument; list each "
                         f"argument once")
    for i in nums:
        if not -nargs <= i < nargs:
            raise ValueError(f"{fname}: argnums={argnums} but the function got {nargs} "
                             f"positional argument(s)")
    return nums


def diff_args(args, argnums):
    """The differentiated arguments, and ``substitute(new)``: the arguments with them replaced.

    For an int ``argnums`` the selection is that argument; for a tuple, a tuple.

    >>> sel, substitute = diff_args((1.0, 2.0, 3.0), (0, 2))
    >>> sel, substitute((10.0, 30.0))
    ((1.0, 3.0), [10.0, 2.0, 30.0])
    """
    nums = argnums_tuple(argnums, len(args), "jacobian")
    sel = args[argnums] if isinstance(argnums, int) else tuple(args[i] for i in nums)

    def substitute(new):
        a = list(args)
        if isinstance(argnums, int):
            a[argnums] = new
        else:
            for i, v in zip(nums, new):
                a[i] = v
        return a
    return sel, substitute


def strip(trace, values):
    """Replace ``trace``'s tracers in the pytree ``values`` by their values (aux outputs)."""
    def one(x):
        return x._value if isinstance(x, Tracer) and x._trace is trace else x
    return tree.tree_map(one, values)


def cast_like(ct, dt):
    """``ct`` converted to dtype ``dt`` when it has another dtype."""
    cdt = getattr(ct, "dtype", None)
    if cdt is not None and cdt != dt:
        return composites.astype(ct, dt)
    return ct
