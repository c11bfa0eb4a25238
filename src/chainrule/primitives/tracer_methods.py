"""Give tracers the interface of a NumPy array.

Operators, attributes (``shape``, ``dtype``, ``T``), methods (``sum``,
``reshape``...) and NumPy's dispatch protocols are attached to the core's
:class:`~chainrule.core.primitive.Tracer` here, so that user code written for
NumPy arrays runs unchanged on traced values.

NumPy functions called on a tracer (``np.sin(x)``) are routed to the
chainrule function of the same name; a NumPy function chainrule does not wrap
raises an error that names it, instead of silently dropping the derivative.
In-place writes raise and point to the functional alternative.
"""

import dis
import operator
import sys

import numpy as np

from ..core import registry
from ..core.primitive import (Tracer, TracerEscapeError, InPlaceError, concrete_value,
                              sequences_as_arrays)
from ..core.vspace import dtype_of
from ..interpreters.batching import BatchTrace
from .declare import export
from . import basic as B
from . import elementwise as E
from . import structural as S
from . import linalg as L
from . import composites as C
from . import manipulation as M
from . import ufunc_methods
from . import sparse as SP
from .util import shape as _shape, lower, ndim
from .arrays import is_numpy, is_lazy, guard_lazy, value_error


def _lowered_index(index):
    """Indices are never differentiated: strip tracers from them."""
    if isinstance(index, tuple):
        return tuple(_lowered_index(i) for i in index)
    if isinstance(index, Tracer):
        return np.asarray(concrete_value(index, "subscript"))
    if isinstance(index, list):
        arr = np.asarray(lower_list(index))
        # NumPy reads an empty list (x[[]]) as an empty integer index; asarray made it float
        return arr.astype(np.intp) if arr.size == 0 and arr.dtype == np.float64 else arr
    if type(index) is slice and any(isinstance(b, Tracer)
                                    for b in (index.start, index.stop, index.step)):
        # x[:n] with a traced n: its value, through the tracer's own __index__ (the array
        # library would not ask: Dask refuses the tracer as an "invalid index type")
        return slice(*[operator.index(b) if isinstance(b, Tracer) else b
                       for b in (index.start, index.stop, index.step)])
    return index


def lower_list(xs):
    # "value", not "subscript": the entries are copied into a new index array, so a jit
    # stand-in (guarded by its shape only) would not be recognised there, and a replay
    # would index with the first call's values; each entry's value is guarded instead.
    return [concrete_value(x, "value") if not isinstance(x, list) else lower_list(x) for x in xs]


def _getitem(self, index):
    return B.getitem(self, index=_lowered_index(index))


def _setitem(self, index, value):
    raise InPlaceError(
        "chainrule arrays are immutable while traced: x[idx] = v would silently break the "
        "derivative. Use the functional form  x = x.at[idx].set(v)  (or .add(v)), or "
        "chainrule.numpy.at(x)[idx].set(v) which also accepts plain arrays.")


class _AtIndexer:
    """``x.at[idx].set(v)`` / ``.add(v)`` / ``.get()``: functional indexed updates."""

    __slots__ = ("_x",)

    def __init__(self, x):
        self._x = x

    def __getitem__(self, index):
        return _AtRef(self._x, _lowered_index(index))


class _AtRef:
    __slots__ = ("_x", "_index")

    def __init__(self, x, index):
        self._x, self._index = x, index

    def set(self, v):
        """A copy of the array with ``v`` written at the index."""
        return S.scatter_set(self._x, v, index=self._index)

    def add(self, v):
        """A copy of the array with ``v`` added at the index (repeated indices accumulate)."""
        return S.scatter_add(self._x, v, index=self._index)

    def get(self):
        return B.getitem(self._x, index=self._index)


@export()
def at(x):
    """Functional indexed update for traced and plain arrays alike.

    >>> import numpy as np
    >>> at(np.zeros(3))[1].set(5.0)
    array([0., 5., 0.])
    """
    return _AtIndexer(x)


def _convertible(x):
    """Whether ``x`` may become a plain value: only a staging trace's tracers (jit) may,
    since they stand for concrete values (the conversion becomes a guard)."""
    return x._trace.concrete_ok


def _python_number(how, convert):
    def method(self):
        if _convertible(self):
            return convert(concrete_value(self, how))
        return _no_float(self)
    method.__name__ = f"__{how}__"
    return method


