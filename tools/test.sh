#!/usr/bin/env bash
# `make test`: OCA's checks (pre-commit), the wheel, a fresh database with
# rma_returns installed, then the whole suite through pytest-odoo (HttpCase
# tours in Chromium included). `make test-odoo` runs it with Odoo's own runner.
source "$(dirname "$0")/common.sh"

DB=${RMA_TEST_DB:-rma_test}
check_odoo
install_requirements "$ROOT/requirements-test.txt"
ensure_debian "chromium:chromium" "wkhtmltopdf:wkhtmltopdf" "pdftoppm:poppler-utils"

cd "$ROOT"
info "Checks: the pre-commit hooks of .pre-commit-config.yaml (ruff, pylint-odoo, OCA's)"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
    die "the checks run through pre-commit, which needs a git checkout of the repository."
# pylint's optional (non-blocking) pass is for commits and editors: it would
# double the time of the slowest check for no verdict. SKIP= runs it too.
SKIP=${SKIP-pylint_odoo_optional} "$PYTHON" -m pre_commit run --all-files --show-diff-on-failure --color=never ||
    die "a check failed (see above). Hooks that fix files (ruff, whitespace) have fixed them: review and commit."

bash "$ROOT/tools/check_wheel.sh"

setup_postgres
CONF="$ROOT/.odoo-test.conf"
write_config "$CONF" "${RMA_TEST_PORT:-8169}"

info "Fresh database '$DB' with $INSTALL installed"
dropdb --if-exists "$DB" >/dev/null
odoo_once -c "$CONF" -d "$DB" -i "$INSTALL"

info "Translations: each addon's i18n/<addon>.pot is current and zh_CN translates all of it"
PYTHONPATH="$ODOO_DIR${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" "$ROOT/tools/export_pots.py" \
    "$CONF" "$DB" "$ROOT/.odoo" ${ADDONS//,/ } || die "the translation templates could not be exported."
for addon in ${ADDONS//,/ }; do
    "$PYTHON" "$ROOT/tools/check_pot.py" "$ROOT/$addon/i18n/$addon.pot" "$ROOT/.odoo/$addon.pot" \
        "$ROOT/$addon/i18n/"*.po
done

info "Test suite (pytest-odoo)"
export ODOO_RC="$CONF"
set +e
"$PYTHON" -m pytest -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$DB" --odoo-http \
    $(printf -- "--cov=$ROOT/%s " ${ADDONS//,/ }) --cov-report=term:skip-covered -q -rfEs \
    "$@" $ADDON_TESTS
rc=$?
set -e
exit $rc
