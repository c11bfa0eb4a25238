"""scipy.stats' older distributions at a nan input or a parameter outside the family: SciPy's
nan, never a number (a nan k gave poisson's logpmf -inf, a negative scale a probability) and
never Python's ZeroDivisionError (a zero scale with float arguments)."""

import warnings

import numpy as np
import pytest
import scipy.stats

import chainrule as cr
import chainrule.scipy.stats as cstats

CASES = [
    ("norm.pdf", (1.0,), dict(scale=0.0)), ("norm.cdf", (1.0,), dict(scale=-1.0)),
    ("cauchy.logpdf", (1.0,), dict(scale=0.0)), ("cauchy.pdf", (1.0,), dict(scale=0.0)),
    ("t.cdf", (1.0, 2.0), dict(scale=0.0)), ("uniform.cdf", (0.5,), dict(scale=-1.0)),
    ("uniform.logpdf", (0.5,), dict(scale=-1.0)), ("expon.logpdf", (1.0,), dict(scale=-1.0)),
    ("expon.cdf", (np.nan,), {}), ("gamma.logpdf", (1.0, -1.0), {}),
    ("gamma.logpdf", (np.nan, 2.0), {}), ("gamma.cdf", (np.nan, 1.0), {}),
    ("chi2.logpdf", (1.0, -1.0), {}), ("beta.logpdf", (0.5, -1.0, 2.0), {}),
    ("poisson.logpmf", (np.nan, 2.0), {}), ("poisson.logpmf", (1.0, -2.0), {}),
    ("poisson.cdf", (np.nan, 2.0), {}),
    # and what stays a number, as SciPy's
    ("poisson.logpmf", (1.5, 2.0), {}), ("poisson.logpmf", (0.0, 0.0), {}),
    ("gamma.logpdf", (-1.0, 2.0), {}), ("expon.cdf", (-1.0,), {}), ("uniform.logpdf", (1.5,), {}),
    ("beta.logpdf", (1.5, 2.0, 2.0), {}), ("poisson.cdf", (-1.0, 2.0), {}),
]


@pytest.mark.parametrize("name,args,kw", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_outside_the_family_is_scipys_value(name, args, kw):
    dist, method = name.split(".")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = getattr(getattr(scipy.stats, dist), method)(*args, **kw)
        got = getattr(getattr(cstats, dist), method)(*args, **kw)
        staged = cr.jit(lambda *a: getattr(getattr(cstats, dist), method)(*a, **kw))(*args)
    for v in (got, staged):
        assert np.isnan(want) == np.isnan(v) and (np.isnan(want) or v == want), (v, want)


def test_derivatives_inside_the_family_are_unchanged():
    # the checks sit on the parameters and on z: gradients at valid points as before
    g = cr.grad(lambda s: cstats.norm.logpdf(1.0, 0.0, s))(2.0)       # -1/s + x²/s³
    assert np.isclose(g, -0.5 + 1.0 / 8.0, rtol=1e-15)
    g = cr.grad(lambda mu: cstats.poisson.logpmf(3.0, mu))(2.0)        # k/mu - 1
    assert np.isclose(g, 0.5, rtol=1e-15)
    g = cr.grad(lambda a: cstats.gamma.logpdf(2.0, a))(3.0)           # log x - digamma(a)
    import scipy.special
    assert np.isclose(g, np.log(2.0) - scipy.special.digamma(3.0), rtol=1e-13)
    x = np.array([0.5, np.nan, 2.0])
    g = cr.grad(lambda x: cstats.expon.logpdf(x)[np.array([0, 2])].sum())(x)
    np.testing.assert_array_equal(g, [-1.0, 0.0, -1.0])
