"""The explicit table behind ``chainrule.numpy``: every public name, what it is
(a primitive with its own rules, a composite of primitives, a function with
zero derivative, an array constructor or a constant) and the object behind it.

The namespace, the coverage document (docs/coverage.md) and the rule tests are
all generated from this table; a name missing from it does not exist in
``chainrule.numpy`` and fails with a message that names it.
"""

import numpy as np

from ..primitives import elementwise as E, structural as S, linalg as L, composites as C
from ..primitives import special as SP, tracer_methods as M

PRIMITIVE, COMPOSITE, NONDIFF, CREATION, CONSTANT = (
    "primitive", "composite", "zero-derivative", "creation", "constant")

_ELEMENTWISE_PRIMS = [
    "add", "subtract", "multiply", "divide", "power", "negative", "positive", "absolute",
    "exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "sqrt", "cbrt", "square",
    "reciprocal", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh",
    "tanh", "arcsinh", "arccosh", "arctanh", "hypot", "logaddexp", "logaddexp2", "maximum",
    "minimum", "fmax", "fmin", "clip", "where", "deg2rad", "rad2deg", "sinc",
]
_ELEMENTWISE_NONDIFF = [
    "sign", "floor", "ceil", "rint", "trunc", "fix", "round", "greater", "greater_equal",
    "less", "less_equal", "equal", "not_equal", "logical_and", "logical_or", "logical_xor",
    "logical_not", "isfinite", "isinf", "isnan", "signbit", "floor_divide",
]
_STRUCTURAL_PRIMS = ["sum", "cumsum"]
_STRUCTURAL_NONDIFF = ["argmax", "argmin", "argsort", "nonzero", "any", "all", "isclose"]
_COMPOSITES = [
    "mean", "var", "std", "prod", "cumprod", "amax", "amin", "ravel", "expand_dims", "squeeze",
    "swapaxes", "moveaxis", "transpose", "reshape", "atleast_1d", "atleast_2d", "concatenate",
    "stack", "hstack", "vstack", "split", "flip", "roll", "tile", "repeat", "broadcast_to",
    "pad", "triu", "tril", "take_along_axis", "take", "sort", "matmul", "dot", "vdot", "inner",
    "outer", "tensordot", "einsum", "diagonal", "trace", "diag", "kron", "array", "asarray",
    "full", "full_like", "zeros_like", "ones_like",
]


def _entries():
    t = {}
    for n in _ELEMENTWISE_PRIMS:
        t[n] = (PRIMITIVE, getattr(E, n))
    for n in _ELEMENTWISE_NONDIFF:
        t[n] = (NONDIFF, getattr(E, n))
    for n in _STRUCTURAL_PRIMS:
        t[n] = (PRIMITIVE, getattr(S, n))
    t["max"] = (PRIMITIVE, S.max)
    t["min"] = (PRIMITIVE, S.min)
    for n in _STRUCTURAL_NONDIFF:
        t[n] = (NONDIFF, getattr(S, n))
    for n in _COMPOSITES:
        t[n] = (COMPOSITE, getattr(C, n))
    # Names that NumPy spells two ways.
    t["abs"] = (PRIMITIVE, E.absolute)
    t["true_divide"] = (PRIMITIVE, E.divide)
    t["pow"] = (PRIMITIVE, E.power)
    t["around"] = (NONDIFF, E.round)
    t["at"] = (COMPOSITE, M.at)
    for n in ("zeros", "ones", "empty", "eye", "identity", "arange", "linspace", "logspace",
              "meshgrid", "indices", "ogrid", "mgrid", "shape", "ndim", "size", "result_type",
              "float64", "float32", "int32", "int64", "bool_", "ndarray", "newaxis",
              "iscomplexobj", "allclose", "array_equal"):
        if hasattr(np, n):
            t[n] = (CREATION, getattr(np, n))
    for n in ("pi", "e", "inf", "nan", "euler_gamma"):
        t[n] = (CONSTANT, getattr(np, n))
    return t


TABLE = _entries()

LINALG_TABLE = {
    "inv": (PRIMITIVE, L.inv),
    "det": (PRIMITIVE, L.det),
    "slogdet": (COMPOSITE, C.slogdet),
    "solve": (PRIMITIVE, L.solve),
    "cholesky": (PRIMITIVE, L.cholesky),
    "eigh": (PRIMITIVE, L.eigh),
    "norm": (COMPOSITE, C.norm),
    "matrix_power": (COMPOSITE, C.matrix_power),
}

SPECIAL_TABLE = {
    "logsumexp": (PRIMITIVE, SP.logsumexp),
    "expit": (PRIMITIVE, SP.expit),
    "logit": (PRIMITIVE, SP.logit),
    "erf": (PRIMITIVE, SP.erf),
    "erfc": (PRIMITIVE, SP.erfc),
    "gammaln": (PRIMITIVE, SP.gammaln),
    "digamma": (PRIMITIVE, SP.digamma),
    "polygamma": (PRIMITIVE, SP.polygamma),
    "softmax": (COMPOSITE, SP.softmax),
    "log_softmax": (COMPOSITE, SP.log_softmax),
}
