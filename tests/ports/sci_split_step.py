"""A wavepacket in a harmonic trap by an operator-splitting scheme written with NumPy's FFT
helpers: a potential step in position space, then the kinetic step in momentum space
through fft, fftshift, fftfreq, ifftshift and ifft; the potential tabulated with a Python
loop.

Source: yaoyuan5/physicsHackathon, new.py (`from numpy import *` style kept); only the
import line names chainrule.numpy. The loop is a function of the initial width w; the grid
cut to dx = 0.05, 20 steps."""
from chainrule.numpy import *
N = 20
dt = 0.001
dx = 0.05
x = arange(-10, 10, dx)
hbar = 1.
m = 1.


def V(x):
    if abs(x) > 100.:
        return 0
    else:
        return x**2


def nonlinearStep(data_init, x, V_array, dt):
    data1 = data_init + V_array * data_init * dt / (1.j * hbar)
    return data1


def fourierStep(data_init, x, dt):
    data1 = fft.fft(data_init)
    data2 = fft.fftshift(data1)
    h = fft.fftfreq(len(x), (x[3] - x[2]))
    h1 = fft.fftshift(h)
    data3 = -4 * pi**2 * h1**2 * data2 * dt * 1.j * hbar / (2. * m) + data2
    data4 = fft.ifftshift(data3)
    data5 = fft.ifft(data4)
    return data5


def run(w):
    V_array = []
    for j in arange(0, len(x)):
        V_array.append(V(x[j]))
    V_array = array(V_array)
    f_ini = exp(-w * x**2)
    for k in range(N):
        a = nonlinearStep(f_ini, x, V_array, dt)
        b = fourierStep(a, x, dt)
        f_ini = b
    return f_ini


def mean_square_position(w):
    p = abs(run(w))**2
    return sum(x**2 * p) / sum(p)
