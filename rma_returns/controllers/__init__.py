from . import guest
from . import portal
from . import portal_return_form
from . import scan
from . import scan_station
