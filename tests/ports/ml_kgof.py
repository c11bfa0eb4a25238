"""The finite-set Stein discrepancy goodness-of-fit test of wittawatj/kernel-gof (kgof, MIT
licence; kgof/density.py, kernel.py, goftest.py): a Gaussian kernel from squared distances,
the score ∇ log p of an unnormalised density by ``autograd.elementwise_grad``, the FSSD
feature tensor with einsum, the U-statistic mean and variance under H1, and the power
criterion maximised over the test locations and the log bandwidth with ``autograd.grad`` and
scipy.optimize.minimize, as kgof's GaussFSSD.optimize_locs_widths does.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd as autograd
import chainrule.autograd.numpy as np
from scipy.optimize import minimize


class IsotropicNormal:
    def __init__(self, mean, variance):
        self.mean, self.variance = mean, variance

    def log_den(self, X):
        return -np.sum((X - self.mean) ** 2, 1) / (2.0 * self.variance)

    def grad_log(self, X):
        return autograd.elementwise_grad(self.log_den)(X)


class Normal:
    def __init__(self, mean, cov):
        E, V = np.linalg.eigh(cov)
        self.mean, self.cov = mean, cov
        self.prec = np.dot(np.dot(V, np.diag(1.0 / E)), V.T)

    def log_den(self, X):
        Xc = X - self.mean
        return -0.5 * np.sum(np.dot(Xc, self.prec) * Xc, 1)

    def grad_log(self, X):
        return autograd.elementwise_grad(self.log_den)(X)


class KGauss:
    def __init__(self, sigma2):
        self.sigma2 = sigma2

    def eval(self, X, Y):
        D2 = np.sum(X ** 2, 1)[:, np.newaxis] - 2 * np.dot(X, Y.T) + np.sum(Y ** 2, 1)
        return np.exp(-D2 / (2.0 * self.sigma2))

    def gradX_Y(self, X, Y, dim):
        K = self.eval(X, Y)
        Diff = X[:, [dim]] - Y[:, [dim]].T
        return -K * Diff / self.sigma2


def feature_tensor(p, k, V, X):
    n, d = X.shape
    J = V.shape[0]
    grad_logp = p.grad_log(X)
    K = k.eval(X, V)
    list_grads = np.array([np.reshape(k.gradX_Y(X, V, i), (1, n, J)) for i in range(d)])
    stack0 = np.concatenate(list_grads, axis=0)
    dKdV = np.transpose(stack0, (1, 0, 2))
    grad_logp_K = np.einsum('ij,ik->ijk', grad_logp, K)
    return (grad_logp_K + dKdV) / np.sqrt(d * J)


def ustat_h1_mean_variance(fea_tensor):
    n, d, J = fea_tensor.shape
    Tau = np.reshape(fea_tensor, [n, d * J])
    t1 = np.sum(np.mean(Tau, 0) ** 2) * (n / float(n - 1))
    t2 = np.sum(np.mean(Tau ** 2, 0)) / float(n - 1)
    stat = t1 - t2
    mu = np.mean(Tau, 0)
    variance = 4 * np.mean(np.dot(Tau, mu) ** 2) - 4 * np.sum(mu ** 2) ** 2
    return stat, variance


def power_criterion(p, X, k, V, reg=1e-2):
    mean, variance = ustat_h1_mean_variance(feature_tensor(p, k, V, X))
    return mean / np.sqrt(variance + reg)


def optimize_locs_widths(p, X, V0, gwidth0, max_iter=15):
    J, d = V0.shape

    def flatten(gwidth, V):
        return np.hstack((np.log(gwidth), V.reshape(-1)))

    def unflatten(x):
        return np.exp(x[0]), np.reshape(x[1:], (J, d))

    def obj(x):
        gwidth, V = unflatten(x)
        return -power_criterion(p, X, KGauss(gwidth), V)

    x0 = flatten(gwidth0, V0)
    opt = minimize(obj, x0, jac=autograd.grad(obj), method='L-BFGS-B',
                   options={'maxiter': max_iter})
    gwidth, V = unflatten(opt.x)
    return V, gwidth, opt, obj, x0


def main():
    rs = np.random.RandomState(2)
    d = 2
    p = IsotropicNormal(np.zeros(d), 1.0)
    X = rs.randn(60, d) * np.array([1.0, 1.6])       # the data's spread differs from p's
    V0 = rs.randn(3, d)
    V, gwidth, opt, obj, x0 = optimize_locs_widths(p, X, V0, 1.0)
    print(-opt.fun)
    return p, X, V0, V, gwidth, opt, obj, x0
