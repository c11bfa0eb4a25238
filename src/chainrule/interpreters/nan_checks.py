"""``debug_nans``: stop at the first primitive whose value, tangent or cotangent turns NaN.

Off (the default), nothing here runs: turning it on swaps checking versions of
:meth:`JVPTrace.process <chainrule.interpreters.forward.JVPTrace.process>` and
:meth:`ReverseTrace.process <chainrule.interpreters.reverse.ReverseTrace.process>` into
the two classes, and hands :func:`~chainrule.interpreters.reverse.backward_pass` a
checker, which it reads once per backward pass. On, every operation a transformation
traces is checked: an output value or tangent, or a cotangent contribution, that holds a
NaN while the values it was computed from hold none raises :class:`FloatingPointError`
naming the primitive and the line of user code that called it (the first frame outside
the chainrule package). A NaN that came in with the inputs is passed on, so the error
points at where NaN was first made. The switch is process-wide.

>>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
>>> with cr.debug_nans():      # doctest: +ELLIPSIS
...     cr.grad(lambda x: cnp.sum(cnp.log(x - 1.0)))(np.array([0.5, 2.0]))
Traceback (most recent call last):
    ...
FloatingPointError: debug_nans: the value of 'log' is NaN ...
"""

import contextlib
import linecache
import os
import sys
import weakref

import numpy as np

from ..core.primitive import Tracer, full_lower
from . import forward, reverse

__all__ = ["debug_nans", "config", "enable", "disable", "user_site"]

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_jvp_process = forward.JVPTrace.process
_reverse_process = reverse.ReverseTrace.process
# id(tape) -> {output var id: site}: where each recorded operation was called, so that a
# cotangent found NaN in the backward pass can name the user's line, not the tape walk's.
_sites = {}
_depth = [0]
#: ``[n]``: how many :func:`enable` calls are in force; jit's generated programs read it
#: (a list index costs less than calling :func:`active` on every replay)
depth = _depth


def user_site():
    """'file:line in function: source' of the first caller outside the chainrule package."""
    f = sys._getframe(1)
    while f is not None and f.f_code.co_filename.startswith(_PACKAGE):
        f = f.f_back
    if f is None:
        return "(no caller outside chainrule)"
    src = linecache.getline(f.f_code.co_filename, f.f_lineno).strip()
    where = f"{f.f_code.co_filename}:{f.f_lineno} in {f.f_code.co_name}"
    return f"{where}: {src}" if src else where


def _has_nan(x):
    if x is None:
        return False
    if type(x) is tuple or type(x) is list:
        return any(_has_nan(e) for e in x)
    x = full_lower(x)
    try:
        return bool(np.any(np.isnan(x)))
    except TypeError:  # not a float (None, an index, a dtype)
        return False


def _raise(what, prim, site):
    raise FloatingPointError(
        f"debug_nans: the {what} of '{prim.name}' is NaN although its inputs hold no NaN, "
        f"at {site}. (chainrule.debug_nans is on; turn it off to let NaN propagate.)")


def _checked_jvp_process(self, prim, args, params):
    out = _jvp_process(self, prim, args, params)
    outs = out if type(out) is tuple else (out,)
    vals = [a._value if isinstance(a, forward.JVPTracer) and a._trace is self else a
            for a in args]
    if any(_has_nan(o._value if isinstance(o, forward.JVPTracer) else o) for o in outs) \
            and not _has_nan(vals):
        _raise("value", prim, user_site())
    tans = [o._tangent for o in outs if isinstance(o, forward.JVPTracer) and o._trace is self]
    if _has_nan(tans):
        ins = [a._tangent for a in args if isinstance(a, forward.JVPTracer) and a._trace is self]
        if not _has_nan(ins) and not _has_nan(vals):
            _raise("tangent", prim, user_site())
    return out


def _checked_reverse_process(self, prim, args, params):
    out = _reverse_process(self, prim, args, params)
    site = user_site()
    outs = out if type(out) is tuple else (out,)
    if any(_has_nan(o) for o in outs) and not _has_nan(list(args)):
        _raise("value", prim, site)
    sites = _sites.get(id(self.tape))
    if sites is None:
        sites = _sites[id(self.tape)] = {}
        weakref.finalize(self, _sites.pop, id(self.tape), None)
    mine = [o._id for o in outs if isinstance(o, reverse.ReverseTracer) and o._trace is self]
    if mine:
        sites[mine[0] if len(mine) == 1 and type(out) is not tuple else tuple(mine)] = site
    return out


def _check_cotangent(prim, g, vals, contributions, tape, out):
    """Called by backward_pass after an equation's cotangent contributions are computed."""
    if _has_nan(contributions) and not _has_nan(g) and not _has_nan(list(vals)):
        site = _sites.get(id(tape), {}).get(out, "(recorded before debug_nans was turned on)")
        _raise("cotangent", prim, site)


def enable():
    """Turn the checks on (nests: each enable needs its disable)."""
    _depth[0] += 1
    if _depth[0] == 1:
        forward.JVPTrace.process = _checked_jvp_process
        reverse.ReverseTrace.process = _checked_reverse_process
        reverse.nan_check[0] = _check_cotangent


def active():
    """Whether the checks are on (jit then runs eagerly, where they apply)."""
    return _depth[0] > 0


def disable():
    """Undo one :func:`enable`; the checks stop when every enable is undone."""
    if _depth[0] == 0:
        return
    _depth[0] -= 1
    if _depth[0] == 0:
        forward.JVPTrace.process = _jvp_process
        reverse.ReverseTrace.process = _reverse_process
        reverse.nan_check[0] = None
        _sites.clear()


@contextlib.contextmanager
def debug_nans(enabled=True):
    """Context manager: raise at the first primitive whose value, tangent or cotangent
    becomes NaN from inputs without NaN, naming it and the user's line that called it.

    It checks what a transformation (grad, jvp, vjp, jacfwd, jacrev, hessian, …) traces;
    off, it costs nothing. ``chainrule.config.debug_nans = True`` turns it on for good.

    >>> import numpy as np, chainrule as cr, chainrule.numpy as cnp
    >>> f = lambda x: cnp.sqrt(x * 0.0)      # d/dx: inf (√ at 0) times 0 = nan
    >>> cr.grad(f)(1.0)
    np.float64(nan)
    >>> with cr.debug_nans():
    ...     cr.grad(f)(1.0)                   # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    FloatingPointError: debug_nans: the cotangent of 'multiply' is NaN ...
    """
    if not enabled:
        yield
        return
    enable()
    try:
        yield
    finally:
        disable()


class _Config:
    """Process-wide switches: ``chainrule.config.debug_nans`` (default False).

    >>> import chainrule as cr
    >>> cr.config.debug_nans
    False
    """

    __slots__ = ("_on",)

    def __init__(self):
        self._on = False

    @property
    def debug_nans(self):
        return self._on

    @debug_nans.setter
    def debug_nans(self, on):
        on = bool(on)
        if on != self._on:
            self._on = on
            enable() if on else disable()

    def __repr__(self):
        return f"chainrule.config(debug_nans={self._on})"


config = _Config()
