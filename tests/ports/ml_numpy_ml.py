"""Pieces of ddbourgin/numpy-ml (GPL-3.0 licence), a NumPy library whose every layer carries a
hand-written derivative: the activations of numpy_ml/neural_nets/activations/activations.py
(each with ``grad`` and ``grad2``), the losses of losses/losses.py (SquaredError by
np.linalg.norm, CrossEntropy, VAELoss with np.clip, the WGAN-GP critic loss, whose gradient
penalty needs the critic's gradient in its input: a second derivative when trained) and the
convolution of utils/utils.py (pad2D by np.pad, im2col by a fancy index ``X_pad[:, k, i, j]``
built with np.repeat and np.tile; its hand-written backward col2im scatters with np.add.at).
chainrule.autograd's derivatives are set beside the program's own.

Written in the style of the public program it names (not a copy; only the parts named, the
class hierarchy flattened); only the import lines are chainrule's."""
import chainrule.autograd.numpy as np
from chainrule.autograd import grad, elementwise_grad


# ---- activations ------------------------------------------------------------------------
class Sigmoid:
    def fn(self, z):
        return 1 / (1 + np.exp(-z))

    def grad(self, x):
        fn_x = self.fn(x)
        return fn_x * (1 - fn_x)

    def grad2(self, x):
        fn_x = self.fn(x)
        return fn_x * (1 - fn_x) * (1 - 2 * fn_x)


class ReLU:
    def fn(self, z):
        return np.clip(z, 0, np.inf)

    def grad(self, x):
        return (x > 0).astype(int)

    def grad2(self, x):
        return np.zeros_like(x)


class LeakyReLU:
    def __init__(self, alpha=0.3):
        self.alpha = alpha

    def fn(self, z):
        _z = z.copy()
        _z[z < 0] = _z[z < 0] * self.alpha
        return _z

    def grad(self, x):
        out = np.ones_like(x)
        out[x < 0] *= self.alpha
        return out


class GELU:
    def fn(self, z):
        pi, sqrt, tanh = np.pi, np.sqrt, np.tanh
        return 0.5 * z * (1 + tanh(sqrt(2 / pi) * (z + 0.044715 * z ** 3)))


class Tanh:
    def fn(self, z):
        return np.tanh(z)

    def grad(self, x):
        return 1 - np.tanh(x) ** 2

    def grad2(self, x):
        tanh_x = np.tanh(x)
        return -2 * tanh_x * (1 - tanh_x ** 2)


class ELU:
    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fn(self, z):
        return np.where(z > 0, z, self.alpha * (np.exp(z) - 1))

    def grad(self, x):
        return np.where(x > 0, np.ones_like(x), self.alpha * np.exp(x))

    def grad2(self, x):
        return np.where(x >= 0, np.zeros_like(x), self.alpha * np.exp(x))


class Exponential:
    def fn(self, z):
        return np.exp(z)

    def grad(self, x):
        return np.exp(x)

    def grad2(self, x):
        return np.exp(x)


class SELU:
    def __init__(self):
        self.alpha = 1.6732632423543772848170429916717
        self.scale = 1.0507009873554804934193349852946
        self.elu = ELU(alpha=self.alpha)

    def fn(self, z):
        return self.scale * self.elu.fn(z)

    def grad(self, x):
        return np.where(x >= 0, np.ones_like(x) * self.scale, np.exp(x) * self.alpha * self.scale)

    def grad2(self, x):
        return np.where(x > 0, np.zeros_like(x), np.exp(x) * self.alpha * self.scale)


class HardSigmoid:
    def fn(self, z):
        return np.clip((0.2 * z) + 0.5, 0.0, 1.0)

    def grad(self, x):
        return np.where((x >= -2.5) & (x <= 2.5), 0.2, 0)

    def grad2(self, x):
        return np.zeros_like(x)


class SoftPlus:
    def fn(self, z):
        return np.log(np.exp(z) + 1)

    def grad(self, x):
        exp_x = np.exp(x)
        return exp_x / (exp_x + 1)

    def grad2(self, x):
        exp_x = np.exp(x)
        return exp_x / ((exp_x + 1) ** 2)


