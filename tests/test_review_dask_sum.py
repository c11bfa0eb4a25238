"""sum(dtype=) of a Dask array checks the dtype without computing the array."""

import numpy as np
import pytest

import chainrule.numpy as cnp

da = pytest.importorskip("dask.array")


def test_sum_dtype_check_of_a_dask_array_stays_lazy():
    import dask

    z = da.from_array(np.ones(4) + 1j, chunks=2)
    with dask.config.set(scheduler=lambda *a, **k: pytest.fail("computed")):
        with pytest.raises(TypeError, match="would discard the imaginary part"):
            cnp.sum(z, dtype=float)
        s = cnp.sum(da.ones(4, chunks=2), dtype=np.float32)
    assert s.dtype == np.float32 and float(s.compute()) == 4.0
