"""Second-order programs (autograd's minimize_nonlinear_constraint and kfac_pre style):
scipy.optimize.minimize(method="trust-constr") with jac=jacobian, hessp=hessian_vector_product
and a NonlinearConstraint whose Hessian is a linear combination of Hessians; and K-FAC's
statistics for a small tanh network (grad_and_aux over extra zero biases, getval to sample
targets from the model, the exact Fisher from jacobian and hessian(logsumexp)), then
preconditioned gradient steps; through chainrule.autograd.

Written in the style of the public programs it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd as autograd
import chainrule.autograd.numpy as np
import chainrule.autograd.numpy.random as npr
from chainrule.autograd import grad_and_aux, value_and_grad, jacobian, hessian
from chainrule.autograd.extend import getval
from chainrule.autograd.misc import flatten
from chainrule.autograd.scipy.special import logsumexp
from scipy import optimize

def linear_combination_of_hessians(fun, argnum=0):
    """(x, v) -> sum_i v_i * Hessian of fun_i at x, as trust-constr's constraint hess wants."""
    functionhessian = hessian(fun, argnum)
    def combination(*args):
        args, v = args[:-1], args[-1]
        return np.tensordot(v, functionhessian(*args), axes=1)
    return combination

def function(x):
    return x[0]**2 + x[1]**2

def constraint_fun(x):
    return np.array([x[0]**2 - (x[1] - 1)**2])

def constrained_minimum(useconstraint=True):
    functionjacobian = autograd.jacobian(function)
    functionhvp = autograd.hessian_vector_product(function)
    constraint = optimize.NonlinearConstraint(constraint_fun, 2, np.inf,
                                              autograd.jacobian(constraint_fun),
                                              linear_combination_of_hessians(constraint_fun))
    bounds = optimize.Bounds([-np.inf, -np.inf], [np.inf, np.inf])
    result = optimize.minimize(function, [1, 2], method='trust-constr', jac=functionjacobian,
                               hessp=functionhvp,
                               constraints=[constraint] if useconstraint else [], bounds=bounds)
    print("trust-constr", result.x, result.fun)
    return result

# ---- K-FAC ----

def mlp(params, inputs):
    for W, b in params:
        outputs = np.dot(inputs, W) + b
        inputs = np.tanh(outputs)
    return outputs

def log_softmax(inputs):
    return inputs - logsumexp(inputs, axis=1, keepdims=True)

def log_likelihood(params, inputs, targets):
    return np.sum(log_softmax(mlp(params, inputs)) * targets)

def init_random_params(scale, layer_sizes, rs):
    return [(scale * rs.randn(m, n), scale * rs.randn(n))
            for m, n in zip(layer_sizes[:-1], layer_sizes[1:])]

def sample_discrete_from_log(logprobs, rs):
    """One-hot samples from each row's distribution."""
    probs = np.exp(logprobs)
    cumvals = np.cumsum(probs, axis=1)
    indices = np.sum(rs.rand(logprobs.shape[0], 1) > cumvals, axis=1)
    return np.eye(logprobs.shape[1])[indices]

def neural_net_predict_and_activations(extra_biases, params, inputs):
    all_activations = [inputs]
    for (W, b), extra_bias in zip(params, extra_biases):
        s = np.dot(all_activations[-1], W) + b + extra_bias
        all_activations.append(np.tanh(s))
    logprobs = s - logsumexp(s, axis=1, keepdims=True)
    return logprobs, all_activations[:-1]

def model_predictive_log_likelihood(extra_biases, params, inputs, rs):
    logprobs, activations = neural_net_predict_and_activations(extra_biases, params, inputs)
    model_sampled_targets = sample_discrete_from_log(getval(logprobs), rs)
    return np.sum(logprobs * model_sampled_targets), activations

def collect_activations_and_grad_samples(params, inputs, rs):
    extra_biases = [np.zeros((inputs.shape[0], b.shape[0])) for W, b in params]
    g_samples, a_samples = grad_and_aux(model_predictive_log_likelihood)(extra_biases, params,
                                                                          inputs, rs)
    return a_samples, g_samples

append_homog_coord = lambda x: np.hstack((x, np.ones((x.shape[0], 1))))

def kronecker_factors(a_samples, g_samples):
    n = a_samples[0].shape[0]
    As = [np.dot(append_homog_coord(a).T, append_homog_coord(a)) / n for a in a_samples]
    Gs = [np.dot(g.T, g) / n for g in g_samples]
    return As, Gs

def apply_preconditioner(As, Gs, gradient, lmbda):
    inv = lambda X: np.linalg.inv(X + lmbda * np.eye(X.shape[0]))
    natgrad = []
    for A, G, (W_grad, b_grad) in zip(As, Gs, gradient):
        Wb_grad = np.vstack((W_grad, b_grad))
        Wb_natgrad = np.dot(inv(A), np.dot(Wb_grad, inv(G)))
        natgrad.append((Wb_natgrad[:-1], Wb_natgrad[-1]))
    return natgrad

def exact_fisher(num_layers, params, inputs):
    flat_params, unflatten = flatten(params[-num_layers:])
    flat_mlp = lambda flat_params, inputs: mlp(params[:-num_layers] + unflatten(flat_params), inputs)
    F = np.zeros(2 * (flat_params.shape[0],))
    for x, z in zip(inputs, mlp(params, inputs)):
        J_f = jacobian(flat_mlp)(flat_params, x)
        F_R = hessian(logsumexp)(z)
        F += np.dot(J_f.T, np.dot(F_R, J_f))
    return F / inputs.shape[0]

def make_data(rs, n=40):
    inputs = rs.randn(n, 4)
    labels = np.argmax(np.dot(inputs, rs.randn(4, 3)), axis=1)
    return inputs, np.eye(3)[labels]

def kfac(num_iters=15, step_size=0.3, lmbda=1.0):
    rs = npr.RandomState(0)
    inputs, targets = make_data(rs)
    params = init_random_params(0.5, [4, 5, 3], rs)
    objective = lambda params: -log_likelihood(params, inputs, targets) / len(inputs)
    objective_grad = value_and_grad(objective)
    losses = []
    for i in range(num_iters):
        val, gradient = objective_grad(params)
        losses.append(val)
        a_samples, g_samples = collect_activations_and_grad_samples(params, inputs, rs)
        As, Gs = kronecker_factors(a_samples, g_samples)
        natgrad = apply_preconditioner(As, Gs, gradient, lmbda)
        params = [(W - step_size * dW, b - step_size * db)
                  for (W, b), (dW, db) in zip(params, natgrad)]
    losses.append(objective(params))
    F = exact_fisher(1, params, inputs)
    print("K-FAC", losses[0], losses[-1], F.shape)
    return losses, params, F, inputs

def main():
    return [constrained_minimum(), kfac()]

if __name__ == "__main__":
    main()
