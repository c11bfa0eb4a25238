"""The multivariate distributions' methods beyond their densities, with SciPy's signatures
and values: ``multivariate_normal.entropy``/``rvs``/``fit``, ``multivariate_t.entropy``,
``dirichlet.mean``/``var``/``cov``/``entropy``/``rvs``, ``multinomial.mean``/``cov``/
``entropy``/``rvs``, ``wishart`` and ``invwishart`` ``mean``/``mode``/``var``/``entropy``/
``rvs``.

``multivariate_normal.rvs`` is SciPy's draw, bit for bit; its derivative is the
reparameterization mean + L w with L the Cholesky factor of cov and w = L₀⁻¹(x − mean₀) the
draw's whitened value (a standard normal vector, as SciPy's SVD factor and L₀ differ by a
rotation), added to the draw as ``h − stop_gradient(h)``: exact to every order.

>>> import numpy as np, chainrule as cr, chainrule.scipy.stats as cst
>>> float(cr.grad(lambda s: cst.multivariate_normal.entropy(np.zeros(2), s * np.eye(2)))(1.0))
1.0
"""

import warnings

import numpy as np

from .. import numpy as cnp
from ..core.primitive import Tracer, concrete_value
from ..interpreters.batching import BatchedValueError
from ..primitives.util import numpy_scalar, dtype
from ..primitives.scipy_linalg import scipy_module
from ..transforms.differentiate import stop_gradient
from . import special as csp
from .stats_methods import registered
from .stats_sampling import concrete, refuse_batched

__all__ = ["METHODS"]

_LOG_2PI = float(np.log(2 * np.pi))
_LN2 = float(np.log(2.0))


def _arr(v):
    return cnp.asarray(v, dtype=float) if isinstance(v, (list, tuple, int, float)) else v


def _traced(*values):
    return any(isinstance(v, Tracer) for v in values)


def _stats(name):
    return getattr(scipy_module("stats"), name)


#: name -> {method: function}, added to the distributions by chainrule.scipy.stats
METHODS = {}


def _register(name):
    dist, method = name.split(".")

    def deco(fn):
        METHODS.setdefault(dist, {})[method] = fn
        return fn
    return deco


# ---- multivariate normal ---------------------------------------------------------------------
def _mvn_params(mean, cov):
    mean, cov = _arr(mean), _arr(cov)
    if mean is None:
        dim = cnp.shape(cov)[-1] if cnp.ndim(cov) else 1
        mean = np.zeros(dim)
    mean = cnp.reshape(mean, (-1,)) if cnp.ndim(mean) == 0 else mean
    dim = cnp.shape(mean)[-1]
    if cnp.ndim(cov) == 0:
        cov = cov * np.eye(dim)
    elif cnp.ndim(cov) == 1:
        cov = cnp.diag(cov)
    return mean, cov, dim


@_register("multivariate_normal.entropy")
def multivariate_normal_entropy(mean=None, cov=1):
    """Differential entropy ½(d(log 2π + 1) + log det cov) of N(mean, cov), through a
    Cholesky factor; for a singular cov, SciPy's degenerate normal's ½(r(log 2π + 1) +
    log pdet cov) over the r eigenvalues above SciPy's cutoff. Differentiable in cov.

    >>> import scipy.stats
    >>> c = np.array([[2.0, 0.3], [0.3, 1.0]])
    >>> bool(np.isclose(multivariate_normal_entropy(None, c),
    ...                 scipy.stats.multivariate_normal.entropy(None, c)))
    True
    >>> float(multivariate_normal_entropy(None, np.ones((2, 2))))   # rank 1, variance 2
    1.7655121234846454
    """
    _, cov, dim = _mvn_params(mean, cov)
    try:
        logdet = 2.0 * cnp.sum(cnp.log(cnp.diagonal(cnp.linalg.cholesky(cov))))
    except np.linalg.LinAlgError:
        return numpy_scalar(_degenerate_entropy(cov))
    return numpy_scalar(0.5 * (dim * (_LOG_2PI + 1.0) + logdet))


