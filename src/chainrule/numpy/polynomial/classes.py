"""``numpy.polynomial``'s classes (``Polynomial``, ``Chebyshev``, ...) whose coefficients,
domain and points may be traced.

Each is a subclass of NumPy's class (``isinstance(p, numpy.polynomial.Chebyshev)`` holds)
whose arithmetic, evaluation, calculus, fits and roots go through chainrule's functions of
its basis. With plain coefficients everything is NumPy's own code.

>>> import chainrule as cr
>>> from chainrule.numpy.polynomial import Chebyshev
>>> cr.grad(lambda c: Chebyshev(c)(0.5))(np.array([1.0, 2.0, 3.0]))
array([ 1. ,  0.5, -0.5])
"""

import numpy as np
import numpy.polynomial as npp

from ..registered import cnp
from ...core.registry import NUMPY_POLYNOMIAL
from ...primitives.declare import export
from ...primitives.util import lower, shape
from .series import BASES, traced

__all__ = ["classes", "mapparms", "mapdomain"]

_FUNCTIONS = ("add", "sub", "mul", "div", "pow", "val", "int", "der", "fit", "line", "roots",
              "fromroots", "trim")


def mapparms(old, new):
    """NumPy's ``polyutils.mapparms``: the offset and scale of the linear map taking the
    interval ``old`` onto ``new``, for intervals that may be traced.

    >>> mapparms([-1.0, 1.0], [0.0, 4.0])
    (2.0, 2.0)
    """
    if not traced(old, new):
        return npp.polyutils.mapparms(old, new)
    oldlen = old[1] - old[0]
    newlen = new[1] - new[0]
    return (old[1] * new[0] - old[0] * new[1]) / oldlen, newlen / oldlen


def mapdomain(x, old, new):
    """NumPy's ``polyutils.mapdomain``: ``x`` mapped by the linear map taking ``old`` onto
    ``new``, differentiable in all three.

    >>> mapdomain(np.array([0.0, 1.0]), [0.0, 1.0], [-1.0, 1.0])
    array([-1.,  1.])
    """
    if not traced(x, old, new):
        return npp.polyutils.mapdomain(x, old, new)
    off, scl = mapparms(old, new)
    return off + scl * (cnp.asarray(x) if isinstance(x, (list, tuple)) else x)


