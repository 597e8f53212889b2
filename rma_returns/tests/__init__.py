from . import test_rma_order
from . import test_rma_security
from . import test_rma_stock
from . import test_rma_refund
from . import test_rma_replacement
