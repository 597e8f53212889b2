from . import rma_create_wizard
from . import rma_reject_wizard
from . import rma_scan_wizard
from . import rma_policy_override_wizard
