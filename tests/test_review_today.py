"""Hostile review of the day's changes (review3): each test pins a bug found in them."""

import sys
import threading

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp


def _argmax_sum(x):
    s = 0.0
    for k in range(20):
        s = s + x[cnp.argmax(x + k)]  # a traced integer index: a stand-in while staging
    return s


def test_jit_stand_ins_from_several_threads():
    # The stand-ins are one dict for every thread: a trace finishing in one thread walked it
    # while another thread's trace added to it ("dictionary changed size during iteration").
    errors = []

    def work():
        try:
            for _ in range(40):
                assert cr.jit(_argmax_sum)(np.arange(3.0)) == 40.0
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert errors == []
