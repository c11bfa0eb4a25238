"""Gradient checking done right: central differences in float64, h ≈ ε^(1/3).

The central difference [f(x+hv) - f(x-hv)] / 2h has truncation error O(h²)
and rounding error O(ε/h); their sum is smallest near h = ε^(1/3) (about
6e-6 in float64), where the error is about ε^(2/3) ≈ 4e-11 relative. In
float32 the same analysis gives an error near 1e-5 at best, which hides real
bugs: a check in float32 is meaningless, so inputs are promoted to float64
and a warning says so.

Complex inputs and outputs are checked with JAX's convention (docs/complex.md): the
direction v is complex, so the forward check covers the real and the imaginary
directions of each element at once, and reverse mode is checked through the pairing
⟨c, t⟩ = Re Σ c·t under which ``vjp`` is the transpose of ``jvp``.

Uses the public API only.
"""

import warnings

import numpy as np

from .transforms import jvp, vjp
from .core import tree as pytree

__all__ = ["check_grads", "GradientCheckError", "central_difference", "fd_step"]

_EPS64 = np.finfo(np.float64).eps


class GradientCheckError(AssertionError):
    """Automatic and numerical derivatives disagree."""


def fd_step(x):
    """The central-difference step for ``x``: ε^(1/3) · max(1, max|x|).

    >>> import numpy as np
    >>> bool(fd_step(0.5) == np.finfo(float).eps ** (1 / 3))   # |x| <= 1: ε^(1/3)
    True
    >>> float(fd_step(np.array([1.0, -3.0])) / fd_step(1.0))      # scaled by max|x|
    3.0
    """
    return _EPS64 ** (1.0 / 3.0) * max(1.0, float(np.max(np.abs(x))) if np.size(x) else 1.0)


def central_difference(f, args, direction, h=None):
    """Directional derivative of ``f`` at ``args`` along ``direction`` by central differences.

    >>> round(float(central_difference(lambda x: x ** 3, (2.0,), (1.0,))), 6)
    12.0
    """
    flat, tdef = pytree.flatten(tuple(args))
    dflat, _ = pytree.flatten(tuple(direction))
    if h is None:
        h = min(fd_step(x) for x in flat) if flat else 1e-5
    plus = pytree.unflatten(tdef, [x + h * d for x, d in zip(flat, dflat)])
    minus = pytree.unflatten(tdef, [x - h * d for x, d in zip(flat, dflat)])
    fp, fm = pytree.flatten(f(*plus))[0], pytree.flatten(f(*minus))[0]
    return pytree.unflatten(pytree.flatten(f(*args))[1],
                       [(np.asarray(a) - np.asarray(b)) / (2 * h) for a, b in zip(fp, fm)])


_WIDE = {"f": np.float64, "c": np.complex128}


def _to_float64(args):
    def promote(x):
        a = np.asarray(x)
        if a.dtype.kind in _WIDE and a.dtype != _WIDE[a.dtype.kind]:
            return a.astype(_WIDE[a.dtype.kind])
        return x
    flat, tdef = pytree.flatten(tuple(args))
    low = [x for x in flat if np.asarray(x).dtype.kind in _WIDE
           and np.asarray(x).dtype != _WIDE[np.asarray(x).dtype.kind]]
    if low:
        warnings.warn(
            f"check_grads: inputs in {np.asarray(low[0]).dtype} were promoted to float64. A "
            f"finite-difference check in float32 is meaningless: rounding error O(ε/h) with "
            f"ε ≈ 1.2e-7 swamps the derivative error it should reveal. Always check in float64.",
            UserWarning, stacklevel=3)
    return pytree.unflatten(tdef, [promote(x) for x in flat])


def _random_of(x, rng, scale=1.0):
    """A random array (or Python number) shaped like ``x``; complex when ``x`` is."""
    r = rng.standard_normal(np.shape(x)) * scale
    if np.asarray(x).dtype.kind == "c":
        r = r + 1j * rng.standard_normal(np.shape(x)) * scale
        return r if np.ndim(x) else complex(r)
    return r if np.ndim(x) else float(r)


def _random_like(tree, rng):
    flat, tdef = pytree.flatten(tree)
    return pytree.unflatten(tdef, [_random_of(x, rng) for x in flat])


_H = _EPS64 ** (1.0 / 3.0)


def _scaled_direction(tree, rng):
    flat, tdef = pytree.flatten(tree)
    return pytree.unflatten(tdef, [_random_of(x, rng, np.maximum(1.0, np.abs(np.asarray(x))))
                              for x in flat])


def _auto_atol(fx):
    """Absolute tolerance from the size of the function's values: the rounding error of a
    central difference is about ε·|f|/h = ε^(2/3)·|f|, so allow a hundred times that."""
    leaves = [np.abs(np.asarray(x)) for x in pytree.flatten(fx)[0]]
    size = max([float(np.max(x)) for x in leaves if x.size] + [1.0])
    return 100.0 * _EPS64 ** (2.0 / 3.0) * size


def _wide(x):
    a = np.asarray(x)
    return a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)


