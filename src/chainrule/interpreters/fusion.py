"""Fusion of elementwise chains of a staged program into one ``numexpr`` evaluation.

With ``cr.jit(f, fuse=True)`` and the optional ``numexpr`` installed, :func:`fuse`
rewrites the steps of a staged program (see :mod:`.staged`): a chain of elementwise
float64 operations on large arrays (at least :data:`MIN_SIZE` elements), each of
whose intermediate results is read once, by the next, becomes one step that
evaluates an expression chainrule writes (never the user's text) with ``numexpr``,
block by block in cache, instead of one pass over memory per operation. Without
``numexpr`` the program is left as it is. It is off by default: on one thread,
NumPy's loops writing into buffers the program reuses were measured faster
(``benchmarks/bench_fusion.py``); numexpr's threads are what may pay.

The arithmetic (``+ - * /``) is IEEE's either way, in the same order, so it is bit for
bit NumPy's. A function is fused only if numexpr's spelling computes NumPy's bits on a
probe of values on this machine (NumPy's own vectorised ``tanh`` differs from the C
library's in the last bit, for one), so fused programs return eager results. Only
float64 is fused, where NumPy's and numexpr's type rules agree.

>>> import numpy as np
>>> from chainrule.interpreters.staging import StagingTrace
>>> from chainrule.primitives.elementwise import sin, multiply, add
>>> t = StagingTrace(); x = t.new_input(np.linspace(0.0, 1.0, MIN_SIZE))
>>> y = add(multiply(sin(x), 2.0), 0.5); t.finish()
>>> steps, fused = fuse(t.steps, [y._id], t.var_info)
>>> fused if numexpr else 2
2
>>> [s.prim.impl.expression for s in steps] if numexpr else ["((sin(a0) * a1) + a2)"]
['((sin(a0) * a1) + a2)']
"""

import math

import numpy as np

from ..core.primitive import Primitive
from .staging import Eqn, Guard, Const
from .staged import ufunc_of

try:  # optional: the NumPy-only program runs without it
    import numexpr
    from numexpr.necompiler import NumExpr, getExprNames
except ImportError:  # pragma: no cover - exercised by monkeypatching ``numexpr`` to None
    numexpr = None

__all__ = ["fuse", "MIN_SIZE", "numexpr", "primitive_forms", "ZERO_WINS_PRODUCT"]

#: Arrays smaller than this are not fused: numexpr's call costs about 10 µs more than a
#: NumPy ufunc's, which passes over fewer elements cannot win back.
MIN_SIZE = 1 << 15

# numexpr's spelling of each fused ufunc (a primitive whose implementation is the ufunc).
_UFUNC_FORMS = {np.reciprocal: "(1.0 / {0})", np.square: "({0} * {0})",
                np.absolute: "abs({0})", np.arctan2: "arctan2({0}, {1})"}
for _name in ("sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
              "arcsinh", "arccosh", "arctanh", "exp", "expm1", "log", "log10", "log1p",
              "sqrt"):
    _UFUNC_FORMS[getattr(np, _name)] = _name + "({0})"
#: primitive -> numexpr's spelling, for the primitives whose implementation is not a ufunc
#: but computes one on NumPy's float64 arrays (filled by the layer that defines them)
primitive_forms = {}
#: ``a * b`` where an exact zero on either side wins over inf and nan (``nan_safe_multiply``)
ZERO_WINS_PRODUCT = ("where((({0} * {1}) != ({0} * {1})) & (({0} == 0) | ({1} == 0)), "
                     "0.0, {0} * {1})")

_F64 = np.dtype(np.float64)
_SCALARS = (float, np.float64)


def fuse(steps, outputs, var_info, min_size=None):
    """``(steps, fused)``: the steps with each fusable chain replaced by one step, and the
    count of operations fused away. Unchanged without numexpr."""
    if numexpr is None:
        return steps, 0
    min_size = MIN_SIZE if min_size is None else min_size
    forms = [_form(s, var_info, min_size) for s in steps]
    readers = {}
    for s in steps:
        for a in ([s.var] if type(s) is Guard else list(s.ins) + list(s.pvars.values())):
            if type(a) is int:
                readers[a] = readers.get(a, 0) + 1
    for a in outputs:
        if type(a) is int:
            readers[a] = readers.get(a, 0) + 2  # an output is read by the caller too
    producer = {s.outs[0]: i for i, s in enumerate(steps) if forms[i] is not None}
    # A fusable step whose result only the next fusable step reads is inlined into it,
    # where its text appears once (numexpr would compute a repeated one once, but the
    # text would grow with each level).
    inlined = set()
    for i, s in enumerate(steps):
        if forms[i] is None:
            continue
        for k, a in enumerate(s.ins):
            if (type(a) is int and a in producer and readers[a] == 1
                    and forms[i].count("{%d}" % k) == 1):
                inlined.add(producer[a])
    new, fused = [], 0
    for i, s in enumerate(steps):
        if i in inlined:
            continue
        if forms[i] is None or not any(type(a) is int and producer.get(a) in inlined
                                       for a in s.ins):
            new.append(s)
            continue
        leaves, vals = [], []
        text, count = _expression(i, steps, forms, producer, inlined, leaves, vals)
        new.append(_fused_step(s, text, leaves, vals))
        fused += count - 1
    return new, fused


