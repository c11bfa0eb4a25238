"""Differentiable ``scipy.stats``: SciPy's summary statistics and tests as functions
(``stats.skew``, ``stats.linregress``, ``stats.ttest_ind``, ``stats.gaussian_kde``…, whose
results are SciPy's named tuples), and its distributions in SciPy's attribute style:
``stats.norm.logpdf(x, loc, scale)``. Each distribution is an object whose methods are the functions registered in
``chainrule.scipy.stats`` under dotted names (``norm.logpdf``); derivatives in x and in
every continuous parameter.

>>> import numpy as np, chainrule as cr, chainrule.scipy.stats as stats
>>> data = np.array([0.5, 1.5, 2.5])
>>> nll = lambda mu, sigma: -stats.norm.logpdf(data, mu, sigma).sum()
>>> [float(g) for g in cr.grad(nll, argnums=(0, 1))(1.0, 1.0)]  # −Σ(x−μ)/σ², n/σ − Σ(x−μ)²/σ³
[-1.5, 0.25]

Each distribution also imports as a module, as in autograd programs:

>>> import chainrule.scipy.stats.norm as norm
>>> norm is stats.norm
True

SciPy's warnings, exceptions, resampling and data classes and its ``qmc`` and ``mstats``
modules are SciPy's own objects (values only); ``stats.contingency`` is differentiable
(:mod:`chainrule.scipy.contingency`):

>>> import scipy.stats
>>> stats.ConstantInputWarning is scipy.stats.ConstantInputWarning, stats.qmc is scipy.stats.qmc
(True, True)
"""
import sys as _sys

from .. import namespaces as _namespaces
from ..core import registry as _registry
from .. import primitives as _primitives  # noqa: F401  (fills the registry)
from . import summary as _summary, ranked as _ranked  # noqa: F401  (skew, rankdata, …)
from . import kde as _kde  # noqa: F401  (registers gaussian_kde)
from . import robust as _robust, hypothesis as _hypothesis  # noqa: F401  (tmean, ttest_ind, …)
from .hypothesis import TtestResult, Power_divergenceResult  # noqa: F401
from . import normality as _normality  # noqa: F401  (normaltest, f_oneway, boxcox_llf, …)
from . import stattests as _stattests  # noqa: F401  (kruskal, mannwhitneyu, …: zero derivative)
from . import smoothtests as _smoothtests  # noqa: F401  (bartlett, levene, expectile, …)
from . import estimators as _estimators  # noqa: F401  (lmoment, probplot, boxcox_normmax, …)
from . import stats_methods as _stats_methods  # noqa: F401  (mean, entropy, rvs, fit, …)
from . import stats_expect as _stats_expect  # noqa: F401  (expect, added to those methods)
from . import stats_multivariate as _stats_multivariate  # noqa: F401  (their entropy, rvs, …)
from . import stats_multivariate_more as _stats_multivariate_more  # (matrix_normal, …)
from .summary import (DescribeResult, LinregressResult, PearsonRResult,  # noqa: F401
                      SignificanceResult)
from .ranked import ModeResult  # noqa: F401


class Distribution:
    """A distribution: its methods (``pdf``, ``logpdf``, ``cdf``…) are registered functions."""

    def __init__(self, name, methods):
        self._name = name
        self.__dict__.update(methods)

    def __repr__(self):
        methods = ", ".join(sorted(k for k in self.__dict__ if not k.startswith("_")))
        return f"<chainrule.scipy.stats.{self._name}: {methods}>"

    def __call__(self, *args, **kwds):
        """The frozen distribution, as SciPy's ``norm(loc, scale)``: its methods take the
        parameters given here.

        >>> import chainrule.scipy.stats as stats
        >>> round(float(stats.norm(1.0, 2.0).logpdf(1.0)), 6)
        -1.612086
        """
        return FrozenDistribution(self, args, kwds)

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise AttributeError(
            f"chainrule.scipy.stats.{self._name}.{attr} is not wrapped yet, so chainrule has no "
            f"derivative for it; write it with chainrule.numpy and chainrule.scipy.special, or "
            f"define it with chainrule.custom_vjp.")


