"""Every tests/test_*.py of an addon is imported by its tests/__init__.py.

Odoo's own runner (`odoo --test-enable`, OCA's CI) only runs the test modules
that tests/__init__.py imports; pytest-odoo finds them by file name, so a
forgotten import passes `make test` and silently skips tests elsewhere.
Usage: check_test_imports.py [ADDON_DIR...] (default: every addon here).
"""

import ast
import sys
from pathlib import Path


def missing_imports(addon):
    tests = addon / "tests"
    init = tests / "__init__.py"
    if not init.is_file():
        return []
    imported = set()
    for node in ast.walk(ast.parse(init.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                imported.add(node.module.split(".")[0])
            imported.update(alias.name for alias in node.names)
    return sorted(str(path) for path in tests.glob("test_*.py") if path.stem not in imported)


def main(argv):
    root = Path(__file__).resolve().parent.parent
    addons = [Path(a) for a in argv] or [p.parent for p in root.glob("*/__manifest__.py")]
    missing = [path for addon in addons for path in missing_imports(addon)]
    for path in missing:
        sys.stderr.write(f"{path}: not imported by tests/__init__.py (Odoo's runner skips it)\n")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
