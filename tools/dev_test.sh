#!/usr/bin/env bash
# Developer loop (not the contract: `make test` is): install or upgrade
# rma_returns in a kept database, then run the given pytest paths/arguments.
#   RMA_DEV_DB=rma_dev_me RMA_DEV_PORT=8270 bash tools/dev_test.sh rma_returns/tests/test_rma_stock.py -k lot
# RMA_DEV_FRESH=1 drops the database first.
source "$(dirname "$0")/common.sh"

DB=${RMA_DEV_DB:-rma_dev}
check_odoo
setup_postgres
CONF="$ROOT/.odoo-dev-$DB.conf"
write_config "$CONF" "${RMA_DEV_PORT:-8269}"
cd "$ROOT"
if [ -n "${RMA_DEV_FRESH:-}" ]; then
    dropdb --if-exists "$DB" >/dev/null
fi
if psql -X -q -d "$DB" -c 'select 1' >/dev/null 2>&1; then
    odoo_once -c "$CONF" -d "$DB" -i "$INSTALL" -u "$ADDONS"
else
    odoo_once -c "$CONF" -d "$DB" -i "$INSTALL"
fi
export ODOO_RC="$CONF"
exec "$PYTHON" -m pytest -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$DB" \
    --odoo-http -q -rfEs "$@"
