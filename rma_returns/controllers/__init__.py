from . import scan
