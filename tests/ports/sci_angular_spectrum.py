"""Free-space propagation of a complex optical field by the angular-spectrum method:
fft2, the transfer function exp(i·kz·z) with kz = sqrt(k0² − kx² − ky²) taken in complex
arithmetic (evanescent waves decay), ifft2; a phase mask optimised by gradient ascent to
focus light on a target pixel.

Source: weenming/HTML5_physlab, angular_spectrum/sim/propagate.py (written for PyTorch;
here torch.fft → numpy.fft and .to(dtype) → .astype, nothing else), driven by a small
phase-design loop."""
import chainrule.numpy as np
import chainrule.numpy.fft as fft

n0 = 1.0


def propagate(X, pixel, wl, z, n=lambda wl: n0):
    N = X.shape[0]
    assert N == X.shape[1], 'support only square input for now'
    Xk = fft.fft2(X)
    kx = fft.fftfreq(N, d=pixel)
    ky = fft.fftfreq(N, d=pixel)
    kx, ky = kx.astype(X.dtype), ky.astype(X.dtype)
    k0 = n(wl) * 2 * np.pi / wl
    kz = np.sqrt(k0 ** 2 - (np.square(kx) + np.square(ky)[:, None]))
    Xk = np.exp(1j * kz * z) * Xk
    X = fft.ifft2(Xk)
    return X


N, pixel, wl, z = 16, 1.0, 0.9, 20.0
aperture = np.ones((N, N))


def focus(phase):
    field = aperture * np.exp(1j * phase)
    out = propagate(field.astype(np.complex128), pixel, wl, z)
    return np.abs(out[N // 2, N // 2])**2
