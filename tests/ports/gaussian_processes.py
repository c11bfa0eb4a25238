"""Gaussian-process regression, a two-layer deep GP, a GP latent-variable model and Bayesian
optimisation (autograd's gaussian_process, deep_gaussian_process, gplvm and
bayesian_optimization style): solve, multivariate_normal.logpdf, value_and_grad with
scipy.optimize.minimize(jac=True, method="CG" / "L-BFGS-B" with bounds); through
chainrule.autograd.

Written in the style of the public programs it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
import chainrule.autograd.numpy.random as npr
from chainrule.autograd.numpy.linalg import solve
import chainrule.autograd.scipy.stats.multivariate_normal as mvn
from chainrule.autograd.scipy.stats import norm
from chainrule.autograd import value_and_grad
from scipy.optimize import minimize

def make_gp_funs(cov_func, num_cov_params):
    """GP regression; cov_func(cov_params, x, x')."""
    def unpack_kernel_params(params):
        mean = params[0]
        cov_params = params[2:]
        noise_scale = np.exp(params[1]) + 0.0001
        return mean, cov_params, noise_scale

    def predict(params, x, y, xstar):
        """Predictive mean and covariance of the latent f at xstar."""
        mean, cov_params, noise_scale = unpack_kernel_params(params)
        cov_f_f = cov_func(cov_params, xstar, xstar)
        cov_y_f = cov_func(cov_params, x, xstar)
        cov_y_y = cov_func(cov_params, x, x) + noise_scale * np.eye(len(y))
        pred_mean = mean + np.dot(solve(cov_y_y, cov_y_f).T, y - mean)
        pred_cov = cov_f_f - np.dot(solve(cov_y_y, cov_y_f).T, cov_y_f)
        return pred_mean, pred_cov

    def log_marginal_likelihood(params, x, y):
        mean, cov_params, noise_scale = unpack_kernel_params(params)
        cov_y_y = cov_func(cov_params, x, x) + noise_scale * np.eye(len(y))
        prior_mean = mean * np.ones(len(y))
        return mvn.logpdf(y, prior_mean, cov_y_y)

    return num_cov_params + 2, predict, log_marginal_likelihood

def rbf_covariance(kernel_params, x, xp):
    output_scale = np.exp(kernel_params[0])
    lengthscales = np.exp(kernel_params[1:])
    diffs = np.expand_dims(x / lengthscales, 1) - np.expand_dims(xp / lengthscales, 0)
    return output_scale * np.exp(-0.5 * np.sum(diffs**2, axis=2))

def build_toy_dataset(D=1, n_data=20, noise_std=0.1):
    rs = npr.RandomState(0)
    inputs = np.concatenate([np.linspace(0, 3, num=n_data // 2),
                             np.linspace(6, 8, num=n_data // 2)])
    targets = (np.cos(inputs) + rs.randn(n_data) * noise_std) / 2.0
    inputs = (inputs - 4.0) / 2.0
    inputs = inputs.reshape((len(inputs), D))
    return inputs, targets

def gaussian_process():
    D = 1
    num_params, predict, log_marginal_likelihood = make_gp_funs(rbf_covariance, num_cov_params=D + 1)
    X, y = build_toy_dataset(D=D)
    objective = lambda params: -log_marginal_likelihood(params, X, y)
    trace = []
    def callback(params):
        trace.append(objective(params))
        plot_xs = np.reshape(np.linspace(-7, 7, 30), (30, 1))
        pred_mean, pred_cov = predict(params, X, y, plot_xs)
        marg_std = np.sqrt(np.diag(pred_cov))
    init_params = 0.1 * npr.RandomState(0).randn(num_params)
    result = minimize(value_and_grad(objective), init_params, jac=True, method="CG",
                      callback=callback, options={"maxiter": 40})
    print("GP", objective(init_params), result.fun)
    return objective, init_params, result

def build_step_function_dataset(D=1, n_data=40, noise_std=0.1):
    rs = npr.RandomState(0)
    inputs = np.linspace(-2, 2, num=n_data)
    targets = np.sign(inputs) + rs.randn(n_data) * noise_std
    inputs = inputs.reshape((len(inputs), D))
    return inputs, targets

def build_deep_gp(input_dimension, hidden_dimension, covariance_function, X, y):
    n_data = len(y)
    num_params_layer1, predict_layer1, log_marginal_likelihood_layer1 = \
        make_gp_funs(covariance_function, num_cov_params=input_dimension + 1)
    num_params_layer2, predict_layer2, log_marginal_likelihood_layer2 = \
        make_gp_funs(covariance_function, num_cov_params=hidden_dimension + 1)
    total_num_params = num_params_layer1 + num_params_layer2 + hidden_dimension * n_data

    def unpack_all_params(all_params):
        layer1_params = all_params[:num_params_layer1]
        layer2_params = all_params[num_params_layer1:num_params_layer1 + num_params_layer2]
        hiddens = all_params[num_params_layer1 + num_params_layer2:]
        return layer1_params, layer2_params, hiddens

    def combined_predict_fun(all_params, X, y, xs):
        layer1_params, layer2_params, hiddens = unpack_all_params(all_params)
        h_star_mean, h_star_cov = predict_layer1(layer1_params, X, hiddens, xs)
        return predict_layer2(layer2_params, np.atleast_2d(hiddens).T, y,
                              np.atleast_2d(h_star_mean).T)

    def log_marginal_likelihood(all_params):
        layer1_params, layer2_params, h = unpack_all_params(all_params)
        return log_marginal_likelihood_layer1(layer1_params, X, h) + \
            log_marginal_likelihood_layer2(layer2_params, np.atleast_2d(h).T, y)

    return total_num_params, log_marginal_likelihood, combined_predict_fun, unpack_all_params

def deep_gaussian_process():
    X, y = build_step_function_dataset(D=1, n_data=12)
    total_num_params, log_marginal_likelihood, combined_predict_fun, _ = \
        build_deep_gp(1, 1, rbf_covariance, X, y)
    init_params = 0.1 * npr.RandomState(0).randn(total_num_params)
    objective = lambda params: -log_marginal_likelihood(params)
    result = minimize(value_and_grad(objective), init_params, jac=True, method="CG",
                      options={"maxiter": 30})
    pred_mean, pred_cov = combined_predict_fun(result.x, X, y, np.reshape(np.linspace(-3, 3, 7), (7, 1)))
    print("deep GP", objective(init_params), result.fun)
    return objective, init_params, result, pred_mean

def make_pinwheel(radial_std, tangential_std, num_classes, num_per_class, rate, rs):
    rads = np.linspace(0, 2 * np.pi, num_classes, endpoint=False)
    features = rs.randn(num_classes * num_per_class, 2) * np.array([radial_std, tangential_std])
    features[:, 0] += 1
    labels = np.repeat(np.arange(num_classes), num_per_class)
    angles = rads[labels] + rate * np.exp(features[:, 0])
    rotations = np.stack([np.cos(angles), -np.sin(angles), np.sin(angles), np.cos(angles)])
    rotations = np.reshape(rotations.T, (-1, 2, 2))
    return np.einsum('ti,tij->tj', features, rotations)

def gplvm():
    data_dimension, latent_dimension = 2, 2
    params_per_gp, predict, log_marginal_likelihood = \
        make_gp_funs(rbf_covariance, num_cov_params=latent_dimension + 1)
    total_gp_params = data_dimension * params_per_gp
    data = make_pinwheel(0.3, 0.05, 3, 6, 0.4, rs=npr.RandomState(0))
    datalen = data.shape[0]

    def unpack_params(params):
        gp_params = np.reshape(params[:total_gp_params], (data_dimension, params_per_gp))
        latents = np.reshape(params[total_gp_params:], (datalen, latent_dimension))
        return gp_params, latents

    def objective(params):
        gp_params, latents = unpack_params(params)
        gp_likelihood = sum([log_marginal_likelihood(gp_params[i], latents, data[:, i])
                             for i in range(data_dimension)])
        latent_prior_likelihood = np.sum(norm.logpdf(latents))
        return -gp_likelihood - latent_prior_likelihood

    init_params = npr.RandomState(1).randn(total_gp_params + datalen * latent_dimension) * 0.1
    result = minimize(value_and_grad(objective), init_params, jac=True, method="CG",
                      options={"maxiter": 30})
    print("GPLVM", objective(init_params), result.fun)
    return objective, init_params, result

def expected_new_max(mean, std, max_so_far):
    return max_so_far - (mean - max_so_far) * norm.cdf(mean, max_so_far, std) \
        + std * norm.pdf(mean, max_so_far, std)

def defaultmax(x, default=-np.inf):
    if x.size == 0:
        return default
    return np.max(x)

def bayesian_optimize(func, domain_min, domain_max, num_iters=4):
    D = len(domain_min)
    num_params, predict, log_marginal_likelihood = make_gp_funs(rbf_covariance, num_cov_params=D + 1)
    model_params = np.zeros(num_params)

    def optimize_gp_params(init_params, X, y):
        log_hyperprior = lambda params: np.sum(norm.logpdf(params, 0., 100.))
        objective = lambda params: -log_marginal_likelihood(params, X, y) - log_hyperprior(params)
        return minimize(value_and_grad(objective), init_params, jac=True, method='CG',
                        options={"maxiter": 20}).x

    def choose_next_point(acquisition_function, num_tries=4, rs=npr.RandomState(0)):
        init_points = rs.rand(num_tries, D) * (domain_max - domain_min) + domain_min
        grad_obj = value_and_grad(lambda x: -acquisition_function(x))
        def optimize_point(init_point):
            result = minimize(grad_obj, x0=init_point, jac=True, method='L-BFGS-B',
                              options={'maxiter': 10}, bounds=list(zip(domain_min, domain_max)))
            return result.x, acquisition_function(result.x)
        optimized_points, optimized_values = list(zip(*list(map(optimize_point, init_points))))
        best_ix = np.argmax(optimized_values)
        return np.atleast_2d(optimized_points[best_ix])

    X = np.zeros((0, D))
    y = np.zeros((0))
    X = np.concatenate((X, np.reshape((domain_max - domain_min) / 2.0, (D, 1))))
    y = np.concatenate((y, np.reshape(np.array(func(X)), (1,))))
    for i in range(num_iters):
        if i > 1:
            model_params = optimize_gp_params(model_params, X, y)
        def acquisition_function(xstar):
            xstar = np.atleast_2d(xstar)
            mean, cov = predict(model_params, X, y, xstar)
            return expected_new_max(mean, np.sqrt(np.diag(cov)), defaultmax(y))
        next_point = choose_next_point(acquisition_function)
        X = np.concatenate((X, next_point))
        y = np.concatenate((y, np.reshape(np.array(func(next_point)), (1,))))
    best_ix = np.argmax(y)
    return X[best_ix, :], y[best_ix], X, y

def bayesian_optimization():
    def example_function(x):
        return np.sum(x * np.sin(10.0 * x) + x) - 1
    best_x, best_y, X, y = bayesian_optimize(example_function, np.array([0.0]), np.array([1.1]))
    print("Bayesian optimisation", best_x, best_y)
    return best_x, best_y, X, y

def main():
    return [gaussian_process(), deep_gaussian_process(), gplvm(), bayesian_optimization()]

if __name__ == "__main__":
    main()
