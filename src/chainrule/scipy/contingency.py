"""``scipy.stats.contingency``, differentiable in the table's entries: ``margins``,
``expected_freq``, ``chi2_contingency`` and ``association`` (Cramér's V, Tschuprow's T,
Pearson's contingency coefficient) are written with ``chainrule.numpy``; ``crosstab``,
``relative_risk`` and ``odds_ratio`` (functions of counts: a conditional maximum-likelihood
estimate found by a root finder, for ``odds_ratio``) are SciPy's, for plain values.

Plain tables give SciPy's values; SciPy is imported when first needed.

>>> import numpy as np, chainrule as cr
>>> table = np.array([[10.0, 20.0], [30.0, 40.0]])
>>> expected_freq(table)
array([[12., 18.],
       [28., 42.]])
>>> cr.grad(lambda t: association(t, method="cramer"))(table).shape
(2, 2)
"""

import math

import numpy as np

from .. import numpy as cnp
from ..primitives.util import ndim, shape
from .smoothtests import chi2_contingency  # noqa: F401  (re-exported, as SciPy's module has it)
from .stattests import traced

__all__ = ["margins", "expected_freq", "chi2_contingency", "association", "PASSED_THROUGH"]

#: SciPy's functions of this module, passed through (values only)
PASSED_THROUGH = ("crosstab", "relative_risk", "odds_ratio", "Chi2ContingencyResult")


def margins(a):
    """The sums of ``a`` over all axes but one, for each axis (kept as length-1 axes, so
    that they broadcast), as SciPy's.

    >>> [m.tolist() for m in margins(np.array([[1.0, 2.0], [3.0, 4.0]]))]
    [[[3.0], [7.0]], [[4.0, 6.0]]]
    """
    a = cnp.asarray(a)
    return [cnp.sum(a, axis=tuple(j for j in range(ndim(a)) if j != k), keepdims=True)
            for k in range(ndim(a))]


def expected_freq(observed):
    """The expected frequencies of a contingency table under independence: the product of
    its margins over the total to the power d − 1.

    >>> expected_freq(np.array([[2.0, 2.0], [1.0, 3.0]]))
    array([[1.5, 2.5],
           [1.5, 2.5]])
    """
    observed = cnp.asarray(observed, dtype=np.float64)
    out = None
    for m in margins(observed):
        out = m if out is None else out * m
    return out / cnp.sum(observed) ** (ndim(observed) - 1)


def association(observed, method="cramer", correction=False, lambda_=None):
    """Cramér's V ('cramer'), Tschuprow's T ('tschuprow') or Pearson's contingency
    coefficient ('pearson') of a two-dimensional table, from its χ² statistic;
    differentiable in the entries. (An integer table gives SciPy's value; SciPy refuses
    other tables, chainrule computes them.)

    >>> round(float(association(np.array([[10, 20], [30, 40]]))), 6)
    0.089087
    """
    if not traced(observed) and np.asarray(observed).dtype.kind in "iu":
        from scipy.stats import contingency as sc
        return sc.association(observed, method=method, correction=correction,
                              lambda_=lambda_)
    arr = cnp.asarray(observed)
    if ndim(arr) != 2:
        raise ValueError("method only accepts 2d arrays")
    stat = chi2_contingency(arr, correction=correction, lambda_=lambda_).statistic
    phi2 = stat / cnp.sum(arr)
    rows, cols = shape(arr)
    if method == "cramer":
        value = phi2 / min(cols - 1, rows - 1)
    elif method == "tschuprow":
        value = phi2 / math.sqrt((rows - 1) * (cols - 1))
    elif method == "pearson":
        value = phi2 / (1 + phi2)
    else:
        raise ValueError("Invalid argument value: 'method' argument must be 'cramer', "
                         "'tschuprow', or 'pearson'")
    return cnp.sqrt(value)


def __getattr__(name):
    if name in PASSED_THROUGH:
        from scipy.stats import contingency as sc
        return getattr(sc, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
