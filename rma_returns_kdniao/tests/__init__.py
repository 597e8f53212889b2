from . import test_kdniao_label
from . import test_kdniao_push
