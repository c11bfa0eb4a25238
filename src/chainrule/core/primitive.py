"""Primitives, tracers and the single dispatch point, ``bind``.

Every differentiable operation in chainrule is a :class:`Primitive`. Calling a
primitive goes through :func:`bind`, which looks at the arguments, finds the
innermost *active* transformation among them (the tracer with the highest
level) and hands the call to that transformation's trace. With no tracer among
the arguments the primitive's NumPy implementation runs directly: this is the
fast path every rule ends up on at the bottom of a tower of transformations.

Levels are drawn from a counter that only grows, so a trace created later
(inside the dynamic extent of an earlier one) always nests inside it. A tracer
remembers the trace that made it; two transformations can therefore never
mistake each other's perturbations (Siskind & Pearlmutter's "perturbation
confusion"), and a tracer used after its transformation ended is detected.

The core knows no transformation by name: interpreters subclass :class:`Trace`
and keep their own rule tables.
"""

import itertools
import threading

import numpy as np

__all__ = ["Primitive", "Trace", "Tracer", "bind", "TracerEscapeError", "InPlaceError", "new_level",
           "active_trace_count", "concrete_value", "stand_in", "drop_stand_ins", "stand_in_owner",
           "read_stand_ins", "sequences_as_arrays", "full_lower", "traced_by", "attach_method"]

_levels = itertools.count(1)


def new_level():
    """Return a fresh nesting level, larger than every level handed out so far."""
    return next(_levels)


class TracerEscapeError(RuntimeError):
    """A tracer was used after the transformation that created it had returned."""


class InPlaceError(TypeError):
    """An in-place write into a traced array (which would silently break its derivative)."""


def out_argument_error(prim):
    return InPlaceError(
        f"{prim.name}(..., out=...) writes in place into an array, which breaks the derivative "
        f"of traced values; assign the result instead: y = chainrule.numpy.{prim.name}(...)")


class Primitive:
    """An operation with a NumPy implementation; transformations attach rules.

    ``impl`` computes the result on plain values. ``multiple_results`` marks
    primitives that return a tuple of arrays (``eigh``, call primitives).

    >>> import numpy as np
    >>> double = Primitive("double", lambda x: 2 * x)
    >>> double(np.arange(3.0))
    array([0., 2., 4.])
    """

    __slots__ = ("name", "impl", "multiple_results", "__weakref__")

    def __init__(self, name, impl, multiple_results=False):
        self.name = name
        self.impl = impl
        self.multiple_results = multiple_results

    def __call__(self, *args, **params):
        # bind, inlined: this runs once per operation per level.
        top = None
        level = 0
        for a in args:
            if isinstance(a, Tracer):
                t = a._trace
                if t.level > level:
                    top = t
                    level = t.level
        if top is None:
            if not (params and _stand_ins) or (top := stand_in_owner(params.values())) is None:
                return self.impl(*args, **params)
        if not top.active:
            raise TracerEscapeError(top.escape_message(self))
        if params and "out" in params:
            raise out_argument_error(self)
        for a in args:
            if type(a) in _SEQUENCES:  # a list next to a traced value: NumPy's array of it
                args = sequences_as_arrays(args)
                break
        return top.process(self, args, params)

    def __repr__(self):
        return f"<primitive {self.name}>"

    def __getattr__(self, attr):
        # Methods the layers above attach (NumPy's ufunc methods: logaddexp.reduce, add.outer);
        # only reached when the ordinary lookup fails.
        method = None if attr.startswith("__") else _attached.get(self, {}).get(attr)
        if method is None:
            # (read the name without __getattr__: an instance made by copy or pickle has none
            # yet, and asking for it here would recurse)
            try:
                name = object.__getattribute__(self, "name")
            except AttributeError:
                name = "?"
            raise AttributeError(f"{type(self).__name__!r} object {name!r} has no attribute "
                                 f"{attr!r}")
        return method.__get__(self)


_attached = {}  # Primitive -> {attribute name: function(primitive, *args, **kwargs)}


def attach_method(prim, name, fn):
    """Give ``prim`` the method ``prim.name(...)``, which calls ``fn(prim, ...)``: how a higher
    layer adds NumPy's ufunc methods (``reduce``, ``outer``...) to a primitive.

    >>> import numpy as np
    >>> double = Primitive("double", lambda x: 2 * x)
    >>> attach_method(double, "twice", lambda prim, x: prim(prim(x)))
    >>> double.twice(np.arange(3.0))
    array([0., 4., 8.])
    """
    _attached.setdefault(prim, {})[name] = fn