def _degenerate_entropy(cov):
    """The entropy of a normal with a positive semi-definite cov, as SciPy's _PSD takes it:
    the eigenvalues of the lower triangle above 10⁶ ε · max |λ| count (their number the
    rank, their product the pseudo-determinant); one below −that cutoff is an error."""
    s = cnp.linalg.eigvalsh(cov)
    cutoff = 1e6 * np.finfo(float).eps * cnp.max(cnp.abs(s), axis=-1, keepdims=True)
    negative = _any(s < -cutoff)
    if negative:
        raise ValueError("The input matrix must be symmetric positive semidefinite.")
    kept = s > cutoff
    log_pdet = cnp.sum(cnp.where(kept, cnp.log(cnp.where(kept, s, 1.0)), 0.0), axis=-1)
    rank = cnp.sum(kept, axis=-1)
    return 0.5 * (rank * (_LOG_2PI + 1.0) + log_pdet)


@_register("multivariate_normal.rvs")
def multivariate_normal_rvs(mean=None, cov=1, size=1, random_state=None):
    """SciPy's draws from N(mean, cov) (the same values for the same ``random_state``),
    differentiable in mean and cov (module doc: mean + L w, L = cholesky(cov)).

    >>> import scipy.stats
    >>> x = multivariate_normal_rvs([0.0, 1.0], np.eye(2), size=3, random_state=0)
    >>> bool(np.array_equal(x, scipy.stats.multivariate_normal.rvs(
    ...     [0.0, 1.0], np.eye(2), size=3, random_state=0)))
    True
    """
    refuse_batched("multivariate_normal.rvs", mean, cov)
    m, c, dim = _mvn_params(mean, cov)
    m0, c0 = np.asarray(concrete(m), float), np.asarray(concrete(c), float)
    x0 = _stats("multivariate_normal").rvs(m0, c0, size=size, random_state=random_state)
    if not _traced(m, c):
        return x0
    shaped = np.reshape(x0, (-1, dim))
    w = np.linalg.solve(np.linalg.cholesky(c0), (shaped - m0).T).T      # whitened draws
    h = m + cnp.matmul(w, cnp.transpose(cnp.linalg.cholesky(c)))
    return x0 + cnp.reshape(h - stop_gradient(h), np.shape(x0))


@_register("multivariate_normal.fit")
def multivariate_normal_fit(x, fix_mean=None, fix_cov=None):
    """SciPy's maximum-likelihood (mean, cov), values only (traced data raise TypeError:
    the sample mean and the biased sample covariance are ``cnp.mean``/``cnp.cov(…, bias=True)``,
    differentiable).

    >>> m, c = multivariate_normal_fit(np.array([[0.0, 1.0], [2.0, 3.0]]))
    >>> m
    array([1., 2.])
    """
    if _traced(x, fix_mean, fix_cov):
        raise TypeError("multivariate_normal.fit is SciPy's fit, values only; for a "
                        "differentiable fit use cnp.mean(x, axis=0) and "
                        "cnp.cov(x, rowvar=False, bias=True)")
    return _stats("multivariate_normal").fit(x, fix_mean=fix_mean, fix_cov=fix_cov)


# ---- dirichlet -------------------------------------------------------------------------------
def _alpha(alpha):
    alpha = _arr(alpha)
    if cnp.ndim(alpha) != 1:
        raise ValueError(f"dirichlet: alpha must be 1-D, not of shape {cnp.shape(alpha)}")
    return alpha


@_register("dirichlet.mean")
def dirichlet_mean(alpha):
    """Mean α/Σα of Dirichlet(α).

    >>> dirichlet_mean([1.0, 3.0])
    array([0.25, 0.75])
    """
    alpha = _alpha(alpha)
    return alpha / cnp.sum(alpha)


