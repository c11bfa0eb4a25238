"""A Gaussian mixture fitted by BFGS (autograd's examples/gmm.py style): logsumexp,
multivariate_normal.logpdf, a dict of parameters flattened for SciPy.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.numpy as np
import chainrule.numpy.random as npr
from chainrule import grad, hessian
from chainrule.scipy.special import logsumexp
import chainrule.scipy.stats.multivariate_normal as mvn
from chainrule.flatten import flatten as flatten_params
from scipy.optimize import minimize

def init_gmm_params(num_components, D, scale, rs=npr.RandomState(0)):
    return {'log proportions': rs.randn(num_components) * scale,
            'means':           rs.randn(num_components, D) * scale,
            'lower triangles': np.zeros((num_components, D, D)) + np.eye(D)}

def log_normalize(x):
    return x - logsumexp(x)

def unpack_gmm_params(params):
    normalized_log_proportions = log_normalize(params['log proportions'])
    return normalized_log_proportions, params['means'], params['lower triangles']

def gmm_log_likelihood(params, data):
    cluster_lls = []
    for log_proportion, mean, cov_sqrt in zip(*unpack_gmm_params(params)):
        cov = np.dot(cov_sqrt.T, cov_sqrt)
        cluster_lls.append(log_proportion + mvn.logpdf(data, mean, cov))
    return np.sum(logsumexp(np.vstack(cluster_lls), axis=0))

def make_pinwheel(radial_std, tangential_std, num_classes, num_per_class, rate,
                  rs=npr.RandomState(0)):
    rads = np.linspace(0, 2*np.pi, num_classes, endpoint=False)
    features = rs.randn(num_classes*num_per_class, 2) \
        * np.array([radial_std, tangential_std])
    features[:, 0] += 1
    labels = np.repeat(np.arange(num_classes), num_per_class)
    angles = rads[labels] + rate * np.exp(features[:,0])
    rotations = np.stack([np.cos(angles), -np.sin(angles), np.sin(angles), np.cos(angles)])
    rotations = np.reshape(rotations.T, (-1, 2, 2))
    return np.einsum('ti,tij->tj', features, rotations)

def main():
    data = make_pinwheel(radial_std=0.3, tangential_std=0.05, num_classes=3,
                         num_per_class=50, rate=0.4)
    init_params = init_gmm_params(num_components=4, D=2, scale=0.1)
    def objective(params):
        return -gmm_log_likelihood(params, data)
    flat_init, unflatten = flatten_params(init_params)
    flat_objective = lambda w: objective(unflatten(w))
    g0 = grad(objective)(init_params)
    r = minimize(flat_objective, flat_init, jac=grad(flat_objective), method='BFGS',
                 options={'maxiter': 30})
    print("gmm", flat_objective(flat_init), r.fun)
    return [g0, r.x, hessian(flat_objective)(flat_init)]
