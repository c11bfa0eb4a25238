"""A character RNN on a few lines of text (autograd's examples/rnn.py style).

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.numpy as np
import chainrule.numpy.random as npr
from chainrule import grad
from chainrule.scipy.special import logsumexp

def sigmoid(x):
    return 0.5*(np.tanh(x) + 1.0)

def concat_and_multiply(weights, *args):
    cat_state = np.hstack(args + (np.ones((args[0].shape[0], 1)),))
    return np.dot(cat_state, weights)

def create_rnn_params(input_size, state_size, output_size, param_scale=0.01, rs=npr.RandomState(0)):
    return {'init hiddens': rs.randn(1, state_size) * param_scale,
            'change':       rs.randn(input_size + state_size + 1, state_size) * param_scale,
            'predict':      rs.randn(state_size + 1, output_size) * param_scale}

def rnn_predict(params, inputs):
    def update_rnn(input, hiddens):
        return np.tanh(concat_and_multiply(params['change'], input, hiddens))
    def hiddens_to_output_probs(hiddens):
        output = concat_and_multiply(params['predict'], hiddens)
        return output - logsumexp(output, axis=1, keepdims=True)
    num_sequences = inputs.shape[1]
    hiddens = np.repeat(params['init hiddens'], num_sequences, axis=0)
    output = [hiddens_to_output_probs(hiddens)]
    for input in inputs:
        hiddens = update_rnn(input, hiddens)
        output.append(hiddens_to_output_probs(hiddens))
    return output

def rnn_log_likelihood(params, inputs, targets):
    logprobs = rnn_predict(params, inputs)
    loglik = 0.0
    num_time_steps, num_examples, _ = inputs.shape
    for t in range(num_time_steps):
        loglik += np.sum(logprobs[t] * targets[t])
    return loglik / (num_time_steps * num_examples)

def string_to_one_hot(string, maxchar):
    ascii = np.array([ord(c) for c in string]).T
    return np.array(ascii[:,None] == np.arange(maxchar)[None, :], dtype=int)

def build_dataset(lines, sequence_length, alphabet_size):
    seqs = np.zeros((sequence_length, len(lines), alphabet_size))
    for ix, line in enumerate(lines):
        padded_line = (line + " " * sequence_length)[:sequence_length]
        seqs[:, ix, :] = string_to_one_hot(padded_line, alphabet_size)
    return seqs

text = ["def f(x):", "    return x", "import numpy", "for i in range(3):", "print(i)"]

def main():
    num_chars = 128
    train_inputs = build_dataset(text, sequence_length=12, alphabet_size=num_chars)
    init_params = create_rnn_params(input_size=128, output_size=128, state_size=20, param_scale=0.01)
    def training_loss(params, iter):
        return -rnn_log_likelihood(params, train_inputs, train_inputs)
    training_loss_grad = grad(training_loss)
    g = training_loss_grad(init_params, 0)
    params = init_params
    for i in range(20):
        gr = training_loss_grad(params, i)
        params = {k: params[k] - 0.5 * gr[k] for k in params}
    print("loss", training_loss(init_params, 0), training_loss(params, 0))
    return [g, params]
