"""Gaussian-process regression on synthetic 1-D data, written the way HIPS autograd users write it.

The negative log marginal likelihood of the observations under a squared-exponential kernel plus
noise is computed through a Cholesky factor, a triangular solve and ``norm.logpdf`` (the whitened
residuals are standard normal), and its log hyperparameters (signal variance, length scale, noise
variance) are fitted with SciPy's L-BFGS-B fed by ``value_and_grad``.

    python examples/gaussian_process.py
"""
import numpy as onp
from scipy.optimize import minimize

import chainrule.autograd as autograd
import chainrule.autograd.numpy as np
import chainrule.autograd.numpy.random as npr
from chainrule.autograd.scipy.linalg import solve_triangular
from chainrule.autograd.scipy.stats import norm


def make_data(n=25, seed=0):
    rs = npr.RandomState(seed)
    x = np.sort(rs.uniform(-3.0, 3.0, size=n))
    y = np.sin(1.5 * x) + 0.1 * rs.randn(n)
    return x, y


def rbf_covariance(log_params, xa, xb):
    log_amp, log_len = log_params[0], log_params[1]
    sqdist = (xa[:, None] - xb[None, :]) ** 2
    return np.exp(log_amp) * np.exp(-0.5 * sqdist / np.exp(2.0 * log_len))


def make_objective(x, y):
    """The negative log marginal likelihood -log p(y | x, θ), θ = (log σf², log ℓ, log σn²)."""
    n = len(x)

    def neg_log_marginal_likelihood(log_params):
        K = rbf_covariance(log_params, x, x) + (np.exp(log_params[2]) + 1e-8) * np.eye(n)
        L = np.linalg.cholesky(K)
        alpha = solve_triangular(L, y, lower=True)            # whitened residuals, ~ N(0, I)
        log_det_half = np.sum(np.log(np.diag(L)))             # log |K|^(1/2)
        return -(np.sum(norm.logpdf(alpha)) - log_det_half)

    return neg_log_marginal_likelihood


def predict(log_params, x, y, xstar):
    n = len(x)
    K = rbf_covariance(log_params, x, x) + (np.exp(log_params[2]) + 1e-8) * np.eye(n)
    Ks = rbf_covariance(log_params, xstar, x)
    L = np.linalg.cholesky(K)
    alpha = solve_triangular(L.T, solve_triangular(L, y, lower=True), lower=False)
    return np.dot(Ks, alpha)


def main(verbose=True):
    x, y = make_data()
    objective = make_objective(x, y)
    start = onp.array([0.0, 0.0, -1.0])
    value_and_grad = autograd.value_and_grad(objective)
    initial = float(objective(start))
    result = minimize(value_and_grad, start, jac=True, method="L-BFGS-B")
    final = float(result.fun)
    xstar = np.linspace(-2.5, 2.5, 6)
    rmse = float(np.sqrt(np.mean((predict(result.x, x, y, xstar) - np.sin(1.5 * xstar)) ** 2)))
    if verbose:
        print(f"negative log marginal likelihood: {initial:.4f} -> {final:.4f} ({result.nit} L-BFGS steps)")
        print("fitted signal variance, length scale, noise variance:",
              onp.round(onp.exp(result.x), 4))
        print(f"posterior-mean RMSE against sin(1.5x) at 6 test points: {rmse:.4f}")
    return {"initial": initial, "final": final, "params": result.x, "rmse": rmse,
            "objective": objective, "start": start}


if __name__ == "__main__":
    main()
