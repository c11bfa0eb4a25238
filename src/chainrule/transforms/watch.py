"""What a jitted function reads besides its arguments, watched between calls.

A staged program keeps the values the function captured when it was traced:
arrays and numbers from closures, globals and object attributes. :class:`Watch`
walks the function once (closure cells, the globals its code names, defaults,
``functools.partial`` arguments, bound ``self``, attributes of callable objects,
lists and dicts among them, to a bounded depth) and records what it found;
:meth:`Watch.unchanged` tells, on each later call, whether every cell, global
and attribute still holds the same object and every array the same bytes. If
not, jit traces again, so a closure array mutated in place or rebound between
calls is seen, as eagerly.

Randomness is refused instead: :func:`random_states` snapshots NumPy's global
generator, Python's ``random`` and the generators found by the walk; if tracing
drew from one, a replay would repeat the same numbers, so jit raises.

>>> import numpy as np
>>> w = np.ones(2)
>>> f = lambda x: x * w
>>> watch = Watch(f)
>>> watch.unchanged()
True
>>> w[0] = 5.0
>>> watch.unchanged()
False
"""

import functools
import os
import random as _random
import types

import numpy as np

__all__ = ["Watch", "random_states", "random_changed"]

_LIMIT = 2000  # objects visited at most: a bound on the walk, not on correctness of others
# Arrays up to this many bytes are compared as bytes: a copy and a memcmp, faster than
# NumPy's elementwise comparison up to about this size (80 kB: 3.4 µs against 4.7 µs), slower
# beyond (8 MB: 0.74 ms against 0.35 ms)
_SMALL = 1 << 17
_MISSING = object()
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class Watch:
    """The objects ``fn`` reads besides its arguments, as found now."""

    def __init__(self, fn, skip=()):
        self.slots = []        # (mapping, key, object): a dict entry that must hold the object
        self.cells = []        # (cell, object)
        self.defaults = []     # (function, __defaults__, __kwdefaults__) as found
        self.arrays = []       # (array, snapshot)
        self.sequences = []    # (list or dict, snapshot of its items' identities)
        self.generators = []   # numpy Generators and RandomStates reachable from fn
        self.truncated = False
        seen = {id(x) for x in skip}
        stack = [fn]
        while stack:
            obj = stack.pop()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if len(seen) > _LIMIT:
                self.truncated = True
                break
            self._visit(obj, stack)

    def _visit(self, obj, stack):
        t = type(obj)
        if t is np.ndarray:
            self.arrays.append((obj, _snapshot(obj)))
        elif t is types.FunctionType:
            self._function(obj, stack)
        elif t is types.MethodType:
            stack += [obj.__func__, obj.__self__]
        elif t is functools.partial:
            stack += [obj.func, *obj.args, *obj.keywords.values()]
        elif t is list:
            self.sequences.append((obj, tuple(map(id, obj))))
            stack += obj
        elif t is dict:
            self.sequences.append((obj, tuple((k, id(v)) for k, v in obj.items())))
            stack += obj.values()
        elif t is tuple:
            stack += obj
        elif isinstance(obj, (np.random.Generator, np.random.RandomState)):
            self.generators.append(obj)
        elif _walkable(obj):
            parts = getattr(type(obj), "watched_parts", None)
            if parts is not None:  # an object that says what of it is data (a jitted function)
                stack += parts(obj)
                return
            d = getattr(obj, "__dict__", None)
            if type(d) is dict:
                for k, v in d.items():
                    self.slots.append((d, k, v))
                    stack.append(v)

    def _function(self, fn, stack):
        # (by file: functools.wraps gives the library's wrappers the user's __module__)
        library = fn.__code__.co_filename.startswith(_PACKAGE)
        for cell in fn.__closure__ or ():
            try:
                v = cell.cell_contents
            except ValueError:  # an empty cell (a name assigned later)
                continue
            if library:
                # The library never rebinds its closures (and its dicts and lists are
                # caches): only what they hold is the user's.
                if type(v) not in (dict, list):
                    stack.append(v)
                continue
            if type(v) is types.ModuleType:
                continue  # a module, as for globals: the program's vocabulary (cnp, np)
            self.cells.append((cell, v))
            stack.append(v)
        if not library and (fn.__defaults__ or fn.__kwdefaults__):
            # rebinding a function's defaults changes what a call reads, as a closure cell
            self.defaults.append((fn, fn.__defaults__, fn.__kwdefaults__))
        stack += fn.__defaults__ or ()
        stack += (fn.__kwdefaults__ or {}).values()
        stack.append(getattr(fn, "__wrapped__", None))
        if library:
            return  # the library's own globals are not the user's data
        g = fn.__globals__
        for name in _global_names(fn.__code__):
            v = g.get(name, _MISSING)
            if v is not _MISSING and _worth_watching(v):
                self.slots.append((g, name, v))
                stack.append(v)

    def watches_anything(self):
        """Whether anything was found to compare between calls."""
        return bool(self.cells or self.defaults or self.slots or self.sequences or self.arrays)

    def check_code(self, new_name):
        """``(conditions, namespace)``: Python expressions, one of which is true (or raises
        ValueError: an emptied cell) unless :meth:`unchanged` holds, for a generated program
        to test first. Cells and slots are identity tests; the lists, dicts and arrays are
        compared by one call. ``new_name(base)`` gives a free identifier."""
        tests, ns = [], {}

        def name(base, value):
            n = new_name(base)
            ns[n] = value
            return n

        for cell, v in self.cells:
            tests.append(f"{name('_cell', cell)}.cell_contents is not {name('_held', v)}")
        for fn, pos, kw in self.defaults:
            f = name("_fn", fn)
            tests.append(f"{f}.__defaults__ is not {name('_held', pos)} or "
                         f"{f}.__kwdefaults__ is not {name('_held', kw)}")
        missing = name("_missing", _MISSING) if self.slots else None
        for d, k, v in self.slots:
            # the key is read from the namespace: an attribute's name is the user's text
            tests.append(f"{name('_slots', d)}.get({name('_slot', k)}, {missing}) is not "
                         f"{name('_held', v)}")
        if self.sequences or self.arrays:
            tests.append(f"not {name('_values_unchanged', self._values_unchanged)}()")
        return tests, ns

    def unchanged(self):
        """Whether every watched cell, global and attribute holds the same object, every
        list and dict the same items, and every array the same bytes."""
        if not (self.cells or self.defaults or self.slots or self.sequences or self.arrays):
            return True
        for fn, pos, kw in self.defaults:
            if fn.__defaults__ is not pos or fn.__kwdefaults__ is not kw:
                return False
        for cell, v in self.cells:
            try:
                if cell.cell_contents is not v:
                    return False
            except ValueError:
                return False
        for d, k, v in self.slots:
            if d.get(k, _MISSING) is not v:
                return False
        return self._values_unchanged()

    def _values_unchanged(self):
        for seq, snap in self.sequences:
            now = tuple(map(id, seq)) if type(seq) is list else \
                tuple((k, id(v)) for k, v in seq.items())
            if now != snap:
                return False
        for a, snap in self.arrays:
            if not _same_bytes(a, snap):
                return False
        return True


