"""autograd.extend: declare a primitive at run time and give it derivative rules.

``primitive(f)`` wraps ``f``; ``defvjp(f, maker_0, maker_1, ...)`` gives it one VJP maker
per positional argument (``maker(ans, *args, **kwargs) -> (g -> cotangent)``, None for a
zero derivative) and ``defjvp(f, jvp_0, ...)`` one JVP per argument
(``jvp(t, ans, *args, **kwargs) -> tangent of ans``; ``'same'`` for a linear argument).
Each call is routed through :class:`chainrule.custom_vjp` (when VJPs are given) or
:class:`chainrule.custom_jvp`, so both modes and higher orders work from either kind of rule.

>>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
>>> @primitive
... def cube(x):
...     return x ** 3
>>> defvjp(cube, lambda ans, x: lambda g: 3.0 * x ** 2 * g)
>>> float(autograd.grad(cube)(2.0)), float(autograd.deriv(cube)(2.0))
(12.0, 12.0)
"""
import functools
import types
import warnings

import chainrule as cr
import chainrule.numpy as cnp

from .builtins import getval

__all__ = ["primitive", "notrace_primitive", "defvjp", "defvjp_argnum", "defvjp_argnums",
           "defjvp", "defjvp_argnum", "def_linear", "getval"]


def _traced(value):
    return any(hasattr(type(leaf), "primal") for leaf in cr.tree.leaves(value))


def _with(args, positions, values):
    args = list(args)
    for i, v in zip(positions, values):
        args[i] = v
    return tuple(args)


class primitive:
    """A function whose derivatives are the rules given to it, not its body's.

    >>> @primitive
    ... def double(x):
    ...     return 2.0 * x
    >>> def_linear(double)
    >>> import chainrule.autograd as autograd
    >>> float(autograd.grad(double)(1.0))
    2.0

    In a class body it is a method:

    >>> class Scaled:
    ...     def __init__(self, c):
    ...         self.c = c
    ...     @primitive
    ...     def apply(self, x):
    ...         return self.c * x ** 2
    >>> defvjp(Scaled.apply, None, lambda ans, self, x: lambda g: g * 2 * self.c * x)
    >>> float(autograd.grad(lambda x: Scaled(3.0).apply(x))(2.0))
    12.0
    """

    def __init__(self, fun):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.vjp_maker = None   # (argnum, ans, args, kwargs) -> (g -> cotangent)
        self.jvp_maker = None   # (argnum, t, ans, args, kwargs) -> tangent of ans

    def __get__(self, obj, objtype=None):
        # A primitive defined in a class body is a method, as autograd's (a function) is:
        # obj.method(x) calls it with obj first; Class.method is the primitive itself, to
        # give rules to (defvjp(Class.method, None, lambda ans, self, x: ...)).
        return self if obj is None else types.MethodType(self, obj)

    def __call__(self, *args, **kwargs):
        dynamic = [i for i, a in enumerate(args) if _traced(a)]
        if not dynamic:
            return self.fun(*args, **kwargs)

        def body(*values):
            return self.fun(*_with(args, dynamic, values), **kwargs)

        if self.vjp_maker is not None:
            rule = cr.custom_vjp(body)
            rule.defvjp(lambda *values: self._fwd(args, dynamic, values, kwargs),
                        lambda res, g: self._bwd(res, g, dynamic, kwargs))
        elif self.jvp_maker is not None:
            rule = cr.custom_jvp(body)
            rule.defjvp(lambda primals, tangents:
                        self._jvp(args, dynamic, primals, tangents, kwargs))
        else:
            raise NotImplementedError(
                f"{self.__name__} is an autograd primitive with no derivative rule: give it "
                f"one with defvjp(...) or defjvp(...) from chainrule.autograd.extend")
        return rule(*[args[i] for i in dynamic])

    # ---- autograd's older API (still in autograd 1.9, with a DeprecationWarning) ----------
    def defvjp(self, vjpmaker, argnum=0):
        """``f.defvjp(lambda g, ans, vs, gvs, *args: cotangent, argnum=0)``: autograd's older
        spelling of :func:`defvjp` (``vs``/``gvs`` describe the argument and ``g``: ``shape``,
        ``dtype``, ``size``, ``zeros()``...).

        >>> import warnings, chainrule.autograd as autograd
        >>> @primitive
        ... def mul(x, y):
        ...     return x * y
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     mul.defvjp(lambda g, ans, vs, gvs, x, y: g * y)
        ...     mul.defvjp(lambda g, ans, vs, gvs, x, y: g * x, argnum=1)
        >>> [float(d) for d in autograd.grad(mul, (0, 1))(2.0, 3.0)]
        [3.0, 2.0]
        """
        _old_api("f.defvjp(lambda g, ans, vs, gvs, *args: ...)",
                 "defvjp(f, lambda ans, *args: lambda g: ...)")
        self._old_rules()[argnum] = lambda ans, *args, **kw: lambda g: vjpmaker(
            g, ans, _VSpace(args[argnum]), _VSpace(g), *args, **kw)

    def defgrad(self, gradfun, argnum=0):
        """``f.defgrad(lambda ans, *args: (g -> cotangent), argnum=0)``: autograd's older
        spelling of one :func:`defvjp` maker."""
        _old_api("f.defgrad(...)", "defvjp(f, ...)")
        self._old_rules()[argnum] = gradfun

    def defvjp_is_zero(self, argnums=(0,)):
        """``f.defvjp_is_zero(argnums)``: autograd's older spelling of a None maker."""
        _old_api("f.defvjp_is_zero(...)", "defvjp(f, None, ...)")
        for i in argnums:
            self._old_rules()[i] = None

    def _old_rules(self):
        rules = self.__dict__.setdefault("_old_vjps", {})
        if self.vjp_maker is None or getattr(self.vjp_maker, "_old", False) is False:
            def maker(i, ans, args, kwargs):
                if i not in rules:
                    raise NotImplementedError(f"VJP of {self.__name__} with respect to "
                                              f"argument {i} is not defined")
                if rules[i] is None:
                    return _zeros_vjp(i, ans, args, kwargs)
                return rules[i](ans, *args, **kwargs)
            maker._old = True
            self.vjp_maker = maker
        return rules

    def _fwd(self, args, dynamic, values, kwargs):
        full = _with(args, dynamic, values)
        ans = self.fun(*full, **kwargs)
        return ans, (ans, full)

    def _bwd(self, res, g, dynamic, kwargs):
        ans, full = res
        return tuple(self.vjp_maker(i, ans, full, kwargs)(g) for i in dynamic)

    def _jvp(self, args, dynamic, primals, tangents, kwargs):
        full = _with(args, dynamic, primals)
        ans = self.fun(*full, **kwargs)
        out = None
        for i, t in zip(dynamic, tangents):
            term = self.jvp_maker(i, t, ans, full, kwargs)
            out = term if out is None else out + term
        if cnp.shape(out) != cnp.shape(ans):
            # A rule for a broadcast argument may give its tangent unbroadcast.
            out = cnp.broadcast_to(out, cnp.shape(ans))
        return ans, out