def autograd_derivatives(act, x):
    """(f', f'') of an activation by elementwise_grad, once and twice."""
    d1 = elementwise_grad(act.fn)
    return d1(x), elementwise_grad(d1)(x)


# ---- losses -----------------------------------------------------------------------------
def squared_error(y, y_pred):
    return 0.5 * np.linalg.norm(y_pred - y) ** 2


def cross_entropy(y, y_pred):
    eps = np.finfo(float).eps
    return -np.sum(y * np.log(y_pred + eps))


def softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def vae_loss(y, y_pred, t_mean, t_log_var):
    eps = np.finfo(float).eps
    y_pred = np.clip(y_pred, eps, 1 - eps)
    rec_loss = -np.sum(y * np.log(y_pred) + (1 - y) * np.log(1 - y_pred), axis=1)
    kl_loss = -0.5 * np.sum(1 + t_log_var - t_mean ** 2 - np.exp(t_log_var), axis=1)
    return np.mean(kl_loss + rec_loss)


def vae_loss_grad(y, y_pred, t_mean, t_log_var):
    N = y.shape[0]
    eps = np.finfo(float).eps
    y_pred = np.clip(y_pred, eps, 1 - eps)
    dY_pred = -y / (N * y_pred) - (y - 1) / (N - N * y_pred)
    dLogVar = (np.exp(t_log_var) - 1) / (2 * N)
    dMean = t_mean / N
    return dY_pred, dLogVar, dMean


def wgan_gp_critic_loss(Y_fake, Y_real, gradInterp, lambda_=10):
    X_interp_norm = np.linalg.norm(gradInterp, axis=1, keepdims=True)
    gradient_penalty = (X_interp_norm - 1) ** 2
    return Y_fake.mean() - Y_real.mean() + lambda_ * gradient_penalty.mean()


def wgan_gp_critic_grad(Y_fake, Y_real, gradInterp, lambda_=10):
    eps = np.finfo(float).eps
    n_ex_fake, n_ex_real = Y_fake.shape[0], Y_real.shape[0]
    dY_fake = -1 / n_ex_fake * np.ones_like(Y_fake)
    dY_real = 1 / n_ex_real * np.ones_like(Y_real)
    X_interp_norm = np.linalg.norm(gradInterp, axis=1, keepdims=True) + eps
    dGradInterp = (2 / n_ex_fake) * lambda_ * (X_interp_norm - 1) * (gradInterp / X_interp_norm)
    return dY_fake, dY_real, dGradInterp


def critic(params, X):
    W1, w2 = params
    return np.tanh(X @ W1) @ w2


def wgan_gp_objective(params, X_real, X_fake, alpha):
    """The critic's loss as a function of its weights: the penalty's gradInterp is the critic's
    gradient in its input, taken by autograd inside the objective."""
    X_interp = alpha * X_real + (1 - alpha) * X_fake
    gradInterp = elementwise_grad(lambda X: critic(params, X))(X_interp)
    return wgan_gp_critic_loss(critic(params, X_fake), critic(params, X_real), gradInterp)


# ---- convolution by im2col --------------------------------------------------------------
def pad2D(X, pad):
    p = (pad, pad, pad, pad) if isinstance(pad, int) else pad
    X_pad = np.pad(X, pad_width=((0, 0), (p[0], p[1]), (p[2], p[3]), (0, 0)),
                   mode="constant", constant_values=0)
    return X_pad, p


