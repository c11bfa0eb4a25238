"""Maximum likelihood with scipy.stats log-densities (Student t, gamma, Poisson GLM, probit,
logit), L-BFGS-B on value_and_grad, standard errors from the inverse Hessian.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.numpy as np
from chainrule import value_and_grad, grad, hessian
from chainrule.scipy import stats
from chainrule.scipy.special import gammaln, expit
from scipy.optimize import minimize

rs = np.random.RandomState(0)
data_t = 1.5 + 0.7 * rs.standard_t(4.0, size=300)
data_gamma = rs.gamma(2.0, 1.5, size=300)
X = rs.randn(200, 3)
true_w = np.array([0.5, -1.0, 2.0])
counts = rs.poisson(np.exp(0.3 * X @ true_w))
ybin = (X @ true_w + rs.randn(200) > 0).astype(float)

def nll_t(params):
    loc, log_scale, log_df = params
    return -np.sum(stats.t.logpdf(data_t, np.exp(log_df), loc=loc, scale=np.exp(log_scale)))

def nll_gamma(params):
    log_a, log_scale = params
    return -stats.gamma.logpdf(data_gamma, np.exp(log_a), scale=np.exp(log_scale)).sum()

def nll_poisson(w):
    rate = np.exp(0.3 * np.dot(X, w))
    return -np.sum(stats.poisson.logpmf(counts, rate))

def nll_probit(w):
    z = np.dot(X, w)
    return -np.sum(ybin * stats.norm.logcdf(z) + (1 - ybin) * stats.norm.logcdf(-z))

def nll_logit(w):
    p = expit(np.dot(X, w))
    return -np.sum(ybin * np.log(p) + (1 - ybin) * np.log1p(-p))

def main():
    out = []
    for f, x0 in [(nll_t, np.array([0.0, 0.0, 1.0])), (nll_gamma, np.zeros(2)),
                  (nll_poisson, np.zeros(3)), (nll_probit, np.zeros(3)), (nll_logit, np.zeros(3))]:
        r = minimize(value_and_grad(f), x0, jac=True, method='L-BFGS-B')
        cov = np.linalg.inv(hessian(f)(r.x))
        print(f.__name__, r.x, r.success, np.sqrt(np.diag(cov)))
        out += [grad(f)(x0 + 0.1), r.x, cov]
    return out
