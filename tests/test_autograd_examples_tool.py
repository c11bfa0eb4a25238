"""tools/autograd_examples.py, without the network: the import rewrite and the comparison of
printed numbers (running the examples themselves is the tool's job, not the suite's)."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "autograd_examples", Path(__file__).resolve().parent.parent / "tools" / "autograd_examples.py")
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)


def test_only_the_imports_of_autograd_change():
    source = ("import autograd.numpy as np\n"
              "import autograd\n"
              "import autograd.scipy.signal\n"
              "from autograd import grad  # reverse mode\n"
              "from autograd.misc.optimizers import (adam,\n"
              "    sgd)\n"
              "import os, autograd.numpy.random as npr\n"
              "x = 'import autograd'\n"
              "def f():\n"
              "    from autograd.extend import primitive\n")
    text, count = tool.rewrite_imports(source)
    assert count == 7
    assert text == ("import chainrule.autograd.numpy as np\n"
                    "import chainrule.autograd as autograd\n"
                    "import chainrule.autograd.scipy.signal; import chainrule.autograd as autograd\n"
                    "from chainrule.autograd import grad  # reverse mode\n"
                    "from chainrule.autograd.misc.optimizers import (adam,\n"
                    "    sgd)\n"
                    "import os; import chainrule.autograd.numpy.random as npr\n"
                    "x = 'import autograd'\n"
                    "def f():\n"
                    "    from chainrule.autograd.extend import primitive\n")
    assert tool.rewrite_imports("import numpy as np\nfrom autograde import x\n")[1] == 0


def test_printed_numbers_are_compared_token_by_token():
    same = tool.compare_numbers("loss 1.0 at 2 (np.float64(3e-13))", "loss 1.0 at 2 (array(5e-13))",
                                rtol=1e-6)
    assert same == "same 3 numbers"   # 'float64' is no number; residuals near 0 agree
    differ = tool.compare_numbers("1 2 3 nan", "1 2.1 3 4", rtol=1e-6)
    assert differ.startswith("differ from number 2 of 4 (2 vs 2.1)")
    assert tool.compare_numbers("1 2", "1 2 3", rtol=1e-6) == "first 2 numbers agree; 2 printed vs 3"


def test_a_nan_against_a_number_is_a_difference_not_a_crash():
    # max(abs(0.0), abs(nan)) is 0.0: the relative gap divided by zero (ZeroDivisionError)
    assert tool.compare_numbers("0.0 1.0", "nan 1.0", rtol=1e-6).startswith(
        "differ from number 1 of 2 (0.0 vs nan); largest relative gap inf")
    assert tool.compare_numbers("nan", "0.5", rtol=1e-6).startswith("differ from number 1 of 1")