def _plain(how, convert):
    def method(self, *args):
        if _convertible(self):
            return convert(np.asarray(concrete_value(self, how)), *args)
        return _no_float(self)
    method.__name__ = how
    return method


def _no_float(self, *args):
    if _storing_into_an_array():  # out[i] = x: whatever the transformation, the fix is at()
        raise _refuse_store()
    if type(self._trace) is BatchTrace:  # vmap: one number per example, not a lost derivative
        self._value._refuse()
    if is_lazy(lower(self)):
        raise value_error(lower(self), "float(x), int(x) or x.item()")
    raise TypeError(
        "Converting a traced value to a Python number would drop its derivative. Keep it an "
        "array, or call chainrule.stop_gradient(x) first if the derivative should be ignored.")


#: How the refusal to make a NumPy array of a traced value begins (transforms add to it).
CONVERSION = "A traced value cannot be converted to a NumPy array"


_STORE_SUBSCR = dis.opmap.get("STORE_SUBSCR")


def _storing_into_an_array():
    """Whether the user's code that asked for this conversion is executing ``a[idx] = v``:
    NumPy's ``ndarray.__setitem__`` (C, no frame of its own) asks the tracer for ``__array__``
    or ``__float__``, so the nearest frame outside this module is the user's."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    if frame is None:
        return False
    code = frame.f_code.co_code
    return 0 <= frame.f_lasti < len(code) and code[frame.f_lasti] == _STORE_SUBSCR


def _refuse_store():
    # the commonest case in programs moved from plain NumPy: out = np.zeros(n); out[i] = ...
    # (for one element NumPy replaces this error by its own ValueError, with this as the cause)
    return InPlaceError(
        "out[idx] = v writes a traced value into a plain NumPy array (made by np.zeros, "
        "np.empty, or .copy() of an array that is not traced), which cannot hold a "
        "derivative. Write  out = chainrule.numpy.at(out)[idx].set(v)  (a differentiable "
        "updated copy; it also takes plain arrays), or collect the pieces in a list and "
        "chainrule.numpy.stack them.")


# Methods of a NumPy array that convert a traced argument to an array (C code, no dispatch):
# a.dot(x) with a plain a and x traced is the commonest, in programs written for NumPy.
_ARRAY_METHODS = {"dot": "a @ x  (or chainrule.numpy.dot(a, x))",
                  "searchsorted": "chainrule.numpy.searchsorted(a, x)",
                  "take": "chainrule.numpy.take(a, x)", "choose": "chainrule.numpy.choose(a, x)",
                  "compress": "chainrule.numpy.compress(x, a)"}


def _array_method_called():
    """The NumPy array method (of _ARRAY_METHODS) called on the user's current line, if any:
    ``ndarray.dot`` (C, no frame of its own) asks the tracer for ``__array__``."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    if frame is None:
        return None
    line = frame.f_lineno
    for ins in dis.get_instructions(frame.f_code):
        if (ins.opname in ("LOAD_METHOD", "LOAD_ATTR") and ins.argval in _ARRAY_METHODS
                and ins.positions is not None and ins.positions.lineno == line):
            return ins.argval
    return None


def _no_array(self, dtype=None, copy=None):
    if _storing_into_an_array():
        if type(self._trace) is BatchTrace and dtype_of(self).kind in "iub":
            # out[i] = v with a batched integer index i: vmap's refusal (at() cannot batch
            # it either), not the advice to write at(out)[i].set(v)
            self._value._refuse()
        raise _refuse_store()
    method = _array_method_called()
    hint = "" if method is None else (
        f" If this is a.{method}(x) with a a plain NumPy array and x traced: NumPy's array "
        f"method converts x to a plain array, which cannot hold a derivative; write "
        f"{_ARRAY_METHODS[method]}.")
    if _sparse_caller() is not None:
        hint += (" This is a scipy.sparse function: use chainrule.scipy.sparse and "
                 "chainrule.scipy.sparse.linalg instead (spsolve, expm_multiply, cg, gmres, "
                 "matmul(A, x)...), or A @ x for a product with a sparse matrix. A sparse "
                 "matrix cannot hold traced entries: for a product differentiable in its "
                 "nonzeros use chainrule.scipy.sparse.csr_matmul(data, indices, indptr, x, "
                 "shape).")
        if _sparse_caller() in ("multiply", "_multiply_2d_with_broadcasting"):
            hint += " For A.multiply(x) (elementwise) write A.toarray() * x."
    raise TypeError(
        f"{CONVERSION}: the derivative would be lost silently. Use chainrule.numpy functions "
        f"(import chainrule.numpy as cnp) instead of numpy ones, or chainrule.stop_gradient(x) "
        f"to drop the derivative on purpose. A list or tuple of traced values, as in "
        f"cnp.sum([x, y]), is converted this way too: make it one array first, "
        f"cnp.stack([x, y]).{hint}")


