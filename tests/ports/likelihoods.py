"""Maximum likelihood two ways (autograd's negative_binomial_maxlike and ica style): a negative
binomial fitted by scipy.optimize.newton with fprime=grad(f) and fprime2=grad(grad(f)) of a
function that is itself a gradient (gammaln), and independent component analysis with a
Student-t likelihood (scipy.stats.t.logpdf with df, loc, scale) fitted by CG; through
chainrule.autograd.

Written in the style of the public programs it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
import chainrule.autograd.numpy.random as npr
from chainrule.autograd.scipy.special import gammaln
import chainrule.autograd.scipy.stats.t as t
from chainrule.autograd import grad, value_and_grad
import scipy.optimize
from scipy.optimize import minimize

def newton(f, x0):
    return scipy.optimize.newton(f, x0, fprime=grad(f), fprime2=grad(grad(f)))

def negbin_loglike(r, p, x):
    return gammaln(r + x) - gammaln(r) - gammaln(x + 1) + x * np.log(p) + r * np.log(1 - p)

def negbin_sample(r, p, size):
    # a negative binomial is a gamma-compound-Poisson
    return npr.poisson(npr.gamma(r, p / (1 - p), size=size))

def fit_maxlike(x, r_guess):
    assert np.var(x) > np.mean(x), "Likelihood-maximizing parameters don't exist!"
    loglike = lambda r, p: np.sum(negbin_loglike(r, p, x))
    p = lambda r: np.sum(x) / np.sum(r + x)
    rprime = lambda r: grad(loglike)(r, p(r))
    r = newton(rprime, r_guess)
    return r, p(r)

def negative_binomial(size=300):
    npr.seed(0)
    data = negbin_sample(r=5, p=0.5, size=size)
    r, p = fit_maxlike(data, r_guess=1)
    stationary = grad(lambda rp: np.sum(negbin_loglike(rp[0], rp[1], data)))((r, p))
    print("negative binomial", r, p, stationary)
    return data, r, p, stationary, fit_maxlike

def make_ica_funs(observed_dimension, latent_dimension):
    """Latents i.i.d. Student-t; data = weights · latents + noise."""
    def sample(weights, n_samples, noise_std, rs):
        latents = rs.randn(latent_dimension, n_samples)
        latents = np.array(sorted(latents.T, key=lambda a_entry: a_entry[0])).T
        noise = rs.randn(n_samples, observed_dimension) * noise_std
        observed = predict(weights, latents) + noise
        return latents, observed

    def predict(weights, latents):
        return np.dot(weights, latents).T

    def logprob(weights, latents, noise_std, observed):
        preds = predict(weights, latents)
        return np.sum(t.logpdf(preds, 2.4, observed, noise_std))

    num_weights = observed_dimension * latent_dimension

    def unpack_weights(weights):
        return np.reshape(weights, (observed_dimension, latent_dimension))

    return num_weights, sample, logprob, unpack_weights

def ica(observed_dimension=12, latent_dimension=2, n_samples=30):
    num_weights, sample, logprob, unpack_weights = make_ica_funs(observed_dimension, latent_dimension)
    num_latent_params = latent_dimension * n_samples
    total_num_params = num_weights + num_latent_params + 1

    def unpack_params(params):
        weights = unpack_weights(params[:num_weights])
        latents = np.reshape(params[num_weights:num_weights + num_latent_params],
                             (latent_dimension, n_samples))
        noise_std = np.exp(params[-1])
        return weights, latents, noise_std

    rs = npr.RandomState(0)
    true_weights = np.zeros((observed_dimension, latent_dimension))
    for i in range(latent_dimension):
        true_weights[:, i] = np.sin(np.linspace(0, 4 + i * 3.2, observed_dimension))
    true_latents, data = sample(true_weights, n_samples, 1.0, rs)

    def objective(params):
        weight_matrix, latents, noise_std = unpack_params(params)
        return -logprob(weight_matrix, latents, noise_std, data) / n_samples

    lls = []
    init_params = npr.RandomState(0).randn(total_num_params)
    result = minimize(value_and_grad(objective), init_params, jac=True, method="CG",
                      callback=lambda params: lls.append(-objective(params)),
                      options={"maxiter": 50})
    print("ICA", objective(init_params), result.fun)
    return objective, init_params, result, unpack_params, data

def main():
    return [negative_binomial(), ica()]

if __name__ == "__main__":
    main()
