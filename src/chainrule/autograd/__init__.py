"""HIPS autograd's public API as thin adapters over chainrule's transforms.

Migration is the import line: ``import chainrule.autograd as autograd`` and
``import chainrule.autograd.numpy as np``. See docs/autograd.md for what maps to what.

>>> import chainrule.autograd as autograd
>>> import chainrule.autograd.numpy as np
>>> float(autograd.grad(lambda x: np.sin(x) * x)(0.0))
0.0
>>> autograd.jacobian(lambda x: 2.0 * x)(np.ones(2)).tolist()
[[2.0, 0.0], [0.0, 2.0]]
"""
from .differential_operators import (  # noqa: F401
    grad, elementwise_grad, deriv, jacobian, holomorphic_grad, grad_named, hessian, make_hvp,
    hessian_tensor_product, hessian_vector_product, tensor_jacobian_product,
    vector_jacobian_product, make_jvp, make_vjp, make_ggnvp, value_and_grad, grad_and_aux,
    multigrad_dict, checkpoint, make_jvp_reversemode)
from .builtins import isinstance, type, tuple, list, dict  # noqa: F401,A001
from .extend import primitive  # noqa: F401

__all__ = [
    "grad", "elementwise_grad", "deriv", "jacobian", "holomorphic_grad", "grad_named", "hessian",
    "make_hvp", "hessian_tensor_product", "hessian_vector_product", "tensor_jacobian_product",
    "vector_jacobian_product", "make_jvp", "make_vjp", "make_ggnvp", "value_and_grad",
    "grad_and_aux", "multigrad_dict", "checkpoint", "make_jvp_reversemode", "isinstance",
    "type", "tuple", "list", "dict", "primitive",
]