def _form(s, var_info, min_size):
    """numexpr's spelling of step ``s`` when it can be fused, else None."""
    if type(s) is Guard or s.host or s.pvars or s.params or len(s.outs) != 1:
        return None
    form = primitive_forms.get(s.prim)
    if form is None:
        ufunc = ufunc_of(s.prim.impl)
        form = _UFUNC_FORMS.get(ufunc)
        if form is not None and ufunc not in _agreeing():
            return None
    if form is None or len(s.ins) != (2 if "{1}" in form else 1):
        return None
    t, shape, dt = var_info.get(s.outs[0], (None, None, None))
    if t is not np.ndarray or dt != _F64 or math.prod(shape) < min_size:
        return None
    for a in s.ins:  # float64 arrays of the result's shape, or float64 scalars
        if type(a) is Const:
            v = a.value
            if not (type(v) in _SCALARS or type(v) is np.ndarray and v.dtype == _F64
                    and v.shape == shape):
                return None
        else:
            u, ushape, udt = var_info[a]
            if udt != _F64 or not (u is np.ndarray and ushape == shape or
                                   u in _SCALARS and ushape == ()):
                return None
    return form


_AGREEING = []


def _agreeing():
    """The ufuncs whose numexpr spelling computes NumPy's bits on this machine, on a probe
    of 13,000 values (ordinary, tiny, huge, zeros of both signs, inf, nan). NumPy computes
    some functions with its own vectorised code (tanh; exp, log, sin, cos on AVX-512),
    numexpr with the C library's: those are left to NumPy, so fused results stay NumPy's."""
    if not _AGREEING:
        grid = np.linspace(-20.0, 20.0, 8001)
        tails = np.geomspace(1e-300, 1e300, 2000)
        probe = np.concatenate([grid, tails, -tails, grid / 20.0,
                                [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, np.pi]])
        agree = set()
        with np.errstate(all="ignore"):
            for ufunc, form in _UFUNC_FORMS.items():
                args = (probe,) if ufunc.nin == 1 else (probe, probe[::-1].copy())
                names = [f"a{k}" for k in range(len(args))]
                text = form.format(*names)
                theirs = NumExpr(text, signature=[(n, np.float64) for n in names])
                ours, got = ufunc(*args), theirs(*args, ex_uses_vml=getExprNames(text, {})[1])
                if np.array_equal(ours, got, equal_nan=True) and \
                        np.array_equal(np.signbit(ours), np.signbit(got)):
                    agree.add(ufunc)
        _AGREEING.append(frozenset(agree))
    return _AGREEING[0]


def _expression(i, steps, forms, producer, inlined, leaves, vals):
    """The numexpr text of step ``i`` with its inlined producers spelled in, the leaves it
    reads (atoms, in argument order) and their trace-time values; and the operation count."""
    s = steps[i]
    parts, count = [], 1
    for a, v in zip(s.ins, s.vals):
        if type(a) is int and producer.get(a) in inlined:
            text, n = _expression(producer[a], steps, forms, producer, inlined, leaves, vals)
            parts.append(text)
            count += n
            continue
        key = a if type(a) is int else id(a.value)
        for k, b in enumerate(leaves):
            if (b if type(b) is int else id(b.value)) == key:
                break
        else:
            k = len(leaves)
            leaves.append(a)
            vals.append(v if type(a) is int else a.value)
        parts.append(f"a{k}")
    return forms[i].format(*parts), count


def _fused_step(root, text, leaves, vals):
    names = [f"a{k}" for k in range(len(leaves))]
    compiled = NumExpr(text, signature=[(n, np.float64) for n in names])
    _, uses_vml = getExprNames(text, {})

    def evaluate(*args):
        return compiled(*args, ex_uses_vml=uses_vml)

    evaluate.expression = text  # shown in the generated code's comment
    evaluate.fresh = True  # its result is a new array (see staged.may_alias_inputs)
    return Eqn(Primitive("numexpr", evaluate), {}, tuple(leaves), root.outs, root.line,
               tuple(vals), root.ans)
