"""Log-densities of lindermanlab/ssm (ssm/stats.py, MIT licence): the batched multivariate
normal through a Cholesky factor, solve_triangular and the strided diagonal
``reshape(L, (..., D*D))[..., ::D+1]``; the batched Mahalanobis distance by a list of
inverses and ``einsum('...i,...ij->...j')``; multivariate and independent Student t with
gammaln and log1p; the expected Gaussian log-density; Bernoulli, Poisson, categorical
(logsumexp, one-hot), von Mises (i0) and exponential log-densities.

Written in the style of the public program it names (not a copy; its masked path, which
writes into a NumPy array in place and so fails in HIPS autograd as well, is left out); only
the import lines are chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd.scipy.special import gammaln, logsumexp
from chainrule.autograd.scipy.linalg import solve_triangular


def one_hot(z, K):
    z = np.atleast_1d(z).astype(int)
    lshp = z.shape
    z = np.ravel(z)
    c = np.zeros((z.size, K))
    c[np.arange(z.size), z] = 1
    return np.reshape(c, lshp + (K,))


def flatten_to_dim(X, d):
    assert X.ndim >= d and d > 0
    return np.reshape(X[None, ...], (-1,) + X.shape[-d:])


def batch_mahalanobis(L, x):
    if x.ndim == 2 and L.ndim == 2:
        xs = solve_triangular(L, x.T, lower=True)
        return np.sum(xs ** 2, axis=0)
    flat_L = flatten_to_dim(L, 2)
    L_inv = np.reshape(np.array([np.linalg.inv(Li.T) for Li in flat_L]), L.shape)
    xs = np.einsum('...i,...ij->...j', x, L_inv)
    return np.sum(xs ** 2, axis=-1)


def _half_log_det(Ls, D):
    L_diag = np.reshape(Ls, Ls.shape[:-2] + (-1,))[..., ::D + 1]
    return np.sum(np.log(abs(L_diag)), axis=-1)


def multivariate_normal_logpdf(data, mus, Sigmas, Ls=None):
    D = data.shape[-1]
    assert mus.shape[-1] == D and Sigmas.shape[-2] == Sigmas.shape[-1] == D
    if Ls is None:
        Ls = np.linalg.cholesky(Sigmas)
    lp = -0.5 * batch_mahalanobis(Ls, data - mus)
    return lp - 0.5 * D * np.log(2 * np.pi) - _half_log_det(Ls, D)


def expected_multivariate_normal_logpdf(E_xs, E_xxTs, E_mus, E_mumuTs, Sigmas):
    D = E_xs.shape[-1]
    Ls = np.linalg.cholesky(Sigmas)
    Sigma_invs = np.linalg.inv(Sigmas)
    E_xmuT = E_xs[..., :, None] * E_mus[..., None, :]
    As = E_xxTs - 2 * E_xmuT + E_mumuTs
    lp = -0.5 * np.sum(Sigma_invs * As, axis=(-2, -1))
    return lp - 0.5 * D * np.log(2 * np.pi) - _half_log_det(Ls, D)


def multivariate_studentst_logpdf(data, mus, Sigmas, nus):
    D = data.shape[-1]
    Ls = np.linalg.cholesky(Sigmas)
    q = batch_mahalanobis(Ls, data - mus) / nus
    lp = -0.5 * (nus + D) * np.log1p(q)
    lp = lp + gammaln(0.5 * (nus + D)) - gammaln(0.5 * nus)
    lp = lp - 0.5 * D * np.log(np.pi) - 0.5 * D * np.log(nus)
    return lp - _half_log_det(Ls, D)


def independent_studentst_logpdf(data, mus, sigmasqs, nus, mask=None):
    mask = mask if mask is not None else np.ones_like(data, dtype=bool)
    normalizer = gammaln(0.5 * (nus + 1)) - gammaln(0.5 * nus)
    normalizer = normalizer - 0.5 * (np.log(np.pi) + np.log(nus) + np.log(sigmasqs))
    ll = normalizer - 0.5 * (nus + 1) * np.log(1.0 + (data - mus) ** 2 / (sigmasqs * nus))
    return np.sum(ll * mask, axis=-1)


def bernoulli_logpdf(data, logit_ps, mask=None):
    assert data.dtype == int or data.dtype == bool
    mask = mask if mask is not None else np.ones_like(data, dtype=bool)
    m = np.maximum(0, logit_ps)
    lls = data * logit_ps - m - np.log(np.exp(-m) + np.exp(logit_ps - m))
    return np.sum(lls * mask, axis=-1)


def poisson_logpdf(data, lambdas, mask=None):
    assert data.dtype in (int, np.int8, np.int16, np.int32, np.int64)
    mask = mask if mask is not None else np.ones_like(data, dtype=bool)
    lls = -gammaln(data + 1) - lambdas + data * np.log(lambdas)
    return np.sum(lls * mask, axis=-1)


def categorical_logpdf(data, logits, mask=None):
    C = logits.shape[-1]
    assert np.all((data >= 0) & (data < C))
    mask = mask if mask is not None else np.ones_like(data, dtype=bool)
    logits = logits - logsumexp(logits, axis=-1, keepdims=True)
    x = one_hot(data, C)
    lls = np.sum(x * logits, axis=-1)
    return np.sum(lls * mask, axis=-1)


def vonmises_logpdf(data, mus, kappas, mask=None):
    from chainrule.autograd.scipy.special import i0
    mask = mask if mask is not None else np.ones_like(data, dtype=bool)
    ll = kappas * np.cos(data - mus) - np.log(2 * np.pi) - np.log(i0(kappas))
    return np.sum(ll * mask, axis=-1)


def exponential_logpdf(data, lambdas, mask=None):
    mask = mask if mask is not None else np.ones_like(data, dtype=bool)
    lls = np.log(lambdas) - lambdas * data
    return np.sum(lls * mask, axis=-1)
