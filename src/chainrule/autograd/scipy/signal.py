"""autograd.scipy.signal: HIPS autograd's ``convolve``, with its own signature (``axes``,
``dot_axes``), built from chainrule.numpy (pad, take, einsum), so differentiable to any order.

>>> import numpy as onp
>>> from chainrule.autograd.scipy.signal import convolve
>>> convolve(onp.array([1.0, 2.0]), onp.array([1.0, 1.0, 1.0]))
array([1., 3., 3., 2.])
"""
import string

import chainrule.numpy as cnp

__all__ = ["convolve"]

_LETTERS = string.ascii_letters


def convolve(A, B, axes=None, dot_axes=[(), ()], mode="full"):  # noqa: B006 (autograd's)
    """autograd.scipy.signal.convolve: an N-D convolution of ``A`` and ``B`` along the paired
    ``axes`` (``[axes of A, axes of B]``; default all of A's, in order), contracting the paired
    ``dot_axes`` as a tensor dot product. The output's axes are A's other axes, then B's, then the
    convolved ones, with ``mode`` 'full' (size nA + nB − 1) or 'valid' (|nA − nB| + 1; one array
    must be at least as large as the other along every convolved axis).

    >>> import numpy as onp, chainrule as cr
    >>> x = onp.array([[1.0, 2.0], [3.0, 4.0]])
    >>> convolve(x, onp.ones((2, 2)), mode="valid")
    array([[10.]])
    >>> cr.grad(lambda k: convolve(x, k, mode="valid").sum())(onp.ones((2, 2)))
    array([[4., 3.],
           [2., 1.]])
    """
    if mode not in ("valid", "full"):
        raise ValueError(f"convolve: mode {mode!r} is not implemented (autograd's are 'full' and "
                         f"'valid')")
    A_shape, B_shape = cnp.shape(A), cnp.shape(B)
    if axes is None:
        axes = [list(range(len(A_shape))), list(range(len(A_shape)))]
    conv_A, conv_B = [list(a) for a in axes]
    dot_A, dot_B = [list(d) for d in dot_axes]
    if len(conv_A) != len(conv_B) or len(dot_A) != len(dot_B):
        raise ValueError("convolve: axes and dot_axes pair an axis of A with one of B")
    if mode == "valid":
        smaller_B = [B_shape[b] < A_shape[a] for a, b in zip(conv_A, conv_B)]
        if any(smaller_B):
            if not all(B_shape[b] <= A_shape[a] for a, b in zip(conv_A, conv_B)):
                raise ValueError("One array must be larger than the other along all convolved "
                                 "dimensions")
            out = convolve(B, A, axes=[conv_B, conv_A], dot_axes=[dot_B, dot_A], mode=mode)
            nB = len(B_shape) - len(conv_B) - len(dot_B)
            nA = len(A_shape) - len(conv_A) - len(dot_A)
            order = list(range(nB, nB + nA)) + list(range(nB)) + list(range(nA + nB, cnp.ndim(out)))
            return cnp.transpose(out, order)
    ign_A = [i for i in range(len(A_shape)) if i not in conv_A and i not in dot_A]
    ign_B = [i for i in range(len(B_shape)) if i not in conv_B and i not in dot_B]
    # A flipped along its convolved axes; B padded (full mode) and unfolded: each convolved axis
    # of length L becomes (nA, L − nA + 1) with entry [k, n] = B[k + n].
    A_flip = A[tuple(slice(None, None, -1) if i in conv_A else slice(None)
                     for i in range(len(A_shape)))]
    if mode == "full":
        pad = [(0, 0)] * len(B_shape)
        for a, b in zip(conv_A, conv_B):
            pad[b] = (A_shape[a] - 1, A_shape[a] - 1)
        B = cnp.pad(B, pad)
    B = cnp.transpose(B, ign_B + dot_B + conv_B)
    pos = len(ign_B) + len(dot_B)
    for a in conv_A:
        n_a, length = A_shape[a], cnp.shape(B)[pos]
        idx = cnp.arange(n_a)[:, None] + cnp.arange(length - n_a + 1)[None, :]
        B = cnp.take(B, idx, axis=pos)
        pos += 2
    letters = iter(_LETTERS)
    sA = {i: next(letters) for i in range(len(A_shape))}
    sub_B = [next(letters) for _ in ign_B] + [sA[a] for a in dot_A]
    out_conv = []
    for a in conv_A:
        n = next(letters)
        sub_B += [sA[a], n]
        out_conv.append(n)
    sub_A = "".join(sA[i] for i in range(len(A_shape)))
    out = "".join([sA[i] for i in ign_A] + sub_B[:len(ign_B)] + out_conv)
    return cnp.einsum(f"{sub_A},{''.join(sub_B)}->{out}", A_flip, B)
