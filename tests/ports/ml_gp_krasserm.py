"""Gaussian-process regression of krasserm/bayesian-machine-learning
(gaussian-processes/gaussian_processes.ipynb, Apache-2.0 licence): the isotropic squared
exponential kernel from ``np.sum(X1**2, 1).reshape(-1, 1) + np.sum(X2**2, 1) - 2 * np.dot(X1,
X2.T)``, the posterior predictive by np.linalg.inv, and the negative log marginal likelihood in
its naive form (det and inv) and its stable form (Cholesky, solve_triangular and
np.diagonal), minimised over (l, σ_f) with L-BFGS-B. The notebook lets SciPy difference the
objective numerically; the port gives L-BFGS-B chainrule.autograd's gradient instead.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd import value_and_grad
from chainrule.autograd.numpy.linalg import inv
from chainrule.autograd.scipy.linalg import solve_triangular
from scipy.optimize import minimize


def kernel(X1, X2, l=1.0, sigma_f=1.0):
    sqdist = np.sum(X1 ** 2, 1).reshape(-1, 1) + np.sum(X2 ** 2, 1) - 2 * np.dot(X1, X2.T)
    return sigma_f ** 2 * np.exp(-0.5 / l ** 2 * sqdist)


def posterior(X_s, X_train, Y_train, l=1.0, sigma_f=1.0, sigma_y=1e-8):
    K = kernel(X_train, X_train, l, sigma_f) + sigma_y ** 2 * np.eye(len(X_train))
    K_s = kernel(X_train, X_s, l, sigma_f)
    K_ss = kernel(X_s, X_s, l, sigma_f) + 1e-8 * np.eye(len(X_s))
    K_inv = inv(K)
    mu_s = K_s.T.dot(K_inv).dot(Y_train)
    cov_s = K_ss - K_s.T.dot(K_inv).dot(K_s)
    return mu_s, cov_s


def nll_fn(X_train, Y_train, noise, naive=True):
    Y_train = Y_train.ravel()

    def nll_naive(theta):
        K = kernel(X_train, X_train, l=theta[0], sigma_f=theta[1]) + \
            noise ** 2 * np.eye(len(X_train))
        return 0.5 * np.log(np.linalg.det(K)) + \
            0.5 * Y_train.dot(inv(K).dot(Y_train)) + \
            0.5 * len(X_train) * np.log(2 * np.pi)

    def nll_stable(theta):
        K = kernel(X_train, X_train, l=theta[0], sigma_f=theta[1]) + \
            noise ** 2 * np.eye(len(X_train))
        L = np.linalg.cholesky(K)
        S1 = solve_triangular(L, Y_train, lower=True)
        S2 = solve_triangular(L.T, S1, lower=False)
        return np.sum(np.log(np.diagonal(L))) + \
            0.5 * Y_train.dot(S2) + \
            0.5 * len(X_train) * np.log(2 * np.pi)

    return nll_naive if naive else nll_stable


def main():
    noise = 0.4
    rs = np.random.RandomState(0)
    X_train = np.arange(-3, 4, 1).reshape(-1, 1).astype(float)
    Y_train = np.sin(X_train) + noise * rs.randn(*X_train.shape)
    fits = []
    for naive in (True, False):
        f = nll_fn(X_train, Y_train, noise, naive=naive)
        res = minimize(value_and_grad(f), [1, 1], jac=True,
                       bounds=((1e-5, None), (1e-5, None)), method='L-BFGS-B')
        fits.append(res)
    X = np.arange(-5, 5, 0.5).reshape(-1, 1)
    mu_s, cov_s = posterior(X, X_train, Y_train, *fits[1].x, sigma_y=noise)
    print(fits[0].x, fits[1].x)
    return X_train, Y_train, noise, fits, mu_s, cov_s
