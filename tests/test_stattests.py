"""More of scipy.stats's tests and statistics (scipy/stattests.py, scipy/smoothtests.py): SciPy's
own results on plain inputs, SciPy's values when traced (jit), exact derivatives (the rule
tests in test_rules.py check them to second order), zero derivatives for rank and count
tests, SciPy's edge cases and SciPy's docstring examples."""

import warnings

import numpy as np
import pytest
import scipy.stats as st

import chainrule as cr
import chainrule.numpy as cnp
import chainrule.scipy.stats as cst

RNG = np.random.default_rng(7)
A, B, C = RNG.normal(size=7), RNG.normal(size=6) + 1.0, 2.0 * RNG.normal(size=8)
X2 = RNG.normal(size=(9, 3))
TABLE = RNG.uniform(3.0, 20.0, (2, 3))
PS = RNG.uniform(0.0, 0.2, (3, 6))


def _leaves(res):
    if hasattr(res, "_fields") or isinstance(res, tuple):
        return [np.asarray(v, dtype=float) if not isinstance(v, list) else
                np.concatenate([np.ravel(u) for u in v]) for v in res]
    if hasattr(res, "statistic"):
        return [np.asarray(res.statistic, dtype=float), np.asarray(res.pvalue, dtype=float)]
    if hasattr(res, "mean_direction"):
        return [res.mean_direction, np.asarray(res.mean_resultant_length)]
    return [np.asarray(res, dtype=float)]


def _mvs(res):
    return tuple(v for r in res for v in (r.statistic, *r.minmax))


