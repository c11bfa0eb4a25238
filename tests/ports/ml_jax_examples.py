"""Three of JAX's early example programs (google/jax examples/, Apache-2.0 licence) moved to
chainrule's own API by their import lines: gaussian_process_regression.py (a covariance
matrix by nested ``vmap`` of a pairwise kernel, softplus by np.logaddexp(x, 0.), Cholesky and
solve_triangular from jax.scipy.linalg, a dict of (1, 1) parameters trained with grad and an
RMSProp-momentum step), kernel_lsq.py (a Gram matrix by nested vmap, kernel least squares by
grad and momentum, predictions by vmap) and advi.py (a Monte Carlo ELBO vmapped over samples,
``vmap(norm.logpdf)``, the funnel density). ``jax.random`` keys become NumPy draws passed in
(chainrule traces NumPy values; it has no key-splitting PRNG), and jax.experimental.minmax's
momentum optimiser is written out (advi's step is halved, see advi_main).

Written in the style of the public programs it names (not a copy); only the import lines are
chainrule's."""
from functools import partial

import numpy.random as npr

import chainrule.numpy as np
from chainrule import grad, jit, vmap
import chainrule.scipy as scipy
import chainrule.scipy.stats.norm as norm


# ---- gaussian_process_regression.py
def cov_map(cov_func, xs, xs2=None):
    if xs2 is None:
        return vmap(lambda x: vmap(lambda y: cov_func(x, y))(xs))(xs)
    return vmap(lambda x: vmap(lambda y: cov_func(x, y))(xs))(xs2).T


def softplus(x):
    return np.logaddexp(x, 0.)


def exp_quadratic(x1, x2):
    return np.exp(-np.sum((x1 - x2) ** 2))


def gp(params, x, y, xtest=None, compute_marginal_likelihood=False):
    numpts = x.shape[0]
    eye = np.eye(numpts)
    noise = softplus(params['noise'])
    amp = softplus(params['amplitude'])
    ls = softplus(params['lengthscale'])
    ymean = np.mean(y)
    y = y - ymean
    x = x / ls
    train_cov = amp * cov_map(exp_quadratic, x) + eye * (noise + 1e-6)
    chol = scipy.linalg.cholesky(train_cov, lower=True)
    kinvy = scipy.linalg.solve_triangular(chol.T, scipy.linalg.solve_triangular(chol, y, lower=True))
    if compute_marginal_likelihood:
        log2pi = np.log(2. * 3.1415)
        ml = np.sum(-0.5 * np.dot(y.T, kinvy) - np.sum(np.log(np.diag(chol))) -
                    (numpts / 2.) * log2pi)
        ml -= np.sum(-0.5 * np.log(2 * 3.1415) - np.log(amp) ** 2)
        return -ml
    if xtest is not None:
        xtest = xtest / ls
    cross_cov = amp * cov_map(exp_quadratic, x, xtest)
    mu = np.dot(cross_cov.T, kinvy) + ymean
    v = scipy.linalg.solve_triangular(chol, cross_cov, lower=True)
    var = (amp * cov_map(exp_quadratic, xtest) - np.dot(v.T, v))
    return mu, var


def gp_main(steps=60, lr=0.01):
    rs = npr.RandomState(0)
    numpts = 7
    marginal_likelihood = partial(gp, compute_marginal_likelihood=True)
    predict = partial(gp, compute_marginal_likelihood=False)
    grad_fun = jit(grad(marginal_likelihood))
    params = {"amplitude": np.zeros((1, 1)), "noise": np.zeros((1, 1)) - 5.,
              "lengthscale": np.zeros((1, 1))}
    momentums = dict([(k, p * 0.) for k, p in params.items()])
    scales = dict([(k, p * 0. + 1.) for k, p in params.items()])
    x = (rs.uniform(size=(numpts, 1)) * 4.) + 1
    y = np.sin(x) + 0.1 * rs.normal(size=(numpts, 1))
    first = marginal_likelihood(params, x, y)
    for i in range(steps):
        grads = grad_fun(params, x, y)
        for k in params:
            momentums[k] = 0.9 * momentums[k] + 0.1 * grads[k][0]
            scales[k] = 0.9 * scales[k] + 0.1 * grads[k][0] ** 2
            params[k] -= lr * momentums[k] / np.sqrt(scales[k] + 1e-5)
    xtest = np.linspace(0, 6., 20)[:, None]
    mu, var = predict(params, x, y, xtest)
    return x, y, params, first, marginal_likelihood(params, x, y), mu, var


# ---- kernel_lsq.py
def gram(kernel, xs):
    return vmap(lambda x: vmap(lambda y: kernel(x, y))(xs))(xs)


def momentum_minimize(f, x, num_steps=300, step_size=1e-3, mass=0.9):
    velocity = np.zeros_like(x)
    g = jit(grad(f))
    for i in range(num_steps):
        velocity = mass * velocity - g(x)
        x = x + step_size * velocity
    return x


def train(kernel, xs, ys, regularization=0.01):
    gram_mat = jit(partial(gram, kernel))(xs)
    n = xs.shape[0]

    def objective(v):
        risk = .5 * np.sum((np.dot(gram_mat, v) - ys) ** 2.0)
        reg = regularization * np.sum(v ** 2.0)
        return risk + reg

    v = momentum_minimize(objective, np.zeros(n))

    def predict(x):
        prods = vmap(lambda x_: kernel(x, x_))(xs)
        return np.sum(v * prods)

    return jit(vmap(predict)), objective, v


def kernel_lsq_main(n=30, d=5):
    rs = npr.RandomState(1)
    kernel = lambda x, y: np.dot(x, y)
    truth = rs.randn(d)
    xs = rs.randn(n, d)
    ys = np.dot(xs, truth)
    predict, objective, v = train(kernel, xs, ys)
    return xs, ys, predict, objective, v


# ---- advi.py
def diag_gaussian_sample(eps, mean, log_std):
    return mean + np.exp(log_std) * eps


def diag_gaussian_logpdf(x, mean, log_std):
    return np.sum(vmap(norm.logpdf)(x, mean, np.exp(log_std)))


def elbo(logprob, eps, params):
    mean, log_std = params
    sample = diag_gaussian_sample(eps, mean, log_std)
    return logprob(sample) - diag_gaussian_logpdf(sample, mean, log_std)


def batch_elbo(logprob, eps, params):
    vectorized_elbo = vmap(partial(elbo, logprob), in_axes=(0, None))
    return np.mean(vectorized_elbo(eps, params))


def funnel_log_density(params):
    return norm.logpdf(params[0], 0, np.exp(params[1])) + norm.logpdf(params[1], 0, 1.35)


def advi_main(num_samples=40, steps=60, step_size=0.05):
    # step 0.05: the original's 0.1 diverges on the funnel after about 50 steps with these
    # draws (the same trajectory under any exact gradient)
    D = 2
    objective = lambda params, eps: -batch_elbo(funnel_log_density, eps, params)
    params = (np.zeros(D), np.zeros(D))
    velocity = (np.zeros(D), np.zeros(D))
    draws = [npr.RandomState(t).randn(num_samples, D) for t in range(steps)]
    g = jit(grad(objective))
    for t in range(steps):
        gradient = g(params, draws[t])
        velocity = tuple(0.9 * v - gr for v, gr in zip(velocity, gradient))
        params = tuple(p + step_size * v for p, v in zip(params, velocity))
    return objective, params, draws
