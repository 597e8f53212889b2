#!/usr/bin/env bash
# Refresh rma_returns/i18n: export the template from a database where the
# addon is installed (RMA_DEV_DB, default rma_dev), then merge it into each
# translation, keeping what is translated; prints what is left to translate.
source "$(dirname "$0")/common.sh"

DB=${RMA_DEV_DB:-rma_dev}
check_odoo
setup_postgres
CONF="$ROOT/.odoo-dev-$DB.conf"
write_config "$CONF" "${RMA_DEV_PORT:-8269}"
I18N="$ROOT/rma_returns/i18n"
"${ODOO_BIN[@]}" -c "$CONF" -d "$DB" --i18n-export="$I18N/rma_returns.pot" --modules=rma_returns \
    --stop-after-init --log-level=warn 2>&1 | grep -v "Running as user 'root'" || true
for po in "$I18N"/*.po; do
    msgmerge --quiet --no-fuzzy-matching --update --backup=none "$po" "$I18N/rma_returns.pot"
    printf '%s: ' "$(basename "$po")"
    msgfmt --statistics -o /dev/null "$po"
done
