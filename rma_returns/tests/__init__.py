from . import test_rma_order
from . import test_rma_security
from . import test_rma_policy
from . import test_rma_policy_properties
