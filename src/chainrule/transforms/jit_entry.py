"""The fast way into a staged program: the argument signature checked by generated code.

The common calls of a jitted function pass arrays and numbers, or one level of
dict (str keys), list or tuple of them, positionally or as keywords, with static
arguments. :func:`fast_signature` is their cache key, built without a pytree walk.
:func:`entry_code` writes the same key as checks at the top of the staged program
itself (``type(x) is float``, an array's shape and dtype, a dict's size and keys, a
Python int's or a static argument's value) that unpack the arguments into the
program's inputs; a call whose arguments differ raises :class:`ArgumentsChanged`
there, and jit takes its general path.

>>> import numpy as np
>>> key, leaves, boxed = fast_signature((np.zeros(3), {"b": 1.0, "a": np.ones(2)}))
>>> key[2]
(((3,), dtype('float64')), ('dict', ('a', 'b')), ((2,), dtype('float64')), <class 'float'>)
>>> params, lines, ns = entry_code((1.0,), {"n": 3}, (), ["x"], lambda base: base)
>>> for line in lines: print(line)
try:
    x, = _args
    if (type(x) is not float
            or type(_kwargs) is not dict or len(_kwargs) != 1):
        raise _ArgumentsChanged
    _value = _kwargs[_key]
    if type(_value) is not int or _value != 3:
        raise _ArgumentsChanged
except (ValueError, KeyError):
    raise _ArgumentsChanged from None
"""

import math

import numpy as np

__all__ = ["fast_signature", "entry_code", "ArgumentsChanged", "Fast"]

_NUMBERS = (float, complex)
_NUMERIC_SCALARS = (np.number, np.bool_)  # NumPy scalars that are inputs (not np.str_)
# Leaves keyed by value, as the general path keys them: not inputs of the program (Python
# ints compute as Python computes), compared on every call
_BY_VALUE = (int, bool, str)


class ArgumentsChanged(Exception):
    """Raised by a staged program's entry when the arguments do not have its signature."""


class Fast(tuple):
    """The ``boxed`` flags of a fast signature (one per leaf: an input of the program, or
    a value in its key): its programs check the call's arguments themselves."""


def fast_signature(args, kwargs=None, static=()):
    """``(key, leaves, boxed)`` for the common calls (arrays, numbers, Python ints and
    strings, one level of dict with str keys, list or tuple of them; keyword arguments
    that are such leaves; hashable ``static`` positions), without building a TreeDef;
    ``boxed`` is a :class:`Fast`. None for anything else. The leaf order is
    :func:`chainrule.core.tree.flatten`'s of ``(dynamic args, kwargs)`` (keys sorted)."""
    leaves, kinds, boxed = [], [], []
    for i, a in enumerate(args):
        if i in static:
            try:
                hash(a)
            except TypeError:
                return None  # the general path says what to do
            kinds.append(("static",) + _static_key(a))
            continue
        t = type(a)
        if t is dict or t is list or t is tuple:
            if t is dict:
                # the types first: mixed keys (1 and 'a') do not sort
                if not all(type(k) is str for k in a):
                    return None
                keys = sorted(a)
                items = [a[k] for k in keys]
                kinds.append(("dict", tuple(keys)))
            else:
                items = a
                kinds.append((t, len(a)))
            for x in items:
                if not _add_leaf(x, leaves, kinds, boxed):
                    return None
        elif not _add_leaf(a, leaves, kinds, boxed):
            return None
    if kwargs:
        keys = sorted(kwargs)
        kinds.append(("kwargs", tuple(keys)))
        for k in keys:
            if not _add_leaf(kwargs[k], leaves, kinds, boxed):
                return None
    return ("fast", len(args), tuple(kinds)), leaves, Fast(boxed)


def _add_leaf(x, leaves, kinds, boxed):
    t = type(x)
    if t is np.ndarray and x.dtype.kind in "biufc":
        kinds.append((x.shape, x.dtype))
    elif t in _NUMBERS:
        kinds.append(t)
    elif t in _BY_VALUE:
        kinds.append((t, x))
    elif isinstance(x, _NUMERIC_SCALARS):
        kinds.append((t, x.dtype))
    else:
        return False
    leaves.append(x)
    boxed.append(t not in _BY_VALUE)
    return True


