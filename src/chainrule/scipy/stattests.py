"""``scipy.stats``'s tests of ranks and counts, with SciPy's values: ``kruskal``,
``mannwhitneyu``, ``wilcoxon``, ``ranksums``, ``brunnermunzel``, ``friedmanchisquare``,
``ansari``, ``mood``, ``fligner``, ``somersd``, ``weightedtau``, ``chatterjeexi``,
``cramervonmises_2samp``, ``anderson_ksamp``, ``ks_2samp``, ``median_test``, ``tiecorrect``,
``percentileofscore``, ``fisher_exact``, ``barnard_exact``, ``boschloo_exact``,
``quantile_test``, ``page_trend_test``, ``bws_test``, ``spearmanrho``; and (``VALUES_ONLY``)
the functions passed through for plain values, refusing traced ones.

Their statistics are functions of the ranks of the data (or of integer counts), so they are
piecewise constant: the derivative is zero almost everywhere, and chainrule gives that zero
(as for ``rankdata``) rather than an error. Two fields are not constant and are
differentiated: ``median_test``'s ``median`` (the grand median of the data) and
``ks_2samp``'s ``statistic_location`` (the data value where the largest difference is).

On plain inputs each function returns SciPy's own result object (SciPy is called once).
When an input is traced (``grad``, ``jit``, ``vmap``), the fields come from SciPy through a
zero-derivative primitive, in a named tuple with SciPy's class name and fields (SciPy's extra
attributes, such as ``ks_2samp``'s ``statistic_location``, kept as attributes).

>>> import numpy as np, chainrule as cr
>>> x, y = np.array([1.0, 2.0, 4.0, 7.0]), np.array([3.0, 5.0, 6.0, 8.0, 9.0])
>>> float(mannwhitneyu(x, y).statistic)
4.0
>>> cr.grad(lambda x: mannwhitneyu(x, y).statistic)(x)
array([0., 0., 0., 0.])
"""

import warnings
from collections import namedtuple

import numpy as np

from ..core import tree
from ..core.primitive import Primitive, Tracer
from ..core.registry import STATS, NONDIFF
from ..primitives.declare import export, declare
from ..primitives.scipy_linalg import loop_batch
from ..primitives.util import numpy_scalar
from .. import numpy as cnp

__all__ = ["traced", "scipy_fields", "result_type", "VALUES_ONLY", "values_only",
           "DISTRIBUTIONS", "stand_in", "nan_where_nan"]


def _scipy_stats():
    import scipy.stats
    return scipy.stats


#: chainrule.scipy.stats's distributions by name (``norm``…), filled in by stats.py, which makes
#: them: the tests here take a cdf or ppf by name (stats.py imports these modules, so they do
#: not import it)
DISTRIBUTIONS = {}


