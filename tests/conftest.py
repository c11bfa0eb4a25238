def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: a long-running test (the 10^6-operation chain); deselect with -m 'not slow'")
    config.addinivalue_line(
        "markers", "big_dask: the full-size Dask test, run only with --big-dask")


def pytest_addoption(parser):
    parser.addoption("--big-dask", action="store_true",
                     help="also run the full-size Dask tests (512 MiB on 300 MiB workers, ~20 s)")


def pytest_collection_modifyitems(config, items):
    # The full-size Dask test runs only when asked for (--big-dask): deselected, not skipped.
    if config.getoption("--big-dask"):
        return
    keep = [i for i in items if "big_dask" not in i.keywords]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if "big_dask" in i.keywords])
        items[:] = keep
