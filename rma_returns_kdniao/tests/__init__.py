from . import test_kdniao_label
from . import test_kdniao_push
from . import test_kdniao_carrier_flow