def _im2col_indices(X_shape, fr, fc, p, s, d=0):
    pr1, pr2, pc1, pc2 = p
    n_ex, n_in, in_rows, in_cols = X_shape
    _fr, _fc = fr * (d + 1) - d, fc * (d + 1) - d
    out_rows = (in_rows + pr1 + pr2 - _fr) // s + 1
    out_cols = (in_cols + pc1 + pc2 - _fc) // s + 1
    i0 = np.repeat(np.arange(fr), fc)
    i0 = np.tile(i0, n_in) * (d + 1)
    i1 = s * np.repeat(np.arange(out_rows), out_cols)
    j0 = np.tile(np.arange(fc), fr * n_in) * (d + 1)
    j1 = s * np.tile(np.arange(out_cols), out_rows)
    i = i0.reshape(-1, 1) + i1.reshape(1, -1)
    j = j0.reshape(-1, 1) + j1.reshape(1, -1)
    k = np.repeat(np.arange(n_in), fr * fc).reshape(-1, 1)
    return k, i, j


def im2col(X, W_shape, pad, stride, dilation=0):
    fr, fc, n_in, n_out = W_shape
    s, d = stride, dilation
    n_ex, in_rows, in_cols, n_in = X.shape
    X_pad, p = pad2D(X, pad)
    X_pad = X_pad.transpose(0, 3, 1, 2)
    k, i, j = _im2col_indices((n_ex, n_in, in_rows, in_cols), fr, fc, p, s, d)
    X_col = X_pad[:, k, i, j]
    X_col = X_col.transpose(1, 2, 0).reshape(fr * fc * n_in, -1)
    return X_col, p


def col2im(X_col, X_shape, W_shape, pad, stride, dilation=0):
    s, d = stride, dilation
    pr1, pr2, pc1, pc2 = pad
    fr, fc, n_in, n_out = W_shape
    n_ex, in_rows, in_cols, n_in = X_shape
    X_pad = np.zeros((n_ex, n_in, in_rows + pr1 + pr2, in_cols + pc1 + pc2))
    k, i, j = _im2col_indices((n_ex, n_in, in_rows, in_cols), fr, fc, pad, s, d)
    X_col_reshaped = X_col.reshape(n_in * fr * fc, -1, n_ex)
    X_col_reshaped = X_col_reshaped.transpose(2, 0, 1)
    np.add.at(X_pad, (slice(None), k, i, j), X_col_reshaped)
    pr2 = None if pr2 == 0 else -pr2
    pc2 = None if pc2 == 0 else -pc2
    return X_pad[:, :, pr1:pr2, pc1:pc2]


def conv2D(X, W, stride, pad, dilation=0):
    s, d = stride, dilation
    _, p = pad2D(X, pad)
    pr1, pr2, pc1, pc2 = p
    fr, fc, in_ch, out_ch = W.shape
    n_ex, in_rows, in_cols, in_ch = X.shape
    _fr, _fc = fr * (d + 1) - d, fc * (d + 1) - d
    out_rows = int((in_rows + pr1 + pr2 - _fr) / s + 1)
    out_cols = int((in_cols + pc1 + pc2 - _fc) / s + 1)
    X_col, _ = im2col(X, W.shape, p, s, d)
    W_col = W.transpose(3, 2, 0, 1).reshape(out_ch, -1)
    return (W_col @ X_col).reshape(out_ch, out_rows, out_cols, n_ex).transpose(3, 1, 2, 0)


def conv2D_backward(dLdZ, X, W, stride, pad):
    """numpy-ml's Conv2D.backward for one layer without activation: dX by col2im, dW by a
    product with the columns."""
    fr, fc, in_ch, out_ch = W.shape
    X_col, p = im2col(X, W.shape, pad, stride)
    W_col = W.transpose(3, 2, 0, 1).reshape(out_ch, -1).T
    dZ_col = dLdZ.transpose(3, 1, 2, 0).reshape(out_ch, -1)
    dW = (dZ_col @ X_col.T).reshape(out_ch, in_ch, fr, fc).transpose(2, 3, 1, 0)
    dX_col = W_col @ dZ_col
    dX = col2im(dX_col, X.shape, W.shape, p, stride).transpose(0, 2, 3, 1)
    return dX, dW


def main():
    rs = np.random.RandomState(0)
    X = rs.randn(2, 5, 5, 3)
    W = rs.randn(3, 3, 3, 4)
    Z = conv2D(X, W, 1, 1)
    return X, W, Z
