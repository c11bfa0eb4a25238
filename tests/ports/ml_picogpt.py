"""GPT-2 forward pass of jaymody/picoGPT (gpt2.py, MIT licence) in plain NumPy: gelu by tanh,
softmax with a max shift, layer norm by mean and var, np.split of the qkv projection into
heads, the causal mask ``(1 - np.tri(n)) * -1e10``, np.hstack of the heads, token and
position embeddings ``wte[inputs] + wpe[range(len(inputs))]`` and the tied output projection.
The port gives it tiny random weights (2 blocks, 2 heads, 8-dimensional embeddings, a 11-token
vocabulary) and differentiates the next-token cross-entropy in every weight, reverse mode
through chainrule.autograd, training a few steps of plain gradient descent.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd import grad


def gelu(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))


def softmax(x):
    exp_x = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return exp_x / np.sum(exp_x, axis=-1, keepdims=True)


def layer_norm(x, g, b, eps: float = 1e-5):
    mean = np.mean(x, axis=-1, keepdims=True)
    variance = np.var(x, axis=-1, keepdims=True)
    x = (x - mean) / np.sqrt(variance + eps)
    return g * x + b


def linear(x, w, b):
    return x @ w + b


def ffn(x, c_fc, c_proj):
    return linear(gelu(linear(x, **c_fc)), **c_proj)


def attention(q, k, v, mask):
    return softmax(q @ k.T / np.sqrt(q.shape[-1]) + mask) @ v


def mha(x, c_attn, c_proj, n_head):
    x = linear(x, **c_attn)
    qkv = np.split(x, 3, axis=-1)
    qkv_heads = list(map(lambda x: np.split(x, n_head, axis=-1), qkv))
    causal_mask = (1 - np.tri(x.shape[0])) * -1e10
    out_heads = [attention(q, k, v, causal_mask) for q, k, v in zip(*qkv_heads)]
    x = np.hstack(out_heads)
    return linear(x, **c_proj)


def transformer_block(x, mlp, attn, ln_1, ln_2, n_head):
    x = x + mha(layer_norm(x, **ln_1), **attn, n_head=n_head)
    x = x + ffn(layer_norm(x, **ln_2), **mlp)
    return x


def gpt2(inputs, wte, wpe, blocks, ln_f, n_head):
    x = wte[inputs] + wpe[range(len(inputs))]
    for block in blocks:
        x = transformer_block(x, **block, n_head=n_head)
    x = layer_norm(x, **ln_f)
    return x @ wte.T


def init_params(rs, n_vocab=11, n_ctx=8, n_embd=8, n_layer=2):
    def lin(i, o):
        return {"w": 0.2 * rs.randn(i, o), "b": np.zeros(o)}

    def ln():
        return {"g": np.ones(n_embd), "b": np.zeros(n_embd)}
    blocks = [{"mlp": {"c_fc": lin(n_embd, 4 * n_embd), "c_proj": lin(4 * n_embd, n_embd)},
               "attn": {"c_attn": lin(n_embd, 3 * n_embd), "c_proj": lin(n_embd, n_embd)},
               "ln_1": ln(), "ln_2": ln()} for _ in range(n_layer)]
    return {"wte": 0.3 * rs.randn(n_vocab, n_embd), "wpe": 0.1 * rs.randn(n_ctx, n_embd),
            "blocks": blocks, "ln_f": ln()}


def loss(params, inputs, n_head=2):
    logits = gpt2(inputs[:-1], **params, n_head=n_head)
    logp = logits - np.log(np.sum(np.exp(logits), axis=-1, keepdims=True))
    return -np.mean(logp[np.arange(len(inputs) - 1), inputs[1:]])


def main(steps=15, lr=0.5):
    rs = np.random.RandomState(0)
    params = init_params(rs)
    inputs = [1, 2, 3, 4, 5, 6, 7, 8]
    inputs = np.array(inputs)
    losses = [loss(params, inputs)]
    g = grad(loss)
    for _ in range(steps):
        gr = g(params, inputs)
        params = _tree_step(params, gr, lr)
        losses.append(loss(params, inputs))
    print(losses[0], losses[-1])
    return params, inputs, losses


def _tree_step(p, g, lr):
    if isinstance(p, dict):
        return {k: _tree_step(p[k], g[k], lr) for k in p}
    if isinstance(p, list):
        return [_tree_step(a, b, lr) for a, b in zip(p, g)]
    return p - lr * g
