from . import test_rma_tracking
