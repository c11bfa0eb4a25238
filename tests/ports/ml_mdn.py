"""A mixture density network (Bishop 1994) in NumPy, on the toy inverse-sine problem of
hardmaru's "Mixture Density Networks with TensorFlow" tutorial (otoro.net, 2015), with the loss
as a public NumPy MDN loss writes it: the mixture weights by ``np.logaddexp.reduce(logits,
axis=-1, keepdims=True)``, σ from a log-variance, the Gaussian densities by broadcasting and
the negative log of their weighted sum; one tanh hidden layer; trained with
chainrule.autograd.misc.optimizers.adam.

Written in the style of the public programs it names (not a copy; no single program of this
kind was found written for autograd); only the import lines are chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd import grad
from chainrule.autograd.misc.optimizers import adam

K, HIDDEN = 3, 12


def mdn_loss(y_true, y_pred, num_mixtures=K):
    logits_pi = y_pred[:, :num_mixtures]
    mu = y_pred[:, num_mixtures:2 * num_mixtures]
    log_var = y_pred[:, 2 * num_mixtures:]
    pi = np.exp(logits_pi - np.logaddexp.reduce(logits_pi, axis=-1, keepdims=True))
    sigma = np.exp(0.5 * log_var)
    y_true = np.expand_dims(y_true, axis=-1)
    normal_dist = (1.0 / (sigma * np.sqrt(2.0 * np.pi))) * np.exp(-0.5 * ((y_true - mu) / sigma) ** 2)
    weighted = np.sum(pi * normal_dist, axis=-1)
    return -np.mean(np.log(weighted + 1e-12))


def init_params(rs):
    return {'W1': 0.5 * rs.randn(1, HIDDEN), 'b1': np.zeros(HIDDEN),
            'W2': 0.5 * rs.randn(HIDDEN, 3 * K), 'b2': np.zeros(3 * K)}


def network(params, x):
    h = np.tanh(np.dot(x, params['W1']) + params['b1'])
    return np.dot(h, params['W2']) + params['b2']


def main(num_iters=150):
    rs = np.random.RandomState(0)
    y_data = rs.uniform(-10.5, 10.5, 200)
    x_data = (np.sin(0.75 * y_data) * 7.0 + y_data * 0.5 + rs.randn(200) * 1.0)[:, None] / 10.0
    objective = lambda params, i: mdn_loss(y_data / 10.0, network(params, x_data))
    params0 = init_params(rs)
    params = adam(grad(objective), params0, step_size=0.05, num_iters=num_iters)
    print(objective(params0, 0), objective(params, 0))
    return objective, params0, params, x_data, y_data
