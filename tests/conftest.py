def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: a long-running test (the 10^6-operation chain); deselect with -m 'not slow'")


# Drop every array the residual declarations say no rule reads, however small, so that
# the whole suite exercises the declarations (a rule reading a dropped value raises
# DroppedValueError). The default threshold keeps small arrays, which cost nothing.
from chainrule.interpreters.reverse import lean_tape  # noqa: E402

lean_tape["min_bytes"] = 0

# tests/ports/ holds programs moved from autograd and SciPy (loaded by tests/test_ports_*.py),
# not test modules: their module-level code is data set-up, not doctests.
collect_ignore = ["ports"]
