"""Black-box stochastic variational inference three ways (autograd's black_box_svi,
natural_gradient_black_box_svi and mixture_variational_inference style): a diagonal
Gaussian fitted with adam, the same with a natural gradient and sgd, and a mixture of
Gaussians with logsumexp over its components; on chainrule's own API (chainrule.numpy,
chainrule.scipy, chainrule.grad; chainrule has no optimisers of its own, so adam and sgd are
chainrule.autograd.misc.optimizers').

Written in the style of the public programs it names (not a copy); only the import lines are
chainrule's."""
import chainrule.numpy as np
import chainrule.numpy.random as npr
import chainrule.scipy.stats.norm as norm
import chainrule.scipy.stats.multivariate_normal as mvn
from chainrule.scipy.special import logsumexp
from chainrule import grad
from chainrule.autograd.misc.optimizers import adam, sgd

def black_box_variational_inference(logprob, D, num_samples):
    def unpack_params(params):
        mean, log_std = params[:D], params[D:]
        return mean, log_std

    def gaussian_entropy(log_std):
        return 0.5 * D * (1.0 + np.log(2 * np.pi)) + np.sum(log_std)

    rs = npr.RandomState(0)
    def variational_objective(params, t):
        """A stochastic estimate of the negative variational lower bound."""
        mean, log_std = unpack_params(params)
        samples = rs.randn(num_samples, D) * np.exp(log_std) + mean
        lower_bound = gaussian_entropy(log_std) + np.mean(logprob(samples, t))
        return -lower_bound

    gradient = grad(variational_objective)
    return variational_objective, gradient, unpack_params

def log_posterior(x, t):
    """A Gaussian evaluated at zero with a Gaussian prior on the log-variance."""
    mu, log_sigma = x[:, 0], x[:, 1]
    prior = norm.logpdf(log_sigma, 0, 1.35)
    likelihood = norm.logpdf(mu, 0, np.exp(log_sigma))
    return prior + likelihood

def black_box_svi(num_iters=150):
    D = 2
    objective, gradient, unpack_params = black_box_variational_inference(log_posterior, D, num_samples=200)
    bounds = []
    def callback(params, t, g):
        bounds.append(-objective(params, t))
        mean, log_std = unpack_params(params)
        variational_density = mvn.pdf(np.zeros((1, 2)), mean, np.diag(np.exp(2 * log_std)))
    init_var_params = np.concatenate([-1 * np.ones(D), -5 * np.ones(D)])
    variational_params = adam(gradient, init_var_params, step_size=0.1, num_iters=num_iters,
                              callback=callback)
    print("BBSVI", bounds[0], bounds[-1])
    return variational_params, bounds

def natural_gradient_svi(obs_dim=5, num_iters=60):
    np.random.seed(42)
    Y = np.random.randn(obs_dim, obs_dim).dot(np.random.randn(obs_dim))

    def log_density(x, t):
        mu, log_sigma = x[:, :obs_dim], x[:, obs_dim:]
        sigma_density = np.sum(norm.logpdf(log_sigma, 0, 1.35), axis=1)
        mu_density = np.sum(norm.logpdf(Y, mu, np.exp(log_sigma)), axis=1)
        return sigma_density + mu_density

    D = obs_dim * 2
    objective, gradient, unpack_params = black_box_variational_inference(log_density, D, num_samples=100)

    def fisher_diag(lam):
        mu, log_sigma = unpack_params(lam)
        return np.concatenate([np.exp(-2.0 * log_sigma), np.ones(len(log_sigma)) * 2])

    natural_gradient = lambda lam, i: (1.0 / fisher_diag(lam)) * gradient(lam, i)

    def optimize_and_lls(optfun):
        elbos = []
        def callback(params, t, g):
            elbos.append(-objective(params, t))
        init_var_params = np.concatenate([-1 * np.ones(D), -5 * np.ones(D)])
        optfun(num_iters, init_var_params, callback)
        return np.array(elbos)

    step_size = 0.25
    standard_lls = optimize_and_lls(
        lambda n, init, cb: adam(gradient, init, step_size=step_size, num_iters=n, callback=cb))
    natural_lls = optimize_and_lls(
        lambda n, init, cb: sgd(natural_gradient, init, step_size=step_size, num_iters=n,
                                callback=cb, mass=0.001))
    print("natural gradient", standard_lls[-1], natural_lls[-1])
    return standard_lls, natural_lls, fisher_diag, unpack_params