# Arrays that a running trace handed out in place of one of its values, because the caller
# needs a real array (a staging trace's integer index: ``x[i]`` with ``i = argmax(x)``):
# id(array) -> (array, trace). A primitive applied to no tracer, but with such an array
# among its parameters (the transpose of ``x[i]`` applied to a constant cotangent, or
# ``take(W, i)`` of a constant ``W``), computes a value of that trace, not a constant: it
# goes to the trace, which records it. Empty unless a trace is staging such an index.
_stand_ins = {}
# (shared by every thread: one thread's trace may finish while another's hands one out, so
# the walk over it in drop_stand_ins and the insertions take turns)
_stand_ins_lock = threading.Lock()


def stand_in(array, trace):
    """Declare ``array`` (handed out by ``trace``) a stand-in for one of ``trace``'s values."""
    with _stand_ins_lock:
        _stand_ins[id(array)] = (array, trace)


def drop_stand_ins(trace):
    """Forget the stand-ins of ``trace`` (when it finishes)."""
    if not _stand_ins:
        return
    with _stand_ins_lock:
        for k in [k for k, (_, t) in _stand_ins.items() if t is trace]:
            del _stand_ins[k]


def _stand_ins_among(values):
    """(array, trace) of each stand-in among ``values``, searched through tuples and lists."""
    stack = list(values)
    while stack:
        v = stack.pop()
        if type(v) in (tuple, list):
            stack.extend(v)
        else:
            s = _stand_ins.get(id(v))
            if s is not None and s[0] is v:
                yield s


def stand_in_owner(values):
    """The trace a stand-in array among ``values`` (searched through tuples and lists)
    belongs to, or None.

    >>> stand_in_owner([(slice(None), 3)]) is None
    True
    """
    if not _stand_ins:
        return None
    for _, trace in _stand_ins_among(values):
        return trace
    return None


def read_stand_ins(values):
    """A rule is about to read the stand-ins among ``values`` as data (which writes of an
    index repeat), not only pass them on as an index: each one's trace then guards its
    value (see :meth:`Trace.stand_in_read`).

    >>> read_stand_ins([(slice(None), 3)])
    """
    if not _stand_ins:
        return
    for array, trace in list(_stand_ins_among(values)):
        trace.stand_in_read(array)


_SEQUENCES = frozenset({list, tuple})


def _holds_tracer(seq):
    return any(isinstance(v, Tracer) or (type(v) in (list, tuple) and _holds_tracer(v))
               for v in seq)


def sequences_as_arrays(args):
    """A Python list or tuple of numbers next to a traced value is the array NumPy would make
    of it (``dot(w, [1.0, 2.0])``): every rule then sees arrays, as on the untraced path,
    where NumPy converts it. A sequence holding tracers is left to the primitive."""
    return tuple(_numeric_array(a) if type(a) in (list, tuple) and not _holds_tracer(a) else a
                 for a in args)


def _numeric_array(seq):
    try:
        arr = np.asarray(seq)
    except ValueError:          # ragged: not an array, leave it to the primitive
        return seq
    return arr if arr.dtype.kind in "biufc" else seq


def bind(prim, args, params):
    """Apply ``prim`` to the sequence ``args``: dispatch to the innermost trace, or compute.

    This is the one place where transformations meet (written out in
    :meth:`Primitive.__call__`, which is the same function).
    """
    return prim(*args, **params)


class _TraceState(threading.local):
    """Per-thread trace state: ``depth[0]`` counts this thread's active traces.

    ``__init__`` runs once in each thread, on its first access, so every thread
    gets its own counter. A trace keeps a reference to the counter of the thread
    that created it, so :meth:`Trace.finish` always decrements that one.
    """

    def __init__(self):
        self.depth = [0]


_trace_state = _TraceState()