def _in_place_method(name, alternative):
    def method(self, *args, **kwargs):
        raise InPlaceError(
            f"x.{name}() modifies a traced array in place, which would break its derivative; "
            f"use {alternative} instead.")
    return method


_SEQUENCES = frozenset({list, tuple})

# The ufuncs behind augmented assignment: `x += v` is numpy.add(x, v, out=(x,)).
_AUGMENTED = {"add": "+", "subtract": "-", "multiply": "*", "true_divide": "/",
              "divide": "/", "floor_divide": "//", "remainder": "%", "power": "**",
              "matmul": "@", "bitwise_and": "&", "bitwise_or": "|", "bitwise_xor": "^",
              "left_shift": "<<", "right_shift": ">>"}


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    out = kwargs.get("out")
    if out is not None:
        op = _AUGMENTED.get(ufunc.__name__)
        if (method == "__call__" and op and isinstance(out, tuple) and len(out) == 1
                and inputs and out[0] is inputs[0]):
            # The user wrote `x op= v` with x a plain NumPy array and v traced (autograd's
            # optimisers do, e.g. x -= step_size * g, with a traced step size).
            raise InPlaceError(
                f"x {op}= v (numpy.{ufunc.__name__}(x, v, out=x)) writes the traced v into the "
                f"plain NumPy array x in place, which "
                f"cannot hold a derivative (x was made by NumPy, not traced). Write  "
                f"x = x {op} v  (a new traced array; any other name bound to the old x keeps "
                f"the old values).")
        raise InPlaceError(
            f"numpy.{ufunc.__name__}(..., out=...) writes in place into an array, which breaks "
            f"the derivative of traced values; assign the result instead: y = "
            f"chainrule.numpy.{ufunc.__name__}(...)")
    if method == "__call__":
        fn = _ufunc_target(ufunc)
        if fn is not None:
            return fn(*inputs, **kwargs)
    else:   # add.reduce, logaddexp.reduce, add.outer, maximum.accumulate, add.at (raises)...
        result = ufunc_methods.numpy_method(ufunc, method, inputs, kwargs)
        if result is not None:
            return result
    plain = _staged_plain(inputs, kwargs)
    if plain is not None:  # jit: values stand for plain arrays; NumPy computes (guarded)
        return getattr(ufunc, method)(*plain[0], **plain[1])
    name = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
    scipy_ufuncs = (sys.modules.get("scipy.special"), sys.modules.get("scipy.special._ufuncs"))
    where = "scipy.special" if any(getattr(m, ufunc.__name__, None) is ufunc
                                   for m in scipy_ufuncs) else "numpy"
    raise TypeError(
        f"{where}.{name} is not differentiable in chainrule (no derivative rule is registered), "
        f"so it cannot be applied to a traced value. Use a chainrule.numpy function, or "
        f"define the operation with chainrule.custom_vjp.")


def _ufunc_target(ufunc):
    """chainrule's function for a ufunc called on a tracer: SciPy's special-function ufuncs
    (``scipy.special.eval_legendre(3, x)``, and so the polynomial objects that call them) go
    to chainrule.scipy.special's, NumPy's to chainrule.numpy's. SciPy is looked up only when
    the program has imported it."""
    name = ufunc.__name__
    special = sys.modules.get("scipy.special")
    if special is not None and getattr(special, name, None) is ufunc:
        fn = _numpy_function(registry.SPECIAL, name)
        if fn is not None:
            return fn
    return _numpy_function(registry.NUMPY, name)


