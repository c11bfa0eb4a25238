"""A tanh MLP classifier with minibatch adam (autograd's examples/neural_net.py style), on
synthetic clustered data instead of MNIST; through chainrule.autograd.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
import chainrule.autograd.numpy.random as npr
from chainrule.autograd import grad
from chainrule.autograd.scipy.special import logsumexp
from chainrule.autograd.misc.optimizers import adam
from chainrule.autograd.misc.flatten import flatten

def init_random_params(scale, layer_sizes, rs=npr.RandomState(0)):
    return [(scale * rs.randn(m, n), scale * rs.randn(n))
            for m, n in zip(layer_sizes[:-1], layer_sizes[1:])]

def neural_net_predict(params, inputs):
    for W, b in params:
        outputs = np.dot(inputs, W) + b
        inputs = np.tanh(outputs)
    return outputs - logsumexp(outputs, axis=1, keepdims=True)

def l2_norm(params):
    flattened, _ = flatten(params)
    return np.dot(flattened, flattened)

def log_posterior(params, inputs, targets, L2_reg):
    log_prior = -L2_reg * l2_norm(params)
    log_lik = np.sum(neural_net_predict(params, inputs) * targets)
    return log_prior + log_lik

def accuracy(params, inputs, targets):
    target_class = np.argmax(targets, axis=1)
    predicted_class = np.argmax(neural_net_predict(params, inputs), axis=1)
    return np.mean(predicted_class == target_class)

def main():
    rs = npr.RandomState(1)
    N, D, C = 200, 10, 4
    centers = rs.randn(C, D) * 2
    labels = rs.randint(C, size=N)
    train_images = centers[labels] + rs.randn(N, D)
    train_labels = np.eye(C)[labels]
    layer_sizes = [D, 16, 16, C]
    L2_reg = 1.0
    param_scale = 0.1
    batch_size = 32
    num_epochs = 5
    step_size = 0.01
    init_params = init_random_params(param_scale, layer_sizes, rs=npr.RandomState(0))
    num_batches = int(np.ceil(len(train_images) / batch_size))
    def batch_indices(iter):
        idx = iter % num_batches
        return slice(idx * batch_size, (idx+1) * batch_size)
    def objective(params, iter):
        idx = batch_indices(iter)
        return -log_posterior(params, train_images[idx], train_labels[idx], L2_reg)
    objective_grad = grad(objective)
    g0 = objective_grad(init_params, 0)
    def print_perf(params, iter, gradient):
        if iter % num_batches == 0:
            train_acc = accuracy(params, train_images, train_labels)
            print("{:15}|{:20}".format(iter//num_batches, train_acc))
    optimized_params = adam(objective_grad, init_params, step_size=step_size,
                            num_iters=num_epochs * num_batches, callback=print_perf)
    return [g0, optimized_params]
