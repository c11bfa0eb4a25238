"""autograd's differential operators, each a thin adapter over a chainrule transform.

autograd differentiates one positional argument (``argnum``, an int or a tuple of ints)
of an n-ary function; :func:`_nary` turns each unary operator below into that form, as
autograd's ``unary_to_nary`` does.
"""
import builtins
import collections
import functools
import inspect

import chainrule as cr
import chainrule.numpy as cnp

__all__ = [
    "grad", "elementwise_grad", "deriv", "jacobian", "holomorphic_grad", "grad_named", "hessian",
    "make_hvp", "hessian_tensor_product", "hessian_vector_product", "tensor_jacobian_product",
    "vector_jacobian_product", "make_jvp", "make_vjp", "make_ggnvp", "value_and_grad",
    "grad_and_aux", "multigrad_dict", "checkpoint", "make_jvp_reversemode",
]


def _substitute(args, argnum, x):
    args = builtins.list(args)
    if builtins.isinstance(argnum, int):
        args[argnum] = x
    else:
        for i, xi in zip(argnum, x):
            args[i] = xi
    return builtins.tuple(args)


def _unary(fun, args, kwargs, argnum):
    """``(f, x)``: ``fun`` as a function of the argument(s) ``argnum`` only, and their value."""
    nums = (argnum,) if builtins.isinstance(argnum, int) else argnum
    for i in nums:
        if not -len(args) <= i < len(args):
            raise ValueError(f"argnum={argnum!r} but the function got {len(args)} positional "
                             f"argument(s)")
    x = args[argnum] if builtins.isinstance(argnum, int) else \
        builtins.tuple(args[i] for i in argnum)
    return (lambda x: fun(*_substitute(args, argnum, x), **kwargs)), x


def _nary(unary_op):
    """``op(fun, argnum=0, *extra)`` returning ``(*args, **kwargs) -> unary_op(f, x, *extra)``."""
    @functools.wraps(unary_op)
    def operator(fun, argnum=0, *op_args, **op_kwargs):
        @functools.wraps(fun)
        def transformed(*args, **kwargs):
            f, x = _unary(fun, args, kwargs, argnum)
            return unary_op(f, x, *op_args, **op_kwargs)
        return transformed
    return operator


def _ones_like(tree):
    return cr.tree.tree_map(cnp.ones_like, tree)


def _vector_like(v, ref):
    """``v`` in the space of ``ref``, as autograd takes it: any numeric array, list or
    scalar (SciPy's LinearOperator probes ``hessp`` with int8 zeros; ``[1, 0]`` is a vector).
    Integer, bool and other-precision real vectors take ``ref``'s dtype; a complex ``v``
    for a real ``ref`` is left for chainrule to refuse (its imaginary part would be lost)."""
    def leaf(r, u):
        u, want = cnp.asarray(u), cnp.asarray(r).dtype
        if want.kind in "fc" and u.dtype != want and u.dtype.kind in "biuf":
            u = u.astype(want)
        return u
    leaves = cr.tree.leaves(ref)
    if len(leaves) == 1 and leaves[0] is ref:   # one array: v may be a list or a scalar
        return leaf(ref, v)
    return cr.tree.tree_map(leaf, ref, v)


@_nary
def make_vjp(f, x):
    """``make_vjp(fun, argnum=0)(*args)`` is ``(vjp, ans)``; ``vjp(g)`` is gᵀJ (``cr.vjp``).

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> vjp, ans = autograd.make_vjp(lambda x: x ** 2)(np.array([1.0, 3.0]))
    >>> vjp(np.ones(2)).tolist(), ans.tolist()
    ([2.0, 6.0], [1.0, 9.0])
    """
    ans, pullback = cr.vjp(f, x)
    return (lambda g: pullback(_vector_like(g, ans))[0]), ans


@_nary
def make_jvp(f, x):
    """``make_jvp(fun, argnum=0)(*args)`` is ``v -> (ans, J·v)`` (forward mode, ``cr.jvp``).

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> ans, t = autograd.make_jvp(np.sin)(0.0)(2.0)
    >>> float(ans), float(t)
    (0.0, 2.0)
    """
    return lambda v: cr.jvp(f, (x,), (_vector_like(v, x),))


@_nary
def make_jvp_reversemode(f, x):
    """``make_jvp_reversemode(fun, argnum=0)(*args)`` is ``v -> J·v`` (autograd builds it
    from two reverse passes; chainrule computes it in forward mode, the same numbers).

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> autograd.make_jvp_reversemode(lambda x: x ** 2)(np.array([1.0, 3.0]))([1, 1]).tolist()
    [2.0, 6.0]
    """
    return lambda v: cr.jvp(f, (x,), (_vector_like(v, x),))[1]


