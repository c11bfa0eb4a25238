"""``scipy.signal``'s filter design, waveforms and peak finding, passed through: SciPy's own
functions on plain values.

A program moved from SciPy designs its filter and then applies it,
``b, a = signal.butter(4, 0.2); y = signal.filtfilt(b, a, x)``: the design has no derivative
to carry (its inputs are the filter's order and cut-offs), the application is differentiable
(``filtfilt``, ``lfilter``, ``sosfilt`` in :mod:`chainrule.scipy.filters`). These names are
registered as constants (``creation``), like ``get_window``: a traced argument is refused
when SciPy converts it to an array, never dropped, and peak finding on a traced signal asks
for ``chainrule.stop_gradient`` (where the peaks are has no derivative).

>>> import numpy as np, chainrule as cr, chainrule.scipy.signal as csig
>>> b, a = csig.butter(2, 0.25)
>>> g = cr.grad(lambda x: csig.filtfilt(b, a, x).sum())(np.ones(16))
>>> g.shape, bool(np.all(np.isfinite(g)))
((16,), True)
"""

from ..core.registry import SIGNAL, CREATION
from ..primitives.declare import export
from ..primitives.scipy_linalg import scipy_module

__all__ = ["PASSED_THROUGH", "CLASSES"]

#: scipy.signal names chainrule.scipy.signal passes through unchanged.
PASSED_THROUGH = (
    # IIR and FIR design, and the order estimates
    "butter", "cheby1", "cheby2", "ellip", "bessel", "iirfilter", "iirdesign", "iirnotch",
    "iirpeak", "iircomb", "buttord", "cheb1ord", "cheb2ord", "ellipord", "firwin", "firwin2",
    "firls", "remez", "kaiserord", "kaiser_beta", "kaiser_atten", "minimum_phase",
    # frequency responses and the filter representations
    "freqz", "sosfreqz", "freqs", "freqz_zpk", "group_delay", "tf2sos", "sos2tf", "tf2zpk",
    "zpk2tf", "zpk2sos", "sos2zpk", "bilinear", "bilinear_zpk", "lp2lp", "lp2hp", "lp2bp",
    "lp2bs", "normalize", "savgol_coeffs", "sosfilt_zi",
    # waveforms and impulses
    "chirp", "sawtooth", "square", "gausspulse", "sweep_poly", "unit_impulse",
    # where the peaks and extrema are (indices)
    "find_peaks", "find_peaks_cwt", "peak_prominences", "peak_widths", "argrelextrema",
    "argrelmax", "argrelmin",
    # analog prototypes, zpk transformations, partial fractions, state space
    "buttap", "cheb1ap", "cheb2ap", "ellipap", "besselap", "lp2lp_zpk", "lp2hp_zpk",
    "lp2bp_zpk", "lp2bs_zpk", "freqs_zpk", "freqz_sos", "firwin_2d", "gammatone",
    "findfreqs", "band_stop_obj", "unique_roots", "invres", "invresz", "residue", "residuez",
    "abcd_normalize", "tf2ss", "ss2tf", "ss2zpk", "zpk2ss", "cont2discrete", "place_poles",
    # responses of a system (no signal in them: lsim's input signal is not passed through)
    "impulse", "step", "bode", "freqresp", "dimpulse", "dstep", "dbode", "dfreqresp",
    # sequences, windows' checks, lags
    "max_len_seq", "czt_points", "check_COLA", "check_NOLA", "correlation_lags",
    "choose_conv_method",
    # the dual window closest to a given one (ShortTimeFFT's windows: constants)
    "closest_STFT_dual_window",
)
#: scipy.signal's classes, the same objects (``isinstance`` and ``except`` work): systems
#: and SciPy's warning, looked up in SciPy when first asked for (``chainrule.scipy.signal``'s
#: module ``__getattr__``). A traced signal given to one of their methods is refused by the
#: conversion to an array.
CLASSES = ("lti", "dlti", "StateSpace", "TransferFunction", "ZerosPolesGain", "BadCoefficients")


def _pass_through(name):
    def fn(*args, **kwargs):
        return getattr(scipy_module("signal"), name)(*args, **kwargs)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"``scipy.signal.{name}``, SciPy's own function on plain values (see this "
                  f"module's docstring: no derivative to carry, a traced argument refused).\n\n"
                  f"    >>> import chainrule.scipy.signal as csig\n"
                  f"    >>> callable(csig.{name}) and csig.butter(2, 0.25)[0].shape == (3,)\n"
                  f"    True\n")
    return fn


for _name in PASSED_THROUGH:
    export(_name, namespace=SIGNAL, kind=CREATION)(_pass_through(_name))
