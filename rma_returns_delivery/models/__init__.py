from . import res_company
from . import stock_warehouse
from . import delivery_carrier
from . import rma_tracking_event
from . import rma_order_label
from . import rma_order_tracking
from . import rma_order_pickup
