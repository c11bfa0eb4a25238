"""``scipy.interpolate.BPoly``: piecewise polynomials in the Bernstein basis, differentiable
in the coefficients c (evaluation is linear in c: SciPy's own evaluation, its transpose the
basis), in the evaluation points (the derivative is the polynomial's own) and, through
``from_derivatives``, in the prescribed values and derivatives yi (the construction is linear
in yi: SciPy's build, transposed). Breakpoints are constants.

>>> import numpy as np, chainrule as cr
>>> b = BPoly(np.array([[0.0], [1.0], [1.0]]), np.array([0.0, 1.0]))   # 2s(1-s) + s²
>>> float(b(0.5)), float(cr.grad(lambda t: b(t))(0.5))
(0.75, 1.0)
"""

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer
from ..core.registry import INTERPOLATE
from ..primitives.declare import export
from ..primitives.splines import SplineForm
from ..primitives.util import shape, ndim, dtype
from .splines import PPoly, plain_knots, data_array, from_build, convert_basis

__all__ = []


def _si():
    import scipy.interpolate
    return scipy.interpolate


def _column(v, nd):
    return np.reshape(v, np.shape(v) + (1,) * nd)


@export("BPoly", namespace=INTERPOLATE)
class BPoly(PPoly):
    """``scipy.interpolate.BPoly``: c of shape (k+1, m, ...) in the Bernstein basis on the
    m intervals of x; ``derivative``, ``antiderivative``, ``integrate`` and
    ``from_derivatives`` as SciPy's (their coefficient formulas in chainrule operations).

    >>> import numpy as np, chainrule as cr
    >>> x = np.array([0.0, 1.0])
    >>> cr.grad(lambda c: BPoly(c, x)(0.25))(np.zeros((3, 1)))
    array([[0.5625],
           [0.375 ],
           [0.0625]])
    """

    def __init__(self, c, x, extrapolate=None, axis=0):
        x = plain_knots(x, "BPoly")
        c = data_array(c)
        ref = _si().BPoly(np.zeros(shape(c), dtype=dtype(c)), x, extrapolate, axis)
        if axis != 0:
            c = cnp.moveaxis(cnp.moveaxis(c, axis + 1, 0), axis + 1, 0)
        self._set(c, ref.x.copy(), ref.extrapolate, axis)

    @classmethod
    def construct_fast(cls, c, x, extrapolate=None, axis=0):
        """SciPy's constructor without checks (c float64/complex128, axis first)."""
        return object.__new__(BPoly)._set(c, np.asarray(x, dtype=np.float64),
                                          True if extrapolate is None else extrapolate, axis)

    def _form(self, extrapolate):
        ext = self.extrapolate if extrapolate is None else extrapolate
        ext = ext if ext == "periodic" else bool(ext)
        return SplineForm("bpoly", self.x, shape(self.c)[0] - 1, ext)

    def derivative(self, nu=1):
        """The ``nu``-th derivative, a BPoly (SciPy's formula k·diff(c)/dx)."""
        if nu < 0:
            return self.antiderivative(-nu)
        bp = self
        for _ in range(nu):
            c = bp.c
            k = shape(c)[0] - 1
            dx = _column(np.diff(self.x), ndim(c) - 2)
            c2 = k * cnp.diff(c, axis=0) / dx
            if shape(c2)[0] == 0:
                c2 = cnp.zeros((1,) + shape(c2)[1:], dtype=dtype(c2))
            bp = BPoly.construct_fast(c2, self.x, self.extrapolate, self.axis)
        return bp if nu else BPoly.construct_fast(cnp.array(self.c, copy=True), self.x,
                                                  self.extrapolate, self.axis)

    def antiderivative(self, nu=1):
        """The ``nu``-th antiderivative, zero at x[0] (SciPy's cumulative-sum formula);
        'periodic' extrapolation becomes False, as SciPy's."""
        if nu <= 0:
            return self.derivative(-nu)
        bp = self
        for _ in range(nu):
            c = bp.c
            k = shape(c)[0]
            delta = _column(self.x[1:] - self.x[:-1], ndim(c) - 2)
            zero = cnp.zeros((1,) + shape(c)[1:], dtype=dtype(c))
            c2 = cnp.concatenate([zero, cnp.cumsum(c, axis=0) / k]) * delta
            carried = cnp.cumsum(c2[k], axis=0)[:-1]            # each interval's start value
            shift = cnp.concatenate([cnp.zeros((1,) + shape(c2)[2:], dtype=dtype(c2)),
                                     carried])
            c2 = c2 + shift
            ext = False if bp.extrapolate == "periodic" else bp.extrapolate
            bp = BPoly.construct_fast(c2, self.x, ext, self.axis)
        return bp

    def integrate(self, a, b, extrapolate=None):
        """The definite integral from a to b (SciPy's value; differentiable in c, a, b)."""
        if not any(isinstance(v, Tracer) for v in (self.c, a, b)):
            return _si().BPoly.construct_fast(np.asarray(self.c), self.x, self.extrapolate,
                                              self.axis).integrate(a, b, extrapolate)
        ext = self.extrapolate if extrapolate is None else extrapolate
        if ext == "periodic":
            raise NotImplementedError("chainrule.scipy.interpolate.BPoly.integrate with "
                                      "extrapolate='periodic' of traced data or bounds")
        ib = self.antiderivative()
        ib.extrapolate = ext
        return ib(b) - ib(a)

    @classmethod
    def from_power_basis(cls, pp, extrapolate=None):
        """SciPy's BPoly.from_power_basis of a PPoly: linear in its coefficients.

        >>> import numpy as np, chainrule as cr
        >>> pp = PPoly(np.array([[1.0], [0.0], [0.0]]), np.array([0.0, 1.0]))   # s²
        >>> float(BPoly.from_power_basis(pp)(0.5))
        0.25
        """
        c, x, ext = convert_basis(pp, "BPoly", "from_power_basis", "PPoly", extrapolate)
        return BPoly.construct_fast(c, x, ext)

    @classmethod
    def from_derivatives(cls, xi, yi, orders=None, extrapolate=None):
        """SciPy's BPoly.from_derivatives: yi[i] the value and derivatives at xi[i] (an array
        (n, m, ...) or a list of sequences of any lengths); linear in yi, differentiated
        as SciPy's build.

        >>> import numpy as np, chainrule as cr
        >>> xi = np.array([0.0, 1.0])
        >>> f = lambda yi: BPoly.from_derivatives(xi, yi)(0.5)
        >>> float(f(np.array([[0.0, 1.0], [1.0, 1.0]])))       # the line y = x
        0.5
        >>> cr.grad(f)(np.array([[0.0, 1.0], [1.0, 1.0]]))     # ∂/∂(y0, y0', y1, y1')
        array([[ 0.5  ,  0.125],
               [ 0.5  , -0.125]])
        """
        si = _si()
        xi = plain_knots(xi, "BPoly.from_derivatives", "xi")
        if isinstance(yi, Tracer):
            rows = [yi[i] for i in range(shape(yi)[0])]
        elif isinstance(yi, np.ndarray) or not any(
                isinstance(v, Tracer) or (isinstance(v, (list, tuple)) and any(
                    isinstance(w, Tracer) for w in v)) for v in yi):
            ref = si.BPoly.from_derivatives(xi, yi, orders, extrapolate)
            return BPoly.construct_fast(ref.c.copy(), ref.x.copy(), ref.extrapolate)
        else:
            rows = [cnp.stack(list(v)) if isinstance(v, (list, tuple)) else cnp.asarray(v)
                    for v in yi]
            rows = [r if ndim(r) > 0 else cnp.reshape(r, (1,)) for r in rows]
        lengths = [shape(r)[0] for r in rows]
        flat = data_array(cnp.concatenate(rows))
        trail = shape(flat)[1:]
        stand_in = [np.zeros((m,) + trail) for m in lengths]
        ref = si.BPoly.from_derivatives(xi, stand_in, orders, extrapolate)
        cuts = np.cumsum(lengths)[:-1]

        def build(v):
            return si.BPoly.from_derivatives(xi, np.split(np.asarray(v), cuts), orders,
                                             extrapolate).c

        c = from_build(flat, build, build, "BPoly.from_derivatives")
        return BPoly.construct_fast(c, ref.x.copy(), ref.extrapolate)
