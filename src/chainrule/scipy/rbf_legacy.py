"""``scipy.interpolate.Rbf``, the legacy radial basis function interpolator: SciPy's values on
plain arguments; differentiable in the data d (the weights are SciPy's solve, linear in d:
its derivative is the solve of the tangent, its gradient the transposed map) and in the
query points (the basis function of the Euclidean distance, in chainrule operations, for the
named functions). The data sites are constants, and so is ``epsilon`` (SciPy's default
depends on the sites only).

>>> import numpy as np, chainrule as cr
>>> x = np.linspace(0.0, 3.0, 7)
>>> rbf = Rbf(x, np.sin(x))
>>> round(float(rbf(1.3)), 12) == round(float(__import__("scipy.interpolate").interpolate.Rbf(
...     x, np.sin(x))(1.3)), 12)
True
>>> g = cr.grad(lambda d: Rbf(x, d)(x[2]))(np.sin(x))       # it interpolates: the unit vector
>>> np.round(g, 8) + 0.0
array([0., 0., 1., 0., 0., 0., 0.])
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer
from ..core.registry import INTERPOLATE
from ..primitives.declare import export
from ..primitives.util import shape, dtype
from .splines import plain_knots, data_array, from_build

__all__ = []


def _si():
    import scipy.interpolate
    return scipy.interpolate


def _traced(*values):
    return any(isinstance(v, Tracer) for v in values)


# SciPy's basis functions as functions of r² (smooth where r = 0 allows)
_OF_R2 = {
    "multiquadric": lambda r2, e: cnp.sqrt(r2 / e ** 2 + 1),
    "inverse": lambda r2, e: 1.0 / cnp.sqrt(r2 / e ** 2 + 1),
    "inverse_multiquadric": lambda r2, e: 1.0 / cnp.sqrt(r2 / e ** 2 + 1),
    "gaussian": lambda r2, e: cnp.exp(-(r2 / e ** 2)),
    "linear": lambda r2, e: cnp.sqrt(r2),
    "cubic": lambda r2, e: r2 ** 1.5,
    "quintic": lambda r2, e: r2 ** 2.5,
    "thin_plate": lambda r2, e: 0.5 * r2 * cnp.log(cnp.where(r2 == 0, 1.0, r2)),
}


@export("Rbf", namespace=INTERPOLATE)
class Rbf:
    """``scipy.interpolate.Rbf(*x, d, function=..., epsilon=..., smooth=..., norm=...,
    mode=...)``: differentiable in d and, for the named functions with the Euclidean norm, in
    the query points.

    >>> import numpy as np, chainrule as cr
    >>> x, y = np.array([0.0, 1.0, 0.0, 1.0]), np.array([0.0, 0.0, 1.0, 1.0])
    >>> rbf = Rbf(x, y, x + y, function="gaussian")
    >>> round(float(rbf(0.0, 1.0)), 10)
    1.0
    """

    def __init__(self, *args, **kwargs):
        if len(args) < 2:
            raise ValueError("Rbf needs the sites and the data")
        *sites, d = args
        sites = [plain_knots(s, "Rbf", "sites") for s in sites]
        if not isinstance(d, Tracer):
            d = np.asarray(d)
        self._kwargs = kwargs
        stand_in = d if not _traced(d) else np.zeros(shape(d), dtype=np.float64)
        self._ref = _si().Rbf(*sites, stand_in, **kwargs)
        self._sites, self.d = sites, d
        self.epsilon, self.smooth = self._ref.epsilon, self._ref.smooth
        self.function, self.norm, self.mode = self._ref.function, self._ref.norm, self._ref.mode
        self.xi, self.N = self._ref.xi, self._ref.N
        if _traced(d):
            if dtype(d).kind == "c":
                raise TypeError("Rbf: d must be real (SciPy's solve is real)")
            si, kw = _si(), {**kwargs, "mode": "N-D"}
            n = shape(d)[0]

            def build(v):      # nodes = A⁻¹·d, column by column: all columns in one solve
                v = np.asarray(v, dtype=np.float64)
                return np.asarray(si.Rbf(*sites, v.reshape(n, -1), **kw).nodes).reshape(v.shape)
            self.nodes = from_build(data_array(d), build, build, "Rbf")
        else:
            self.nodes = self._ref.nodes

    def __call__(self, *args):
        """The interpolant at the query points (one array per coordinate, equal shapes)."""
        if not _traced(self.d, *args):
            return self._ref(*args)
        traced_points = _traced(*args)
        named = isinstance(self.function, str) and self.function.lower() in _OF_R2
        if traced_points and not (named and self.norm == "euclidean"):
            raise TypeError("chainrule.scipy.interpolate.Rbf: derivatives in the query points "
                            "need a named basis function and norm='euclidean'; pass the "
                            "points as constants")
        if not traced_points:
            args = [np.asarray(a) for a in args]
            if not all(a.shape == b.shape for a in args for b in args):
                raise ValueError("Array lengths must be equal")
            r = self._ref._call_norm(np.asarray([a.flatten() for a in args], dtype=np.float64),
                                     self.xi)
            phi = np.asarray(self._ref._function(r))
        else:
            if not all(shape(a) == shape(args[0]) for a in args):
                raise ValueError("Array lengths must be equal")
            r2 = 0.0
            for a, site in zip(args, self.xi):
                diff = cnp.reshape(cnp.astype(a, np.float64), (-1, 1)) - site[None, :]
                r2 = r2 + diff * diff
            phi = _OF_R2[self.function.lower()](r2, self.epsilon)
        out = phi @ self.nodes
        trail = shape(self.nodes)[1:]
        return cnp.reshape(out, shape(args[0]) + trail)
