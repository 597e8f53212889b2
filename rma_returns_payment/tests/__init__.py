from . import test_rma_payment_refund
from . import test_rma_store_credit
from . import test_rma_unreturned
from . import test_rma_portal_store_credit
from . import test_rma_refund_mail
from . import test_rma_portal_exchange
