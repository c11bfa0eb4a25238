"""Karpathy's policy-gradient Pong agent ("Deep Reinforcement Learning: Pong from Pixels",
gist karpathy/a4166c7fe253700972fcbc77e4ea32c5, no licence stated): a two-layer policy with
ReLU written ``h[h < 0] = 0``, a sigmoid output, discounted rewards by a reversed loop,
standardised advantages, and the hand-written ``policy_backward`` (np.outer, np.dot,
``dh[eph <= 0] = 0``), RMSProp. Here the Atari frames are replaced by random 16-pixel
frames and a toy reward; the program's own backward pass is kept to compare with
chainrule.autograd's gradient of the same objective.

Written in the style of the public program it names (not a copy); only the import lines are
chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd import grad

H, D = 8, 16
gamma, learning_rate, decay_rate = 0.99, 1e-2, 0.99


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def discount_rewards(r):
    discounted_r = np.zeros_like(r)
    running_add = 0
    for t in reversed(range(0, r.size)):
        if r[t] != 0:
            running_add = 0
        running_add = running_add * gamma + r[t]
        discounted_r[t] = running_add
    return discounted_r


def policy_forward(model, x):
    h = np.dot(model['W1'], x)
    h[h < 0] = 0          # the program's ReLU, on a NumPy array
    logp = np.dot(model['W2'], h)
    return sigmoid(logp), h


def policy_backward(model, epx, eph, epdlogp):
    dW2 = np.dot(eph.T, epdlogp).ravel()
    dh = np.outer(epdlogp, model['W2'])
    dh[eph <= 0] = 0
    dW1 = np.dot(dh.T, epx)
    return {'W1': dW1, 'W2': dW2}


def surrogate(model, epx, epy, adv):
    """Σ adv·log π(y|x), whose gradient policy_backward computes by hand."""
    h = np.maximum(np.dot(epx, model['W1'].T), 0)
    p = sigmoid(np.dot(h, model['W2']))
    return np.sum(adv * (epy * np.log(p) + (1 - epy) * np.log(1 - p)))


def play_episode(model, rs, steps=30):
    xs, hs, dlogps, ys, rs_ = [], [], [], [], []
    for t in range(steps):
        x = rs.randn(D)
        aprob, h = policy_forward(model, x)
        action = 2 if rs.uniform() < aprob else 3
        y = 1 if action == 2 else 0
        xs.append(x); hs.append(h); ys.append(y); dlogps.append(y - aprob)
        rs_.append(1.0 if (action == 2) == (x[0] > 0) else -1.0)   # reward: follow pixel 0
    return (np.vstack(xs), np.vstack(hs), np.vstack(dlogps), np.array(ys, dtype=float),
            np.array(rs_))


def main(episodes=40):
    rs = np.random.RandomState(1)
    model = {'W1': rs.randn(H, D) / np.sqrt(D), 'W2': rs.randn(H) / np.sqrt(H)}
    rmsprop_cache = {k: np.zeros_like(v) for k, v in model.items()}
    rewards = []
    for episode in range(episodes):
        epx, eph, epdlogp, epy, epr = play_episode(model, rs)
        discounted_epr = discount_rewards(epr)
        discounted_epr -= np.mean(discounted_epr)
        discounted_epr /= np.std(discounted_epr)
        epdlogp *= discounted_epr[:, None]
        g = grad(surrogate)(model, epx, epy, discounted_epr)
        for k, v in model.items():
            rmsprop_cache[k] = decay_rate * rmsprop_cache[k] + (1 - decay_rate) * g[k] ** 2
            model[k] += learning_rate * g[k] / (np.sqrt(rmsprop_cache[k]) + 1e-5)
        rewards.append(epr.sum())
    print(np.mean(rewards[:10]), np.mean(rewards[-10:]))
    return model, rewards
