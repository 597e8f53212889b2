#!/usr/bin/env bash
# `make screenshots`: the README's user-guide screenshots, from the demo.
# Creates (or upgrades) its own demo database, starts Odoo on a port of its
# own, runs tools/screenshots.py against it with headless Chromium, stops Odoo.
#   RMA_SHOTS_DB=rma_shots RMA_SHOTS_PORT=8279 bash tools/screenshots.sh
source "$(dirname "$0")/common.sh"

DB=${RMA_SHOTS_DB:-rma_shots}
PORT=${RMA_SHOTS_PORT:-8279}
check_odoo
install_requirements "$ROOT/requirements-test.txt"
ensure_debian "chromium:chromium"
setup_postgres
CONF="$ROOT/.odoo-shots.conf"
write_config "$CONF" "$PORT"
echo "dbfilter = ^$DB\$" >>"$CONF"
cd "$ROOT"

if psql -X -q -d postgres -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
    info "Upgrading rma_returns in '$DB'"
    odoo_once -c "$CONF" -d "$DB" -i "$INSTALL" -u "$ADDONS"
else
    info "Creating '$DB' with demo data (takes a few minutes)"
    odoo_once -c "$CONF" -d "$DB" -i "$INSTALL"
fi

"${ODOO_BIN[@]}" -c "$CONF" -d "$DB" --log-level=warn --max-cron-threads=0 \
    >"$ROOT/.odoo/screenshots-server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
    kill -0 "$SERVER" 2>/dev/null || die "Odoo did not start (see .odoo/screenshots-server.log)."
    sleep 1
done
"$PYTHON" "$ROOT/tools/screenshots.py" --url "http://127.0.0.1:$PORT" --db "$DB"
