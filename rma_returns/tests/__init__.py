from . import test_rma_order
from . import test_rma_security
from . import test_rma_slip
from . import test_rma_scan
from . import test_rma_mail
from . import test_portal
from . import test_portal_access
