"""A noisy sine, low-pass filtered forward and backward with a 4th-order Butterworth filter
(scipy.signal.butter, filtfilt), then its power spectral density by Welch's method.

Source: EE-RahulKumarJha/Signal-Processing-using-Python, SignalProcessing.py; only the import
lines name chainrule (`from chainrule.scipy import signal`). The script became a function of
the sine's amplitude; the plots are left out."""
import chainrule.numpy as np
from chainrule.scipy import signal

t = np.linspace(0, 10, 1000, endpoint=False)
np.random.seed(0)
noise = 0.5 * np.random.randn(1000)


def spectrum(amplitude):
    x = amplitude * np.sin(2 * np.pi * t) + noise
    b, a = signal.butter(4, 0.2, 'lowpass')
    y = signal.filtfilt(b, a, x)
    f, Pxx = signal.welch(y, fs=100)
    return f, Pxx, y


def power_at_1hz(amplitude):
    f, Pxx, y = spectrum(amplitude)
    return np.sum(Pxx[(f > 0.5) & (f < 1.5)])
