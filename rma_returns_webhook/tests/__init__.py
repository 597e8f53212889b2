from . import test_rma_webhook
