"""Black-box variational inference of a 2-D posterior, written the way HIPS autograd users write it.

The target is an unnormalised, correlated and slightly banana-shaped log density. The variational
family is a Gaussian with mean μ and a lower-triangular scale L (diagonal on the log scale); samples
are reparameterised, z = μ + L ε with ε from ``np.random`` under a fixed seed, and the entropy term
uses ``multivariate_normal.logpdf``. The ELBO is maximised with autograd's ``adam``.

    python examples/variational_inference.py
"""
import chainrule.autograd as autograd
import chainrule.autograd.numpy as np
import chainrule.autograd.numpy.random as npr
from chainrule.autograd.misc.optimizers import adam
from chainrule.autograd.scipy.stats import multivariate_normal as mvn
from chainrule.autograd.scipy.stats import norm

D = 2


def log_posterior(z):
    """log p(z) up to a constant; z has shape (S, 2)."""
    z1, z2 = z[:, 0], z[:, 1]
    return (norm.logpdf(z1, 1.0, 1.0)
            + norm.logpdf(z2, 0.5 * z1 + 0.2 * z1 ** 2, 0.5))


def unpack(params):
    mean = params[:D]
    log_diag = params[D:2 * D]
    off = params[2 * D]
    scale = np.diag(np.exp(log_diag)) + off * np.array([[0.0, 0.0], [1.0, 0.0]])
    return mean, scale


def make_elbo(num_samples=200, seed=0):
    """A Monte-Carlo ELBO whose noise is drawn afresh per iteration from a fixed seed."""

    def elbo(params, t=0):
        mean, scale = unpack(params)
        rs = npr.RandomState(seed + t)
        eps = rs.randn(num_samples, D)
        samples = mean + np.dot(eps, scale.T)                   # reparameterisation
        cov = np.dot(scale, scale.T)
        log_q = mvn.logpdf(samples, mean, cov)
        return np.mean(log_posterior(samples) - log_q)

    return elbo


def main(verbose=True, num_iters=300):
    elbo = make_elbo()
    objective = lambda params, t: -elbo(params, t)
    gradient = autograd.grad(objective)
    start = np.array([-1.0, 1.0, 0.0, 0.0, 0.0])
    trace = []

    def callback(params, t, g):
        if t % 50 == 0:
            trace.append(float(-objective(params, 0)))

    params = adam(gradient, start, callback=callback, num_iters=num_iters, step_size=0.05)
    initial, final = float(elbo(start, 0)), float(elbo(params, 0))
    mean, scale = unpack(params)
    if verbose:
        print(f"ELBO (fixed noise, seed 0): {initial:.4f} -> {final:.4f} after {num_iters} adam steps")
        print("every 50 steps:", [round(v, 3) for v in trace])
        print("variational mean:", np.round(mean, 3), " covariance:", np.round(np.dot(scale, scale.T), 3).tolist())
    return {"initial": initial, "final": final, "params": params, "elbo": elbo, "start": start,
            "mean": mean, "cov": np.dot(scale, scale.T)}


if __name__ == "__main__":
    main()
