#!/usr/bin/env bash
# `make test`: lint, a fresh database with rma_returns installed, then the whole
# suite through pytest-odoo (HttpCase tours in Chromium included).
source "$(dirname "$0")/common.sh"

DB=${RMA_TEST_DB:-rma_test}
check_odoo
install_requirements "$ROOT/requirements-test.txt"
ensure_debian "chromium:chromium" "wkhtmltopdf:wkhtmltopdf" "pdftoppm:poppler-utils"

info "Lint: ruff, ruff format, pylint-odoo"
cd "$ROOT"
"$PYTHON" -m ruff check rma_returns bench tools conftest.py
"$PYTHON" -m ruff format --check rma_returns bench conftest.py
"$PYTHON" -m pylint --rcfile=.pylintrc rma_returns

setup_postgres
CONF="$ROOT/.odoo-test.conf"
write_config "$CONF" "${RMA_TEST_PORT:-8169}"

info "Fresh database '$DB' with rma_returns installed"
dropdb --if-exists "$DB" >/dev/null
odoo_once -c "$CONF" -d "$DB" -i rma_returns

info "Translations: i18n/rma_returns.pot is current"
POT_NOW="$ROOT/.odoo/rma_returns.pot"
"${ODOO_BIN[@]}" -c "$CONF" -d "$DB" --i18n-export="$POT_NOW" --modules=rma_returns \
    --stop-after-init --log-level=warn 2>&1 | grep -v "Running as user 'root'" || true
"$PYTHON" "$ROOT/tools/check_pot.py" "$ROOT/rma_returns/i18n/rma_returns.pot" "$POT_NOW"

info "Test suite (pytest-odoo)"
export ODOO_RC="$CONF"
set +e
"$PYTHON" -m pytest -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$DB" --odoo-http \
    --cov="$ROOT/rma_returns" --cov-report=term:skip-covered -q -rfEs "$@" rma_returns/tests
rc=$?
set -e
exit $rc