def _make(basis, lookup):
    numpy_cls = getattr(npp, BASES[basis][2])
    prefix = BASES[basis][1]
    attrs = {f"_{f}": staticmethod(lookup(prefix + f)) for f in _FUNCTIONS}
    identity = staticmethod(lambda c: c)
    attrs["_to_power"] = identity if basis == "polynomial" else \
        staticmethod(lookup(prefix + "2poly"))
    attrs["_from_power"] = identity if basis == "polynomial" else \
        staticmethod(lookup("poly2" + prefix))

    def __init__(self, coef, domain=None, window=None, symbol="x"):
        if not traced(coef, domain):
            numpy_cls.__init__(self, coef, domain, window, symbol)
            return
        # NumPy's checks and conversions, on a stand-in with the values, then the traced
        # arrays in their place
        # (stand-ins of the right shapes: under vmap the values are a batch's)
        numpy_cls.__init__(self, np.ones(shape(cnp.asarray(coef))),
                           np.arange(2.0) if traced(domain) else domain, window, symbol)
        coef = cnp.asarray(coef)
        self.coef = cnp.reshape(coef, (1,)) if shape(coef) == () else coef
        if domain is not None and traced(domain):
            self.domain = cnp.asarray(domain)

    def __call__(self, arg):
        if not traced(self.coef, self.domain, arg):
            return numpy_cls.__call__(self, arg)
        off, scl = mapparms(self.domain, self.window)
        arg = cnp.asarray(arg) if isinstance(arg, (list, tuple)) else arg
        return self._val(off + scl * arg, self.coef)

    def roots(self):
        if not traced(self.coef, self.domain):
            return numpy_cls.roots(self)
        off, scl = mapparms(self.window, self.domain)
        return off + scl * self._roots(self.coef)

    def trim(self, tol=0):
        if not traced(self.coef):
            return numpy_cls.trim(self, tol)
        return self.__class__(self._trim(self.coef, tol), self.domain, self.window,
                              self.symbol)

    @classmethod
    def fit(cls, x, y, deg, domain=None, rcond=None, full=False, w=None, window=None,
            symbol="x"):
        if not traced(x, y, w, domain):
            return numpy_cls.fit.__func__(cls, x, y, deg, domain, rcond, full, w, window,
                                          symbol)
        x = cnp.asarray(x) + 0.0
        if domain is None:
            domain = cnp.stack([cnp.min(x), cnp.max(x)])
        elif type(domain) is list and len(domain) == 0:
            domain = cls.domain
        if window is None:
            window = cls.window
        off, scl = mapparms(domain, window)
        res = cls._fit(off + scl * x, y, deg, w=w, rcond=rcond, full=full)
        coef, status = res if full else (res, None)
        p = cls(coef, domain=domain, window=window, symbol=symbol)
        return (p, status) if full else p

    @classmethod
    def fromroots(cls, roots, domain=[], window=None, symbol="x"):
        if not traced(roots, domain):
            return numpy_cls.fromroots.__func__(cls, roots, domain, window, symbol)
        roots = cnp.asarray(roots)
        if roots.ndim == 0:
            roots = cnp.reshape(roots, (1,))
        if domain is None:
            domain = cnp.stack([cnp.min(roots), cnp.max(roots)])
        elif type(domain) is list and len(domain) == 0:
            domain = cls.domain
        if window is None:
            window = cls.window
        deg = shape(roots)[0]
        off, scl = mapparms(domain, window)
        coef = cls._fromroots(off + scl * roots) / scl ** deg
        return cls(coef, domain=domain, window=window, symbol=symbol)

    def convert(self, domain=None, kind=None, window=None):
        if not traced(self.coef, self.domain):
            return numpy_cls.convert(self, domain, kind, window)
        kind = self.__class__ if kind is None else kind
        same = (domain is None or np.array_equal(domain, kind.domain)) and \
            (window is None or np.array_equal(window, kind.window)) and \
            not traced(self.domain) and np.array_equal(self.domain, kind.domain) and \
            np.array_equal(self.window, kind.window)
        if not same or not issubclass(kind, npp._polybase.ABCPolyBase):
            raise TypeError(
                "convert/cast of a series with traced coefficients is done here only between "
                "classes with their default domain and window; evaluate the series instead "
                "(p(x)), or convert the series of plain coefficients first")
        # the change of basis through the power basis: linear in the coefficients
        ours = _CLASSES.get(kind.__name__, kind)
        power = self._to_power(self.coef)
        return ours(ours._from_power(power), symbol=self.symbol)

    def _values(self):
        """The same series with plain values (for printing)."""
        return numpy_cls(np.asarray(lower(self.coef)), np.asarray(lower(self.domain)),
                         self.window, self.symbol)

    def __repr__(self):
        return numpy_cls.__repr__(self._values()) if traced(self.coef, self.domain) else \
            numpy_cls.__repr__(self)

    def __str__(self):
        return numpy_cls.__str__(self._values()) if traced(self.coef, self.domain) else \
            numpy_cls.__str__(self)

    def __format__(self, fmt_str):
        return numpy_cls.__format__(self._values(), fmt_str) if traced(self.coef, self.domain) \
            else numpy_cls.__format__(self, fmt_str)

    def _repr_latex_(self):
        return self._values()._repr_latex_() if traced(self.coef, self.domain) else \
            numpy_cls._repr_latex_(self)

    attrs.update(__init__=__init__, __call__=__call__, roots=roots, trim=trim, fit=fit,
                 convert=convert,
                 fromroots=fromroots, _values=_values, __repr__=__repr__, __str__=__str__,
                 __format__=__format__, _repr_latex_=_repr_latex_,
                 __module__="chainrule.numpy.polynomial",
                 __doc__=(f"NumPy's ``numpy.polynomial.{numpy_cls.__name__}`` whose "
                          f"coefficients, domain and points may be traced.\n\n"
                          f"    >>> {numpy_cls.__name__}([1.0, 2.0])(0.5)\n"
                          f"    {numpy_cls([1.0, 2.0])(0.5)!r}\n"))
    return type(numpy_cls.__name__, (numpy_cls,), attrs)


_CLASSES = {}


def classes(lookup):
    """Make and register the six classes; ``lookup(name)`` is a function of their basis."""
    made = _CLASSES
    for basis, (_, _, name) in BASES.items():
        cls = made[name] = _make(basis, lookup)
        export(name, namespace=NUMPY_POLYNOMIAL)(cls)
        export(f"{basis}.{name}", namespace=NUMPY_POLYNOMIAL)(cls)
    return made