def _vdot(a, b):
    """The pairing ⟨a, b⟩ = Re Σ a·b (no conjugate: JAX's convention for complex values)."""
    fa, fb = pytree.flatten(a)[0], pytree.flatten(b)[0]
    return float(np.real(sum(np.sum(_wide(x) * _wide(y)) for x, y in zip(fa, fb))))


def _close(ad, fd, rtol, atol, where):
    fa, ff = pytree.flatten(ad)[0], pytree.flatten(fd)[0]
    worst = (0.0, 0.0, 0.0)
    for a, b in zip(fa, ff):
        a, b = _wide(a), _wide(b)
        err = np.abs(a - b)
        tol = atol + rtol * np.abs(b)
        if err.size:
            k = int(np.argmax(err - tol))
            e, t = float(err.flat[k]), float(tol.flat[k])
            if e - t > worst[0] - worst[1] or worst == (0.0, 0.0, 0.0):
                worst = (e, t, b.flat[k].item())
    if worst[0] > worst[1]:
        raise GradientCheckError(
            f"{where}: automatic derivative differs from central finite differences by "
            f"{worst[0]:.3e} (tolerance {worst[1]:.3e}, finite-difference value {worst[2]:.6g})")


def check_grads(f, args, order=2, modes=("fwd", "rev"), rtol=1e-6, atol=None, seed=0):
    """Check ``f``'s derivatives at ``args`` against central finite differences.

    For each differentiable argument separately and each mode: forward mode
    compares J·v (``jvp``) with the central difference along a random v;
    reverse mode compares ⟨uᵀJ, v⟩ (``vjp``) with ⟨u, central difference⟩.
    With ``order=2`` the same checks run on the derivative functions
    themselves, so second derivatives (forward-over-forward,
    reverse-over-reverse and the mixed ones) are checked too.

    Each element x_i is stepped by h·max(1, |x_i|) with h = ε^(1/3). The
    tolerance is ``rtol`` relative to the finite difference plus ``atol``,
    which by default is 100·ε^(2/3)·max(1, |f|), the scale of the central
    difference's own rounding error (so tiny derivatives are still checked).

    Raises :class:`GradientCheckError` naming the worst argument, its error
    and the tolerance. Arguments in float32 are promoted to float64 with a
    warning (a float32 check is meaningless).

    >>> import chainrule as cr, chainrule.numpy as cnp
    >>> cr.check_grads(lambda x, y: (x + y) * cnp.sin(y), (1.0, cnp.pi / 2))
    """
    if not isinstance(args, (tuple, list)):
        raise TypeError(f"check_grads(f, args): args is the tuple of f's arguments, e.g. "
                        f"cr.check_grads(f, (x,)); got a {type(args).__name__}")
    args = _to_float64(tuple(args))
    for m in modes:
        if m not in ("fwd", "rev"):
            raise ValueError(f"check_grads: unknown mode {m!r}; use 'fwd' and/or 'rev'")
    rng = np.random.default_rng(seed)
    _check(f, args, order, modes, rtol, atol, rng, "f")


def _differentiable_positions(args):
    return [i for i, a in enumerate(args)
            if all(np.asarray(x).dtype.kind in "fc" for x in pytree.flatten(a)[0])
            and pytree.flatten(a)[0]]


def _check(f, args, order, modes, rtol, atol, rng, name):
    positions = _differentiable_positions(args)
    for i in positions:
        def fi(xi, i=i):
            a = list(args)
            a[i] = xi
            return f(*a)
        # Each element moves by h·max(1, |x_i|) with h = ε^(1/3): the direction is scaled
        # per element, so large and small entries of one array are both stepped well.
        v = _scaled_direction(args[i], rng)
        fd = central_difference(fi, (args[i],), (v,), h=_H)
        tol = atol if atol is not None else _auto_atol(fi(args[i]))
        if "fwd" in modes:
            _, tan = jvp(fi, (args[i],), (v,))
            _close(tan, fd, rtol, tol, f"forward mode (jvp) of {name}, argument {i}")
        if "rev" in modes:
            out, pullback = vjp(fi, args[i])
            u = _random_like(out, rng)
            (ct,) = pullback(u)
            ad, num = _vdot(ct, v), _vdot(u, fd)
            scale = sum(float(np.sum(np.abs(x))) for x in pytree.flatten(u)[0])
            _close(ad, num, rtol, tol * max(1.0, scale),
                   f"reverse mode (vjp) of {name}, argument {i}")
        if order > 1:
            if "fwd" in modes:
                def df(*a, i=i, v=v):
                    return jvp(lambda xi: f(*a[:i], xi, *a[i + 1:]), (a[i],), (v,))[1]
                _check(df, args, order - 1, modes, rtol, atol, rng, f"jvp({name})")
            if "rev" in modes:
                out = f(*args)
                u = _random_like(out, rng)

                def rf(*a, i=i, u=u):
                    return vjp(lambda xi: f(*a[:i], xi, *a[i + 1:]), a[i])[1](u)[0]
                _check(rf, args, order - 1, modes, rtol, atol, rng, f"vjp({name})")
