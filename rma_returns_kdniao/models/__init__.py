from . import delivery_carrier
from . import rma_order