def _global_names(code):
    names, stack = set(), [code]
    while stack:
        c = stack.pop()
        names.update(c.co_names)
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    return names


def _worth_watching(v):
    # Modules, classes and builtins are the program's vocabulary, not its data.
    return not isinstance(v, (types.ModuleType, type, types.BuiltinFunctionType, np.ufunc))


def _walkable(obj):
    return not isinstance(obj, (types.ModuleType, type, types.BuiltinFunctionType,
                                types.CodeType, np.ufunc, np.generic, str, bytes, int, float,
                                complex, bool)) and obj is not None


def _snapshot(a):
    # the shape and dtype too: the same bytes reshaped in place (a.shape = ...) are another
    # array for what the program computed from it
    return (a.tobytes(), a.shape, a.dtype) if a.nbytes <= _SMALL else a.copy()


def _same_bytes(a, snap):
    if type(snap) is tuple:
        data, shape, dtype = snap
        return a.shape == shape and a.dtype == dtype and a.tobytes() == data
    if a.shape != snap.shape or a.dtype != snap.dtype:
        return False
    if a.flags.c_contiguous and a.dtype.itemsize in (1, 2, 4, 8):
        view = np.dtype(f"u{a.dtype.itemsize}")
        return bool(np.array_equal(a.reshape(-1).view(view), snap.reshape(-1).view(view)))
    return bool(np.array_equal(a, snap, equal_nan=a.dtype.kind in "fc"))


# ---- randomness -------------------------------------------------------------------------------
def random_states(generators):
    """A snapshot of NumPy's global generator, Python's ``random`` and ``generators``."""
    g = np.random.get_state()
    return ((g[1].tobytes(), g[2], g[3], g[4]), _random.getstate(),
            [_generator_state(x) for x in generators])


def _generator_state(x):
    if isinstance(x, np.random.RandomState):
        s = x.get_state()
        return (s[1].tobytes(), s[2])
    return repr(x.bit_generator.state)


def random_changed(before, generators):
    """The name of the random source that was drawn from since ``before``, or None."""
    after = random_states(generators)
    if after[0] != before[0]:
        return "numpy.random (the global generator)"
    if after[1] != before[1]:
        return "the random module"
    for x, b, a in zip(generators, before[2], after[2]):
        if a != b:
            return f"the generator {type(x).__name__} it closes over"
    return None