#: NumPy's modules whose functions dispatch through ``__array_function__``: where chainrule
#: registers each one's functions (namespace, prefix of the name). Any other module's (the
#: string functions of numpy.char, numpy.strings) is not wrapped: a function of the same name
#: at NumPy's top (``numpy.emath.sqrt`` is not ``numpy.sqrt``) must never be called for it.
_DISPATCHED_MODULES = {"numpy": (registry.NUMPY, ""), "numpy.linalg": (registry.LINALG, ""),
                       "numpy.fft": (registry.FFT, ""),
                       "numpy.lib.scimath": (registry.NUMPY, "emath."),
                       "numpy.lib.stride_tricks": (registry.NUMPY, "lib.stride_tricks.")}


def _array_function(self, func, types, args, kwargs):
    module = getattr(func, "__module__", "") or ""
    name = func.__name__
    namespace, prefix = _DISPATCHED_MODULES.get(module, (None, ""))
    if namespace is None and not module.startswith("numpy."):  # a function of NumPy's own
        namespace = registry.NUMPY                             # outside its modules
    target = None if namespace is None else _numpy_function(namespace, prefix + name)
    if target is None:
        plain = _staged_plain(args, kwargs)
        if plain is not None:  # jit: values stand for plain arrays; NumPy computes (guarded)
            return func(*plain[0], **plain[1])
        where = (module + ".") if module.startswith("numpy") else "numpy."
        raise TypeError(
            f"{where}{name} is not wrapped by chainrule yet, so it cannot be applied to a traced "
            f"value without silently dropping the derivative. Write it with chainrule.numpy "
            f"functions, or define it with chainrule.custom_vjp.")
    if target is func:
        # A plain NumPy helper (shape, ndim, ...): run it without dispatching again.
        return func._implementation(*args, **kwargs)
    return target(*args, **kwargs)


def _staged_plain(args, kwargs):
    """``(args, kwargs)`` with every tracer replaced by its value when all of them stand
    for concrete values (jit's staging trace: each becomes a guard), else None. A function
    chainrule does not wrap then runs as eagerly, instead of failing only under jit."""
    found = []

    def plain(x):
        if isinstance(x, Tracer):
            found.append(x)
            return concrete_value(x, "array") if x._trace.concrete_ok else x
        if type(x) in (list, tuple):
            return type(x)(plain(y) for y in x)
        return x
    args = [plain(a) for a in args]
    kwargs = {k: plain(v) for k, v in kwargs.items()}
    if not all(t._trace.concrete_ok for t in found):
        return None
    return args, kwargs


def _numpy_function(namespace, name):
    """The function registered as ``namespace.name`` (what NumPy's protocols dispatch to)."""
    entry = registry.lookup(namespace, name)
    return None if entry is None else entry.obj


_NO_PARAMS = {}


def _binary_method(prim, reflected=False):
    """An operator method that goes straight to the right trace (bind, unrolled for two)."""
    def method(self, other):
        t = self._trace
        if isinstance(other, Tracer):
            if other._trace.level > t.level:
                t = other._trace
        elif type(other) not in _PLAIN:  # (numbers and arrays, the common case: one test)
            if type(other) in _SEQUENCES:   # w @ [1.0, 2.0]: the array NumPy makes of it
                (other,) = sequences_as_arrays((other,))
            elif SP.is_sparse(other):
                return _with_sparse(prim, self, other, reflected)
        if not t.active:
            raise TracerEscapeError(t.escape_message(prim))
        args = (other, self) if reflected else (self, other)
        return t.process(prim, args, _NO_PARAMS)
    method.__name__ = f"__{'r' if reflected else ''}{prim.name}__"
    return method


_PLAIN = frozenset({float, int, complex, bool, np.ndarray, np.float64, np.float32,
                    np.complex128, np.int64})


def _with_sparse(prim, x, a, reflected):
    """``x op A`` or ``A op x`` (``reflected``) for a traced ``x`` and a constant SciPy sparse
    matrix ``A``: SciPy's ``A @ x`` handed over (NotImplemented, see ``_sparse_handover``)."""
    name = prim.name
    if name == "multiply":
        if ndim(x) == 0:            # s * A: a sparse matrix with traced entries
            raise SP.refuse_traced_entries()
        if SP.is_sparse_array(a):   # sparse arrays: * is elementwise, with a sparse result
            raise SP.refuse_elementwise(a)
        name = "matmul"             # the matrix classes: * is the matrix product
    if name == "matmul":
        return SP.matmul(a, x) if reflected else SP.rmatmul(x, a)
    if name in ("add", "subtract"):  # SciPy's sum of a sparse and a dense matrix is dense
        dense = a.toarray()
        return prim(dense, x) if reflected else prim(x, dense)
    raise TypeError(
        f"numpy.{name} of a SciPy sparse matrix and a traced value is not differentiable in "
        f"chainrule. Use A @ x (or chainrule.scipy.sparse.matmul(A, x)) for the product, or "
        f"A.toarray() for a dense copy of the matrix.")


