#!/usr/bin/env bash
# The benchmark: rma_returns side by side with the OCA `rma_sale` addon and with
# Odoo core by hand (`sale_stock` only), same Odoo, same PostgreSQL, same scenario.
# Not a test; `make bench` runs it.
source "$(dirname "$0")/../tools/common.sh"

# BENCH_ORDERS: order counts of the batch mode; BENCH_SINGLE_ORDERS: of the
# one-at-a-time mode; BENCH_PORTAL="customer total" returns of the portal data
# set ("" skips the portal timings).
ORDERS=${BENCH_ORDERS:-50 200}
SINGLE_ORDERS=${BENCH_SINGLE_ORDERS:-50}
PORTAL=${BENCH_PORTAL-10000 60000}
# BENCH_DB_PREFIX / BENCH_PORT: keep several checkouts' benchmarks apart
DB_PREFIX=${BENCH_DB_PREFIX:-rma_bench}
HTTP_PORT=${BENCH_PORT:-8069}
ANALYTICS=""
[ "${1:-}" = "--analytics" ] && ANALYTICS=1
OCA_DIR="$ROOT/bench/.oca"
check_odoo
install_requirements "$ROOT/requirements.txt"
setup_postgres

# `bench/run.sh --analytics` (`make bench-analytics`): the return analytics on
# 100,000 returned lines, in a throwaway database (written, timed, rolled back).
if [ -n "$ANALYTICS" ]; then
    db=rma_bench_analytics conf="$ROOT/.odoo/bench-analytics.conf"
    write_config "$conf"
    if ! psql -X -q -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
        info "Database $db with rma_returns (no demo data)"
        odoo_once -c "$conf" -d "$db" -i rma_returns --without-demo=all
    else
        odoo_once -c "$conf" -d "$db" -u rma_returns
    fi
    "$PYTHON" "$ROOT/bench/bench_analytics.py" --config "$conf" --database "$db" \
        --lines "${BENCH_LINES:-100000}"
    exit 0
fi

# OCA rma 18.0 from PyPI, pinned to releases that run on this Odoo 18.0 tree.
if [ ! -d "$OCA_DIR/odoo/addons/rma_sale" ]; then
    info "Installing OCA rma + rma_sale (PyPI) into bench/.oca"
    "$PYTHON" -m pip install --quiet --no-deps --target "$OCA_DIR" \
        "odoo-addon-rma==18.0.2.2.0" "odoo-addon-rma_sale==18.0.2.1.1"
fi

run_side() {
    local side=$1 module=$2 extra_path=$3
    local db="${DB_PREFIX}_$side" conf="$ROOT/.odoo/bench-$side.conf"
    local saved=$ADDONS_PATH
    [ -n "$extra_path" ] && ADDONS_PATH="$ADDONS_PATH,$extra_path"
    write_config "$conf" "$HTTP_PORT"
    ADDONS_PATH=$saved
    if ! psql -X -q -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
        info "Database $db with $module (no demo data)"
        odoo_once -c "$conf" -d "$db" -i "$module" --without-demo=all
    fi
    local sides=$side n
    [ "$side" = ours ] && sides="ours ours_posted"
    for s in $sides; do
        for n in $ORDERS; do
            "$PYTHON" "$ROOT/bench/bench_rma.py" --config "$conf" --database "$db" --side "$s" \
                --orders "$n" --mode batch
        done
        for n in $SINGLE_ORDERS; do
            "$PYTHON" "$ROOT/bench/bench_rma.py" --config "$conf" --database "$db" --side "$s" \
                --orders "$n" --mode single
        done
    done
    return 0
}

# The portal data set is kept in its own database, a copy of ours.
run_portal() {
    local db="${DB_PREFIX}_portal" conf="$ROOT/.odoo/bench-ours.conf"
    set -- $PORTAL
    if ! psql -X -q -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
        info "Database $db: a customer with $1 returns among $2"
        createdb -T "${DB_PREFIX}_ours" "$db" || {
            info "Portal timings skipped: $db could not be copied (is ${DB_PREFIX}_ours in use?)"
            return 0
        }
    fi
    (cd "$ROOT/bench" && "$PYTHON" bench_portal.py --config "$conf" --database "$db" \
        --customer "$1" --total "$2")
}

rm -rf "$ROOT/bench/results"
mkdir -p "$ROOT/bench/results"
run_side ours rma_returns ""
[ -n "$PORTAL" ] && run_portal
run_side oca rma_sale "$OCA_DIR/odoo/addons"
run_side core sale_stock ""
"$PYTHON" "$ROOT/bench/bench_rma.py" --report "$ROOT/bench/results"
