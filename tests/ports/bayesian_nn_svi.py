"""Black-box variational inference for a Bayesian neural net (autograd's black_box_svi and
bayesian_neural_net style): reparameterised samples, einsum over weight samples, adam.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.numpy as np
import chainrule.numpy.random as npr
import chainrule.scipy.stats.multivariate_normal as mvn
import chainrule.scipy.stats.norm as norm
from chainrule import grad
from chainrule.autograd.misc.optimizers import adam

def black_box_variational_inference(logprob, D, num_samples):
    """Implements http://arxiv.org/abs/1401.0118, and uses the
    local reparameterization trick from http://arxiv.org/abs/1506.02557"""
    def unpack_params(params):
        mean, log_std = params[:D], params[D:]
        return mean, log_std
    def gaussian_entropy(log_std):
        return 0.5 * D * (1.0 + np.log(2*np.pi)) + np.sum(log_std)
    rs = npr.RandomState(0)
    def variational_objective(params, t):
        """Provides a stochastic estimate of the variational lower bound."""
        mean, log_std = unpack_params(params)
        samples = rs.randn(num_samples, D) * np.exp(log_std) + mean
        lower_bound = gaussian_entropy(log_std) + np.mean(logprob(samples, t))
        return -lower_bound
    gradient = grad(variational_objective)
    return variational_objective, gradient, unpack_params

def make_nn_funs(layer_sizes, L2_reg, noise_variance, nonlinearity=np.tanh):
    shapes = list(zip(layer_sizes[:-1], layer_sizes[1:]))
    num_weights = sum((m+1)*n for m, n in shapes)
    def unpack_layers(weights):
        num_weight_sets = len(weights)
        for m, n in shapes:
            yield weights[:, :m*n]     .reshape((num_weight_sets, m, n)),\
                  weights[:, m*n:m*n+n].reshape((num_weight_sets, 1, n))
            weights = weights[:, (m+1)*n:]
    def predictions(weights, inputs):
        """weights is shape (num_weight_samples x num_weights)
           inputs  is shape (num_datapoints x D)"""
        inputs = np.expand_dims(inputs, 0)
        for W, b in unpack_layers(weights):
            outputs = np.einsum('mnd,mdo->mno', inputs, W) + b
            inputs = nonlinearity(outputs)
        return outputs
    def logprob(weights, inputs, targets):
        log_prior = -L2_reg * np.sum(weights**2, axis=1)
        preds = predictions(weights, inputs)
        log_lik = -np.sum((preds - targets)**2, axis=1)[:, 0] / noise_variance
        return log_prior + log_lik
    return num_weights, predictions, logprob

def build_toy_dataset(n_data=40, noise_std=0.1):
    D = 1
    rs = npr.RandomState(0)
    inputs  = np.concatenate([np.linspace(0, 2, num=n_data//2),
                              np.linspace(6, 8, num=n_data//2)])
    targets = np.cos(inputs) + rs.randn(n_data) * noise_std
    inputs = (inputs - 4.0) / 4.0
    inputs  = inputs.reshape((len(inputs), D))
    targets = targets.reshape((len(targets), D))
    return inputs, targets

def main():
    rbf = lambda x: np.exp(-x**2)
    num_weights, predictions, logprob = \
        make_nn_funs(layer_sizes=[1, 10, 10, 1], L2_reg=0.1,
                     noise_variance=0.01, nonlinearity=rbf)
    inputs, targets = build_toy_dataset()
    log_posterior = lambda weights, t: logprob(weights, inputs, targets)
    objective, gradient, unpack_params = \
        black_box_variational_inference(log_posterior, num_weights, num_samples=20)
    rs = npr.RandomState(0)
    init_mean    = rs.randn(num_weights)
    init_log_std = -5 * np.ones(num_weights)
    init_var_params = np.concatenate([init_mean, init_log_std])
    g0 = gradient(init_var_params, 0)
    variational_params = adam(gradient, init_var_params, step_size=0.1, num_iters=50)
    # a density check of the stats modules too
    mean, log_std = unpack_params(variational_params)
    lp = mvn.logpdf(mean[:3], np.zeros(3), np.diag(np.exp(2 * log_std[:3]))) - \
        np.sum(norm.logpdf(mean[:3], 0.0, np.exp(log_std[:3])))
    print("bnn", objective(init_var_params, 0), lp)
    return [g0, variational_params, lp]