def entry_code(args, kwargs, static, idents, new_name, first=()):
    """``(parameters, lines, namespace)``: the head of a staged program traced at ``args``
    and ``kwargs`` (a call :func:`fast_signature` accepts with the ``static`` positions)
    that takes the call's argument tuple (and keyword dict, when traced with keywords),
    raises :class:`ArgumentsChanged` unless the call has the same key (or when one of the
    conditions ``first`` holds; a ValueError or KeyError they raise counts as true), and
    assigns the leaves that are inputs to ``idents``. ``new_name(base)`` returns a free
    identifier."""
    ns = {"_ArgumentsChanged": ArgumentsChanged, "_ndarray": np.ndarray}
    idents = iter(idents)
    targets, tests, unpack, inner = [], list(first), [], []

    def leaf(x):
        """The name ``x`` is assigned to and the test of its kind."""
        n = new_name("_value") if type(x) in _BY_VALUE else next(idents)
        return n, _leaf_test(x, n, ns, new_name)

    def container(a, holder):
        t = type(a)
        keys = sorted(a) if t is dict else None
        items = [a[k] for k in keys] if t is dict else list(a)
        named = [leaf(x) for x in items]
        names = [n for n, _ in named]
        tests.append(f"type({holder}) is not {t.__name__} or len({holder}) != {len(a)}")
        if t is dict:
            # Same size and every traced key present (else a KeyError): the same keys.
            # The keys are the caller's strings: read from the namespace, never written
            # into the source.
            for k, n in zip(keys, names):
                key = new_name("_key")
                ns[key] = k
                unpack.append(f"{n} = {holder}[{key}]")
        elif items:
            unpack.append(f"{', '.join(names)}{',' if len(names) == 1 else ''} = {holder}")
        inner.extend(test for _, test in named)

    for i, a in enumerate(args):
        t = type(a)
        if i in static:
            n = new_name("_static")
            targets.append(n)
            tests.append(_static_test(a, n, ns, new_name))
        elif t is dict or t is list or t is tuple:
            holder = new_name("_arg")
            targets.append(holder)
            container(a, holder)
        else:
            n, test = leaf(a)
            targets.append(n)
            tests.append(test)
    if targets:
        comma = "," if len(targets) == 1 else ""
        body = [f"{', '.join(targets)}{comma} = _args"]
    else:
        tests.insert(0, "_args")
        body = []
    params = "_args"
    if kwargs:
        params = "_args, _kwargs"
        container(kwargs, "_kwargs")
    body += _raise_if(tests) + unpack + _raise_if(inner)
    lines = ["try:"] + ["    " + line for line in body] + [
        "except (ValueError, KeyError):", "    raise _ArgumentsChanged from None"]
    return params, lines, ns


def _raise_if(tests):
    if not tests:
        return []
    if len(tests) == 1:
        return [f"if {tests[0]}:", "    raise _ArgumentsChanged"]
    return ([f"if ({tests[0]}"] + [f"        or {t}" for t in tests[1:-1]] +
            [f"        or {tests[-1]}):", "    raise _ArgumentsChanged"])


def _leaf_test(x, n, ns, new_name):
    """A condition true when ``n`` is not of ``x``'s kind in the key."""
    t = type(x)
    if t is float or t is complex:
        return f"type({n}) is not {t.__name__}"
    if t is int or t is bool:  # the value too: a literal (an int reads back exactly)
        return f"type({n}) is not {t.__name__} or {n} != {x!r}"
    if t is str:  # the caller's text: read from the namespace, never written in the source
        held = new_name("_str")
        ns[held] = x
        return f"type({n}) is not str or {n} != {held}"
    if t is np.ndarray:
        dt = new_name("_dtype")
        ns[dt] = x.dtype
        shape = repr(tuple(int(d) for d in x.shape))
        # ``is``: builtin dtypes are singletons (the common case costs nothing more)
        return (f"type({n}) is not _ndarray or {n}.shape != {shape} or "
                f"({n}.dtype is not {dt} and {n}.dtype != {dt})")
    scalar = new_name("_type")
    ns[scalar] = t  # a NumPy scalar type: its dtype goes with it
    return f"type({n}) is not {scalar}"


def _static_key(a):
    """A static argument's part of the cache key: its type and value, and the signs of
    the floats in it (0.0 == -0.0 and (0.0,) == (-0.0,), but 1/x tells them apart)."""
    signs = zero_signs(a)
    return (type(a), a, signs) if signs else (type(a), a)


def zero_signs(a):
    """The signs of the floats in ``a`` (a number, or tuples of them), in order: what
    ``==`` ignores in a zero. An empty tuple where there is no float.

    >>> zero_signs((1, (-0.0, 2.5), 3j)), zero_signs("s")
    ((-1.0, 1.0, 1.0, 1.0), ())
    """
    if type(a) is float or isinstance(a, np.floating):
        return (math.copysign(1.0, a),)
    if type(a) is complex or isinstance(a, np.complexfloating):
        return (math.copysign(1.0, a.real), math.copysign(1.0, a.imag))
    if isinstance(a, tuple):
        return tuple(s for x in a for s in zero_signs(x))
    return ()


def _static_test(a, n, ns, new_name):
    """True when the static argument ``n`` is not the traced ``a`` as the cache tells
    them apart (its type and ``==``, its floats' signs; the same object first, as a dict
    lookup does)."""
    held, kind = new_name("_held"), new_name("_type")
    ns[held], ns[kind] = a, type(a)
    sign = ""
    signs = zero_signs(a)
    if signs:
        signs_of = new_name("_zero_signs")
        ns[signs_of] = zero_signs
        sign = f" or {signs_of}({n}) != {signs!r}"
    return f"({n} is not {held} and (type({n}) is not {kind} or not {n} == {held}{sign}))"
