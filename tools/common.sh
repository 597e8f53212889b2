# Shared by tools/demo.sh and tools/test.sh (sourced, not run).
# Finds Odoo 18, a PostgreSQL server (or bootstraps a private one) and writes
# the Odoo configuration file the commands use.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}

# The addon and the bridge addons of this repository that `make demo` and
# `make test` install (each bridge pulls in the Odoo apps it connects to).
ADDONS=${RMA_ADDONS:-rma_returns,rma_returns_delivery,rma_returns_kdniao,rma_returns_payment,rma_returns_webhook}
ADDON_TESTS=$(printf '%s/tests ' ${ADDONS//,/ })
# Odoo's own Demo payment provider: what the refund-to-card tests pay with.
INSTALL=${RMA_INSTALL:-$ADDONS,payment_demo}

die() {
    printf '\nrma_returns: %s\n\n' "$*" >&2
    exit 1
}
info() { printf '==> %s\n' "$*"; }

# --- Odoo 18 ---------------------------------------------------------------
# ODOO_PATH may point at an Odoo 18.0 source checkout (the folder holding
# odoo-bin); otherwise `import odoo` must already work.
check_odoo() {
    if [ -n "${ODOO_PATH:-}" ]; then
        [ -f "$ODOO_PATH/odoo/release.py" ] || die "ODOO_PATH=$ODOO_PATH is not an Odoo source checkout (no odoo/release.py in it)."
        export PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}"
    fi
    local version
    if ! version=$("$PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null); then
        die "Odoo is not importable by $PYTHON.
  rma_returns needs Odoo 18.0 Community. Either install it into this Python
  (pip install -r <odoo>/requirements.txt && pip install -e <odoo>) or point
  the commands at a source checkout: ODOO_PATH=/path/to/odoo-18.0 make demo"
    fi
    [ "$version" = "18" ] || die "Odoo $version is importable, but rma_returns needs Odoo 18.0."
    ODOO_DIR=$("$PYTHON" -c 'import os, odoo; print(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))))')
    local paths="$ROOT"
    [ -d "$ODOO_DIR/addons" ] && paths="$paths,$ODOO_DIR/addons"
    [ -d "$ODOO_DIR/odoo/addons" ] && paths="$paths,$ODOO_DIR/odoo/addons"
    ADDONS_PATH=${ODOO_ADDONS_PATH:-$paths}
    if [ -x "$ODOO_DIR/odoo-bin" ]; then
        ODOO_BIN=("$PYTHON" "$ODOO_DIR/odoo-bin")
    else
        ODOO_BIN=("$PYTHON" -m odoo)
    fi
}

# --- Python requirements of the project ------------------------------------
install_requirements() {
    local file=$1
    local stamp="$ROOT/.odoo/$(basename "$file").stamp"
    mkdir -p "$ROOT/.odoo"
    if [ ! -f "$stamp" ] || [ "$file" -nt "$stamp" ] || [ "$ROOT/requirements.txt" -nt "$stamp" ] ||
        [ "$ROOT/test-requirements.txt" -nt "$stamp" ]; then
        info "Installing Python requirements from $(basename "$file")"
        "$PYTHON" -m pip install --quiet --disable-pip-version-check -r "$file" || die "pip could not install $file."
        touch "$stamp"
    fi
}

# --- Debian packages (browser for tours, wkhtmltopdf, pdftoppm) -------------
ensure_debian() {
    local missing=() pkg bin
    for pair in "$@"; do
        bin=${pair%%:*}
        pkg=${pair##*:}
        command -v "$bin" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        info "Installing Debian packages: ${missing[*]}"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
            die "apt-get could not install ${missing[*]}."
    else
        die "missing programs; please run: sudo apt-get install ${missing[*]}"
    fi
}

# --- PostgreSQL ------------------------------------------------------------
# Uses the reachable server (PG* variables or the default socket). Where none
# answers, bootstraps a private cluster in .pgdata/ (socket inside it).
pg_reachable() { psql -X -q -d postgres -c 'select 1' >/dev/null 2>&1; }

setup_postgres() {
    if command -v psql >/dev/null 2>&1 && pg_reachable; then
        DB_HOST=${PGHOST:-}
        DB_PORT=${PGPORT:-}
        DB_USER=${PGUSER:-$(id -un)}
        return 0
    fi
    local pgbin
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$pgbin" ]; then
        ensure_debian "psql:postgresql"
        pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    local data="$ROOT/.pgdata" owner
    owner=$(id -un)
    mkdir -p "$data/run"
    export PGHOST="$data/run" PGPORT=${RMA_PGPORT:-5439}
    if [ "$(id -u)" = 0 ]; then
        owner=postgres
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$data" postgres
        chown -R postgres "$data"
        chmod 755 "$data"
    fi
    as_owner() { if [ "$owner" = "$(id -un)" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi; }
    if [ ! -f "$data/cluster/PG_VERSION" ]; then
        info "No PostgreSQL server answers: creating a private cluster in .pgdata/"
        as_owner "$pgbin/initdb" -D "$data/cluster" -A trust -U "$owner" >/dev/null
    fi
    if ! pg_reachable; then
        as_owner "$pgbin/pg_ctl" -D "$data/cluster" -l "$data/server.log" -w \
            -o "-k $data/run -p $PGPORT -c listen_addresses=''" start >/dev/null ||
            die "the private PostgreSQL cluster did not start; see .pgdata/server.log"
    fi
    DB_USER=$(id -un)
    if [ "$owner" != "$DB_USER" ]; then
        PGUSER=$owner psql -X -q -d postgres -tAc "select 1 from pg_roles where rolname='$DB_USER'" | grep -q 1 ||
            PGUSER=$owner psql -X -q -d postgres -c "create role \"$DB_USER\" superuser login" >/dev/null
    fi
    DB_HOST=$PGHOST
    DB_PORT=$PGPORT
}

# Run Odoo once (install/upgrade) and fail on any ERROR it logs: Odoo only
# logs a failure to load demo data (as a WARNING) and still exits 0.
odoo_once() {
    local log="$ROOT/.odoo/last-install.log"
    mkdir -p "$ROOT/.odoo"
    set +e
    "${ODOO_BIN[@]}" "$@" --stop-after-init --log-level=warn 2>&1 | grep -v "Running as user 'root'" | tee "$log"
    local rc=${PIPESTATUS[0]}
    set -e
    if [ "$rc" != 0 ] || grep -qE ' (ERROR|CRITICAL) |demo data failed to install' "$log"; then
        die "Odoo reported errors while installing rma_returns (see above, or .odoo/last-install.log)."
    fi
}

# --- Odoo configuration file --------------------------------------------------
write_config() {
    local file=$1 port=${2:-8069}
    cat >"$file" <<EOF
[options]
addons_path = $ADDONS_PATH
db_host = ${DB_HOST:-False}
db_port = ${DB_PORT:-False}
db_user = ${DB_USER:-False}
db_password = False
http_interface = 127.0.0.1
http_port = $port
data_dir = $ROOT/.odoo/data
list_db = False
EOF
}
