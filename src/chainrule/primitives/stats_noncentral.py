"""The noncentral χ², t and F distributions and the Rice distribution over
:class:`~chainrule.primitives.stats_families.Continuous`.

Their densities are closed forms in chainrule's operations (SciPy's own ``_ncx2_log_pdf``
through ``ive``; the noncentral t's through ₁F₁ and the noncentral F's through a
generalized Laguerre function, as SciPy computed them before Boost), differentiable in x
and in the noncentrality; their distribution functions and quantiles are SciPy's values
with closed-form derivatives: in x the density, and in the noncentrality λ of χ² and F the
Poisson mixture's identity ∂F/∂λ = ½(F with two more degrees of freedom − F), for χ² the
density with two more degrees, −f(x; k + 2, λ). The degrees of freedom enter an incomplete
integral's parameter: their derivative is refused, in the density too (the series in them
has no closed form). The noncentral t's distribution function is refused in nc as well.

>>> import chainrule as cr, chainrule.scipy.stats as cst, scipy.stats as st
>>> d = float(cr.grad(lambda nc: cst.ncx2.cdf(2.0, 3.0, nc))(1.5))
>>> bool(abs(d + st.ncx2.pdf(2.0, 5.0, 1.5)) < 1e-14)
True
"""

import numpy as np

from . import elementwise as E
from .special import _lazy, gammaln
from .special_functions import xlogy, ive, i0e
from .special_elementary import partials
from .special_distributions import nctdtr, nctdtrit
from .special_orthogonal import eval_genlaguerre, hyp1f1
from .special_functions import betaln
from .stats_families import Continuous

__all__ = []

_INF = np.inf
_POSITIVE = (0.0, _INF)
_LN2 = float(np.log(2.0))
_SQRT2 = float(np.sqrt(2.0))


def _scipy(dist, method):
    """SciPy's standard-form method (``scipy.stats.ncx2._cdf``…: its choice of algorithm at
    every parameter, nc = 0 included), on broadcast float arrays."""
    def fn(*args):
        import scipy.stats
        arrays = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args])
        with np.errstate(all="ignore"):
            return np.asarray(getattr(getattr(scipy.stats, dist), method)(*arrays), dtype=float)
    return fn


def _special(name):
    def fn(*args):
        import scipy.special
        with np.errstate(all="ignore"):
            return getattr(scipy.special._ufuncs, name)(*args)
    return fn


# ---- noncentral χ² -------------------------------------------------------------------------------
def _chi2_logpdf(z, df):
    return xlogy(0.5 * df - 1.0, z) - 0.5 * z - gammaln(0.5 * df) - _LN2 * 0.5 * df


def _ncx2_logpdf(z, df, nc):
    """SciPy's: (x/λ)^(k/4−1/2)·e^(−(√x−√λ)²/2)·ive(k/2 − 1, √(λx))/2, in logs; λ = 0: χ²."""
    central = E.equal(nc, 0.0)
    ncs = E.where(central, 1.0, nc)
    order = 0.5 * df - 1.0
    xs, ns = E.sqrt(z), E.sqrt(ncs)
    t = xs * ns
    # SciPy's ive is nan for orders past ~1e9 (skellam at |k| ≥ 1e9): there the series'
    # first two terms, log I_v(t) = v·log(t/2) − lnΓ(v+1) + log1p(t²/(4(v+1))) + O((t²/v)²)
    big = E.logical_and(E.greater(order, 1e6), E.less(t * t, 4e-4 * (order + 1.0)))
    vb, tb = E.where(big, order, 1.0), E.where(big, t, 1.0)
    series = (xlogy(vb, 0.5 * tb) - gammaln(vb + 1.0) + E.log1p(tb * tb / (4.0 * (vb + 1.0)))
              - tb - _LN2)
    # ... and nan past t ≈ 2e9: there its expansion, ive(v, t) = (1 − (4v²−1)/(8t) + O(t⁻²))/√(2πt)
    huge = E.greater(t, 1e8 * (1.0 + order * order))
    th = E.where(huge, t, 1.0)
    plain = E.logical_or(big, huge)
    log_ive = E.where(big, series, E.where(
        huge, (-0.5 * E.log(2.0 * np.pi * th) + E.log1p((1.0 - 4.0 * order * order) / (8.0 * th))
               - _LN2),
        E.log(0.5 * ive(E.where(plain, 0.0, order), E.where(plain, 1.0, t)))))
    general = xlogy(0.5 * order, z / ncs) - 0.5 * (xs - ns) ** 2 + log_ive
    # (at +inf: SciPy's −inf; the central χ²'s formula, as SciPy's, nan)
    at_inf = E.logical_and(E.logical_and(E.isinf(z), E.greater(z, 0)), E.logical_not(central))
    return E.where(at_inf, -_INF, E.where(central, _chi2_logpdf(z, df), general))


