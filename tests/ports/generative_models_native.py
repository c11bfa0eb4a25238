"""An LSTM character model, a generative adversarial net with a minimax adam, and a
variational autoencoder with batch normalisation (autograd's lstm, generative_adversarial_net
and variational_autoencoder style), on synthetic data: dicts, lists and tuples of parameters,
 scipy.special.expit, norm.logpdf with scalar
parameters; on chainrule's own API (grad(f, argnums=(0, 1)), chainrule.flatten; adam is
chainrule.autograd.misc.optimizers', chainrule having no optimisers of its own).

Written in the style of the public programs it names (not a copy); only the import lines are
chainrule's."""
import chainrule.numpy as np
import chainrule.numpy.random as npr
import chainrule.scipy.stats.norm as norm
from chainrule.scipy.special import logsumexp, expit
from chainrule import grad
from chainrule import flatten
from chainrule.autograd.misc.optimizers import adam

# ---- LSTM ----

def sigmoid(x):
    return 0.5 * (np.tanh(x) + 1.0)

def concat_and_multiply(weights, *args):
    cat_state = np.hstack(args + (np.ones((args[0].shape[0], 1)),))
    return np.dot(cat_state, weights)

def string_to_one_hot(string, maxchar):
    ascii = np.array([ord(c) for c in string]).T
    return np.array(ascii[:, None] == np.arange(maxchar)[None, :], dtype=int)

def one_hot_to_string(one_hot_matrix):
    return "".join([chr(np.argmax(c)) for c in one_hot_matrix])

def build_dataset(lines, sequence_length, alphabet_size):
    seqs = np.zeros((sequence_length, len(lines), alphabet_size))
    for ix, line in enumerate(lines):
        padded_line = (line + " " * sequence_length)[:sequence_length]
        seqs[:, ix, :] = string_to_one_hot(padded_line, alphabet_size)
    return seqs

def init_lstm_params(input_size, state_size, output_size, param_scale=0.01, rs=npr.RandomState(0)):
    def rp(*shape):
        return rs.randn(*shape) * param_scale
    return {"init cells": rp(1, state_size),
            "init hiddens": rp(1, state_size),
            "change": rp(input_size + state_size + 1, state_size),
            "forget": rp(input_size + state_size + 1, state_size),
            "ingate": rp(input_size + state_size + 1, state_size),
            "outgate": rp(input_size + state_size + 1, state_size),
            "predict": rp(state_size + 1, output_size)}

def lstm_predict(params, inputs):
    def update_lstm(input, hiddens, cells):
        change = np.tanh(concat_and_multiply(params["change"], input, hiddens))
        forget = sigmoid(concat_and_multiply(params["forget"], input, hiddens))
        ingate = sigmoid(concat_and_multiply(params["ingate"], input, hiddens))
        outgate = sigmoid(concat_and_multiply(params["outgate"], input, hiddens))
        cells = cells * forget + ingate * change
        hiddens = outgate * np.tanh(cells)
        return hiddens, cells

    def hiddens_to_output_probs(hiddens):
        output = concat_and_multiply(params["predict"], hiddens)
        return output - logsumexp(output, axis=1, keepdims=True)

    num_sequences = inputs.shape[1]
    hiddens = np.repeat(params["init hiddens"], num_sequences, axis=0)
    cells = np.repeat(params["init cells"], num_sequences, axis=0)
    output = [hiddens_to_output_probs(hiddens)]
    for input in inputs:
        hiddens, cells = update_lstm(input, hiddens, cells)
        output.append(hiddens_to_output_probs(hiddens))
    return output

def lstm_log_likelihood(params, inputs, targets):
    logprobs = lstm_predict(params, inputs)
    loglik = 0.0
    num_time_steps, num_examples, _ = inputs.shape
    for t in range(num_time_steps):
        loglik += np.sum(logprobs[t] * targets[t])
    return loglik / (num_time_steps * num_examples)

text = ["def f(x):", "    return x", "import numpy", "for i in range(3):"]

