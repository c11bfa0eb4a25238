"""The linear Kalman filter of rlabbe/filterpy (filterpy/kalman/kalman_filter.py, MIT
licence): predict (x = F x, P = α² F P Fᵀ + Q), update with the Joseph form
(I − KH) P (I − KH)ᵀ + K R Kᵀ, the Kalman gain by inv(S), and the log-likelihood of each
innovation by filterpy.stats.logpdf, i.e. scipy.stats.multivariate_normal.logpdf of the
flattened innovation with ``allow_singular=True``. The port sums the log-likelihoods of a
constant-velocity track and differentiates them in the log noise variances, then fits them
with L-BFGS-B.

Written in the style of the public program it names (not a copy; the class's bookkeeping is
left out); only the import lines are chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd import value_and_grad
from chainrule.autograd.numpy import dot, eye, zeros
from chainrule.autograd.numpy.linalg import inv
from chainrule.autograd.scipy.stats import multivariate_normal
from scipy.optimize import minimize


def logpdf(x, mean=None, cov=1, allow_singular=True):
    flat_mean = np.asarray(mean).flatten() if mean is not None else None
    flat_x = np.asarray(x).flatten()
    if flat_mean is None:
        flat_mean = np.zeros_like(flat_x)
    return multivariate_normal.logpdf(flat_x, flat_mean, cov, allow_singular)


class KalmanFilter:
    def __init__(self, dim_x, dim_z):
        self.x = zeros((dim_x, 1))
        self.P = eye(dim_x)
        self.Q = eye(dim_x)
        self.F = eye(dim_x)
        self.H = zeros((dim_z, dim_x))
        self.R = eye(dim_z)
        self._alpha_sq = 1.
        self._I = np.eye(dim_x)
        self.log_likelihood = 0.0

    def predict(self):
        self.x = dot(self.F, self.x)
        self.P = self._alpha_sq * dot(dot(self.F, self.P), self.F.T) + self.Q

    def update(self, z):
        self.y = z - dot(self.H, self.x)
        PHT = dot(self.P, self.H.T)
        self.S = dot(self.H, PHT) + self.R
        self.SI = inv(self.S)
        self.K = dot(PHT, self.SI)
        self.x = self.x + dot(self.K, self.y)
        I_KH = self._I - dot(self.K, self.H)
        self.P = dot(dot(I_KH, self.P), I_KH.T) + dot(dot(self.K, self.R), self.K.T)
        self.log_likelihood = logpdf(x=self.y, cov=self.S)


def Q_discrete_white_noise(dt, var):
    return np.array([[.25 * dt ** 4, .5 * dt ** 3], [.5 * dt ** 3, dt ** 2]]) * var


def track(n=40, dt=1.0, q=0.05, r=2.0, seed=3):
    rs = np.random.RandomState(seed)
    x, zs = np.array([0.0, 1.0]), []
    for _ in range(n):
        x = np.array([x[0] + dt * x[1], x[1]]) + rs.multivariate_normal(
            np.zeros(2), Q_discrete_white_noise(dt, q))
        zs.append(x[0] + np.sqrt(r) * rs.randn())
    return np.array(zs)


def total_log_likelihood(log_vars, zs, dt=1.0):
    kf = KalmanFilter(dim_x=2, dim_z=1)
    kf.x = np.array([[0.], [1.]])
    kf.F = np.array([[1., dt], [0., 1.]])
    kf.H = np.array([[1., 0.]])
    kf.P = kf.P * 10.
    kf.Q = Q_discrete_white_noise(dt, np.exp(log_vars[0]))
    kf.R = np.exp(log_vars[1]) * np.eye(1)
    total = 0.0
    for z in zs:
        kf.predict()
        kf.update(np.array([[z]]))
        total = total + kf.log_likelihood
    return total


def main():
    zs = track()
    objective = lambda lv: -total_log_likelihood(lv, zs)
    res = minimize(value_and_grad(objective), np.array([0.0, 0.0]), jac=True, method="L-BFGS-B")
    print(res.x, res.fun)
    return zs, objective, res
