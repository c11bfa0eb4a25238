"""autograd.test_util.check_grads: autograd's signature over :func:`chainrule.check_grads`.

>>> import chainrule.autograd.numpy as np
>>> check_grads(lambda x: np.sin(x) * x, modes=["fwd", "rev"], order=2)(0.3)
"""
import chainrule as cr

from .differential_operators import _substitute

__all__ = ["check_grads"]


def check_grads(fun, argnum=0, modes=("fwd", "rev"), order=2):
    """``check_grads(fun, argnum=0, modes=['fwd', 'rev'], order=2)(*args, **kwargs)``: check
    ``fun``'s derivatives in argument ``argnum`` (an int or a tuple) against central
    differences, to ``order``, in ``modes``; raises :class:`chainrule.GradientCheckError`.

    >>> import chainrule.autograd.numpy as np
    >>> check_grads(lambda w, x: np.tanh(w * x), argnum=(0, 1))(0.5, 2.0)
    """
    bad = [m for m in modes if m not in ("fwd", "rev")]
    if bad:
        raise ValueError(f"check_grads: modes are 'fwd' and 'rev', not {bad}")

    def check(*args, **kwargs):
        nums = (argnum,) if isinstance(argnum, int) else tuple(argnum)
        cr.check_grads(lambda *xs: fun(*_substitute(args, nums, xs), **kwargs),
                       tuple(args[i] for i in nums), order=order, modes=tuple(modes))
    return check