def lstm(num_iters=30):
    num_chars = 128
    train_inputs = build_dataset(text, sequence_length=8, alphabet_size=num_chars)
    init_params = init_lstm_params(input_size=num_chars, output_size=num_chars, state_size=6,
                                   param_scale=0.01)
    def training_loss(params, iter):
        return -lstm_log_likelihood(params, train_inputs, train_inputs)
    losses = []
    def callback(weights, iter, gradient):
        losses.append(training_loss(weights, 0))
    trained_params = adam(grad(training_loss), init_params, step_size=0.1, num_iters=num_iters,
                          callback=callback)
    logprobs = np.asarray(lstm_predict(trained_params, train_inputs))
    predicted = one_hot_to_string(logprobs[:, 0, :])
    # generate text from the trained model
    generated = ""
    rs = npr.RandomState(0)
    for i in range(5):
        seqs = string_to_one_hot(generated, num_chars)[:, np.newaxis, :]
        logprobs = lstm_predict(trained_params, seqs)[-1].ravel()
        generated += chr(rs.choice(len(logprobs), p=np.exp(logprobs)))
    print("LSTM", losses[0], training_loss(trained_params, 0), repr(predicted), repr(generated))
    return init_params, trained_params, losses, train_inputs

# ---- GAN ----

def relu(x):
    return np.maximum(0, x)

def logsigmoid(x):
    return x - np.logaddexp(0, x)

def init_random_params(scale, layer_sizes, rs=npr.RandomState(0)):
    return [(scale * rs.randn(m, n), scale * rs.randn(n))
            for m, n in zip(layer_sizes[:-1], layer_sizes[1:])]

def batch_normalize(activations):
    mbmean = np.mean(activations, axis=0, keepdims=True)
    return (activations - mbmean) / (np.std(activations, axis=0, keepdims=True) + 1)

def gan_predict(params, inputs):
    inpW, inpb = params[0]
    inputs = relu(np.dot(inputs, inpW) + inpb)
    for W, b in params[1:-1]:
        outputs = batch_normalize(np.dot(inputs, W) + b)
        inputs = relu(outputs)
    outW, outb = params[-1]
    return np.dot(inputs, outW) + outb

def generate_from_noise(gen_params, num_samples, noise_dim, rs):
    noise = rs.rand(num_samples, noise_dim)
    samples = gan_predict(gen_params, noise)
    return sigmoid(samples)

def gan_objective(gen_params, dsc_params, real_data, num_samples, noise_dim, rs):
    fake_data = generate_from_noise(gen_params, num_samples, noise_dim, rs)
    logprobs_fake = logsigmoid(gan_predict(dsc_params, fake_data))
    logprobs_real = logsigmoid(gan_predict(dsc_params, real_data))
    return np.mean(logprobs_real) - np.mean(logprobs_fake)

def adam_minimax(grad_both, init_params_max, init_params_min, callback=None, num_iters=100,
                 step_size_max=0.001, step_size_min=0.001, b1=0.9, b2=0.999, eps=10**-8):
    """Adam ascending in the first parameters and descending in the second."""
    x_max, unflatten_max = flatten(init_params_max)
    x_min, unflatten_min = flatten(init_params_min)
    m_max = np.zeros(len(x_max))
    v_max = np.zeros(len(x_max))
    m_min = np.zeros(len(x_min))
    v_min = np.zeros(len(x_min))
    for i in range(num_iters):
        g_max_uf, g_min_uf = grad_both(unflatten_max(x_max), unflatten_min(x_min), i)
        g_max, _ = flatten(g_max_uf)
        g_min, _ = flatten(g_min_uf)
        if callback:
            callback(unflatten_max(x_max), unflatten_min(x_min), i,
                     unflatten_max(g_max), unflatten_min(g_min))
        m_max = (1 - b1) * g_max + b1 * m_max
        v_max = (1 - b2) * (g_max**2) + b2 * v_max
        mhat_max = m_max / (1 - b1**(i + 1))
        vhat_max = v_max / (1 - b2**(i + 1))
        x_max = x_max + step_size_max * mhat_max / (np.sqrt(vhat_max) + eps)
        m_min = (1 - b1) * g_min + b1 * m_min
        v_min = (1 - b2) * (g_min**2) + b2 * v_min
        mhat_min = m_min / (1 - b1**(i + 1))
        vhat_min = v_min / (1 - b2**(i + 1))
        x_min = x_min - step_size_min * mhat_min / (np.sqrt(vhat_min) + eps)
    return unflatten_max(x_max), unflatten_min(x_min)

def make_images(n, rs):
    # two-pixel-row "images": bright left half or bright right half
    left = np.concatenate([np.ones(4), np.zeros(4)])
    return np.clip(np.where(rs.rand(n, 1) < 0.5, left, left[::-1]) + 0.1 * rs.randn(n, 8), 0, 1)