def _ncx2_pdf(z, df, nc):
    return E.exp(_ncx2_logpdf(z, df, nc))


def _ncx2_shift(z, df, nc):
    """−∂F/∂λ = f(x; k + 2, λ): the Poisson mixture's weights move to the next term."""
    return _ncx2_pdf(z, df + 2.0, nc)


_ncx2_cdf = partials("ncx2_cdf", _scipy("ncx2", "_cdf"), ("x", "df", "nc"),
                     (lambda ans, z, df, nc: _ncx2_pdf(z, df, nc), None,
                      lambda ans, z, df, nc: E.negative(_ncx2_shift(z, df, nc))), names=())
def _ncx2_sf_value(z, df, nc):
    # 1 at the support's end (Boost's survival function gives −0 there; SciPy's public sf 1)
    return np.where(np.asarray(z) == 0, 1.0, _scipy("ncx2", "_sf")(z, df, nc))


_ncx2_sf = partials("ncx2_sf", _ncx2_sf_value, ("x", "df", "nc"),
                    (lambda ans, z, df, nc: E.negative(_ncx2_pdf(z, df, nc)), None,
                     lambda ans, z, df, nc: _ncx2_shift(z, df, nc)), names=())


def _ncx2_moved(ans, df, nc):
    # F(x(λ); λ) = q: dx/dλ = −∂F/∂λ / f (the same for the isf's S(x(λ); λ) = q)
    return _ncx2_shift(ans, df, nc) / _ncx2_pdf(ans, df, nc)


_ncx2_ppf = partials("ncx2_ppf", _scipy("ncx2", "_ppf"), ("q", "df", "nc"),
                     (lambda ans, q, df, nc: E.reciprocal(_ncx2_pdf(ans, df, nc)), None,
                      lambda ans, q, df, nc: _ncx2_moved(ans, df, nc)), names=())
_ncx2_isf = partials("ncx2_isf", _scipy("ncx2", "_isf"), ("q", "df", "nc"),
                     (lambda ans, q, df, nc: E.negative(E.reciprocal(_ncx2_pdf(ans, df, nc))),
                      None, lambda ans, q, df, nc: _ncx2_moved(ans, df, nc)), names=())


def _ncx2_valid(df, nc):
    return E.logical_and(E.logical_and(E.greater(df, 0), E.isfinite(df)), E.greater_equal(nc, 0))


Continuous("ncx2", "df nc", logpdf=_ncx2_logpdf, cdf=_ncx2_cdf, sf=_ncx2_sf, ppf=_ncx2_ppf,
           isf=_ncx2_isf, support=_POSITIVE, valid=_ncx2_valid, refuse=("df",),
           refuse_density=("df",), example=(1.5, 3.0, 1.5))


# ---- Rice: |N(b, 1) + i·N(0, 1)|, whose square is a noncentral χ² with 2 degrees ----------------
Continuous("rice", "b",
           logpdf=lambda z, b: E.log(z) - 0.5 * (z - b) ** 2 + E.log(i0e(z * b)),
           cdf=lambda z, b: _ncx2_cdf(z * z, 2.0, b * b),
           ppf=lambda q, b: E.sqrt(_ncx2_ppf(q, 2.0, b * b)),
           support=_POSITIVE, valid=lambda b: E.greater_equal(b, 0), example=(1.2, 1.5))