#: SciPy's methods that return NotImplemented (so that Python asks the tracer) when NumPy
#: makes a 0-d object array of the other operand.
_SPARSE_HANDOVER = frozenset({"_matmul_dispatch", "_rmatmul_dispatch", "multiply",
                              "_multiply_2d_with_broadcasting",
                              "_mul_dispatch", "_rmul_dispatch"})   # (SciPy before 1.12)


def _sparse_frame():
    """The frame of the scipy.sparse function that asked NumPy for an array of a tracer, if
    any: ``np.asanyarray`` (C, no frame) calls ``__array__`` straight from SciPy's frame."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    if frame is None or not frame.f_globals.get("__name__", "").startswith("scipy.sparse"):
        return None
    return frame


def _sparse_caller():
    """The name of the scipy.sparse function that asked for an array of a tracer, if any."""
    frame = _sparse_frame()
    return None if frame is None else frame.f_code.co_name


#: The operators whose NotImplemented Python answers with the tracer's reflected method.
_SPARSE_OPERATORS = frozenset({"__matmul__", "__rmatmul__", "__mul__", "__rmul__"})


def _by_operator(frame):
    """Whether NotImplemented from ``frame`` (a scipy.sparse function) reaches one of SciPy's
    operators, so that Python asks the tracer: not ``A.multiply(x)`` called directly, nor a
    LinearOperator's ``dot`` (there it would reach the user)."""
    f = frame
    while f is not None and f.f_globals.get("__name__", "").startswith("scipy.sparse._"):
        if f.f_code.co_name in _SPARSE_OPERATORS:
            return True
        f = f.f_back
    return False


def _sparse_handover():
    """A 0-d object array: what SciPy's sparse products take as "not an array of mine" and
    answer with NotImplemented, so that Python calls the tracer's reflected method."""
    out = np.empty((), dtype=object)
    out[()] = None
    return out


def _unary_method(prim):
    def method(self):
        t = self._trace
        if not t.active:
            raise TracerEscapeError(t.escape_message(prim))
        return t.process(prim, (self,), _NO_PARAMS)
    return method


def _comparison(prim):
    # x > 0 is not traced (no derivative); on a lazy (Dask) value it is guarded, so that
    # `if x > 0:` raises instead of computing the graph silently.
    def method(self, o):
        r = prim(self, o)
        return r if is_numpy(r) else guard_lazy(r)
    return method


def _bool(self):
    v = lower(self)
    if is_lazy(v):
        raise value_error(v, "if/while/bool() on a traced value")
    return bool(concrete_value(self, "bool"))  # a guard under jit


