"""A small convolutional layer trained by SGD on synthetic 8×8 images.

Two classes of images (a horizontal bar or a vertical bar, at a random place, plus noise) are
told apart by one layer of three 3×3 filters (``convolve`` in mode 'valid', 8×8 -> 6×6) with a
bias and tanh, followed by a linear readout to a logit, trained with the logistic loss by plain
gradient descent. Written with autograd's numpy and chainrule's ``scipy.signal.convolve`` (autograd's
own ``convolve`` has another signature).

    python examples/conv_layer.py
"""
import chainrule.autograd as autograd
import chainrule.autograd.numpy as np
import chainrule.autograd.numpy.random as npr
from chainrule.autograd.misc import flatten
from chainrule.scipy.signal import convolve

SIZE, KSIZE, NFILT = 8, 3, 3
OUT = SIZE - KSIZE + 1


def make_data(n=24, seed=0):
    rs = npr.RandomState(seed)
    images, labels = [], []
    for i in range(n):
        img = 0.3 * rs.randn(SIZE, SIZE)
        where = rs.randint(1, SIZE - 1)
        if i % 2 == 0:
            img[where, 1:-1] += 1.0       # horizontal bar: label 1
        else:
            img[1:-1, where] += 1.0       # vertical bar: label 0
        images.append(img)
        labels.append(1.0 if i % 2 == 0 else 0.0)
    return np.array(images), np.array(labels)


def init_params(seed=1):
    rs = npr.RandomState(seed)
    return {"filters": 0.5 * rs.randn(NFILT, KSIZE, KSIZE),
            "bias": np.zeros(NFILT),
            "readout": 0.1 * rs.randn(NFILT * OUT * OUT),
            "offset": 0.0}


def features(params, image):
    maps = [np.tanh(convolve(image, params["filters"][f], mode="valid") + params["bias"][f])
            for f in range(NFILT)]
    return np.concatenate([np.reshape(m, (-1,)) for m in maps])


def logits(params, images):
    return np.array([np.dot(features(params, img), params["readout"]) for img in images]) + params["offset"]


def make_loss(images, labels):
    def loss(params):
        z = logits(params, images)
        # logistic loss, log(1 + e^{-z}) for label 1 and log(1 + e^{z}) for label 0
        return np.mean(np.logaddexp(0.0, -z) * labels + np.logaddexp(0.0, z) * (1.0 - labels))
    return loss


def main(verbose=True, num_steps=15, step_size=0.5):
    images, labels = make_data()
    loss = make_loss(images, labels)
    params = init_params()
    start = params
    value_and_grad = autograd.value_and_grad(loss)
    losses = []
    for _ in range(num_steps):
        value, g = value_and_grad(params)
        losses.append(float(value))
        params = {k: params[k] - step_size * g[k] for k in params}
    losses.append(float(loss(params)))
    accuracy = float(np.mean((logits(params, images) > 0) == (labels > 0.5)))
    if verbose:
        print(f"logistic loss: {losses[0]:.4f} -> {losses[-1]:.4f} after {num_steps} SGD steps")
        print("every 5 steps:", [round(v, 4) for v in losses[::5]])
        print(f"training accuracy: {accuracy:.2f}; {len(flatten(params)[0])} parameters")
    return {"initial": losses[0], "final": losses[-1], "losses": losses, "accuracy": accuracy,
            "loss": loss, "start": start, "params": params}


if __name__ == "__main__":
    main()