def _old_api(old, new):
    warnings.warn(f"{old} is autograd's older API; chainrule.autograd.extend's {new} is the "
                  f"current one", DeprecationWarning, stacklevel=3)


class _VSpace:
    """What autograd's older VJP makers receive as ``vs``/``gvs``: the shape and dtype of a
    value, with zeros and ones of that space."""

    def __init__(self, value):
        self.shape, self.dtype = cnp.shape(value), cnp.asarray(value).dtype
        self.size, self.ndim = int(cnp.size(value)), len(self.shape)
        self.iscomplex = self.dtype.kind == "c"

    def zeros(self):
        return cnp.zeros(self.shape, self.dtype)

    def ones(self):
        return cnp.ones(self.shape, self.dtype)


def notrace_primitive(fun):
    """``fun`` applied to plain values: its result carries no derivative.

    >>> notrace_primitive(round)(2.4)
    2
    """
    @functools.wraps(fun)
    def wrapped(*args, **kwargs):
        return fun(*[getval(a) for a in args], **{k: getval(v) for k, v in kwargs.items()})
    return wrapped


def _check(fun):
    if not isinstance(fun, primitive):
        raise TypeError(f"{getattr(fun, '__name__', fun)!r} is not a primitive: wrap it with "
                        f"chainrule.autograd.extend.primitive before giving it rules")


def _zeros_vjp(argnum, ans, args, kwargs):
    return lambda g: cnp.zeros_like(args[argnum])


