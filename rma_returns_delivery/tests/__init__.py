from . import test_rma_tracking
from . import test_rma_tracking_mail