@_register("dirichlet.var")
def dirichlet_var(alpha):
    """Variances α(α₀ − α)/(α₀²(α₀ + 1)) of Dirichlet(α)'s components.

    >>> dirichlet_var([1.0, 1.0])
    array([0.08333333, 0.08333333])
    """
    alpha = _alpha(alpha)
    a0 = cnp.sum(alpha)
    return alpha * (a0 - alpha) / (a0 * a0 * (a0 + 1.0))


@_register("dirichlet.cov")
def dirichlet_cov(alpha):
    """Covariance matrix (diag(a) − a aᵀ)/(α₀ + 1), a = α/α₀, of Dirichlet(α).

    >>> dirichlet_cov([1.0, 1.0])
    array([[ 0.08333333, -0.08333333],
           [-0.08333333,  0.08333333]])
    """
    alpha = _alpha(alpha)
    a0 = cnp.sum(alpha)
    a = alpha / a0
    return (cnp.diag(a) - cnp.outer(a, a)) / (a0 + 1.0)


@_register("dirichlet.entropy")
def dirichlet_entropy(alpha):
    """Differential entropy of Dirichlet(α), SciPy's formula.

    >>> import scipy.stats
    >>> bool(np.isclose(dirichlet_entropy([2.0, 3.0, 0.5]),
    ...                 scipy.stats.dirichlet.entropy([2.0, 3.0, 0.5])))
    True
    """
    alpha = _alpha(alpha)
    a0 = cnp.sum(alpha)
    k = cnp.shape(alpha)[0]
    lnb = cnp.sum(csp.gammaln(alpha)) - csp.gammaln(a0)
    return numpy_scalar(lnb + (a0 - k) * csp.digamma(a0)
                        - cnp.sum((alpha - 1.0) * csp.digamma(alpha)))


@_register("dirichlet.rvs")
def dirichlet_rvs(alpha, size=1, random_state=None):
    """SciPy's draws from Dirichlet(α), values only: a traced α raises (draw
    g ~ cst.gamma.rvs(αᵢ) per component and normalize g/Σg: those are differentiable).

    >>> import scipy.stats
    >>> bool(np.array_equal(dirichlet_rvs([1.0, 2.0], 2, 0),
    ...                     scipy.stats.dirichlet.rvs([1.0, 2.0], 2, 0)))
    True
    """
    if _traced(alpha):
        raise NotImplementedError(
            "dirichlet.rvs: no derivative in alpha (SciPy's draw does not expose its gamma "
            "variates); draw g = cst.gamma.rvs(alpha_i, ...) per component and use g / g.sum(): "
            "its derivative is the gammas' implicit reparameterization")
    return _stats("dirichlet").rvs(alpha, size=size, random_state=random_state)


# ---- multinomial -----------------------------------------------------------------------------
def _multinomial_p(p):
    """p as SciPy's multinomial takes it: the last entry of a row whose sum is not 1 (to 10
    ε) replaced by 1 − the others' sum (SciPy 1.17 does so with a FutureWarning; from 1.18
    such rows are nan), and which rows are out of the domain (an entry outside [0, 1])."""
    p = _arr(p)
    if dtype(p).kind == "c":   # (SciPy drops the imaginary part with a ComplexWarning)
        raise TypeError("multinomial: p holds probabilities, real numbers, not complex ones")
    eps = np.finfo(np.result_type(dtype(p), np.float32)).eps * 10
    p = cnp.asarray(p, dtype=float)
    adjust = cnp.abs(1.0 - cnp.sum(p, axis=-1)) > eps
    any_adjusted = _any(adjust)
    if any_adjusted is not False:
        if any_adjusted:
            warnings.warn(
                "Some rows of `p` do not sum to 1.0 within tolerance of eps; the last element of "
                "these rows is adjusted to compensate, as SciPy 1.17 does (SciPy 1.18 gives "
                "NaNs there). Please ensure that rows of `p` sum to 1.0.", FutureWarning,
                stacklevel=3)
        last = cnp.where(adjust, 1.0 - cnp.sum(p[..., :-1], axis=-1), p[..., -1])
        p = cnp.concatenate([p[..., :-1], cnp.expand_dims(last, -1)], axis=-1)
    bad = cnp.any(cnp.logical_or(p < 0, p > 1), axis=-1)
    return p, bad


