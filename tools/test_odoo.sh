#!/usr/bin/env bash
# `make test-odoo`: the suite under Odoo's own test runner, as OCA's CI runs it:
#   odoo -d DB -i <addons> --test-enable --test-tags /<addon>,... --stop-after-init
# on a fresh database, for every addon of the repository (HttpCase tours in
# Chromium included). `make test` runs the same tests through pytest-odoo.
# Run a part: TEST_TAGS=/rma_returns:TestRmaScan
source "$(dirname "$0")/common.sh"

DB=${RMA_TEST_ODOO_DB:-rma_test_odoo}
TAGS=${TEST_TAGS:-$(printf '/%s,' ${ADDONS//,/ } | sed 's/,$//')}
check_odoo
install_requirements "$ROOT/requirements-test.txt"
ensure_debian "chromium:chromium" "wkhtmltopdf:wkhtmltopdf" "pdftoppm:poppler-utils"
setup_postgres
CONF="$ROOT/.odoo-test-odoo.conf"
write_config "$CONF" "${RMA_TEST_ODOO_PORT:-8171}"
LOG="$ROOT/.odoo/test-odoo.log"
mkdir -p "$ROOT/.odoo"

info "Fresh database '$DB': install $INSTALL, then run '$TAGS' with Odoo's runner"
dropdb --if-exists "$DB" >/dev/null
set +e
"${ODOO_BIN[@]}" -c "$CONF" -d "$DB" -i "$INSTALL" --test-enable --test-tags "$TAGS" \
    --stop-after-init --log-level=warn --log-handler=odoo.tests.result:INFO \
    --log-handler=odoo.service.server:INFO 2>&1 |
    grep -v "Running as user 'root'" | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
# Odoo's closing line: "F failed, E error(s) of N tests when loading database 'DB'"
summary=$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$LOG" | tail -1)
[ -n "$summary" ] || die "Odoo's runner printed no test summary (see .odoo/test-odoo.log)."
read -r failed errors total < <(sed -E 's/([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests/\1 \2 \3/' <<<"$summary")
[ "$total" -gt 0 ] || die "Odoo's runner ran no test for '$TAGS'."
# Odoo logs a failed install (or demo data) as ERROR and may still exit 0.
# During the tests its own report decides: it already counts the errors a test
# logs, but not those a browser sends after its tour has ended.
install_errors=$(sed -n '/Starting post tests/q;p' "$LOG" |
    grep -cE ' (ERROR|CRITICAL) |demo data failed to install' || true)
if [ "$rc" != 0 ] || [ "$failed" != 0 ] || [ "$errors" != 0 ] || [ "$install_errors" != 0 ]; then
    echo "$((total - failed - errors)) passed, $((failed + errors)) failed"
    die "Odoo's runner reported failures (see above, or .odoo/test-odoo.log)."
fi
echo "$total passed, 0 failed"