@_nary
def grad(f, x):
    """Gradient of scalar ``fun`` in argument ``argnum`` (``cr.grad``).

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> autograd.grad(lambda w, x: np.sum(w * x), 1)(np.array([1.0, 2.0]), np.zeros(2)).tolist()
    [1.0, 2.0]
    """
    return cr.grad(_size_one_as_scalar(f))(x)


def _size_one_as_scalar(f, shapes=None):
    # autograd's grad takes any output of size one (a flattened scalar has shape (1,)).
    def scalar_f(x):
        y = f(x)
        if not isinstance(y, (tuple, list)) and cnp.ndim(y) and cnp.size(y) == 1:
            if shapes is not None:
                shapes.append(cnp.shape(y))
            return cnp.reshape(y, ())
        return y
    return scalar_f


@_nary
def elementwise_grad(f, x):
    """The vector-Jacobian product with ones: the Jacobian's diagonal when it is diagonal.

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> autograd.elementwise_grad(np.tanh)(np.zeros(3)).tolist()
    [1.0, 1.0, 1.0]
    """
    ans, pullback = cr.vjp(f, x)
    if any(cnp.iscomplexobj(leaf) for leaf in cr.tree.leaves(ans)):
        # the cotangent of ones would differentiate Re(f) only, silently (autograd refuses too)
        raise TypeError("elementwise_grad applies to real-output functions; the function "
                        "returned a complex value. Use holomorphic_grad for a holomorphic "
                        "function, or make_vjp with a complex cotangent")
    return pullback(_ones_like(ans))[0]


@_nary
def deriv(f, x):
    """The Jacobian-vector product with ones (forward mode): f'(x) for a scalar x.

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> float(autograd.deriv(np.exp)(0.0))
    1.0
    """
    return cr.jvp(f, (x,), (_ones_like(x),))[1]


@_nary
def jacobian(f, x):
    """The Jacobian, shaped ``out.shape + in.shape`` (``cr.jacobian``).

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> autograd.jacobian(lambda x: x[:2] * 3.0)(np.ones(3)).tolist()
    [[3.0, 0.0, 0.0], [0.0, 3.0, 0.0]]
    """
    return cr.jacobian(f)(x)


@_nary
def holomorphic_grad(f, x):
    """f'(z) of a holomorphic ``fun`` (``cr.grad(..., holomorphic=True)``).

    >>> import chainrule.autograd as autograd
    >>> complex(autograd.holomorphic_grad(lambda z: z ** 2)(1j))
    2j
    """
    return cr.grad(f, holomorphic=True)(x)


@_nary
def hessian(f, x):
    """The Hessian, shaped ``out.shape + in.shape + in.shape`` (``cr.hessian``).

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> autograd.hessian(lambda x: np.sum(x ** 3))(np.array([1.0, 2.0])).tolist()
    [[6.0, 0.0], [0.0, 12.0]]
    """
    return cr.hessian(f)(x)


@_nary
def make_hvp(f, x):
    """``make_hvp(fun, argnum=0)(*args)`` is ``(hvp, gradient)``; ``hvp(v)`` is H·v.

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> hvp, g = autograd.make_hvp(lambda x: np.sum(x ** 3))(np.array([1.0, 2.0]))
    >>> hvp(np.array([1.0, 1.0])).tolist(), g.tolist()
    ([6.0, 12.0], [3.0, 12.0])
    """
    g, pullback = cr.vjp(cr.grad(_size_one_as_scalar(f)), x)
    return (lambda v: pullback(_vector_like(v, g))[0]), g


def grad_named(fun, argname):
    """Gradient with respect to the argument called ``argname``.

    >>> import chainrule.autograd as autograd
    >>> float(autograd.grad_named(lambda a, b: a * b, "b")(3.0, 1.0))
    3.0
    """
    return grad(fun, builtins.list(inspect.signature(fun).parameters).index(argname))


def hessian_tensor_product(fun, argnum=0):
    """``(*args, v) -> H·v``, by forward-over-reverse without forming H (``cr.hvp``).

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> hvp = autograd.hessian_tensor_product(lambda x: np.sum(x ** 3))
    >>> hvp(np.array([1.0, 2.0]), np.array([1.0, 0.0])).tolist()
    [6.0, 0.0]
    """
    def product(*args, **kwargs):
        args, v = args[:-1], args[-1]
        f, x = _unary(fun, args, kwargs, argnum)
        return cr.hvp(_size_one_as_scalar(f), (x,), (_vector_like(v, x),))[0]
    return product


hessian_vector_product = hessian_tensor_product