def _attach():
    cls = Tracer
    cls.__add__ = _binary_method(E.add)
    cls.__radd__ = _binary_method(E.add, reflected=True)
    cls.__sub__ = _binary_method(E.subtract)
    cls.__rsub__ = _binary_method(E.subtract, reflected=True)
    cls.__mul__ = _binary_method(E.multiply)
    cls.__rmul__ = _binary_method(E.multiply, reflected=True)
    cls.__truediv__ = _binary_method(E.divide)
    cls.__rtruediv__ = _binary_method(E.divide, reflected=True)
    cls.__pow__ = _binary_method(E.power)
    cls.__rpow__ = _binary_method(E.power, reflected=True)
    cls.__matmul__ = _binary_method(L.matmul)
    cls.__rmatmul__ = _binary_method(L.matmul, reflected=True)
    cls.__floordiv__ = lambda self, o: E.floor_divide(self, o)
    cls.__rfloordiv__ = lambda self, o: E.floor_divide(o, self)
    cls.__neg__ = _unary_method(E.negative)
    cls.__pos__ = lambda self: self
    cls.__abs__ = lambda self: E.absolute(self)
    cls.__lt__ = _comparison(E.less)
    cls.__le__ = _comparison(E.less_equal)
    cls.__gt__ = _comparison(E.greater)
    cls.__ge__ = _comparison(E.greater_equal)
    cls.__eq__ = _comparison(E.equal)
    cls.__ne__ = _comparison(E.not_equal)
    cls.__hash__ = object.__hash__
    # f"{loss:.3f}" inside a differentiated function formats the value, as for an array
    # (no guard, no derivative: printing decides nothing)
    cls.__format__ = lambda self, spec: format(lower(self), spec)
    cls.__getitem__ = _getitem
    cls.__setitem__ = _setitem
    cls.__len__ = lambda self: len(self._value)
    cls.__iter__ = lambda self: (self[i] for i in range(len(self)))
    cls.__bool__ = _bool
    cls.__float__ = _python_number("float", float)
    cls.__int__ = _no_float
    cls.__complex__ = _python_number("complex", complex)
    cls.__index__ = _python_number("index", operator.index)
    cls.__array__ = _no_array
    cls.__array_ufunc__ = _array_ufunc
    cls.__array_function__ = _array_function
    cls.shape = property(lambda self: _shape(self._value))
    cls.ndim = property(lambda self: len(_shape(self._value)))
    cls.size = property(lambda self: int(np.prod(_shape(self._value))))
    cls.dtype = property(lambda self: dtype_of(self))
    cls.T = property(lambda self: B.transpose(self))
    # complex parts, as on ndarray (z.real, z.imag, z.conj())
    cls.real = property(lambda self: B.real(self))
    cls.imag = property(lambda self: E.imag(self))
    cls.conj = lambda self: E.conj(self)
    cls.conjugate = lambda self: E.conj(self)
    cls.mT = property(lambda self: L.mT(self))
    cls.at = property(lambda self: _AtIndexer(self))
    cls.sum = lambda self, axis=None, keepdims=False: B.reduce_sum(self, axis=axis, keepdims=keepdims)
    cls.mean = lambda self, axis=None, keepdims=False: C.mean(self, axis=axis, keepdims=keepdims)
    cls.prod = lambda self, axis=None, keepdims=False: C.prod(self, axis=axis, keepdims=keepdims)
    cls.max = lambda self, axis=None, keepdims=False: S.reduce_max(self, axis=axis, keepdims=keepdims)
    cls.min = lambda self, axis=None, keepdims=False: S.reduce_min(self, axis=axis, keepdims=keepdims)
    # (ndarray.var's order: axis, dtype, out, ddof, keepdims; where, mean, correction by name)
    cls.var = lambda self, *args, **kwargs: C.var(self, *args, **kwargs)
    cls.std = lambda self, *args, **kwargs: C.std(self, *args, **kwargs)
    cls.cumsum = lambda self, axis=None: S.cumsum(self, axis=axis)
    cls.cumprod = lambda self, axis=None: C.cumprod(self, axis=axis)
    cls.argmax = lambda self, axis=None: S.argmax(self, axis=axis)
    cls.argmin = lambda self, axis=None: S.argmin(self, axis=axis)
    cls.argsort = lambda self, axis=-1: S.argsort(self, axis=axis)
    cls.reshape = lambda self, *shape, order="C": C.reshape(
        self, shape[0] if len(shape) == 1 else shape, order=order)
    cls.transpose = lambda self, *axes: B.transpose(
        self, axes=(axes[0] if len(axes) == 1 and not isinstance(axes[0], int) else axes) or None)
    cls.swapaxes = lambda self, a, b: C.swapaxes(self, a, b)
    cls.ravel = lambda self: C.ravel(self)
    cls.flatten = lambda self: C.ravel(self)
    cls.squeeze = lambda self, axis=None: C.squeeze(self, axis=axis)
    cls.dot = lambda self, o: C.dot(self, o)
    cls.clip = lambda self, a_min=None, a_max=None, min=None, max=None: E.clip(  # noqa: A002
        self, a_min if a_min is not None else min, a_max if a_max is not None else max)
    cls.astype = lambda self, dtype: C.astype(self, dtype)
    cls.copy = lambda self: E.positive(self)
    cls.diagonal = lambda self, offset=0, axis1=0, axis2=1: L.diagonal(
        self, offset=offset, axis1=axis1, axis2=axis2)
    cls.trace = lambda self, offset=0, axis1=0, axis2=1: C.trace(self, offset, axis1, axis2)
    # (more of ndarray's methods: a traced value answers what a plain array does)
    cls.any = lambda self, axis=None, keepdims=False: S.reduce_any(self, axis=axis,
                                                                   keepdims=keepdims)
    cls.all = lambda self, axis=None, keepdims=False: S.reduce_all(self, axis=axis,
                                                                   keepdims=keepdims)
    cls.round = lambda self, decimals=0: E.round_(self, decimals)
    cls.repeat = lambda self, repeats, axis=None: C.repeat(self, repeats, axis=axis)
    cls.take = lambda self, indices, axis=None: C.take(self, indices, axis=axis)
    cls.compress = lambda self, condition, axis=None: M.compress(condition, self, axis=axis)
    cls.nonzero = lambda self: S.nonzero(self)
    cls.itemsize = property(lambda self: dtype_of(self).itemsize)
    cls.nbytes = property(lambda self: dtype_of(self).itemsize * int(np.prod(_shape(self._value))))
    cls.partition = _in_place_method("partition", "y = chainrule.numpy.partition(x, kth)")
    cls.item = _plain("item", np.ndarray.item)
    cls.tolist = _plain("tolist", np.ndarray.tolist)
    cls.sort = _in_place_method("sort", "y = chainrule.numpy.sort(x)")
    cls.fill = _in_place_method("fill", "chainrule.numpy.full_like(x, value)")
    cls.resize = _in_place_method("resize", "chainrule.numpy.reshape(x, shape)")
    cls.put = _in_place_method("put", "x.at[idx].set(v)")
    cls.itemset = _in_place_method("itemset", "x.at[idx].set(v)")
    for op in ("add", "sub", "mul", "truediv", "pow", "matmul", "floordiv"):
        setattr(cls, f"__i{op}__", _make_iop(op))


