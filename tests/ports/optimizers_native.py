"""Hand-written stochastic optimisers and meta-optimisation (autograd's optimizers.py /
3_optimizers.py style: "you could take gradients of these functions too"): sgd with
momentum, rmsprop and adam written with in-place updates (x += ..., x -= ...), a logistic
regression trained with each, and the gradient of the trained loss with respect to the step
size, the momentum and the initial weights, through the user's loops and through
chainrule.autograd.misc.optimizers; on chainrule's own API (chainrule.numpy, chainrule.grad).

Written in the style of the public programs it names (not a copy); only the import lines are
chainrule's."""
import chainrule.numpy as np
import chainrule.numpy.random as npr
from chainrule import grad
from chainrule.autograd.misc import optimizers

def sgd(grad, x, callback=None, num_iters=200, step_size=0.1, mass=0.9):
    """Stochastic gradient descent with momentum; grad(x, i)."""
    velocity = np.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        velocity = mass * velocity - (1.0 - mass) * g
        x += step_size * velocity
    return x

def rmsprop(grad, x, callback=None, num_iters=100, step_size=0.1, gamma=0.9, eps=10**-8):
    avg_sq_grad = np.ones(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        avg_sq_grad = avg_sq_grad * gamma + g**2 * (1 - gamma)
        x -= step_size * g / (np.sqrt(avg_sq_grad) + eps)
    return x

def adam(grad, x, callback=None, num_iters=100, step_size=0.1, b1=0.1, b2=0.01, eps=10**-4,
         lam=10**-4):
    """The first paper's adam (decaying b1)."""
    m = np.zeros(len(x))
    v = np.zeros(len(x))
    for i in range(num_iters):
        b1t = 1 - (1 - b1) * lam**i
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        m = b1t * g + (1 - b1t) * m
        v = b2 * (g**2) + (1 - b2) * v
        mhat = m / (1 - (1 - b1)**(i + 1))
        vhat = v / (1 - (1 - b2)**(i + 1))
        x -= step_size * mhat / (np.sqrt(vhat) + eps)
    return x

rs = npr.RandomState(0)
inputs = rs.randn(30, 3)
targets = (inputs @ np.array([1.5, -2.0, 0.5]) + 0.3 * rs.randn(30) > 0).astype(float)

def training_loss(weights):
    logits = np.dot(inputs, weights)
    return np.sum(np.logaddexp(0, logits) - targets * logits) / len(targets)

def training_grad(weights, i):
    return grad(training_loss)(weights)

def train_with(optimizer, init, **kwargs):
    # a copy: x += ... writes into a plain NumPy starting point, as in NumPy
    return training_loss(optimizer(training_grad, np.array(init, dtype=float), **kwargs))

def main():
    w0 = np.zeros(3)
    trained = {name: train_with(opt, w0, num_iters=40) for name, opt in
               [("sgd", sgd), ("rmsprop", rmsprop), ("adam", adam),
                ("misc sgd", optimizers.sgd), ("misc rmsprop", optimizers.rmsprop),
                ("misc adam", optimizers.adam)]}
    # meta-optimisation: d(trained loss)/d(hyperparameters) through the library's loops
    # (x = x - ...), and d/d(initial weights) through the loops above (x is traced from the
    # start there, so x += ... rebinds it)
    hyper = {
        "d/d step (misc sgd)": grad(lambda s: train_with(optimizers.sgd, w0, num_iters=20, step_size=s))(0.5),
        "d/d mass (misc sgd)": grad(lambda m: train_with(optimizers.sgd, w0, num_iters=20, mass=m))(0.5),
        "d/d step (misc rmsprop)": grad(lambda s: train_with(optimizers.rmsprop, w0, num_iters=10, step_size=s))(0.05),
        "d/d step (misc adam)": grad(lambda s: train_with(optimizers.adam, w0, num_iters=10, step_size=s))(0.05),
        "d/d w0 (sgd)": grad(lambda w: training_loss(sgd(training_grad, w, num_iters=10)))(np.ones(3)),
        "d/d w0 (rmsprop)": grad(lambda w: training_loss(rmsprop(training_grad, w, num_iters=10)))(np.ones(3)),
        "d/d w0 (adam)": grad(lambda w: training_loss(adam(training_grad, w, num_iters=10)))(np.ones(3)),
        "d/d w0 (misc sgd)": grad(lambda w: training_loss(optimizers.sgd(training_grad, w, num_iters=10)))(np.ones(3)),
    }
    print("optimizers", training_loss(w0), trained, hyper)
    return trained, hyper

if __name__ == "__main__":
    main()
