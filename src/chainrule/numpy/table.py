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
    # The rest of NumPy's scalar types, and what a script reads, writes and prints its data
    # with: a program moved from NumPy keeps `np.double`, `np.loadtxt`, `np.savez` …
    "double", "single", "half", "longdouble", "cdouble", "csingle", "clongdouble", "int_",
    "intc", "uint", "uintc", "long", "ulong", "longlong", "ulonglong", "short", "ushort", "byte",
    "ubyte", "bytes_", "void", "character", "flexible", "datetime64", "timedelta64",
    "float128", "complex256", "isdtype", "common_type", "mintypecode", "typename",
    "loadtxt", "genfromtxt", "load", "save", "savez", "savez_compressed", "savetxt", "fromfile",
    "frombuffer", "fromstring", "fromiter", "fromregex", "array2string", "array_repr",
    "array_str", "format_float_positional", "format_float_scientific", "base_repr",
    "binary_repr", "shares_memory", "may_share_memory", "tri", "ix_",
    # window functions: constants of their length (a traced beta for kaiser is refused by the
    # conversion to an array, never dropped)
    "hanning", "hamming", "blackman", "bartlett", "kaiser",
    # the rest of NumPy's top level: dates, buffers, configuration, the matrix and record
    # classes, iterators (a traced value given to them is refused by its conversion)
    "isfortran", "busday_count", "busday_offset", "busdaycalendar",
    "is_busday", "datetime_as_string", "datetime_data", "getbufsize", "setbufsize",
    "get_include", "info", "matrix", "asmatrix", "bmat",
    "recarray", "record", "memmap", "nditer", "nested_iters", "flatiter", "ufunc",
    "from_dlpack",
)
#: NumPy constants, and NumPy's modules that have nothing to differentiate: its test
#: helpers (``np.testing.assert_allclose`` in a ported script), exceptions, dtype classes,
#: string and record arrays, masked arrays (a traced value is refused by their conversion).
CONSTANTS = ("pi", "e", "inf", "nan", "euler_gamma", "ScalarType", "typecodes", "little_endian",
             "True_", "False_", "sctypeDict", "testing", "exceptions", "dtypes", "char", "strings",
             "rec", "ma", "ctypeslib", "typing")

for _name in PASS_THROUGH:
    if hasattr(np, _name) and registry.lookup(registry.NUMPY, _name) is None:
        registry.add(registry.NUMPY, _name, registry.CREATION, getattr(np, _name))
for _name in CONSTANTS:
    if hasattr(np, _name):
        registry.add(registry.NUMPY, _name, registry.CONSTANT, getattr(np, _name))