def _make_iop(op):
    forward = getattr(Tracer, f"__{op}__")

    def iop(self, other):
        # x += y on a tracer rebinds the name to a new tracer (it cannot mutate the value).
        return forward(self, other)
    return iop


_attach()


def _to_int(self):
    """int(x): an integer has no derivative, so the value is taken as it is (NumPy's int())."""
    if is_lazy(lower(self)):
        raise value_error(lower(self), "int(x)")
    return int(np.asarray(concrete_value(self, "int")))


def _round(self, ndigits=None):
    # round(x) of a traced value: piecewise constant, zero derivative (a traced value stays
    # an array, as numpy.round gives).
    return E.round_(self, 0 if ndigits is None else ndigits)


def _array_int_or_refuse(self, dtype=None, copy=None):
    frame = _sparse_frame()
    if frame is not None:
        caller = frame.f_code.co_name
        if caller in _SPARSE_HANDOVER and _by_operator(frame):   # A @ x: to __rmatmul__
            return _sparse_handover()
        if caller == "dot" and frame.f_globals.get("__name__") == "scipy.sparse._coo":
            return np.empty((1,), dtype=object)   # coo's A.dot(x) reads x.shape, then A @ x
    # np.int64(x), x.astype-like casts to integers or booleans: no derivative to lose.
    if dtype is not None and np.dtype(dtype).kind in "iub" and not is_lazy(lower(self)):
        return np.asarray(concrete_value(self, "array"), dtype=dtype)
    if _convertible(self):  # jit: a staged value is a plain array to NumPy
        return np.array(concrete_value(self, "array"), dtype=dtype, copy=True)
    return _no_array(self, dtype, copy)


def _attach_more():
    from . import more_numpy as M
    cls = Tracer
    cls.__mod__ = lambda self, o: M.mod(self, o)
    cls.__rmod__ = lambda self, o: M.mod(o, self)
    cls.__divmod__ = lambda self, o: M.divmod_(self, o)
    cls.__rdivmod__ = lambda self, o: M.divmod_(o, self)
    cls.__imod__ = cls.__mod__
    # &, |, ^, <<, >> and ~ (masks combined under jit and vmap, where comparisons are traced)
    from . import elementwise_more as EM
    for name, prim in (("and", EM.bitwise_and), ("or", EM.bitwise_or),
                       ("xor", EM.bitwise_xor), ("lshift", EM.left_shift),
                       ("rshift", EM.right_shift)):
        setattr(cls, f"__{name}__", _binary_method(prim))
        setattr(cls, f"__r{name}__", _binary_method(prim, reflected=True))
    cls.__invert__ = lambda self: EM.invert(self)
    cls.__round__ = _round
    cls.__int__ = _to_int
    cls.__array__ = _array_int_or_refuse


_attach_more()
