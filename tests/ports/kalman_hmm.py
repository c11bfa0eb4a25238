"""A Kalman filter log-likelihood (slogdet, solve, a loop over observations) fitted by BFGS,
and an HMM forward algorithm in log space.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.numpy as np
import chainrule.numpy.random as npr
from chainrule import grad, value_and_grad
from chainrule.scipy.special import logsumexp
from scipy.optimize import minimize

# --- Kalman filter log-likelihood of a local-level / AR(1) model ---
def kalman_loglik(params, ys):
    log_q, log_r, phi_raw = params
    phi = np.tanh(phi_raw)
    Q = np.exp(log_q) * np.eye(2)
    R = np.exp(log_r) * np.eye(1)
    F = np.array([[1.0, 1.0], [0.0, 0.0]]) + phi * np.array([[0.0, 0.0], [0.0, 1.0]])
    H = np.array([[1.0, 0.0]])
    m = np.zeros(2)
    P = np.eye(2)
    ll = 0.0
    for y in ys:
        m = F @ m
        P = F @ P @ F.T + Q
        S = H @ P @ H.T + R
        v = y - H @ m
        K = np.linalg.solve(S, H @ P).T
        sign, logdet = np.linalg.slogdet(2 * np.pi * S)
        ll = ll - 0.5 * (logdet + v @ np.linalg.solve(S, v))
        m = m + K @ v
        P = (np.eye(2) - K @ H) @ P
    return ll

# --- HMM forward algorithm in log space ---
def hmm_loglik(params, obs):
    log_pi = params['pi'] - logsumexp(params['pi'])
    log_A = params['A'] - logsumexp(params['A'], axis=1, keepdims=True)
    means, log_sd = params['means'], params['log_sd']
    log_B = -0.5 * ((obs[:, None] - means[None, :]) / np.exp(log_sd)) ** 2 - log_sd - 0.5 * np.log(2 * np.pi)
    alpha = log_pi + log_B[0]
    for t in range(1, len(obs)):
        alpha = logsumexp(alpha[:, None] + log_A, axis=0) + log_B[t]
    return logsumexp(alpha)

def main():
    rs = npr.RandomState(0)
    level = np.cumsum(0.3 * rs.randn(40))
    ys = (level + 0.5 * rs.randn(40)).reshape(40, 1)
    p0 = np.array([np.log(0.1), np.log(0.2), 0.3])
    r = minimize(value_and_grad(lambda p: -kalman_loglik(p, ys)), p0, jac=True, method='BFGS')
    K = 3
    states = rs.randint(K, size=60)
    obs = np.array([-2.0, 0.0, 2.0])[states] + 0.5 * rs.randn(60)
    hp = {'pi': np.zeros(K), 'A': rs.randn(K, K) * 0.1, 'means': np.array([-1.0, 0.1, 1.0]),
          'log_sd': np.zeros(K)}
    gh = grad(hmm_loglik)(hp, obs)
    print("kalman", r.x, r.fun, "hmm", hmm_loglik(hp, obs))
    return [grad(kalman_loglik)(p0, ys), r.x, gh]
