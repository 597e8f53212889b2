from . import res_company
from . import res_config_settings
from . import rma_policy
from . import payment_transaction
from . import rma_order_payment
from . import rma_order_store_credit
from . import rma_order_unreturned
