"""What a program moved from autograd or from plain NumPy meets first: its import lines with the
package changed, and its habit of filling preallocated arrays in place."""
import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def test_autograd_import_lines_with_the_package_changed():
    # `import autograd.numpy.random as npr` and `import autograd.scipy.stats.multivariate_normal
    # as mvn` are the first lines of autograd's examples; both raised ModuleNotFoundError.
    import chainrule.numpy.random as npr
    import chainrule.scipy.stats.multivariate_normal as mvn
    import chainrule.scipy.stats.norm as norm
    from chainrule.scipy.stats.t import logpdf as t_logpdf
    import chainrule.scipy.stats as stats
    assert npr is np.random and cnp.random is np.random   # one global generator, one seed
    assert mvn is stats.multivariate_normal and norm is stats.norm
    assert t_logpdf is stats.t.logpdf
    x = npr.RandomState(0).randn(3)
    got = cr.grad(lambda m: mvn.logpdf(x, m, np.eye(3)))(np.zeros(3))
    np.testing.assert_allclose(got, x, rtol=1e-12)     # d/dm log N(x; m, I) = x − m


@pytest.mark.parametrize("store", ["element", "slice", "row"])
def test_storing_a_traced_value_into_a_numpy_array_says_what_to_write(store):
    # out = np.zeros(n); out[i] = f(x): the error named neither the assignment nor its fix
    # ("use chainrule.numpy functions instead of numpy ones", or NumPy's own "setting an
    # array element with a sequence" for one element).
    def f(k):
        out = cnp.zeros((3, 2))
        if store == "element":
            out[0, 1] = k
        elif store == "slice":
            out[1:, 0] = k * cnp.ones(2)
        else:
            out[2] = cnp.sin(k)
        return out.sum()

    # (for one element NumPy raises its own ValueError with ours as the cause: the transform
    # raises ours, and the traceback still ends at the user's line)
    for transform in (lambda: cr.grad(f)(1.0), lambda: cr.jvp(f, (1.0,), (1.0,)),
                      lambda: cr.vmap(f)(np.ones(2)), lambda: cr.jit(cr.grad(f))(1.0),
                      lambda: cr.hessian(f)(1.0)):
        with pytest.raises(cr.InPlaceError) as info:
            transform()
        error = info.value
        assert "out[idx] = v" in str(error) and "chainrule.numpy.at(out)[idx].set(v)" in str(error)
        assert any(entry.name == "f" for entry in info.traceback)


def test_the_fix_the_error_names_differentiates():
    def f(k):
        out = cnp.zeros((3, 2))
        out = cnp.at(out)[0, 1].set(k)
        out = cnp.at(out)[2].set(cnp.sin(k))
        return out.sum()
    np.testing.assert_allclose(cr.grad(f)(0.5), 1.0 + 2 * np.cos(0.5), rtol=1e-14)


def test_other_conversions_keep_their_message():
    with pytest.raises(TypeError, match="instead of numpy ones"):
        cr.grad(lambda x: np.asarray(x).sum())(np.ones(2))
    with pytest.raises(TypeError, match="Python number"):
        cr.grad(lambda x: float(x))(1.0)


def test_autograds_argnum_keyword_names_chainrules():
    # grad(f, argnum=1), autograd's spelling, raised "grad() got an unexpected keyword argument"
    f = lambda x, y: x * y ** 2
    for transform in (cr.grad, cr.value_and_grad, cr.jacobian, cr.jacfwd, cr.jacrev, cr.hessian):
        with pytest.raises(TypeError, match=r"argnum=1 is argnums=1 in chainrule"):
            transform(f, argnum=1)
    assert cr.grad(f, argnums=1)(3.0, 2.0) == 12.0
    assert cr.grad(f, 1)(3.0, 2.0) == 12.0
    import chainrule.autograd as autograd
    assert autograd.grad(f, argnum=1)(3.0, 2.0) == 12.0