def stand_in(fname, *args, **kw):
    """SciPy's ``fname`` on stand-ins of the arguments' shapes (ascending values): its result
    for samples too small to test, which depends on the sizes only (nan, or its error)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(_scipy_stats(), fname)(
            *[np.arange(1.0, np.size(a) + 1.0).reshape(np.shape(a)) for a in args], **kw)


def nan_where_nan(value, *data):
    """``value``, nan where any of the data is nan (SciPy's nan_policy='propagate')."""
    bad = False
    for d in data:
        bad = bad | cnp.any(cnp.isnan(d))
    return cnp.where(bad, np.nan, value)


def traced(*args):
    """Whether any array in ``args`` (nested in lists and tuples too) is a tracer."""
    return any(isinstance(leaf, Tracer) for leaf in tree.leaves(list(args)))


def _fields_impl(*arrays, fname, fields, kw, sizes, keywords=()):
    # (sizes: how many of the positional arrays make each of SciPy's arguments; a sample
    # list such as anderson_ksamp's [x, y] is one argument of several arrays)
    args, k = [], 0
    for n in sizes:
        group = [np.asarray(a) for a in arrays[k:k + n]]
        args.append(group[0] if n == 0 or n == 1 else group)
        k += n
    named = dict(zip(keywords, args[len(args) - len(keywords):]))
    args = args[:len(args) - len(keywords)]
    res = getattr(_scipy_stats(), fname)(*args, **dict(kw), **named)
    return tuple(np.array(res if f is None else getattr(res, f), dtype=np.float64)
                 for f in fields)


_fields = Primitive("scipy_stats_fields", _fields_impl, multiple_results=True)
declare(_fields, jvp=None, vjp=None, batch=loop_batch(_fields), names=())


def scipy_fields(fname, args, fields, kw=(), grouped=False, keywords=()):
    """The named ``fields`` of SciPy's ``scipy.stats.fname(*args, **kw)`` (None: the result
    itself), as float arrays with a zero derivative; args may be traced. ``grouped``: the
    first argument is a list of arrays (one SciPy argument); ``keywords``: the names of the
    last arguments, passed to SciPy by keyword."""
    arrays, sizes = [], []
    for i, a in enumerate(args):
        if grouped and i == 0:
            arrays.extend(cnp.asarray(s) for s in a)
            sizes.append(len(a))
        else:
            arrays.append(cnp.asarray(a))
            sizes.append(1)
    kw = tuple(sorted(dict(kw).items()))
    return _fields(*arrays, fname=fname, fields=tuple(fields), kw=kw, sizes=tuple(sizes),
                   keywords=tuple(keywords))


_TYPES = {}


def result_type(name, fields, extras=()):
    """A named tuple class ``name`` of ``fields`` with the ``extras`` as attributes (carried
    by jit and vmap): the result of a traced call, in SciPy's class's name and fields."""
    key = (name, tuple(fields), tuple(extras))
    if key in _TYPES:
        return _TYPES[key]
    base = namedtuple(name, fields)

    def new(cls, *values, **extra):
        out = base.__new__(cls, *values)
        for e in extras:
            setattr(out, e, extra.get(e))
        return out

    body = {"__new__": new, "__module__": __name__}
    if not extras:
        body["__slots__"] = ()
    cls = type(name, (base,), body)
    if extras:
        tree.register_pytree_node(
            cls, lambda r: ((*r, *[getattr(r, e) for e in extras]), None),
            lambda aux, children: cls(*children[:len(fields)],
                                      **dict(zip(extras, children[len(fields):]))))
    _TYPES[key] = cls
    return cls


def _ranked_test(fname, cls, fields, extras, call, field, title):
    """A test whose fields are SciPy's, with a zero derivative: SciPy's result on plain
    inputs, a named tuple of zero-derivative fields when traced."""
    def fn(*args, **kw):
        if not traced(*args, *kw.values()):
            return getattr(_scipy_stats(), fname)(*args, **kw)
        for k, v in kw.items():
            if traced(v):
                raise TypeError(f"chainrule.scipy.stats.{fname}: the keyword argument {k} "
                                f"cannot be traced (pass a plain value)")
        names, kind = fields, cls
        if fname == "anderson_ksamp" and "variant" in kw:   # (SciPy's newer result)
            names, kind = _SP, "SignificanceResult"
        outs = scipy_fields(fname, args, (*names, *extras), kw, grouped=fname in _LISTED)
        outs = [numpy_scalar(o) for o in outs]
        return result_type(kind, names, extras)(*outs[:len(names)],
                                                **dict(zip(extras, outs[len(names):])))
    fn.__name__ = fn.__qualname__ = fname
    fn.__doc__ = (f"{title}: SciPy's values; the derivative is zero (a function of ranks or "
                  f"counts).\n\n    >>> round(float({fname}({call}).{field}), 6)\n"
                  f"    {_EXPECTED[fname]}\n")
    return fn


_LISTED = {"anderson_ksamp"}   # (its samples are one argument, a list)
_SP = ("statistic", "pvalue")
_XY = "[1.0, 2.0, 4.0, 7.0], [3.0, 5.0, 6.0, 8.0, 9.0]"
_TABLE = "[[7, 2], [1, 6]]"
#: name, SciPy's class, its tuple fields, its extra attributes, an example call, the field shown,
#: the docstring's title
_RANKED = [
    ("kruskal", "KruskalResult", _SP, (), _XY, "statistic",
     "Kruskal and Wallis's H test that samples share a median"),
    ("mannwhitneyu", "MannwhitneyuResult", _SP, (), _XY, "statistic", "The Mann-Whitney U test"),
    ("ranksums", "RanksumsResult", _SP, (), _XY, "statistic", "Wilcoxon's rank-sum test"),
    ("brunnermunzel", "BrunnerMunzelResult", _SP, (), _XY, "statistic",
     "Brunner and Munzel's test"),
    ("ansari", "AnsariResult", _SP, (), _XY, "statistic",
     "Ansari and Bradley's test of equal scale"),
    ("mood", "SignificanceResult", _SP, (), _XY, "statistic", "Mood's test of equal scale"),
    ("fligner", "FlignerResult", _SP, (), _XY, "statistic",
     "Fligner and Killeen's test of equal variances (ranks of |x − median|)"),
    ("cramervonmises_2samp", "CramerVonMisesResult", _SP, (), _XY, "statistic",
     "The two-sample Cramér-von Mises test"),
    ("chatterjeexi", "SignificanceResult", _SP, (), "[1.0, 2.0, 4.0, 7.0], [3.0, 1.0, 6.0, 8.0]",
     "statistic", "Chatterjee's ξ correlation"),
    ("weightedtau", "SignificanceResult", _SP, (), "[1.0, 2.0, 4.0, 7.0], [3.0, 1.0, 6.0, 8.0]",
     "statistic", "Vigna's weighted Kendall τ (a function of the orders)"),
    ("somersd", "SomersDResult", _SP, ("table",), "[1.0, 2.0, 4.0, 7.0], [3.0, 1.0, 6.0, 8.0]",
     "statistic", "Somers' D of two rankings (or of a contingency table)"),
    ("wilcoxon", "WilcoxonResult", _SP, (), "[1.0, 2.0, 4.0, 7.0], [2.5, 0.5, 3.5, 9.5]",
     "statistic", "Wilcoxon's signed-rank test of x − y (or of x)"),
    ("friedmanchisquare", "FriedmanchisquareResult", _SP, (),
     "[1.0, 2.0, 4.0], [2.0, 3.0, 3.0], [3.0, 1.0, 5.0]", "statistic",
     "Friedman's test of repeated measurements"),
    ("anderson_ksamp", "Anderson_ksampResult", ("statistic", "critical_values", "pvalue"), (),
     f"[np.array([1.0, 2.0, 4.0, 7.0]), np.array([3.0, 5.0, 6.0, 8.0, 9.0])], "
     f"variant='midrank'", "statistic",
     "The k-sample Anderson-Darling test (``samples``: a list of arrays)"),
    ("fisher_exact", "SignificanceResult", _SP, (), _TABLE, "pvalue",
     "Fisher's exact test of a 2×2 table of counts"),
    ("barnard_exact", "BarnardExactResult", _SP, (), _TABLE, "pvalue",
     "Barnard's exact test of a 2×2 table of counts"),
    ("boschloo_exact", "BoschlooExactResult", _SP, (), _TABLE, "pvalue",
     "Boschloo's exact test of a 2×2 table of counts"),
    ("spearmanrho", "SignificanceResult", _SP, (), "[1.0, 2.0, 4.0, 7.0], [3.0, 1.0, 6.0, 8.0]",
     "statistic", "Spearman's ρ of x and y (a function of their ranks)"),
    ("ks_2samp", "KstestResult", _SP, ("statistic_location", "statistic_sign"), _XY,
     "statistic", "The two-sample Kolmogorov-Smirnov test"),
]
#: the examples' values (SciPy's, rounded)
_EXPECTED = {
    "kruskal": 2.16,
    "mannwhitneyu": 4.0,
    "ranksums": -1.469694,
    "brunnermunzel": 1.769303,
    "ansari": 10.0,
    "mood": 0.360375,
    "fligner": 0.05854,
    "cramervonmises_2samp": 0.259259,
    "chatterjeexi": 0.2,
    "weightedtau": 0.813333,
    "somersd": 0.666667,
    "wilcoxon": 3.5,
    "friedmanchisquare": 0.666667,
    "anderson_ksamp": 0.698666,
    "fisher_exact": 0.040559,
    "barnard_exact": 0.021271,
    "boschloo_exact": 0.021271,
    "spearmanrho": 0.8,
    "ks_2samp": 0.55}

for _row in _RANKED:
    if _row[0] == "ks_2samp":   # (its statistic_location is differentiable: below)
        _ks_2samp_fields = _ranked_test(*_row)
    else:
        globals()[_row[0]] = export(_row[0], namespace=STATS, kind=NONDIFF)(_ranked_test(*_row))


@export(namespace=STATS)
def ks_2samp(data1, data2, alternative="two-sided", method="auto", *, axis=0,
             nan_policy="propagate", keepdims=False):
    """The two-sample Kolmogorov-Smirnov test: SciPy's values. The statistic and p-value are
    functions of the order of the pooled data (a zero derivative); ``statistic_location``,
    the data value where the empirical distribution functions differ most, follows that
    value (derivative 1 in it).

    >>> res = ks_2samp([1.0, 2.0, 4.0, 7.0], [3.0, 5.0, 6.0, 8.0, 9.0])
    >>> float(res.statistic), float(res.statistic_location)
    (0.55, 4.0)
    """
    kw = dict(alternative=alternative, method=method, axis=axis, nan_policy=nan_policy,
              keepdims=keepdims)
    if not traced(data1, data2):
        return _scipy_stats().ks_2samp(data1, data2, **kw)
    if axis != 0 or np.ndim(data1) != 1 or np.ndim(data2) != 1:
        raise NotImplementedError("ks_2samp: chainrule differentiates one-dimensional samples "
                                  "(axis=0); use vmap over a batch of them")
    res = _ks_2samp_fields(data1, data2, alternative=alternative, method=method)
    pooled = cnp.concatenate([cnp.asarray(data1), cnp.asarray(data2)])
    where = cnp.reshape(cnp.argmax(pooled == res.statistic_location), (1,))
    loc = cnp.take_along_axis(pooled, where, axis=0)[0]
    return type(res)(res.statistic, res.pvalue, statistic_location=numpy_scalar(loc),
                     statistic_sign=res.statistic_sign)


@export(namespace=STATS)
def median_test(*samples, ties="below", correction=True, lambda_=1, nan_policy="propagate"):
    """Mood's median test: SciPy's values. The statistic, p-value and table count the values
    above the grand median (a zero derivative); ``median``, the grand median of the pooled
    data, is differentiable.

    >>> res = median_test([1.0, 2.0, 4.0, 7.0], [3.0, 5.0, 6.0, 8.0, 9.0])
    >>> float(res.median), res.table.tolist()
    (5.0, [[1, 3], [3, 2]])
    """
    kw = dict(ties=ties, correction=correction, lambda_=lambda_, nan_policy=nan_policy)
    if not traced(*samples):
        return _scipy_stats().median_test(*samples, **kw)
    stat, p, table = scipy_fields("median_test", samples, ("statistic", "pvalue", "table"), kw)
    if nan_policy != "propagate":
        raise NotImplementedError("median_test: nan_policy other than 'propagate' is not "
                                  "supported on traced data")
    median = cnp.median(cnp.concatenate([cnp.ravel(cnp.asarray(s)) for s in samples]))
    return result_type("MedianTestResult", ("statistic", "pvalue", "median", "table"))(
        numpy_scalar(stat), numpy_scalar(p), numpy_scalar(median), table)


@export(namespace=STATS, kind=NONDIFF)
def tiecorrect(rankvals):
    """The tie correction factor of Mann-Whitney's and Kruskal-Wallis's tests: SciPy's value,
    a zero derivative.

    >>> float(tiecorrect([1.0, 2.5, 2.5, 4.0]))
    0.9
    """
    if not traced(rankvals):
        return _scipy_stats().tiecorrect(rankvals)
    return numpy_scalar(scipy_fields("tiecorrect", (rankvals,), (None,))[0])


@export(namespace=STATS, kind=NONDIFF)
def percentileofscore(a, score, kind="rank", nan_policy="propagate"):
    """The percentile rank of ``score`` in ``a`` (a count of the values below it): SciPy's
    value, a zero derivative.

    >>> float(percentileofscore([1.0, 2.0, 3.0, 4.0], 3.0))
    75.0
    """
    if not traced(a, score):
        return _scipy_stats().percentileofscore(a, score, kind=kind, nan_policy=nan_policy)
    return numpy_scalar(scipy_fields("percentileofscore", (a, score), (None,),
                                     dict(kind=kind, nan_policy=nan_policy))[0])


@export(namespace=STATS, kind=NONDIFF)
def page_trend_test(data, ranked=False, predicted_ranks=None, method="auto"):
    """Page's test of a trend across treatments (columns): SciPy's values; the statistic is
    a function of the within-row ranks, a zero derivative.

    >>> res = page_trend_test([[1.0, 2.5, 3.0], [2.0, 2.2, 5.0], [0.5, 1.0, 4.0]])
    >>> float(res.statistic), res.method
    (42.0, 'exact')
    """
    kw = dict(ranked=ranked, predicted_ranks=predicted_ranks, method=method)
    if not traced(data):
        return _scipy_stats().page_trend_test(data, **kw)
    kw["predicted_ranks"] = None if predicted_ranks is None else tuple(predicted_ranks)
    stat, p = scipy_fields("page_trend_test", (data,), _SP, kw)
    # (the method SciPy chooses depends on the shape only: asked of a stand-in of that shape)
    stand_in = np.tile(np.arange(np.shape(data)[1], dtype=float), (np.shape(data)[0], 1))
    chosen = _scipy_stats().page_trend_test(stand_in, **{**kw, "ranked": False}).method
    return result_type("PageTrendTestResult", ("statistic", "pvalue", "method"))(
        numpy_scalar(stat), numpy_scalar(p), chosen)


@export(namespace=STATS, kind=NONDIFF)
def bws_test(x, y, *, alternative="two-sided", method=None):
    """Baumgartner, Weiss and Schindler's two-sample test: SciPy's values; a function of the
    ranks of the pooled data, so a zero derivative.

    >>> round(float(bws_test([1.0, 2.0, 4.0, 7.0], [3.0, 5.0, 6.0, 8.0, 9.0]).statistic), 6)
    1.352252
    """
    if not traced(x, y):
        return _scipy_stats().bws_test(x, y, alternative=alternative, method=method)
    if method is not None:
        raise NotImplementedError("bws_test: method= is not supported on traced data")
    stat, p, null = scipy_fields("bws_test", (x, y), (*_SP, "null_distribution"),
                                 dict(alternative=alternative))
    return result_type("PermutationTestResult", (*_SP, "null_distribution"))(
        numpy_scalar(stat), numpy_scalar(p), null)


@export(namespace=STATS, kind=NONDIFF)
def quantile_test(x, *, q=0, p=0.5, alternative="two-sided"):
    """The test that ``q`` is the ``p``-quantile of the population: SciPy's values; the
    statistic counts the data on one side of q, so its derivative in x and q is zero (``p``
    must be a plain number).

    >>> res = quantile_test([1.0, 2.0, 4.0, 7.0, 3.0, 5.0], q=3.0)
    >>> int(res.statistic), float(res.pvalue)
    (3, 1.0)
    """
    if not traced(x, q, p):
        return _scipy_stats().quantile_test(x, q=q, p=p, alternative=alternative)
    if traced(p):
        raise TypeError("chainrule.scipy.stats.quantile_test: the p-value's derivative in p "
                        "is not supported; pass p as a plain number")
    stat, kind, pval = scipy_fields("quantile_test", (x, q),
                                    ("statistic", "statistic_type", "pvalue"),
                                    dict(p=p, alternative=alternative), keywords=("q",))
    return result_type("QuantileTestResult", ("statistic", "statistic_type", "pvalue"))(
        numpy_scalar(stat), numpy_scalar(kind), numpy_scalar(pval))


# ---- SciPy's values only: a traced argument raises, saying what to do --------------------------
#: scipy.stats functions chainrule.scipy.stats passes through for plain values (SciPy's own
#: results), refusing traced arguments with why and what to do
VALUES_ONLY = {
    "dunnett": "its p-values are Monte Carlo integrals of the multivariate t distribution; the "
               "statistic is a t statistic of the means, write it with chainrule.numpy",
    "multiscale_graphcorr": "its statistic and p-value come from permutations of distance "
                            "ranks (piecewise constant)",
    "poisson_means_test": "its arguments are counts and sizes; the p-value's derivative is not "
                          "supported",
    "logrank": "it takes censored data (CensoredData) and ranks its event times",
    "wasserstein_distance_nd": "a linear program's optimum (the transport plan has no "
                               "derivative here); in one dimension use wasserstein_distance",
    "goodness_of_fit": "it fits a distribution and simulates its null distribution",
    "sobol_indices": "Monte Carlo estimates of a function's variance decomposition",
}


_MADE = {}


def values_only(fname):
    """SciPy's ``fname`` for plain arguments; a traced one raises TypeError with why (one
    function per name, made when first asked for)."""
    if fname in _MADE:
        return _MADE[fname]

    def fn(*args, **kw):
        if traced(*args, *kw.values()):
            raise TypeError(f"chainrule.scipy.stats.{fname} gives SciPy's values for plain "
                            f"arguments only: {VALUES_ONLY[fname]}")
        return getattr(_scipy_stats(), fname)(*args, **kw)
    fn.__name__ = fn.__qualname__ = fname
    fn.__doc__ = (f"SciPy's ``scipy.stats.{fname}`` for plain arguments (its own result); a "
                  f"traced argument raises TypeError: {VALUES_ONLY[fname]}.")
    _MADE[fname] = fn
    return fn
