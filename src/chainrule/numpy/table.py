"""The NumPy names that ``chainrule.numpy`` passes through unchanged.

Array constructors, dtype and shape queries, and constants have no derivative to
carry: they are NumPy's own objects, registered here as ``creation`` and
``constant`` entries of :mod:`chainrule.core.registry`. Every differentiable name
is declared next to its rules in :mod:`chainrule.primitives`.

>>> from chainrule.core import registry
>>> registry.lookup(registry.NUMPY, "pi").kind
'constant'
"""

import numpy as np

from ..core import registry
from .. import primitives  # noqa: F401  (declares every primitive and composite first)

__all__ = ["PASS_THROUGH", "CONSTANTS"]

#: NumPy functions and types that chainrule.numpy exposes as they are.
PASS_THROUGH = (
    "zeros", "ones", "empty", "eye", "identity", "arange", "linspace", "logspace", "meshgrid",
    "indices", "ogrid", "mgrid", "shape", "ndim", "size", "result_type", "float64", "float32",
    "int32", "int64", "bool_", "ndarray", "newaxis", "iscomplexobj", "allclose", "array_equal",
    # Floating-point error state, dtype and printing helpers programs call around the math.
    "seterr", "geterr", "errstate", "seterrcall", "geterrcall", "finfo", "iinfo", "dtype",
    "complex128", "complex64", "float16", "int8", "int16", "uint8", "uint16", "uint32", "uint64",
    "intp", "uintp", "integer", "floating", "complexfloating", "number", "generic", "inexact",
    "signedinteger", "unsignedinteger", "bool", "object_", "str_", "issubdtype", "isscalar",
    "promote_types", "can_cast", "min_scalar_type", "printoptions", "set_printoptions",
    "get_printoptions", "s_", "index_exp", "ndindex", "ndenumerate", "broadcast_shapes",
    "iterable", "isrealobj",
)
#: NumPy constants.
CONSTANTS = ("pi", "e", "inf", "nan", "euler_gamma")

for _name in PASS_THROUGH:
    if hasattr(np, _name) and registry.lookup(registry.NUMPY, _name) is None:
        registry.add(registry.NUMPY, _name, registry.CREATION, getattr(np, _name))
for _name in CONSTANTS:
    registry.add(registry.NUMPY, _name, registry.CONSTANT, getattr(np, _name))
