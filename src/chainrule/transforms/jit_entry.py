"""The fast way into a staged program: the argument signature checked by generated code.

The common calls of a jitted function pass arrays and numbers, or one level of
dict (str keys), list or tuple of them. :func:`fast_signature` is their cache
key, built without a pytree walk. :func:`entry_code` writes the same key as
checks at the top of the staged program itself (``type(x) is float``, an
array's shape and dtype, a dict's size and keys) that unpack the arguments into
the program's inputs; a call whose arguments differ raises
:class:`ArgumentsChanged` there, and jit takes its general path.

>>> import numpy as np
>>> key, leaves, _ = fast_signature((np.zeros(3), {"b": 1.0, "a": np.ones(2)}))
>>> key[2]
(((3,), dtype('float64')), ('dict', ('a', 'b')), ((2,), dtype('float64')), <class 'float'>)
>>> params, lines, ns = entry_code((1.0,), ["x"], lambda base: base)
>>> for line in lines: print(line)
try:
    x, = _args
    if type(x) is not float:
        raise _ArgumentsChanged
except (ValueError, KeyError):
    raise _ArgumentsChanged from None
"""

import numpy as np

__all__ = ["fast_signature", "entry_code", "ArgumentsChanged", "ALL"]

ALL = object()  # ``boxed`` of a fast signature: every leaf is an input of the program
_NUMBERS = (float, complex)
_NUMERIC_SCALARS = (np.number, np.bool_)  # NumPy scalars that are inputs (not np.str_)


class ArgumentsChanged(Exception):
    """Raised by a staged program's entry when the arguments do not have its signature."""


def fast_signature(args):
    """``(key, leaves, ALL)`` for the common calls (arrays and numbers, one level of dict
    with str keys, list or tuple), without building a TreeDef; None for anything else.
    The leaf order is :func:`chainrule.core.tree.flatten`'s (dict keys sorted)."""
    leaves, kinds = [], []
    for a in args:
        t = type(a)
        if t is np.ndarray and a.dtype.kind in "biufc":
            leaves.append(a)
            kinds.append((a.shape, a.dtype))
        elif t in _NUMBERS:
            leaves.append(a)
            kinds.append(t)
        elif isinstance(a, _NUMERIC_SCALARS):
            leaves.append(a)
            kinds.append((t, a.dtype))
        else:
            if t is dict:
                # the types first: mixed keys (1 and 'a') do not sort
                if not all(type(k) is str for k in a):
                    return None
                keys = sorted(a)
                items = [a[k] for k in keys]
                kinds.append(("dict", tuple(keys)))
            elif t is list or t is tuple:
                items = a
                kinds.append((t, len(a)))
            else:
                return None
            for x in items:
                u = type(x)
                if u is np.ndarray and x.dtype.kind in "biufc":
                    kinds.append((x.shape, x.dtype))
                elif u in _NUMBERS:
                    kinds.append(u)
                else:
                    return None
                leaves.append(x)
    return ("fast", len(args), tuple(kinds)), leaves, ALL


def entry_code(args, idents, new_name, first=()):
    """``(parameters, lines, namespace)``: the head of a staged program traced at ``args``
    (a call :func:`fast_signature` accepts) that takes the call's argument tuple, raises
    :class:`ArgumentsChanged` unless it has the same key (or when one of the conditions
    ``first`` holds; a ValueError or KeyError they raise counts as true), and assigns the
    leaves to the inputs' ``idents``. ``new_name(base)`` returns a free identifier."""
    ns = {"_ArgumentsChanged": ArgumentsChanged, "_ndarray": np.ndarray}
    leaves = iter(idents)
    targets, tests, unpack, inner = [], list(first), [], []
    for a in args:
        t = type(a)
        if t is dict or t is list or t is tuple:
            holder = new_name("_arg")
            targets.append(holder)
            keys = sorted(a) if t is dict else None
            items = [a[k] for k in keys] if t is dict else list(a)
            names = [next(leaves) for _ in items]
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
            inner += [_leaf_test(x, n, ns, new_name) for x, n in zip(items, names)]
        else:
            n = next(leaves)
            targets.append(n)
            tests.append(_leaf_test(a, n, ns, new_name))
    if targets:
        comma = "," if len(targets) == 1 else ""
        body = [f"{', '.join(targets)}{comma} = _args"]
    else:
        tests.insert(0, "_args")
        body = []
    body += _raise_if(tests) + unpack + _raise_if(inner)
    lines = ["try:"] + ["    " + line for line in body] + [
        "except (ValueError, KeyError):", "    raise _ArgumentsChanged from None"]
    return "_args", lines, ns


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