def tensor_jacobian_product(fun, argnum=0):
    """``(*args, v) -> tensordot(v, J, v.ndim)``: vᵀJ when v is shaped like the output.

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> vjp = autograd.tensor_jacobian_product(lambda x: x ** 2)
    >>> vjp(np.array([1.0, 2.0]), np.array([1.0, 1.0])).tolist()
    [2.0, 4.0]
    """
    def product(*args, **kwargs):
        args, v = args[:-1], args[-1]
        f, x = _unary(fun, args, kwargs, argnum)
        ans, pullback = cr.vjp(f, x)
        if cnp.ndim(v) == cnp.ndim(ans):
            return pullback(_vector_like(v, ans))[0]
        # v contracts only the leading output axes: a Jacobian of the contracted function.
        return cr.jacobian(lambda x: cnp.tensordot(v, f(x), axes=cnp.ndim(v)))(x)
    return product


vector_jacobian_product = tensor_jacobian_product


def _half_sum_squares(y):
    return 0.5 * cnp.sum(y ** 2, axis=-1)


def make_ggnvp(f, g=_half_sum_squares, f_argnum=0):
    """``make_ggnvp(f, g)(*args)`` is ``v -> Jᵀ H_g J v`` for ``g(f(x))`` (``cr.gnvp``).

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> autograd.make_ggnvp(lambda x: A @ x)(np.zeros(2))(np.array([1.0, 0.0])).tolist()
    [10.0, 14.0]
    """
    def build(*args, **kwargs):
        fx, x = _unary(f, args, kwargs, f_argnum)
        return lambda v: cr.gnvp(fx, g, x, _vector_like(v, x))
    return build


@_nary
def value_and_grad(f, x):
    """``(value, gradient)`` of scalar ``fun`` (``cr.value_and_grad``).

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> v, g = autograd.value_and_grad(lambda x: np.sum(x ** 2))(np.array([1.0, 2.0]))
    >>> float(v), g.tolist()
    (5.0, [2.0, 4.0])
    """
    shapes = []
    ans, g = cr.value_and_grad(_size_one_as_scalar(f, shapes))(x)
    return (cnp.reshape(ans, shapes[0]) if shapes else ans), g


@_nary
def grad_and_aux(f, x):
    """For ``fun`` returning ``(value, aux)``: ``(gradient of value, aux)``.

    >>> import chainrule.autograd as autograd
    >>> g, aux = autograd.grad_and_aux(lambda x: (x ** 2, "note"))(3.0)
    >>> float(g), aux
    (6.0, 'note')
    """
    def value_and_aux(x):
        out = f(x)
        if not isinstance(out, (builtins.tuple, builtins.list)) or len(out) != 2:
            raise TypeError(f"grad_and_aux: the function must return a pair (value, aux); it "
                            f"returned {_describe(out)}")
        return builtins.tuple(out)
    return cr.grad(value_and_aux, has_aux=True)(x)


def _describe(out):
    if isinstance(out, (builtins.tuple, builtins.list)):
        return f"a {builtins.type(out).__name__} of {len(out)}"
    return f"a {builtins.type(cr.stop_gradient(out)).__name__}" if cr.tree.leaves(out) \
        else repr(out)


def multigrad_dict(fun):
    """Gradients in every argument at once, as an ordered dict keyed by argument name.

    >>> import chainrule.autograd as autograd
    >>> d = autograd.multigrad_dict(lambda a, b=2.0: a * b)(3.0)
    >>> {k: float(v) for k, v in d.items()}
    {'a': 2.0, 'b': 3.0}
    """
    sig = inspect.signature(fun)
    kinds = {name: p.kind for name, p in sig.parameters.items()}

    def call(bound):
        args, kwargs = [], {}
        for name in sig.parameters:   # the traced dict comes back with its keys sorted
            value = bound[name]
            if kinds[name] == inspect.Parameter.VAR_POSITIONAL:
                args.extend(value)
            elif kinds[name] == inspect.Parameter.VAR_KEYWORD:
                kwargs.update(value)
            elif kinds[name] == inspect.Parameter.KEYWORD_ONLY:
                kwargs[name] = value
            else:
                args.append(value)
        return fun(*args, **kwargs)

    def gradfun(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = builtins.dict(bound.arguments)
        grads = cr.grad(call)(arguments)
        return collections.OrderedDict((name, grads[name]) for name in arguments)
    return gradfun


def checkpoint(fun):
    """``fun`` rematerialised in reverse mode: its intermediates are recomputed, not stored.

    >>> import chainrule.autograd as autograd, chainrule.autograd.numpy as np
    >>> block = autograd.checkpoint(lambda x: np.sin(x) * 2.0)
    >>> float(autograd.grad(lambda x: block(block(x)))(0.0))
    4.0
    """
    rematerialised = cr.checkpoint(fun)

    @functools.wraps(fun)
    def wrapped(*args, **kwargs):
        if kwargs:
            return cr.checkpoint(functools.partial(fun, **kwargs))(*args)
        return rematerialised(*args)
    return wrapped