# ---- noncentral t: differentiable in x (and its density in nc) -----------------------------------
# The density's value is SciPy's (Boost's): the closed form through ₁F₁ is a sum of two terms of
# opposite signs wherever x·nc < 0, which cancel (18% wrong at df = 2, nc = 8, x = −1.74). Its
# derivatives come from the integral form f(x) = C(x)·I_n(y), y = nc·x/√(x² + n),
# I_n(y) = ∫₀^∞ uⁿ e^(−(u−y)²/2) du: d log I_n/dy = I_{n+1}/I_n − y, and I_{n+1}(y) is the
# density with n + 1 degrees at x·√((n+1)/n) (the same y), so the rules are this density again.
def _nct_logpdf_value(z, df, nc):
    n = np.where(np.asarray(df) > 0, df, 1.0)   # (outside the family: nan, as SciPy's answer)
    with np.errstate(all="ignore"):
        return np.log(_special("_nct_pdf")(z, n, nc))


def _nct_log_front(z, n, nc):
    """log C: the density without the integral I_n (constants that cancel in the ratio left out)."""
    s = n + z * z
    return (0.5 * n * E.log(n) - 0.5 * n * nc * nc / s - 0.5 * (n - 1.0) * _LN2
            - gammaln(0.5 * n) - 0.5 * (n + 1.0) * E.log(s))


def _nct_dlog_integral(z, df, nc):
    """d log I_n / dy = I_{n+1}(y)/I_n(y) − y."""
    z1 = z * E.sqrt((df + 1.0) / df)
    ratio = E.exp(_nct_lp(z1, df + 1.0, nc) - _nct_log_front(z1, df + 1.0, nc)
                  - _nct_lp(z, df, nc) + _nct_log_front(z, df, nc))
    return ratio - nc * z / E.sqrt(df + z * z)


def _nct_dz(ans, z, df, nc):
    limit = E.isinf(df)   # df = inf: the normal about nc (SciPy's density there)
    n = E.where(limit, 1.0, df)
    s = n + z * z
    return E.where(limit, nc - z, n * nc * nc * z / (s * s) - (n + 1.0) * z / s
                   + _nct_dlog_integral(z, n, nc) * nc * n / (s * E.sqrt(s)))


def _nct_dnc(ans, z, df, nc):
    limit = E.isinf(df)
    n = E.where(limit, 1.0, df)
    s = n + z * z
    return E.where(limit, z - nc,
                   E.negative(n * nc / s) + _nct_dlog_integral(z, n, nc) * z / E.sqrt(s))


_nct_lp = partials("nct_logpdf", _nct_logpdf_value, ("x", "df", "nc"),
                   (_nct_dz, None, _nct_dnc), names=())


def _nct_logpdf(z, df, nc):
    return _nct_lp(z, df, nc)


def _nct_pdf(z, df, nc):
    return E.exp(_nct_logpdf(z, df, nc))


_nct_sf = partials("nct_sf", lambda df, nc, x: np.clip(_special("_nct_sf")(x, df, nc), 0, 1),
                   ("df", "nc", "t"),
                   (None, None, lambda ans, df, nc, z: E.negative(_nct_pdf(z, df, nc))), names=())
_nct_isf = partials("nct_isf", lambda df, nc, q: _special("_nct_isf")(q, df, nc), ("df", "nc", "q"),
                    (None, None, lambda ans, df, nc, q: E.negative(E.reciprocal(
                        _nct_pdf(ans, df, nc)))), names=())
Continuous("nct", "df nc", logpdf=_nct_logpdf,
           cdf=lambda z, df, nc: nctdtr(df, nc, z), sf=lambda z, df, nc: _nct_sf(df, nc, z),
           ppf=lambda q, df, nc: nctdtrit(df, nc, q), isf=lambda q, df, nc: _nct_isf(df, nc, q),
           valid=lambda df, nc: E.logical_and(E.greater(df, 0), E.logical_not(E.isnan(nc))),
           refuse=("df", "nc"), refuse_density=("df",), example=(0.5, 4.0, 1.2))


