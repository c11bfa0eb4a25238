"""Parametric survival fitters of CamDavidsonPilon/lifelines (MIT licence): WeibullFitter
(lifelines/fitters/weibull_fitter.py), SplineFitter (spline_fitter.py, Royston-Parmar cubic
basis through np.maximum) and PiecewiseExponentialRegressionFitter
(piecewise_exponential_regression_fitter.py: np.tile, np.minimum, np.hstack with a tuple
index, np.diff, the ``safe_exp`` primitive with its own VJP from autograd.extend). As in
lifelines' ParametricUnivariateFitter, the hazard is ``elementwise_grad`` of the cumulative
hazard in t, the right-censored log-likelihood indexes with the boolean event mask, the fit is
scipy.optimize.minimize on value_and_grad and the variance matrix is the inverse of autograd's
``hessian`` (so the Hessian differentiates an elementwise gradient: third order in total).

Written in the style of the public program it names (not a copy; pandas and the fitter class
hierarchy are left out); only the import lines are chainrule's."""
import sys

import chainrule.autograd.numpy as np
from chainrule.autograd import elementwise_grad as egrad, value_and_grad, hessian
from chainrule.autograd.extend import primitive, defvjp
from scipy.optimize import minimize

MAX = np.log(sys.float_info.max) - 50


@primitive
def safe_exp(x):
    return np.exp(np.clip(x, -np.inf, MAX))


def safe_exp_vjp(ans, x):
    return lambda g: g * ans


defvjp(safe_exp, safe_exp_vjp)


class ParametricUnivariateFitter:
    _scipy_fit_method = "L-BFGS-B"
    _scipy_fit_options = {}
    _bounds = None

    def _hazard(self, params, times):
        return egrad(self._cumulative_hazard, argnum=1)(params, times)

    def _log_hazard(self, params, times):
        hz = self._hazard(params, times)
        hz = np.clip(hz, 1e-50, np.inf)
        return np.log(hz)

    def _survival_function(self, params, times):
        return np.exp(-self._cumulative_hazard(params, times))

    def _negative_log_likelihood_right_censoring(self, params, T, E, entry, W):
        non_zero_entries = entry > 0
        log_hz = self._log_hazard(params, T[E])
        cum_haz = self._cumulative_hazard(params, T)
        ll = (W[E] * log_hz).sum() - (W * cum_haz).sum()
        ll = ll + (W[non_zero_entries] * self._cumulative_hazard(params, entry[non_zero_entries])).sum()
        return -ll / W.sum()

    def fit(self, T, E, initial_point):
        T, E = np.asarray(T, dtype=float), np.asarray(E, dtype=bool)
        entry, W = np.zeros_like(T), np.ones_like(T)
        objective = lambda p: self._negative_log_likelihood_right_censoring(p, T, E, entry, W)
        self._objective = objective
        results = minimize(value_and_grad(objective), initial_point, jac=True,
                           method=self._scipy_fit_method, bounds=self._bounds,
                           options=self._scipy_fit_options)
        self.params_ = results.x
        hessian_ = hessian(objective)(results.x)
        self.variance_matrix_ = np.linalg.inv(hessian_) / W.sum()
        self.standard_errors_ = np.sqrt(np.diag(self.variance_matrix_))
        self.log_likelihood_ = -results.fun * W.sum()
        return self


class WeibullFitter(ParametricUnivariateFitter):
    _bounds = [(1e-09, None), (1e-09, None)]

    def _cumulative_hazard(self, params, times):
        lambda_, rho_ = params
        return safe_exp(rho_ * (np.log(np.clip(times, 1e-25, np.inf)) - np.log(lambda_)))


class SplineFitter(ParametricUnivariateFitter):
    def __init__(self, knot_locations):
        self.knot_locations = knot_locations
        self.n_knots = len(knot_locations)

    @staticmethod
    def relu(x):
        return np.maximum(0, x)

    def basis(self, x, knot, min_knot, max_knot):
        lambda_ = (max_knot - knot) / (max_knot - min_knot)
        return self.relu(x - knot) ** 3 - (lambda_ * self.relu(x - min_knot) ** 3
                                           + (1 - lambda_) * self.relu(x - max_knot) ** 3)

    def _cumulative_hazard(self, params, t):
        phis = params
        lT = np.log(t)
        cum_haz = np.exp(phis[0] + phis[1] * lT)
        for i in range(2, self.n_knots):
            cum_haz = cum_haz * np.exp(phis[i] * self.basis(
                lT, np.log(self.knot_locations[i - 1]), np.log(self.knot_locations[0]),
                np.log(self.knot_locations[-1])))
        return cum_haz


class PiecewiseExponentialRegressionFitter:
    def __init__(self, breakpoints, penalizer=0.0):
        breakpoints = np.sort(breakpoints)
        self.breakpoints = np.append(breakpoints, [np.inf])
        self.n_breakpoints = len(self.breakpoints)
        self.penalizer = penalizer
        self._fitted_parameter_names = ["lambda_%d_" % i for i in range(self.n_breakpoints)]

    def _cumulative_hazard(self, params, T, Xs):
        n = T.shape[0]
        T = T.reshape((n, 1))
        M = np.minimum(np.tile(self.breakpoints, (n, 1)), T)
        M = np.hstack([M[:, tuple([0])], np.diff(M, axis=1)])
        lambdas_ = np.array([safe_exp(-np.dot(Xs, params[name]))
                             for name in self._fitted_parameter_names])
        return (M * lambdas_.T).sum(1)

    def _hazard(self, params, T, Xs):
        return egrad(self._cumulative_hazard, argnum=1)(params, T, Xs)

    def _log_hazard(self, params, T, X):
        hz = self._hazard(params, T, X)
        hz = np.clip(hz, 1e-20, np.inf)
        return np.log(hz)

    def _add_penalty(self, params, neg_ll):
        params_stacked = np.stack(list(params.values()))
        coef_penalty = 0
        if self.penalizer > 0:
            for i in range(params_stacked.shape[1] - 1):
                coef_penalty = coef_penalty + (params_stacked[:, i]).var()
        return neg_ll + self.penalizer * coef_penalty

    def negative_log_likelihood(self, params, T, E, Xs):
        ll = self._log_hazard(params, T[E], Xs[E]).sum() - self._cumulative_hazard(params, T, Xs).sum()
        return self._add_penalty(params, -ll / T.shape[0])


def main():
    rs = np.random.RandomState(0)
    T = rs.weibull(1.5, size=150) * 2.0
    C = rs.uniform(0.5, 4.0, size=150)
    E = T < C
    T = np.minimum(T, C)
    wf = WeibullFitter().fit(T, E, np.array([1.0, 1.0]))
    knots = np.percentile(T[E], [0, 50, 100])
    sf = SplineFitter(knots).fit(T, E, 0.1 * np.ones(3))
    X = np.column_stack([rs.randn(150), np.ones(150)])
    pw = PiecewiseExponentialRegressionFitter([1.0, 2.0], penalizer=0.1)
    print(wf.params_, wf.standard_errors_, sf.params_)
    return T, E, X, wf, sf, pw