def diag_gaussian_log_density(x, mu, log_std):
    return np.sum(norm.logpdf(x, mu, np.exp(log_std)), axis=-1)

def unpack_gaussian_params(params):
    D = np.shape(params)[0] // 2
    mean, log_std = params[:D], params[D:]
    return mean, log_std

def variational_log_density_gaussian(params, x):
    mean, log_std = unpack_gaussian_params(params)
    return diag_gaussian_log_density(x, mean, log_std)

def sample_diag_gaussian(params, num_samples, rs):
    mean, log_std = unpack_gaussian_params(params)
    D = np.shape(mean)[0]
    return rs.randn(num_samples, D) * np.exp(log_std) + mean

def init_gaussian_var_params(D, mean_mean=-1, log_std_mean=-5, scale=0.1, rs=npr.RandomState(0)):
    init_mean = mean_mean * np.ones(D) + rs.randn(D) * scale
    init_log_std = log_std_mean * np.ones(D) + rs.randn(D) * scale
    return np.concatenate([init_mean, init_log_std])

def log_normalize(x):
    return x - logsumexp(x)

def build_mog_bbsvi(logprob, num_samples, k=10, rs=npr.RandomState(0)):
    def unpack_mixture_params(mixture_params):
        log_weights = log_normalize(mixture_params[:k])
        var_params = np.reshape(mixture_params[k:], (k, -1))
        return log_weights, var_params

    def init_var_params(D, rs=npr.RandomState(0), **kwargs):
        log_weights = np.ones(k)
        component_weights = [init_gaussian_var_params(D, rs=rs, **kwargs) for i in range(k)]
        return np.concatenate([log_weights] + component_weights)

    def sample(var_mixture_params, num_samples, rs):
        log_weights, var_params = unpack_mixture_params(var_mixture_params)
        samples = np.concatenate([sample_diag_gaussian(params_k, num_samples, rs)[:, np.newaxis, :]
                                  for params_k in var_params], axis=1)
        ixs = np.random.choice(k, size=num_samples, p=np.exp(log_weights))
        return np.array([samples[i, ix, :] for i, ix in enumerate(ixs)])

    def mixture_log_density(var_mixture_params, x):
        log_weights, var_params = unpack_mixture_params(var_mixture_params)
        component_log_densities = np.vstack([variational_log_density_gaussian(params_k, x)
                                             for params_k in var_params]).T
        return logsumexp(component_log_densities + log_weights, axis=1, keepdims=False)

    def mixture_elbo(var_mixture_params, t):
        # sample the continuous component parameters; integrate over the discrete choice
        def mixture_lower_bound(params):
            samples = sample_diag_gaussian(params, num_samples, rs)
            log_qs = mixture_log_density(var_mixture_params, samples)
            log_ps = logprob(samples, t)
            log_ps = np.reshape(log_ps, (num_samples, -1))
            log_qs = np.reshape(log_qs, (num_samples, -1))
            return np.mean(log_ps - log_qs)

        log_weights, var_params = unpack_mixture_params(var_mixture_params)
        component_elbos = np.stack([mixture_lower_bound(params_k) for params_k in var_params])
        return np.sum(component_elbos * np.exp(log_weights))

    return init_var_params, mixture_elbo, mixture_log_density, sample

def bimodal_log_density(x, t):
    mu, log_sigma = x[:, 0], x[:, 1]
    sigma_density = norm.logpdf(log_sigma, 0, 1.35)
    mu_density = norm.logpdf(mu, -0.5, np.exp(log_sigma))
    sigma_density2 = norm.logpdf(log_sigma, 0.1, 1.35)
    mu_density2 = norm.logpdf(mu, 0.5, np.exp(log_sigma))
    return np.logaddexp(sigma_density + mu_density, sigma_density2 + mu_density2)

def mixture_vi(num_iters=60, k=3):
    init_var_params, elbo, variational_log_density, variational_sampler = \
        build_mog_bbsvi(bimodal_log_density, num_samples=20, k=k)
    objective = lambda params, t: -elbo(params, t)
    bounds = []
    def callback(params, t, g):
        bounds.append(elbo(params, t))
    variational_params = adam(grad(objective), init_var_params(2), step_size=0.1,
                              num_iters=num_iters, callback=callback)
    samples = variational_sampler(variational_params, 7, npr.RandomState(0))
    print("mixture VI", bounds[0], bounds[-1])
    return variational_params, bounds, samples, build_mog_bbsvi

def main():
    return [black_box_svi(), natural_gradient_svi(), mixture_vi()]

if __name__ == "__main__":
    main()
