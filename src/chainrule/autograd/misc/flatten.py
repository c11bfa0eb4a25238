"""autograd.misc.flatten: :func:`chainrule.flatten` (``tree -> (vector, unflatten)``) and
``flatten_func``, a function of a pytree made a function of one flat vector.

>>> import chainrule.autograd.numpy as np
>>> vec, unflatten = flatten([np.ones(2), (3.0,)])
>>> vec.tolist(), float(unflatten(vec)[1][0])
([1.0, 1.0, 3.0], 3.0)
"""
from chainrule import flatten

__all__ = ["flatten", "flatten_func"]


def flatten_func(func, example):
    """``(flat_func, unflatten, flat_example)``: ``flat_func(vector, *args)`` is
    ``func(unflatten(vector), *args)`` with its result flattened too (autograd's signature).

    >>> import chainrule.autograd.numpy as np
    >>> f, unflatten, x = flatten_func(lambda p: p["a"] * p["b"], {"a": 2.0, "b": np.ones(2)})
    >>> x.tolist(), f(x).tolist()
    ([2.0, 1.0, 1.0], [2.0, 2.0])
    """
    flat_example, unflatten = flatten(example)

    def flat_func(vector, *args, **kwargs):
        return flatten(func(unflatten(vector), *args, **kwargs))[0]
    return flat_func, unflatten, flat_example
