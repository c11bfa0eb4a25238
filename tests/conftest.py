def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: a long-running test (the 10^6-operation chain); deselect with -m 'not slow'")