def gan(num_iters=40, noise_dim=3, batch_size=10):
    train_images = make_images(40, npr.RandomState(1))
    init_gen_params = init_random_params(0.1, [noise_dim, 8, 8, 8])
    init_dsc_params = init_random_params(0.1, [8, 8, 8, 1])
    num_batches = len(train_images) // batch_size
    def batch_indices(iter):
        idx = iter % num_batches
        return slice(idx * batch_size, (idx + 1) * batch_size)
    seed = npr.RandomState(0)
    def objective(gen_params, dsc_params, iter):
        idx = batch_indices(iter)
        return gan_objective(gen_params, dsc_params, train_images[idx], batch_size, noise_dim, seed)
    both_objective_grad = grad(objective, argnums=(0, 1))
    abilities = []
    def print_perf(gen_params, dsc_params, iter, gen_gradient, dsc_gradient):
        abilities.append(objective(gen_params, dsc_params, iter))
    optimized_params = adam_minimax(both_objective_grad, init_gen_params, init_dsc_params,
                                    step_size_max=0.01, step_size_min=0.01, num_iters=num_iters,
                                    callback=print_perf)
    print("GAN", abilities[0], abilities[-1])
    return init_gen_params, init_dsc_params, optimized_params, abilities, train_images

# ---- VAE ----

def diag_gaussian_log_density(x, mu, log_std):
    return np.sum(norm.logpdf(x, mu, np.exp(log_std)), axis=-1)

def unpack_gaussian_params(params):
    D = np.shape(params)[-1] // 2
    mean, log_std = params[:, :D], params[:, D:]
    return mean, log_std

def sample_diag_gaussian(mean, log_std, rs):
    return rs.randn(*mean.shape) * np.exp(log_std) + mean

def bernoulli_log_density(targets, unnormalized_logprobs):
    # targets are -1 or 1
    label_probabilities = -np.logaddexp(0, -unnormalized_logprobs * targets)
    return np.sum(label_probabilities, axis=-1)

def neural_net_predict(params, inputs):
    for W, b in params[:-1]:
        outputs = batch_normalize(np.dot(inputs, W) + b)
        inputs = relu(outputs)
    outW, outb = params[-1]
    return np.dot(inputs, outW) + outb

def nn_predict_gaussian(params, inputs):
    return unpack_gaussian_params(neural_net_predict(params, inputs))

def generate_from_prior(gen_params, num_samples, noise_dim, rs):
    latents = rs.randn(num_samples, noise_dim)
    return expit(neural_net_predict(gen_params, latents))

def p_images_given_latents(gen_params, images, latents):
    preds = neural_net_predict(gen_params, latents)
    return bernoulli_log_density(images, preds)

def vae_lower_bound(gen_params, rec_params, data, rs):
    q_means, q_log_stds = nn_predict_gaussian(rec_params, data)
    latents = sample_diag_gaussian(q_means, q_log_stds, rs)
    q_latents = diag_gaussian_log_density(latents, q_means, q_log_stds)
    p_latents = diag_gaussian_log_density(latents, 0, 0)
    likelihood = p_images_given_latents(gen_params, data, latents)
    return np.mean(p_latents + likelihood - q_latents)

def binarise(images):
    on = images > 0.5
    images = images * 0 - 1
    images[on] = 1.0
    return images

def vae(num_iters=60, latent_dim=2, data_dim=8, batch_size=10):
    train_images = binarise(make_images(40, npr.RandomState(2)))
    init_gen_params = init_random_params(0.1, [latent_dim, 8, data_dim])
    init_rec_params = init_random_params(0.1, [data_dim, 8, latent_dim * 2])
    combined_init_params = (init_gen_params, init_rec_params)
    num_batches = len(train_images) // batch_size
    def batch_indices(iter):
        idx = iter % num_batches
        return slice(idx * batch_size, (idx + 1) * batch_size)
    seed = npr.RandomState(0)
    def objective(combined_params, iter):
        data_idx = batch_indices(iter)
        gen_params, rec_params = combined_params
        return -vae_lower_bound(gen_params, rec_params, train_images[data_idx], seed) / data_dim
    bounds = []
    def print_perf(combined_params, iter, grad):
        bounds.append(np.mean(objective(combined_params, iter)))
    optimized_params = adam(grad(objective), combined_init_params, step_size=0.05,
                            num_iters=num_iters, callback=print_perf)
    fake_data = generate_from_prior(optimized_params[0], 5, latent_dim, seed)
    print("VAE", np.mean(bounds[:4]), np.mean(bounds[-4:]))
    return combined_init_params, optimized_params, bounds, train_images, fake_data

def main():
    return [lstm(), gan(), vae()]

if __name__ == "__main__":
    main()
