"""An ODE net integrated by Euler steps and trained by adam; Fisher scoring (natural gradient) for
a logistic model; Newton's square root through autograd's fixed_point.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.numpy as np
import chainrule.numpy.random as npr
from chainrule import grad, jacobian, hvp, value_and_grad
from chainrule.autograd.misc.optimizers import adam
from chainrule.autograd.misc.fixed_points import fixed_point

# --- an ODE net integrated by explicit Euler steps (ode_net style, no odeint) ---
def init_nn_params(scale, layer_sizes, rs=npr.RandomState(0)):
    return [(rs.randn(insize, outsize) * scale, rs.randn(outsize) * scale)
            for insize, outsize in zip(layer_sizes[:-1], layer_sizes[1:])]

def nn_predict(params, inputs, nonlinearity=np.tanh):
    for W, b in params:
        outputs = np.dot(inputs, W) + b
        inputs = nonlinearity(outputs)
    return outputs

def euler(dynamics, y0, t, params):
    ys = [y0]
    for t0, t1 in zip(t[:-1], t[1:]):
        ys.append(ys[-1] + (t1 - t0) * dynamics(ys[-1], t0, params))
    return np.stack(ys)

def func(y, t, params):
    return nn_predict(params, np.concatenate([y, np.atleast_1d(t)]))

# --- natural gradient for a Bernoulli logistic model ---
def logistic_nll(w, X, y):
    z = np.dot(X, w)
    return np.sum(np.logaddexp(0, z) - y * z)

def fisher(w, X):
    p = 1 / (1 + np.exp(-np.dot(X, w)))
    return np.dot(X.T * (p * (1 - p)), X)

# --- square root by Newton's fixed point, differentiated implicitly ---
def newton_sqrt_iter(a):
    return lambda x: 0.5 * (x + a / x)

def main():
    t = np.linspace(0., 1., 21)
    true_y0 = np.array([1., 0.])
    A = np.array([[-0.1, 2.0], [-2.0, -0.1]])
    true_ys = euler(lambda y, t, p: np.dot(y ** 3, A), true_y0, t, None)
    init_params = init_nn_params(0.1, layer_sizes=[3, 20, 2])
    def train_loss(params, iter):
        pred = euler(func, true_y0, t, params)
        return np.sum((pred - true_ys) ** 2)
    g_ode = grad(train_loss)(init_params, 0)
    trained = adam(grad(train_loss), init_params, num_iters=30, step_size=0.01)
    rs = npr.RandomState(1)
    X = rs.randn(50, 3); y = (rs.rand(50) < 0.5).astype(float)
    w = np.zeros(3)
    for i in range(5):
        g = grad(logistic_nll)(w, X, y)
        w = w - np.linalg.solve(fisher(w, X) + 1e-8 * np.eye(3), g)   # Fisher scoring step
    H = jacobian(grad(logistic_nll))(w, X, y)
    Hv = hvp(lambda w: logistic_nll(w, X, y), (w,), (np.ones(3),))[0]
    sqrt_grad = grad(lambda a: fixed_point(newton_sqrt_iter, a, 1.0,
                                          lambda x, y: np.abs(x - y), 1e-12))(2.0)
    print("ode", train_loss(init_params, 0), train_loss(trained, 0), sqrt_grad, 0.5 / np.sqrt(2.0))
    return [g_ode, w, H, Hv, fisher(w, X), sqrt_grad]