def active_trace_count():
    """How many transformations are running in the calling thread.

    Each thread counts its own: a transformation running in another thread
    does not make this thread's traces nested.

    >>> import threading
    >>> def show():
    ...     outer = Trace("demo")
    ...     inner = Trace("demo")
    ...     print(active_trace_count(), outer.nested, inner.nested)
    ...     inner.finish(); outer.finish()
    ...     print(active_trace_count())
    >>> th = threading.Thread(target=show); th.start(); th.join()
    2 False True
    0
    """
    return _trace_state.depth[0]


class Trace:
    """One running transformation. Subclasses implement :meth:`process`.

    ``kind`` names the transformation in messages ("grad", "jvp", ...).
    ``nested`` is False when no other transformation was active *in this
    thread* at creation: then no value this trace sees can be an outer tracer,
    and primitives can run their NumPy implementation directly instead of going
    through bind. The count is thread-local (see :func:`active_trace_count`), so
    transformations running in other threads never affect it.
    """

    kind = "transformation"

    def __init__(self, kind=None):
        self.level = new_level()
        self.active = True
        self._depth = depth = _trace_state.depth
        n = depth[0]
        self.nested = n > 0
        depth[0] = n + 1
        if kind is not None:
            self.kind = kind

    def process(self, prim, args, params):  # pragma: no cover - abstract
        raise RuntimeError(f"{type(self).__name__} does not process primitives")

    # Whether this trace lets its tracers become Python numbers and plain arrays
    # (float(x), np.asarray(x)): only a trace that stands for concrete values does
    # (staging); a differentiating trace refuses, since the derivative would be lost.
    concrete_ok = False

    def concrete(self, tracer, how):
        """The value under ``tracer``, one level down, for a conversion ``how`` ("bool",
        "index", "int", "float", "array", "subscript": an array used as an index). A trace that stages a program overrides
        this to record the conversion as a guard; printing must not call it."""
        return tracer._value

    def stand_in_read(self, array):  # pragma: no cover - only traces with stand-ins
        """``array``, a stand-in this trace handed out, is read as data (see
        :func:`read_stand_ins`): a trace that stages a program guards its value."""

    def finish(self):
        """Mark the transformation as ended; later use of its tracers is an error."""
        if self.active:
            self.active = False
            self._depth[0] -= 1

    def escape_message(self, prim):
        return (
            f"A tracer escaped from the {self.kind} that created it: it was used in "
            f"'{prim.name}' after that {self.kind} had returned. Return values out of "
            f"the differentiated function instead of storing them in outer variables "
            f"(or use has_aux=True to return auxiliary data)."
        )

    def check_foreign(self, tracer, prim):
        """Raise when ``tracer`` belongs to a transformation that has ended."""
        if not tracer._trace.active:
            raise TracerEscapeError(tracer._trace.escape_message(prim))

    def __repr__(self):
        return f"<{self.kind} trace level={self.level}>"


class Tracer:
    """A value being traced by one transformation.

    Subclasses store ``_value`` (the value one level down, possibly itself a
    tracer of an outer transformation) and whatever the transformation needs.
    The NumPy-shaped methods (operators, ``shape``, ``.at``) are attached by the
    ``chainrule.numpy`` layer, so that the core stays independent of NumPy's API.
    """

    __slots__ = ("_trace", "_value")

    # Ask NumPy to defer to our reflected operators (ndarray + tracer).
    __array_priority__ = 1000

    @property
    def primal(self):
        """The underlying value, one transformation down."""
        return self._value

    def __repr__(self):
        return f"{type(self).__name__}({self._value!r}, level={self._trace.level})"


def concrete_value(x, how="value"):
    """The plain value under every level of tracer, for a conversion ``how`` that
    decides something (a branch, an index, a Python number): each trace on the way
    down sees it (:meth:`Trace.concrete`), so a staging trace can guard it.

    >>> concrete_value(2.0, "bool")
    2.0
    """
    while isinstance(x, Tracer):
        x = x._trace.concrete(x, how)
    return x


def full_lower(x):
    """Strip every level of tracer from ``x`` (used for errors and printing only)."""
    while isinstance(x, Tracer):
        x = x._value
    return x


def traced_by(kind, values):
    """Whether one of ``values`` is a tracer of type ``kind`` at any level (under vmap, a
    BatchTracer below a reverse-mode tracer, say).

    >>> traced_by(Tracer, [1.0, 2.0])
    False
    """
    for v in values:
        while isinstance(v, Tracer):
            if isinstance(v, kind):
                return True
            v = v._value
    return False