def _any(flags):
    """Whether any flag is set (a decision jit guards: a later call that decides otherwise
    is traced again); None under vmap, whose examples' flags are not at hand (the cnp.where
    that follows then chooses per example)."""
    try:
        return bool(np.any(np.asarray(concrete_value(cnp.any(flags), "bool"))))
    except BatchedValueError:
        return None


def _domain(value, bad, n, core_dims):
    """``value`` with nan where p or n is out of the domain (SciPy's _checkresult)."""
    bad = cnp.logical_or(bad, cnp.asarray(n) < 0)
    if _any(bad) is False:
        return value
    return cnp.where(cnp.reshape(bad, cnp.shape(bad) + (1,) * core_dims), np.nan, value)


@_register("multinomial.mean")
def multinomial_mean(n, p):
    """Mean n·p of the counts.

    >>> multinomial_mean(4, [0.25, 0.75])
    array([1., 3.])
    """
    p, bad = _multinomial_p(p)
    return _domain(cnp.expand_dims(_arr(n), -1) * p, bad, n, 1)


@_register("multinomial.cov")
def multinomial_cov(n, p):
    """Covariance n(diag(p) − p pᵀ) of the counts.

    >>> multinomial_cov(4, [0.5, 0.5])
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    p, bad = _multinomial_p(p)
    nn = cnp.reshape(_arr(n), cnp.shape(_arr(n)) + (1, 1))
    outer = cnp.expand_dims(p, -1) * cnp.expand_dims(p, -2)
    return _domain(nn * (cnp.eye(cnp.shape(p)[-1]) * cnp.expand_dims(p, -1) - outer), bad, n, 2)


@_register("multinomial.rvs")
def multinomial_rvs(n, p, size=None, random_state=None):
    """SciPy's draws (counts: no derivative).

    >>> import scipy.stats
    >>> bool(np.array_equal(multinomial_rvs(5, [0.2, 0.8], 3, 0),
    ...                     scipy.stats.multinomial.rvs(5, [0.2, 0.8], 3, 0)))
    True
    """
    return _stats("multinomial").rvs(concrete(n), concrete(p), size=size,
                                     random_state=random_state)


# ---- Wishart and inverse Wishart -------------------------------------------------------------
def _scale(scale):
    scale = _arr(scale)
    return cnp.reshape(scale, (1, 1)) if cnp.ndim(scale) == 0 else scale


def _squeeze(m):
    return numpy_scalar(cnp.squeeze(m)) if cnp.shape(m) == (1, 1) else m


@_register("wishart.mean")
def wishart_mean(df, scale):
    """Mean df·scale of Wishart(df, scale).

    >>> wishart_mean(3.0, np.eye(2))
    array([[3., 0.],
           [0., 3.]])
    """
    return _squeeze(_arr(df) * _scale(scale))


@_register("wishart.mode")
def wishart_mode(df, scale):
    """Mode (df − p − 1)·scale (None for df < p + 1, as SciPy).

    >>> wishart_mode(4.0, np.eye(2))
    array([[1., 0.],
           [0., 1.]])
    """
    scale = _scale(scale)
    dim = cnp.shape(scale)[-1]
    if concrete(df) < dim + 1:
        return None
    return _squeeze((df - dim - 1.0) * scale)


@_register("wishart.var")
def wishart_var(df, scale):
    """Variances df(Sᵢⱼ² + SᵢᵢSⱼⱼ) of the entries of a Wishart(df, S) matrix.

    >>> wishart_var(3.0, np.eye(2))
    array([[6., 3.],
           [3., 6.]])
    """
    scale = _scale(scale)
    d = cnp.diagonal(scale)
    return _squeeze(df * (scale * scale + cnp.outer(d, d)))


@_register("invwishart.mean")
def invwishart_mean(df, scale):
    """Mean scale/(df − p − 1) (None for df ≤ p + 1, as SciPy).

    >>> invwishart_mean(5.0, np.eye(2))
    array([[0.5, 0. ],
           [0. , 0.5]])
    """
    scale = _scale(scale)
    dim = cnp.shape(scale)[-1]
    if concrete(df) <= dim + 1:
        return None
    return _squeeze(scale / (df - dim - 1.0))


@_register("invwishart.mode")
def invwishart_mode(df, scale):
    """Mode scale/(df + p + 1).

    >>> invwishart_mode(1.0, np.eye(2))
    array([[0.25, 0.  ],
           [0.  , 0.25]])
    """
    scale = _scale(scale)
    return _squeeze(scale / (df + cnp.shape(scale)[-1] + 1.0))


@_register("invwishart.var")
def invwishart_var(df, scale):
    """Variances of the entries of an inverse Wishart matrix (None for df ≤ p + 3, as SciPy).

    >>> import scipy.stats
    >>> s = np.array([[2.0, 0.3], [0.3, 1.0]])
    >>> bool(np.allclose(invwishart_var(8.0, s), scipy.stats.invwishart.var(8.0, s)))
    True
    """
    scale = _scale(scale)
    dim = cnp.shape(scale)[-1]
    if concrete(df) <= dim + 3:
        return None
    d = cnp.diagonal(scale)
    var = (df - dim + 1.0) * scale * scale + (df - dim - 1.0) * cnp.outer(d, d)
    return _squeeze(var / ((df - dim) * (df - dim - 1.0) ** 2 * (df - dim - 3.0)))


def _logdet_pd(a):
    return 2.0 * cnp.sum(cnp.log(cnp.diagonal(cnp.linalg.cholesky(a))))


@_register("wishart.entropy")
def wishart_entropy(df, scale):
    """Differential entropy of Wishart(df, scale), SciPy's formula; differentiable in df
    and scale.

    >>> import scipy.stats
    >>> s = np.array([[2.0, 0.3], [0.3, 1.0]])
    >>> bool(np.isclose(wishart_entropy(4.0, s), scipy.stats.wishart.entropy(4.0, s)))
    True
    """
    scale = _scale(scale)
    dim = cnp.shape(scale)[-1]
    i = np.arange(1, dim + 1)
    return numpy_scalar(0.5 * (dim + 1) * _logdet_pd(scale) + 0.5 * dim * (dim + 1) * _LN2
                        + csp.multigammaln(0.5 * df, dim)
                        - 0.5 * (df - dim - 1) * cnp.sum(csp.digamma(0.5 * (df + 1 - i)))
                        + 0.5 * df * dim)


@_register("invwishart.entropy")
def invwishart_entropy(df, scale):
    """Differential entropy of the inverse Wishart(df, scale), SciPy's formula.

    >>> import scipy.stats
    >>> s = np.array([[2.0, 0.3], [0.3, 1.0]])
    >>> bool(np.isclose(invwishart_entropy(4.0, s), scipy.stats.invwishart.entropy(4.0, s)))
    True
    """
    scale = _scale(scale)
    dim = cnp.shape(scale)[-1]
    i = np.arange(1, dim + 1)
    return numpy_scalar(csp.multigammaln(0.5 * df, dim) + 0.5 * dim * df
                        + 0.5 * (dim + 1) * (_logdet_pd(scale) - _LN2)
                        - 0.5 * (df + dim + 1) * cnp.sum(csp.digamma(0.5 * (df - dim + i))))


@_register("multivariate_t.entropy")
def multivariate_t_entropy(loc=None, shape=1, df=1):
    """Differential entropy of the multivariate t, SciPy's formula (its large-df expansion
    from df ≥ 100·4·dim/(log dim + 1)); differentiable in shape and df.

    >>> import scipy.stats
    >>> s = np.array([[2.0, 0.3], [0.3, 1.0]])
    >>> bool(np.isclose(multivariate_t_entropy(None, s, 3.0),
    ...                 scipy.stats.multivariate_t.entropy(None, s, 3.0)))
    True
    """
    _, shape, dim = _mvn_params(loc, shape)
    df = _arr(df)
    term = 0.5 * _logdet_pd(shape)
    if np.isinf(concrete(df)):
        return multivariate_normal_entropy(None, shape)
    big = concrete(df) >= dim * 100 * 4 / (np.log(dim) + 1)
    if big:
        return numpy_scalar(
            dim * 0.5 * (_LOG_2PI + 1.0) + dim / df - dim * (dim - 2) * df ** -2.0 / 4
            + dim ** 2 * (dim - 2) * df ** -3.0 / 6
            + dim * (-3 * dim ** 3 + 8 * dim ** 2 - 8) * df ** -4.0 / 24
            + dim ** 2 * (3 * dim ** 3 - 10 * dim ** 2 + 16) * df ** -5.0 / 30 + term)
    half, hsum = 0.5 * df, 0.5 * (dim + df)
    return numpy_scalar(-csp.gammaln(hsum) + csp.gammaln(half) + 0.5 * dim * cnp.log(df * np.pi)
                        + hsum * (csp.digamma(hsum) - csp.digamma(half)) + term)


@_register("multinomial.entropy")
def multinomial_entropy(n, p):
    """Entropy of the counts, SciPy's formula n·Σ entr(p) − log n! + Σᵢ Σₓ binom.pmf(x; n, pᵢ)
    log x! (n concrete integers, which broadcast with p's rows as in SciPy); differentiable
    in p.

    >>> import scipy.stats
    >>> bool(np.isclose(multinomial_entropy(4, [0.2, 0.3, 0.5]),
    ...                 scipy.stats.multinomial.entropy(4, [0.2, 0.3, 0.5])))
    True
    """
    p, bad = _multinomial_p(p)
    nc = np.array(concrete(n), dtype=int)   # (SciPy's counts are integers)
    x = np.arange(1.0, max(int(np.max(nc, initial=0)), 0) + 1.0)[:, None]   # x = 1 … max n
    nn = np.reshape(nc, nc.shape + (1, 1)).astype(float)
    # binom.pmf(x; n, pᵢ) over (…, x, i): zero where x > n, summed over both
    term2 = cnp.sum(registered("binom", "pmf")(x, nn, cnp.expand_dims(p, -2))
                    * csp.gammaln(x + 1.0), axis=(-2, -1))
    value = nc * cnp.sum(csp.entr(p), axis=-1) - csp.gammaln(nc + 1.0) + term2
    return numpy_scalar(_domain(value, bad, nc, 0))


def _wishart_rvs(name):
    def rvs(df, scale, size=1, random_state=None):
        if _traced(df, scale):
            raise NotImplementedError(
                f"{name}.rvs: no derivative in df or scale yet (SciPy's Bartlett draw does not "
                f"expose its variates); build the draw from cst.chi2.rvs and cst.norm.rvs "
                f"(Bartlett's decomposition) to differentiate it")
        return _stats(name).rvs(df, scale, size=size, random_state=random_state)
    rvs.__name__ = rvs.__qualname__ = f"{name}_rvs"
    rvs.__doc__ = (f"SciPy's draws from {name}(df, scale), values only (traced parameters "
                   f"raise).\n\n    >>> import scipy.stats\n"
                   f"    >>> bool(np.array_equal({name}_rvs(4.0, np.eye(2), 2, 0),\n"
                   f"    ...     scipy.stats.{name}.rvs(4.0, np.eye(2), 2, 0)))\n    True\n")
    return _register(f"{name}.rvs")(rvs)


wishart_rvs = _wishart_rvs("wishart")
invwishart_rvs = _wishart_rvs("invwishart")
__test__ = {"wishart_rvs": wishart_rvs, "invwishart_rvs": invwishart_rvs}