# ---- noncentral F ----------------------------------------------------------------------------------
def _ncf_logpdf(z, dfn, dfd, nc):
    ok = E.logical_and(E.greater(dfn, 0), E.greater(dfd, 0))   # (nan outside, without a loop)
    dfn, dfd = E.where(ok, dfn, 1.0), E.where(ok, dfd, 1.0)
    s = dfd + dfn * z
    log_pdf = (-0.5 * nc + 0.5 * nc * dfn * z / s + xlogy(0.5 * dfn, dfn)
               + xlogy(0.5 * dfd, dfd) + xlogy(0.5 * dfn - 1.0, z) - 0.5 * (dfn + dfd) * E.log(s)
               + gammaln(0.5 * dfn) + gammaln(1.0 + 0.5 * dfd) - gammaln(0.5 * (dfn + dfd))
               - betaln(0.5 * dfn, 0.5 * dfd))
    return log_pdf + E.log(eval_genlaguerre(0.5 * dfd, 0.5 * dfn - 1.0, -0.5 * nc * dfn * z / s))


def _ncf_pdf(dfn, dfd, nc, z):
    return E.exp(_ncf_logpdf(z, dfn, dfd, nc))


def _ncf_dnc(dfn, dfd, nc, z):
    """∂F/∂λ = ½(F(m + 2 numerator degrees at the same beta argument) − F)."""
    return 0.5 * (_ncf_cdf(dfn + 2.0, dfd, nc, dfn * z / (dfn + 2.0)) - _ncf_cdf(dfn, dfd, nc, z))


_ncf_cdf = partials("ncf_cdf", _lazy("ncfdtr"), ("dfn", "dfd", "nc", "f"),
                    (None, None, lambda ans, m, n, nc, z: _ncf_dnc(m, n, nc, z),
                     lambda ans, m, n, nc, z: _ncf_pdf(m, n, nc, z)), names=())
def _ncf_sf_value(m, n, nc, z):
    # the central F's at nc = 0, where Boost's noncentral survival function is negative
    import scipy.special
    with np.errstate(all="ignore"):
        return np.where(np.asarray(nc) == 0, scipy.special.fdtrc(m, n, z),
                        _special("_ncf_sf")(z, m, n, nc))


_ncf_sf = partials("ncf_sf", _ncf_sf_value,
                   ("dfn", "dfd", "nc", "f"),
                   (None, None, lambda ans, m, n, nc, z: E.negative(_ncf_dnc(m, n, nc, z)),
                    lambda ans, m, n, nc, z: E.negative(_ncf_pdf(m, n, nc, z))), names=())


def _ncf_moved(ans, m, n, nc):
    return E.negative(_ncf_dnc(m, n, nc, ans)) / _ncf_pdf(m, n, nc, ans)


_ncf_ppf = partials("ncf_ppf", _lazy("ncfdtri"), ("dfn", "dfd", "nc", "p"),
                    (None, None, lambda ans, m, n, nc, q: _ncf_moved(ans, m, n, nc),
                     lambda ans, m, n, nc, q: E.reciprocal(_ncf_pdf(m, n, nc, ans))), names=())
_ncf_isf = partials("ncf_isf", lambda m, n, nc, q: _special("_ncf_isf")(q, m, n, nc),
                    ("dfn", "dfd", "nc", "q"),
                    (None, None, lambda ans, m, n, nc, q: _ncf_moved(ans, m, n, nc),
                     lambda ans, m, n, nc, q: E.negative(E.reciprocal(_ncf_pdf(m, n, nc, ans)))),
                    names=())
Continuous("ncf", "dfn dfd nc", logpdf=_ncf_logpdf,
           cdf=lambda z, m, n, nc: _ncf_cdf(m, n, nc, z), sf=lambda z, m, n, nc: _ncf_sf(m, n, nc, z),
           ppf=lambda q, m, n, nc: _ncf_ppf(m, n, nc, q), isf=lambda q, m, n, nc: _ncf_isf(m, n, nc, q),
           support=_POSITIVE,
           valid=lambda m, n, nc: E.logical_and(E.logical_and(E.greater(m, 0), E.greater(n, 0)),
                                                E.greater_equal(nc, 0)),
           refuse=("dfn", "dfd"), refuse_density=("dfn", "dfd"), example=(1.5, 3.0, 6.0, 1.5))


#: for Skellam (chainrule.primitives.stats_discrete_more)
ncx2_logpdf, ncx2_cdf, ncx2_sf = _ncx2_logpdf, _ncx2_cdf, _ncx2_sf
