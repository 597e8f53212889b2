#!/usr/bin/env bash
# Refresh the i18n/ folder of every addon of the repository: export its
# template from a database where the addons are installed (RMA_DEV_DB, default
# rma_dev), then merge it into each translation, keeping what is translated
# (a new addon starts its zh_CN.po); prints what is left to translate.
source "$(dirname "$0")/common.sh"

DB=${RMA_DEV_DB:-rma_dev}
check_odoo
setup_postgres
CONF="$ROOT/.odoo-dev-$DB.conf"
write_config "$CONF" "${RMA_DEV_PORT:-8269}"
PYTHONPATH="$ODOO_DIR${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" "$ROOT/tools/export_pots.py" \
    "$CONF" "$DB" "$ROOT/.odoo" ${ADDONS//,/ } 2>&1 | grep -v "Running as user 'root'" || true
for addon in ${ADDONS//,/ }; do
    I18N="$ROOT/$addon/i18n"
    mkdir -p "$I18N"
    cp "$ROOT/.odoo/$addon.pot" "$I18N/$addon.pot"
    [ -f "$I18N/zh_CN.po" ] ||
        msginit --no-translator --locale=zh_CN.UTF-8 -i "$I18N/$addon.pot" -o "$I18N/zh_CN.po" >/dev/null
    for po in "$I18N"/*.po; do
        msgmerge --quiet --no-fuzzy-matching --update --backup=none "$po" "$I18N/$addon.pot"
        msgattrib --no-obsolete -o "$po" "$po"
        printf '%s/%s: ' "$addon" "$(basename "$po")"
        msgfmt --statistics -o /dev/null "$po"
    done
done
