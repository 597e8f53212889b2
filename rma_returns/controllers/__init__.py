from . import guest
from . import portal
from . import scan
