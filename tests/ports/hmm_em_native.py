"""Expectation-maximisation for a hidden Markov model whose E step is the gradient of the
log partition function (autograd's hmm_em style): value_and_grad over a list of natural
parameters, a sum over a list of sequences, np.allclose as the stopping test; on chainrule's
own API (chainrule.numpy, chainrule.value_and_grad). The data are short encoded lines of text.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import string
from functools import partial

import chainrule.numpy as np
import chainrule.numpy.random as npr
from chainrule.scipy.special import logsumexp
from chainrule import value_and_grad as vgrad

def EM(init_params, data, callback=None):
    def EM_update(params):
        natural_params = list(map(np.log, params))
        loglike, E_stats = vgrad(log_partition_function)(natural_params, data)  # E step
        if callback:
            callback(loglike, params)
        return list(map(normalize, E_stats))                                    # M step

    def fixed_point(f, x0):
        x1 = f(x0)
        while different(x0, x1):
            x0, x1 = x1, f(x1)
        return x1

    def different(params1, params2):
        allclose = partial(np.allclose, atol=1e-3, rtol=1e-3)
        return not all(map(allclose, params1, params2))

    return fixed_point(EM_update, init_params)

def normalize(a):
    def replace_zeros(a):
        return np.where(a > 0., a, 1.)
    return a / replace_zeros(a.sum(-1, keepdims=True))

def log_partition_function(natural_params, data):
    if isinstance(data, list):
        return sum(map(partial(log_partition_function, natural_params), data))
    log_pi, log_A, log_B = natural_params
    log_alpha = log_pi
    for y in data:
        log_alpha = logsumexp(log_alpha[:, None] + log_A, axis=0) + log_B[:, y]
    return logsumexp(log_alpha)

def initialize_hmm_parameters(num_states, num_outputs):
    init_pi = normalize(npr.rand(num_states))
    init_A = normalize(npr.rand(num_states, num_states))
    init_B = normalize(npr.rand(num_states, num_outputs))
    return init_pi, init_A, init_B

def build_dataset(lines):
    """Each line becomes a sequence of symbol codes."""
    encodings = dict(list(map(reversed, enumerate(string.printable))))
    digitize = lambda char: encodings[char] if char in encodings else len(encodings)
    encode_line = lambda line: np.array(list(map(digitize, line)))
    nonblank_line = lambda line: len(line) > 2
    encoded_lines = list(map(encode_line, list(filter(nonblank_line, lines))))
    return encoded_lines, len(encodings) + 1

text = ["def f(x):", "    return x + 1", "", "print(f(2))", "abab abab"]

def main(num_states=3):
    np.random.seed(0)
    with np.errstate(divide='ignore'):      # log of zero probabilities is -inf, as meant
        train_inputs, num_outputs = build_dataset(text)
        init_params = initialize_hmm_parameters(num_states, num_outputs)
        loglikes = []
        pi, A, B = EM(init_params, train_inputs, lambda loglike, params: loglikes.append(loglike))
    print("HMM EM", loglikes[0], loglikes[-1], len(loglikes))
    return init_params, (pi, A, B), loglikes, train_inputs

if __name__ == "__main__":
    main()
