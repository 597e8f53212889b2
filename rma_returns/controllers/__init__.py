from . import guest, portal