#: name, the call (f(module, *args)), its arguments
CASES = [
    ("bartlett", lambda m, a, b, c: m.bartlett(a, b, c), (A, B, C)),
    ("levene-median", lambda m, a, b, c: m.levene(a, b, c), (A, B, C)),
    ("levene-mean", lambda m, a, b: m.levene(a, b, center="mean"), (A, B)),
    ("levene-trimmed", lambda m, a, b: m.levene(a, b, center="trimmed", proportiontocut=0.2),
     (A, B)),
    ("alexandergovern", lambda m, a, b, c: m.alexandergovern(a, b, c), (A, B, C)),
    ("obrientransform", lambda m, a, b: m.obrientransform(a, b), (A, C[:7])),
    ("trimboth", lambda m, x: m.trimboth(x, 0.2), (X2,)),
    ("trimboth-flat", lambda m, x: m.trimboth(x, 0.1, axis=None), (X2,)),
    ("trim1-left", lambda m, x: m.trim1(x, 0.3, tail="left", axis=1), (X2.T,)),
    ("sigmaclip", lambda m, x: m.sigmaclip(x, 1.5, 1.5), (np.append(A, 9.0),)),
    ("scoreatpercentile", lambda m, x: m.scoreatpercentile(x, [10, 35, 50, 100]), (A,)),
    ("scoreatpercentile-lower", lambda m, x: m.scoreatpercentile(
        x, 35, interpolation_method="lower", axis=0), (X2,)),
    ("expectile", lambda m, x: m.expectile(x, 0.8), (A,)),
    ("expectile-weights", lambda m, x, w: m.expectile(x, 0.3, weights=w),
     (A, RNG.uniform(0.5, 2.0, 7))),
    ("directional_stats", lambda m, x: m.directional_stats(x), (X2,)),
    ("chi2_contingency", lambda m, t: (lambda r: (r[0], r[1], r[3]))(m.chi2_contingency(t)),
     (TABLE,)),
    ("chi2_contingency-yates", lambda m, t: tuple(m.chi2_contingency(t))[:2], (TABLE[:, :2],)),
    ("false_discovery_control", lambda m, p: m.false_discovery_control(p, axis=1), (PS,)),
    ("false_discovery_control-by", lambda m, p: m.false_discovery_control(p, method="by"),
     (PS[0],)),
    ("ks_1samp", lambda m, x: m.ks_1samp(x, cst.norm.cdf, (0.1, 1.2)), (A,)),
    ("cramervonmises", lambda m, x: m.cramervonmises(x, "norm", (0.1, 1.2)), (A,)),
    ("epps_singleton_2samp", lambda m, x, y: m.epps_singleton_2samp(x, y), (A, C)),
    ("tukey_hsd", lambda m, a, b, c: m.tukey_hsd(a, b, c), (A, B, C)),
    ("anderson", lambda m, x: m.anderson(x, method="interpolate"), (A,)),
    ("shapiro", lambda m, x: m.shapiro(x), (A,)),
    ("shapiro-large", lambda m, x: m.shapiro(x), (np.exp(RNG.normal(size=300)),)),
    ("shapiro-three", lambda m, x: m.shapiro(x), (np.array([1.0, 1.1, 5.0]),)),
    ("anderson-expon", lambda m, x: (lambda r: (r.statistic, r.critical_values,
                                                r.significance_level))(m.anderson(x, "expon")),
     (np.exp(A),)),
    ("tukey_hsd-welch", lambda m, a, b: m.tukey_hsd(a, b, equal_var=False), (A, B)),
    ("epps_singleton_2samp-large", lambda m, x, y: m.epps_singleton_2samp(x, y, (0.5, 1.0, 1.5)),
     (RNG.normal(size=30), RNG.normal(size=27))),
    ("cramervonmises-large", lambda m, x: m.cramervonmises(x, "expon"),
     (np.abs(RNG.normal(size=200)) * 3,)),
    ("kstest-less", lambda m, x: m.kstest(x, "norm", alternative="less"), (A,)),
    ("kstest-2samp", lambda m, x, y: m.kstest(x, y), (A, B)),
    ("ks_2samp", lambda m, x, y: m.ks_2samp(x, y), (A, B)),
    ("median_test", lambda m, x, y: m.median_test(x, y), (A, B)),
    ("mannwhitneyu", lambda m, x, y: m.mannwhitneyu(x, y, alternative="less"), (A, B)),
    ("kruskal", lambda m, x, y, z: m.kruskal(x, y, z), (A, B, C)),
    ("wilcoxon", lambda m, x: m.wilcoxon(x), (A,)),
    ("fligner", lambda m, x, y: m.fligner(x, y), (A, B)),
    ("somersd", lambda m, x, y: m.somersd(x, y), (A[:6], B)),
    ("fisher_exact", lambda m, t: m.fisher_exact(t), (np.array([[8.0, 2.0], [1.0, 5.0]]),)),
    ("lmoment", lambda m, x: m.lmoment(x), (A,)),
    ("lmoment-axis", lambda m, x: m.lmoment(x, [1, 2, 4], axis=1, standardize=False), (X2,)),
    ("differential_entropy", lambda m, x: m.differential_entropy(x), (np.append(A, B),)),
    ("differential_entropy-correa", lambda m, x: m.differential_entropy(
        x, method="correa", base=2.0, axis=0), (X2,)),
    ("probplot", lambda m, x: m.probplot(x), (A,)),
    ("probplot-weibull", lambda m, x: m.probplot(x, (1.5,), dist="weibull_min", fit=False),
     (A,)),
    ("theilslopes", lambda m, y: m.theilslopes(y), (A,)),
    ("theilslopes-x-ties", lambda m, y, x: m.theilslopes(y, np.round(x), 0.9, "joint"),
     (A, 3.0 * B[:1].repeat(7) + np.arange(7.0) // 2)),
    ("siegelslopes", lambda m, y: m.siegelslopes(y), (A,)),
    ("siegelslopes-separate-ties", lambda m, y, x: m.siegelslopes(y, np.round(x), "separate"),
     (A, 2.0 * C[:7])),
    ("quantile", lambda m, x, p: m.quantile(x, p, axis=1), (X2.T, np.array([[0.1, 0.5, 1.0]]))),
    ("quantile-hd-nan", lambda m, x: m.quantile(x, np.array([0.3, 1.5]), method="harrell-davis"),
     (np.array([[1.0, 2.0], [np.nan, 3.0], [4.0, 0.5]]),)),
    ("quantile-weibull-flat", lambda m, x: m.quantile(x, 0.3, method="weibull", axis=None,
                                                       keepdims=True), (X2,)),
    ("spearmanrho", lambda m, x, y: m.spearmanrho(x, y), (A, C[:7])),
    ("bayes_mvs", lambda m, x: _mvs(m.bayes_mvs(x, 0.8)), (A,)),
    ("bayes_mvs-large", lambda m, x: _mvs(m.bayes_mvs(x)), (RNG.normal(size=1200),)),
    ("boxcox_normplot", lambda m, x: m.boxcox_normplot(x, -2, 2, N=9), (np.exp(A),)),
    ("yeojohnson_normplot", lambda m, x: m.yeojohnson_normplot(x, -2, 2, N=9), (A,)),
    ("ppcc_plot", lambda m, x: m.ppcc_plot(x, -1, 1), (A,)),
    ("ppcc_plot-weibull", lambda m, x: m.ppcc_plot(x, 0.5, 3.0, "weibull_min", N=6), (np.exp(A),)),
    ("cumfreq", lambda m, x: m.cumfreq(x, 4), (A,)),
    ("relfreq-limits", lambda m, x: m.relfreq(x, 4, (-3.0, 3.0)), (A,)),
    ("binned_statistic-median", lambda m, x, v: m.binned_statistic(x, v, "median", bins=3),
     (A, B[:1].repeat(7) + A)),
    ("binned_statistic-edges-std", lambda m, x, v: m.binned_statistic(
        x, v, "std", bins=[-3.0, 0.0, 0.5, 3.0]), (A, 2.0 * A)),
    ("binned_statistic_2d-min", lambda m, x, y, v: m.binned_statistic_2d(x, y, v, "min", bins=2),
     (A, C[:7], A + 1.0)),
    ("binned_statistic_dd-count", lambda m, s, v: m.binned_statistic_dd(
        s, v, "count", bins=2, expand_binnumbers=True), (X2, X2[:, 0])),
]


@pytest.mark.parametrize("name,call,args", CASES, ids=[c[0] for c in CASES])
def test_plain_inputs_give_scipys_own_result(name, call, args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got, want = call(cst, *args), call(st, *args)
    assert type(got) is type(want)
    for g, w in zip(_leaves(got), _leaves(want)):
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("name,call,args", CASES, ids=[c[0] for c in CASES])
def test_traced_values_are_scipys(name, call, args):
    """Under jit each function runs its chainrule path: SciPy's values to rounding."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got, want = cr.jit(lambda *a: call(cst, *a))(*args), call(st, *args)
    assert len(_leaves(got)) >= len(_leaves(want)) or name == "chi2_contingency"
    for g, w in zip(_leaves(got), _leaves(want)):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-14)


def test_traced_result_fields_and_attributes():
    res = cr.jit(lambda x, y: cst.ks_2samp(x, y))(A, B)
    want = st.ks_2samp(A, B)
    assert type(res).__name__ == "KstestResult" and res._fields == ("statistic", "pvalue")
    assert float(res.statistic_location) == float(want.statistic_location)
    assert int(res.statistic_sign) == int(want.statistic_sign)
    stat, p = cr.jit(lambda a, b: cst.bartlett(a, b))(A, B)   # unpacks as SciPy's
    assert np.isclose(p, st.bartlett(A, B).pvalue, rtol=1e-12)


def test_rank_tests_have_zero_derivatives():
    for f in (lambda x: cst.mannwhitneyu(x, B).statistic, lambda x: cst.kruskal(x, B).pvalue,
              lambda x: cst.ansari(x, B).statistic, lambda x: cst.fligner(x, B).statistic,
              lambda x: cst.wilcoxon(x).pvalue, lambda x: cst.ks_2samp(x, B).statistic):
        np.testing.assert_array_equal(cr.grad(f)(A), np.zeros_like(A))
        np.testing.assert_array_equal(cr.jacfwd(f)(A), np.zeros_like(A))


def test_differentiable_fields_of_rank_tests():
    g = cr.grad(lambda x: cst.median_test(x, B).median)(A)
    assert g.sum() == 1.0 and np.count_nonzero(g) <= 1
    g = cr.grad(lambda x: cst.ks_2samp(x, B).statistic_location)(A)
    assert g.sum() in (0.0, 1.0)


def test_vmap_of_rank_test_is_a_loop():
    xs = RNG.normal(size=(4, 7))
    got = cr.vmap(lambda x: cst.mannwhitneyu(x, B))(xs)
    want = [st.mannwhitneyu(x, B) for x in xs]
    np.testing.assert_array_equal(got.statistic, [w.statistic for w in want])
    np.testing.assert_array_equal(got.pvalue, [w.pvalue for w in want])


def test_expectile_derivative_is_the_implicit_one():
    # t solves α Σ(x − t)₊ = (1 − α) Σ(t − x)₊: dt/dα = (Σ(x−t)₊ + Σ(t−x)₊)/(α n₊ + (1−α) n₋)
    alpha = 0.7
    t = st.expectile(A, alpha)
    up, down = A > t, A < t
    want = (np.sum(A[up] - t) + np.sum(t - A[down])) / (alpha * up.sum() + (1 - alpha) * down.sum())
    assert np.isclose(cr.grad(lambda a: cst.expectile(A, a))(alpha), want, rtol=1e-12)


@pytest.mark.parametrize("x", [np.array([1.5]), np.array([]), np.array([1.0, np.nan, 3.0])],
                         ids=["one", "empty", "nan"])
def test_edge_cases_traced_as_scipy(x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for f in ("bartlett", "levene", "alexandergovern"):
            got = cr.jit(lambda x: getattr(cst, f)(x, A))(x)
            want = getattr(st, f)(x, A)
            np.testing.assert_allclose(_leaves(got), _leaves(want)[:2], rtol=1e-12)
        for f in (lambda m, x: m.ks_1samp(x, cst.norm.cdf)[:2],
                  lambda m, x: m.scoreatpercentile(x, 30),
                  lambda m, x: m.trimboth(x, 0.1), lambda m, x: tuple(m.sigmaclip(x))[1:]):
            np.testing.assert_allclose(np.asarray(cr.jit(lambda x: f(cst, x))(x), dtype=float),
                                       np.asarray(f(st, x), dtype=float))
    if x.size == 0:
        with pytest.raises(ValueError, match="zero-size"):
            cr.jit(cst.expectile)(x)


def test_ks_pvalue_is_differentiable_once():
    p = lambda x: cst.ks_1samp(x, cst.norm.cdf).pvalue
    cr.check_grads(p, (A,), order=1, modes=("fwd", "rev"))
    with pytest.raises(Exception, match="ks_1samp's p-value \\(a second derivative\\)"):
        cr.hessian(p)(A)


def test_sigmaclip_under_vmap_needs_equal_counts():
    same = cr.vmap(lambda x: cst.sigmaclip(x).lower)(RNG.normal(size=(3, 6)))
    assert same.shape == (3,)
    ragged = np.array([[0.0, 1.0, 0.5, 0.2, 0.3, 40.0], [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]])
    with pytest.raises(ValueError, match="different numbers"):
        cr.vmap(lambda x: cst.sigmaclip(x, 1.5, 1.5).lower)(ragged)


def test_scipy_docstring_examples():
    # scipy.stats.bartlett's example: three samples of pod lengths
    a = [8.88, 9.12, 9.04, 8.98, 9.00, 9.08, 9.01, 8.85, 9.06, 8.99]
    b = [8.88, 8.95, 9.29, 9.44, 9.15, 9.58, 8.36, 9.18, 8.67, 9.05]
    c = [8.95, 9.12, 8.95, 8.85, 9.03, 8.84, 9.07, 8.98, 8.86, 8.98]
    res = cst.bartlett(a, b, c)
    assert np.isclose(res.pvalue, 1.1254782518834628e-05, rtol=1e-10)
    traced = cr.jit(lambda a, b, c: cst.bartlett(a, b, c).pvalue)(*map(np.array, (a, b, c)))
    assert np.isclose(traced, res.pvalue, rtol=1e-10)
    res = cst.levene(a, b, c)
    assert np.isclose(res.pvalue, 0.002431505967249681, rtol=1e-10)
    # scipy.stats.mannwhitneyu's example: ages of male and female workers
    males = [19, 22, 16, 29, 24]
    females = [20, 11, 17, 12]
    U1, p = cst.mannwhitneyu(males, females, method="exact")
    assert (U1, round(p, 6)) == (17.0, round(0.1111111111111111, 6))
    # scipy.stats.false_discovery_control's example
    ps = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
          0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000]
    got = cr.jit(cst.false_discovery_control)(np.array(ps))
    np.testing.assert_allclose(got, st.false_discovery_control(ps), rtol=1e-13)


def test_passed_through_names_are_scipys():
    for name in ("ConstantInputWarning", "DegenerateDataWarning", "NearConstantInputWarning",
                 "FitError", "BootstrapMethod", "MonteCarloMethod", "PermutationMethod",
                 "CensoredData", "Covariance", "qmc", "mstats"):
        assert getattr(cst, name) is getattr(st, name)


def test_float32_traced():
    a32, b32 = A.astype(np.float32), B.astype(np.float32)
    got = cr.jit(lambda a, b: cst.bartlett(a, b))(a32, b32)
    want = st.bartlett(a32, b32)
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float),
                               rtol=1e-5)
    assert np.isclose(cr.grad(lambda a: cst.expectile(a, 0.5))(a32).sum(), 1.0)
    assert cnp.asarray(cst.trimboth(a32, 0.2)).dtype == np.float32


@pytest.mark.parametrize("name", ["boxcox_normmax-mle", "boxcox_normmax-pearsonr",
                                  "yeojohnson_normmax", "ppcc_max"])
def test_normmax_derivative_is_the_optimums(name):
    """dλ/dx against central differences of a precise optimum (the root of the exact
    λ-derivative of the objective; SciPy's Brent is accurate to √ε only)."""
    import scipy.optimize as so
    x = np.random.default_rng(11).uniform(0.5, 3.0, 6) - (1.0 if name.startswith("yeo") else 0.0)
    if name == "boxcox_normmax-mle":
        f = lambda x: cst.boxcox_normmax(x, method="mle")
        obj = lambda l, x: cst.boxcox_llf(l, x)
    elif name == "boxcox_normmax-pearsonr":
        f = cst.boxcox_normmax
        obj = lambda l, x: cst.probplot(cst.boxcox(x, l))[1][2]
    elif name == "ppcc_max":
        from chainrule.scipy.estimators import _order_statistic_medians
        u = _order_statistic_medians(6)
        f = cst.ppcc_max
        obj = lambda l, x: cst.pearsonr((u ** l - (1 - u) ** l) / l, cnp.sort(x)).statistic
    else:
        f = cst.yeojohnson_normmax
        obj = lambda l, x: cst.yeojohnson_llf(l, x)
    slope = lambda l, x: float(cr.grad(obj)(l, x))
    lam = f(x)
    precise = lambda x: so.brentq(slope, lam - 0.5, lam + 0.5, args=(x,), xtol=1e-15)
    assert abs(precise(x) - lam) < 1e-6 and abs(cr.jit(f)(x) - precise(x)) < 1e-12
    h, g = 1e-5, cr.grad(f)(x)
    fd = [(precise(x + h * e) - precise(x - h * e)) / (2 * h) for e in np.eye(6)]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(cr.jacfwd(f)(x), g, rtol=1e-12)


def test_binned_statistic_callable_and_derivatives():
    x, v = A, B[:1].repeat(7) + A
    f = lambda v: cst.binned_statistic(x, v, lambda b: cnp.sum(b ** 2), bins=3).statistic
    np.testing.assert_allclose(cr.jit(f)(v), st.binned_statistic(
        x, v, lambda b: np.sum(b ** 2), bins=3).statistic, rtol=1e-13)
    bins = st.binned_statistic(x, v, bins=3).binnumber
    np.testing.assert_allclose(cr.jacrev(f)(v), 2 * v * (bins[None] - 1 == np.arange(3)[:, None]))
    # the edges follow the extremes of x: d(first edge)/dx is 1 at the smallest value
    g = cr.grad(lambda x: cst.binned_statistic(x, v, bins=3).bin_edges[0])(x)
    assert g[np.argmin(x)] == 1.0 and np.count_nonzero(g) == 1


@pytest.mark.parametrize("name,args,kw", [
    ("poisson_means_test", (3, 10.0, 8, 12.0), {}),
    ("dunnett", (A, B), dict(control=C, random_state=1)),
])
def test_values_only_names_are_scipys_and_refuse_tracers(name, args, kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got, want = getattr(cst, name)(*args, **kw), getattr(st, name)(*args, **kw)
    assert type(got) is type(want) and getattr(cst, name) is getattr(cst, name)
    if hasattr(want, "pvalue"):
        np.testing.assert_array_equal(got.pvalue, want.pvalue)
    if name == "poisson_means_test":
        return
    with pytest.raises(TypeError, match=f"chainrule.scipy.stats.{name} gives SciPy's values"):
        cr.grad(lambda a: cnp.sum(cnp.asarray(getattr(cst, name)(
            *((a,) + args[0][1:],) if isinstance(args[0], tuple) else (a,),
            *args[1:], **kw)[0])))(A)


def test_mvsdist_gives_chainrules_distributions():
    m, v, s = cr.jit(lambda x: tuple(d.interval(0.8) for d in cst.mvsdist(x)))(A), None, None
    want = [d.interval(0.8) for d in st.mvsdist(A)]
    np.testing.assert_allclose(np.ravel(m), np.ravel(want), rtol=1e-12)
    g = cr.grad(lambda x: cst.mvsdist(x)[0].mean())(A)
    np.testing.assert_allclose(g, np.full(7, 1 / 7), rtol=1e-14)


def test_contingency_module():
    import chainrule.scipy.stats.contingency as cc
    from scipy.stats import contingency as sc
    assert cc is cst.contingency and cc.crosstab is sc.crosstab and cc.odds_ratio is sc.odds_ratio
    t = np.array([[10, 20, 5], [30, 40, 7]])
    for m in ("cramer", "tschuprow", "pearson"):
        assert cc.association(t, m) == sc.association(t, m)
        got = cr.jit(lambda t: cc.association(t, m, correction=True))(t.astype(float))
        assert np.isclose(got, sc.association(t, m, correction=True), rtol=1e-13)
        cr.check_grads(lambda t: cc.association(t, m), (t.astype(float),), order=2,
                       modes=("fwd", "rev"))
    t3 = np.arange(1.0, 25.0).reshape(2, 3, 4)
    np.testing.assert_allclose(cc.expected_freq(t3), sc.expected_freq(t3), rtol=1e-14)
    for a, b in zip(cc.margins(t3), sc.margins(t3)):
        np.testing.assert_array_equal(a, b)
    cr.check_grads(cc.expected_freq, (t3,), order=2, modes=("fwd", "rev"))
    assert cc.chi2_contingency is cst.chi2_contingency


@pytest.mark.parametrize("method", ["percentile", "basic", "BCa"])
@pytest.mark.parametrize("paired", [False, True])
def test_bootstrap_traced_is_scipys(method, paired):
    stat = lambda a, b, axis: cnp.mean(a * b, axis) if paired else \
        cnp.mean(a, axis) - cnp.mean(b, axis)
    kw = dict(n_resamples=150, method=method, paired=paired, batch=40)
    x, y = A, (B[:1].repeat(7) + C[:7] if paired else B)
    want = st.bootstrap((x, y), stat, rng=np.random.default_rng(4), **kw)
    got = cr.jit(lambda x, y: cst.bootstrap((x, y), stat, rng=np.random.default_rng(4), **kw))(x, y)
    for g, w in [(got.confidence_interval.low, want.confidence_interval.low),
                 (got.confidence_interval.high, want.confidence_interval.high),
                 (got.standard_error, want.standard_error),
                 (got.bootstrap_distribution, want.bootstrap_distribution)]:
        np.testing.assert_allclose(g, w, rtol=1e-12)
    # a Generator is consumed as SciPy consumes it: the next draw is the same
    r1, r2 = np.random.default_rng(9), np.random.default_rng(9)
    cr.grad(lambda x: cst.bootstrap((x,), cnp.mean, n_resamples=20, rng=r1).standard_error)(x)
    st.bootstrap((x,), np.mean, n_resamples=20, rng=r2)
    assert r1.random() == r2.random()


@pytest.mark.parametrize("n_resamples", [50, 99999])
@pytest.mark.parametrize("alternative", ["two-sided", "less"])
def test_permutation_test_traced_is_scipys(n_resamples, alternative):
    stat = lambda a, b, axis: cnp.mean(a, axis) - cnp.mean(b, axis)
    kw = dict(n_resamples=n_resamples, alternative=alternative, batch=33)
    x, y = A[:5], B[:4] + 0.3
    want = st.permutation_test((x, y), stat, rng=np.random.default_rng(4), **kw)
    got = cr.jit(lambda x, y: cst.permutation_test((x, y), stat, rng=np.random.default_rng(4),
                                                   **kw))(x, y)
    assert got.pvalue == want.pvalue and got.statistic == want.statistic
    np.testing.assert_allclose(got.null_distribution, want.null_distribution, rtol=1e-13)
    g = cr.grad(lambda x: cst.permutation_test((x, y), stat, rng=np.random.default_rng(4),
                                               **kw).pvalue)(x)
    np.testing.assert_array_equal(g, np.zeros_like(x))
    with pytest.raises(NotImplementedError, match="independent"):
        cr.grad(lambda x: cst.permutation_test((x, y), stat,
                                               permutation_type="samples").statistic)(x)


def test_monte_carlo_test_traced_is_scipys():
    stat = lambda a, axis: cnp.mean(a, axis) ** 2
    want = st.monte_carlo_test(A, np.random.default_rng(1).normal, stat, n_resamples=60)
    got = cr.jit(lambda x: cst.monte_carlo_test(x, np.random.default_rng(1).normal, stat,
                                                 n_resamples=60))(A)
    assert (got.statistic, got.pvalue) == (want.statistic, want.pvalue)
    np.testing.assert_array_equal(got.null_distribution, want.null_distribution)
    g = cr.grad(lambda x: cst.monte_carlo_test(x, np.random.default_rng(1).normal, stat,
                                               n_resamples=20).statistic)(A)
    np.testing.assert_allclose(g, np.full(7, 2 * A.mean() / 7), rtol=1e-13)


_SMALL = {
    "theilslopes": lambda m, x: m.theilslopes(x), "siegelslopes": lambda m, x: m.siegelslopes(x),
    "shapiro": lambda m, x: m.shapiro(x),
    "cramervonmises": lambda m, x: m.cramervonmises(x, "norm"),
    "epps_singleton_2samp": lambda m, x: m.epps_singleton_2samp(x, B),
    "differential_entropy": lambda m, x: m.differential_entropy(x),
    "bayes_mvs": lambda m, x: _mvs(m.bayes_mvs(x)),
    "binned_statistic": lambda m, x: m.binned_statistic(np.arange(np.size(x)), x, bins=2).statistic,
}


@pytest.mark.parametrize("name", sorted(_SMALL))
@pytest.mark.parametrize("x", [np.array([]), np.array([1.5]), np.array([1.5, 2.0]),
                               np.r_[A, np.nan], np.full(6, 2.0)],
                         ids=["empty", "one", "two", "nan", "constant"])
def test_small_nan_and_constant_samples_as_scipy(name, x):
    f = _SMALL[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = _leaves(f(st, x))
        except (ValueError, IndexError) as e:
            with pytest.raises(type(e)):
                cr.jit(lambda x: f(cst, x))(x)
            return
        got = _leaves(cr.jit(lambda x: f(cst, x))(x))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-10, equal_nan=True)


def test_ecdf_traced_is_scipys():
    x = np.array([1.0, 3.0, 3.0, 2.0, 5.5, 2.0, 0.5])
    want, got = st.ecdf(x), cr.jit(cst.ecdf)(x)
    pts = np.array([0.0, 0.5, 1.0, 2.5, 3.0, 6.0, np.nan])
    for kind in ("cdf", "sf"):
        w, g = getattr(want, kind), getattr(got, kind)
        np.testing.assert_array_equal(g.quantiles, w.quantiles)
        np.testing.assert_allclose(g.probabilities, w.probabilities, rtol=1e-15)
        np.testing.assert_allclose(g.evaluate(pts), w.evaluate(pts), rtol=1e-15)
    g = cr.grad(lambda x: cnp.sum(cst.ecdf(x).cdf.quantiles ** 2))(x)
    assert g.sum() == 2 * np.unique(x).sum()
    np.testing.assert_array_equal(cr.grad(lambda x: cst.ecdf(x).sf.evaluate(2.5))(x), 0 * x)


def test_binomtest_traced_p_is_scipys():
    for k, n in [(0, 1), (3, 15), (15, 15), (7, 20)]:
        for p in (0.0, 0.1, 0.35, k / n, 1.0):
            for alt in ("two-sided", "less", "greater"):
                got = cr.jit(lambda p: cst.binomtest(k, n, p, alt).pvalue)(p)
                assert np.isclose(got, st.binomtest(k, n, p, alt).pvalue, rtol=1e-12, atol=1e-15)
    with pytest.raises(TypeError, match="counts"):
        cr.grad(lambda k: cst.binomtest(k, 10).pvalue)(3.0)
