"""Export the translation template of each addon in one Odoo process.

Usage: python3 tools/export_pots.py CONFIG DB OUT_DIR ADDON [ADDON ...]
writes OUT_DIR/<addon>.pot for each addon (what `odoo --i18n-export` writes,
without starting Odoo once per addon).
"""

import logging
import os
import sys

import odoo
from odoo.tools.translate import trans_export


class _Errors(logging.Handler):
    """Counts what the extractor could not read (a file whose translated call
    has computed arguments is skipped whole, with an ERROR)."""

    count = 0

    def emit(self, record):
        if record.levelno >= logging.ERROR:
            _Errors.count += 1


def main():
    conf, db, out_dir, *addons = sys.argv[1:]
    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    logging.getLogger("odoo.tools.translate").addHandler(_Errors())
    registry = odoo.modules.registry.Registry.new(db)
    with registry.cursor() as cr:
        for addon in addons:
            with open(os.path.join(out_dir, f"{addon}.pot"), "wb") as buffer:
                trans_export(False, [addon], buffer, "po", cr)
    if _Errors.count:
        sys.exit(
            f"{_Errors.count} file(s) could not be read for translation (see above): "
            "the arguments of self.env._() must be plain names or values, no f-string."
        )


if __name__ == "__main__":
    main()