class FrozenDistribution:
    """A distribution with its parameters fixed, as SciPy's frozen one: ``method(x)`` is the
    distribution's ``method(x, *args, **kwds)`` (``moment(order)``, ``interval(confidence)``
    alike), ``mean()`` its ``mean(*args, **kwds)`` (and ``var``, ``std``, ``median``,
    ``entropy``, ``stats(moments=…)``, ``support``), ``rvs(size, random_state)`` its
    ``rvs(*args, **kwds, size=size, random_state=random_state)``, ``expect(func, lb, ub)`` its
    ``expect(func, args, lb=lb, ub=ub, **kwds)``.

    >>> import chainrule.scipy.stats as stats
    >>> frozen = stats.gamma(2.0, scale=3.0)
    >>> float(frozen.mean()), float(frozen.var()), frozen.rvs(2, random_state=0).shape
    (6.0, 18.0, (2,))
    """

    _PARAMETERS_ONLY = frozenset({"mean", "var", "std", "median", "entropy", "stats",
                                  "support", "cov"})

    def __init__(self, dist, args, kwds):
        self.dist, self.args, self.kwds = dist, args, kwds

    def __repr__(self):
        return f"<frozen chainrule.scipy.stats.{self.dist._name}{self.args}{self.kwds}>"

    def __getattr__(self, attr):
        if attr.startswith("__") or attr in ("dist", "args", "kwds"):
            raise AttributeError(attr)
        method = getattr(self.dist, attr)
        if attr == "stats":   # (SciPy's frozen stats takes moments positionally too)
            return lambda moments="mv": method(*self.args, **self.kwds, moments=moments)
        if attr in self._PARAMETERS_ONLY:
            return lambda **k: method(*self.args, **{**self.kwds, **k})
        if attr == "rvs":
            return lambda size=None, random_state=None: method(
                *self.args, **self.kwds, size=size, random_state=random_state)
        if attr == "expect":
            return lambda func=None, lb=None, ub=None, conditional=False, **k: method(
                func, self.args, lb=lb, ub=ub, conditional=conditional, **self.kwds, **k)
        return lambda *a, **k: method(*a, *self.args, **{**self.kwds, **k})


def _distributions(entries):
    grouped = {}
    for name, entry in entries.items():
        if "." not in name:   # a function (skew, linregress), not a distribution's method
            continue
        dist, method = name.split(".", 1)
        grouped.setdefault(dist, {})[method] = entry.obj
    for table in (_stats_methods.METHODS, _stats_multivariate.METHODS,   # mean, rvs, …
                  _stats_multivariate_more.METHODS):
        for dist, methods in table.items():
            grouped[dist].update(methods)
    return {dist: Distribution(dist, methods) for dist, methods in grouped.items()}


_ENTRIES = _registry.entries(_registry.STATS)
_DISTRIBUTIONS = _distributions(_ENTRIES)
globals().update(_DISTRIBUTIONS)
_stattests.DISTRIBUTIONS.update(_DISTRIBUTIONS)   # (ks_1samp's cdf and probplot's ppf by name)
_FUNCTIONS = {_name: _e.obj for _name, _e in _ENTRIES.items() if "." not in _name}
globals().update(_FUNCTIONS)
# ``import chainrule.scipy.stats.multivariate_normal as mvn`` (autograd programs' ``import
# autograd.scipy.stats.multivariate_normal as mvn`` with the import changed) finds the object.
for _dist in sorted({_name.split(".", 1)[0] for _name in _ENTRIES if "." in _name}):
    _sys.modules[f"{__name__}.{_dist}"] = globals()[_dist]
from . import contingency  # noqa: E402  (margins, expected_freq, association: differentiable)
_sys.modules[f"{__name__}.contingency"] = contingency

__all__ = sorted({_name.split(".", 1)[0] for _name in _ENTRIES})


#: SciPy's random-matrix and random-table distributions: only random draws (and a few
#: densities of integer tables or fixed-norm directions), nothing to differentiate. They are
#: SciPy's own objects, imported when first asked for (SciPy stays lazy).
SCIPY_OWN = ("ortho_group", "special_ortho_group", "unitary_group", "random_correlation",
             "random_table", "uniform_direction")
#: scipy.stats names passed through unchanged, looked up in SciPy when first asked for (so that
#: importing chainrule.scipy does not import SciPy): its warnings and exceptions (the same
#: classes, for ``except`` and ``warnings.filterwarnings``), the resampling methods' and data
#: classes (``BootstrapMethod``, ``CensoredData``, ``Covariance``…), and the submodules
#: ``qmc`` and ``mstats`` (SciPy's functions, for plain values). (``contingency`` is
#: chainrule's: :mod:`chainrule.scipy.contingency`.)
PASSED_THROUGH = ("ConstantInputWarning", "DegenerateDataWarning", "NearConstantInputWarning",
                  "FitError", "BootstrapMethod", "MonteCarloMethod", "PermutationMethod",
                  "CensoredData", "Covariance", "qmc", "mstats")


def __getattr__(name):
    """SciPy's own object for the random-only distributions (``SCIPY_OWN``).

    >>> import chainrule.scipy.stats as cst, scipy.stats
    >>> cst.ortho_group is scipy.stats.ortho_group
    True
    """
    if name.startswith("__"):
        raise AttributeError(name)
    if name in SCIPY_OWN:
        from ..primitives.scipy_linalg import scipy_module
        return getattr(scipy_module("stats"), name)
    if name in _stattests.VALUES_ONLY:   # (SciPy's for plain values; traced ones refused)
        return _stattests.values_only(name)
    if name in PASSED_THROUGH:
        import importlib
        if name in ("qmc", "mstats", "contingency"):
            return importlib.import_module(f"scipy.stats.{name}")
        return getattr(importlib.import_module("scipy.stats"), name)
    raise _namespaces.not_wrapped(_registry.STATS, name)