def defvjp_argnum(fun, vjpmaker):
    """Give ``fun`` one VJP maker for all arguments: ``vjpmaker(argnum, ans, args, kwargs)``.

    >>> @primitive
    ... def mul(x, y):
    ...     return x * y
    >>> defvjp_argnum(mul, lambda i, ans, args, kw: lambda g: g * args[1 - i])
    >>> import chainrule.autograd as autograd
    >>> float(autograd.grad(mul, 1)(3.0, 2.0))
    3.0
    """
    _check(fun)
    fun.vjp_maker = vjpmaker


def defvjp_argnums(fun, vjpmaker):
    """Give ``fun`` a VJP maker for several arguments at once:
    ``vjpmaker(argnums, ans, args, kwargs) -> (g -> tuple of cotangents)``.

    >>> @primitive
    ... def mul(x, y):
    ...     return x * y
    >>> defvjp_argnums(mul, lambda nums, ans, args, kw: lambda g: tuple(g * args[1 - i] for i in nums))
    >>> import chainrule.autograd as autograd
    >>> float(autograd.grad(mul)(3.0, 2.0))
    2.0
    """
    defvjp_argnum(fun, lambda i, ans, args, kwargs:
                  lambda g: vjpmaker((i,), ans, args, kwargs)(g)[0])


def defvjp(fun, *vjpmakers, **kwargs):
    """Give ``fun`` one VJP maker per positional argument (or per ``argnums=``):
    ``maker(ans, *args, **kwargs)`` returns ``g -> cotangent``; None means zero.

    >>> @primitive
    ... def logsumexp2(a, b):
    ...     return np.logaddexp(a, b)
    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> defvjp(logsumexp2, lambda ans, a, b: lambda g: g * np.exp(a - ans),
    ...                    lambda ans, a, b: lambda g: g * np.exp(b - ans))
    >>> [float(d) for d in autograd.grad(logsumexp2, (0, 1))(0.0, 0.0)]
    [0.5, 0.5]
    """
    argnums = kwargs.get("argnums", range(len(vjpmakers)))
    makers = dict(zip(argnums, vjpmakers))

    def maker(i, ans, args, kw):
        if i not in makers:
            raise NotImplementedError(f"VJP of {fun.__name__} with respect to argument {i} "
                                      f"is not defined")
        if makers[i] is None:
            return _zeros_vjp(i, ans, args, kw)
        return makers[i](ans, *args, **kw)
    defvjp_argnum(fun, maker)


def defjvp_argnum(fun, jvpmaker):
    """Give ``fun`` one JVP for all arguments: ``jvpmaker(argnum, t, ans, args, kwargs)``.

    >>> @primitive
    ... def square(x):
    ...     return x * x
    >>> defjvp_argnum(square, lambda i, t, ans, args, kw: 2.0 * args[0] * t)
    >>> import chainrule.autograd as autograd
    >>> float(autograd.grad(square)(3.0))
    6.0
    """
    _check(fun)
    fun.jvp_maker = jvpmaker


def defjvp(fun, *jvpfuns, **kwargs):
    """Give ``fun`` one JVP per positional argument: ``jvp(t, ans, *args, **kwargs)`` is
    the tangent of the output; None means zero, ``'same'`` means ``fun`` is linear there.

    >>> @primitive
    ... def scaled_exp(x, c):
    ...     return c * np.exp(x)
    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> defjvp(scaled_exp, lambda t, ans, x, c: ans * t, 'same')
    >>> float(autograd.deriv(scaled_exp)(0.0, 3.0)), float(autograd.grad(scaled_exp, 1)(0.0, 3.0))
    (3.0, 1.0)
    """
    argnums = kwargs.get("argnums", range(len(jvpfuns)))
    rules = dict(zip(argnums, jvpfuns))

    def maker(i, t, ans, args, kw):
        rule = rules.get(i)
        if i not in rules:
            raise NotImplementedError(f"JVP of {fun.__name__} with respect to argument {i} "
                                      f"is not defined")
        if rule is None:
            return cnp.zeros_like(ans)
        if rule == "same":
            return fun.fun(*_with(args, (i,), (t,)), **kw)
        return rule(t, ans, *args, **kw)
    defjvp_argnum(fun, maker)


def def_linear(fun):
    """Declare ``fun`` linear in each argument: its JVP is ``fun`` applied to the tangent.

    >>> @primitive
    ... def triple(x):
    ...     return 3.0 * x
    >>> def_linear(triple)
    >>> import chainrule.autograd as autograd
    >>> float(autograd.grad(triple)(1.0))
    3.0
    """
    defjvp_argnum(fun, lambda i, t, ans, args, kw: fun.fun(*_with(args, (i,), (t,)), **kw))
