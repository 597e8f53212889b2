#!/usr/bin/env bash
# `make demo`: Odoo 18 with rma_returns and its demo data on a local PostgreSQL.
source "$(dirname "$0")/common.sh"

DB=${RMA_DEMO_DB:-rma_demo}
PORT=${PORT:-8069}
check_odoo
install_requirements "$ROOT/requirements.txt"
ensure_debian "wkhtmltopdf:wkhtmltopdf"
setup_postgres
CONF="$ROOT/.odoo.conf"
write_config "$CONF" "$PORT"
echo "dbfilter = ^$DB\$" >>"$CONF"

if psql -X -q -d postgres -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
    info "Upgrading rma_returns in the existing database '$DB'"
    odoo_once -c "$CONF" -d "$DB" -i "$INSTALL" -u "$ADDONS"
else
    info "Creating database '$DB' with demo data (takes a few minutes)"
    odoo_once -c "$CONF" -d "$DB" -i "$INSTALL"
fi

cat <<MSG

  rma_returns demo: http://127.0.0.1:$PORT/odoo/action-rma_returns.rma_order_action
    back office : admin / admin
    portal      : portal / portal        (Joel Willis, "My Account" > Returns)
    guest return: http://127.0.0.1:$PORT/returns/guest
  Stop with Ctrl-C. Run 'make demo' again to reuse the database.

MSG
exec "${ODOO_BIN[@]}" -c "$CONF" -d "$DB" --log-level=info
