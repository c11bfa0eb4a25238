"""Hamiltonian Monte Carlo of ColCarroll/minimc (MIT licence; minimc/minimc.py,
integrators.py, autograd_interface/distributions.py): dVdq = autograd.grad of the negative
log probability, the leapfrog integrator with ``p -= step * dVdq(q) / 2`` on copies,
scipy.stats momenta, Metropolis acceptance, dual-averaging step size; targets: the
multivariate normal by det and inv, Neal's funnel and a mixture by logsumexp of a list of
traced values.

Written in the style of the public program it names (not a copy; tqdm left out, sizes cut);
only the import lines are chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd import grad
from chainrule.autograd.scipy.special import logsumexp
import scipy.stats as st


def neg_log_normal(mu, sigma):
    def logp(x):
        return 0.5 * (np.log(2 * np.pi * sigma * sigma) + ((x - mu) / sigma) ** 2)
    return logp


def neg_log_mvnormal(mu, sigma):
    def logp(x):
        k = mu.shape[0]
        return (k * np.log(2 * np.pi) + np.log(np.linalg.det(sigma))
                + np.dot(np.dot((x - mu).T, np.linalg.inv(sigma)), x - mu)) * 0.5
    return logp


def neg_log_funnel():
    scale = neg_log_normal(0, 1)

    def neg_log_p(x):
        funnel_dim = x.shape[0] - 1
        if funnel_dim == 1:
            funnel = neg_log_normal(0, np.exp(2 * x[0]))
        else:
            funnel = neg_log_mvnormal(np.zeros(funnel_dim), np.exp(2 * x[0]) * np.eye(funnel_dim))
        return scale(x[0]) + funnel(x[1:])
    return neg_log_p


def mixture(neg_log_probs, probs):
    probs = np.array(probs) / np.sum(probs)

    def logp(x):
        return -logsumexp(np.log(probs) - np.array([logp(x) for logp in neg_log_probs]))
    return logp


def leapfrog(q, p, dVdq, path_len, step_size):
    q, p = np.copy(q), np.copy(p)
    p -= step_size * dVdq(q) / 2
    for _ in np.arange(np.round(path_len / step_size) - 1):
        q += step_size * p
        p -= step_size * dVdq(q)
    q += step_size * p
    p -= step_size * dVdq(q) / 2
    return q, -p


class DualAveragingStepSize:
    def __init__(self, initial_step_size, target_accept=0.8, gamma=0.05, t0=10.0, kappa=0.75):
        self.mu = np.log(10 * initial_step_size)
        self.target_accept, self.gamma, self.t, self.kappa = target_accept, gamma, t0, kappa
        self.error_sum, self.log_averaged_step = 0, 0

    def update(self, p_accept):
        self.error_sum += self.target_accept - p_accept
        log_step = self.mu - self.error_sum / (np.sqrt(self.t) * self.gamma)
        eta = self.t ** -self.kappa
        self.log_averaged_step = eta * log_step + (1 - eta) * self.log_averaged_step
        self.t += 1
        return np.exp(log_step), np.exp(self.log_averaged_step)


def hamiltonian_monte_carlo(n_samples, negative_log_prob, initial_position, tune=50,
                            path_len=1, initial_step_size=0.1, rs=None):
    initial_position = np.array(initial_position)
    dVdq = grad(negative_log_prob)
    samples = [initial_position]
    momentum = st.norm(0, 1)
    step_size = initial_step_size
    step_size_tuning = DualAveragingStepSize(step_size)
    size = (n_samples + tune,) + initial_position.shape[:1]
    for idx, p0 in enumerate(momentum.rvs(size=size, random_state=rs)):
        q_new, p_new = leapfrog(samples[-1], p0, dVdq, path_len=2 * rs.rand() * path_len,
                                step_size=step_size)
        start_log_p = np.sum(momentum.logpdf(p0)) - negative_log_prob(samples[-1])
        new_log_p = np.sum(momentum.logpdf(p_new)) - negative_log_prob(q_new)
        p_accept = min(1, np.exp(new_log_p - start_log_p))
        if rs.rand() < p_accept:
            samples.append(q_new)
        else:
            samples.append(np.copy(samples[-1]))
        if idx < tune - 1:
            step_size, _ = step_size_tuning.update(p_accept)
        elif idx == tune - 1:
            _, step_size = step_size_tuning.update(p_accept)
    return np.array(samples[1 + tune:])


def main():
    rs = np.random.RandomState(0)
    mu = np.array([1.0, -1.0])
    cov = np.array([[1.0, 0.6], [0.6, 1.5]])
    mvn = neg_log_mvnormal(mu, cov)
    samples = hamiltonian_monte_carlo(300, mvn, np.zeros(2), tune=50, rs=rs)
    mix = mixture([neg_log_normal(-1.0, 0.5), neg_log_normal(2.0, 1.0)], [0.3, 0.7])
    funnel = neg_log_funnel()
    print(samples.mean(0))
    return samples, mvn, mix, funnel, mu, cov
