"""Benchmark of the return analytics on 100,000 returned lines: the pivot of
the returns analysis by month x category, and the Returns overview.

Not a test. The data set is written with set-based SQL inserts (25,000 returns
of 4 lines over 200 products in 20 categories, spread over 2 years), timed, and
rolled back: run it on a throwaway database (``bench/run.sh --analytics`` or
``make bench-analytics``). Each read is timed without the analytics indexes
(dropped in the transaction), then with them, as the median of 5 runs after a
warm-up.

Usage: bench_analytics.py --config FILE --database DB [--lines 100000]
"""

import argparse
import statistics
import time

# indexes the analytics need (declared by the addon): dropped for "before"
ANALYTICS_INDEXES = ("rma_order__date_submitted_index",)


def _products(env, count=200, categories=20):
    categs = env["product.category"].create(
        [{"name": f"Bench category {i}"} for i in range(categories)]
    )
    return env["product.product"].create(
        [
            {
                "name": f"Bench analytics product {i}",
                "categ_id": categs[i % categories].id,
                "list_price": 20.0 + i,
                "standard_price": 10.0 + i / 2,
            }
            for i in range(count)
        ]
    )


def _order(env, products):
    """One confirmed order with a line per product: the lines the returns cite."""
    command = __import__("odoo").fields.Command
    partner = env["res.partner"].create({"name": "Bench analytics customer"})
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                command.create({"product_id": p.id, "product_uom_qty": 1000.0}) for p in products
            ],
        }
    )
    env.flush_all()
    return order


def _bulk_insert(env, order, returns_count, lines_per_return):
    """Returns and their lines, set-based: states, dates, reasons, dispositions
    spread evenly."""
    cr = env.cr
    reasons = env["rma.reason"].search([]).ids
    warehouses = env["stock.warehouse"].search([]).ids
    cr.execute(
        """
        INSERT INTO rma_order (name, partner_id, commercial_partner_id, company_id,
                               sale_order_id, warehouse_id, state, refund_method,
                               refund_timing, create_date, write_date, date_submitted,
                               date_approved, date_received, amount_total)
        SELECT 'BENCH/' || g, so.partner_id, so.partner_id, so.company_id, so.id,
               (%(warehouses)s::int[])[1 + g %% cardinality(%(warehouses)s::int[])],
               (ARRAY['submitted', 'approved', 'received', 'done', 'done',
                      'done', 'rejected', 'draft'])[1 + g %% 8],
               'refund', 'receipt', d, d, d, d + interval '1 day' * (g %% 3),
               d + interval '1 day' * (2 + g %% 7), 100.0
          FROM generate_series(1, %(count)s) g
          JOIN sale_order so ON so.id = %(order)s
         CROSS JOIN LATERAL (SELECT now() - interval '1 hour' * (g %% 17520) AS d) dates
        RETURNING id
        """,
        {"count": returns_count, "order": order.id, "warehouses": warehouses},
    )
    rma_ids = [row[0] for row in cr.fetchall()]
    lines = order.order_line
    cr.execute(
        """
        INSERT INTO rma_order_line (rma_id, company_id, state, sale_line_id, product_id,
                                    product_uom_qty, qty_received,
                                    qty_refunded, price_subtotal, price_total, reason_id,
                                    condition, resolution, disposition, create_date)
        SELECT r.id, r.company_id, r.state, sol.id, sol.product_id,
               1 + n %% 2, 1, 1, sol.price_unit, sol.price_unit * 1.2,
               (%(reasons)s::int[])[1 + n %% cardinality(%(reasons)s::int[])],
               'opened', 'refund', (ARRAY['restock', 'scrap'])[1 + n %% 2], r.create_date
          FROM unnest(%(rmas)s::int[]) WITH ORDINALITY AS ids(rma_id, i)
          JOIN rma_order r ON r.id = ids.rma_id
         CROSS JOIN generate_series(1, %(per)s) k
         CROSS JOIN LATERAL (SELECT (i * %(per)s + k)::int AS n) num
          JOIN sale_order_line sol
            ON sol.id = (%(lines)s::int[])[1 + n %% cardinality(%(lines)s::int[])]
        """,
        {"rmas": rma_ids, "per": lines_per_return, "lines": lines.ids, "reasons": reasons},
    )
    cr.execute("ANALYZE rma_order; ANALYZE rma_order_line")
    return len(rma_ids) * lines_per_return


def _timed(func, runs=5):
    func()  # warm-up: caches, plans
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run(config, database, lines_count):
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        products = _products(env)
        order = _order(env, products)
        written = _bulk_insert(env, order, lines_count // 4, 4)
        manager = env["res.users"].create(
            {
                "name": "Bench returns manager",
                "login": "bench_analytics_manager",
                "groups_id": [(6, 0, [env.ref("rma_returns.group_rma_manager").id])],
            }
        )
        menv = env(user=manager.id)

        def pivot():
            menv.invalidate_all()
            menv["rma.report"].read_group(
                [],
                ["qty_requested:sum", "amount_refunded:sum", "amount_cost:sum"],
                ["date_requested:month", "categ_id"],
                lazy=False,
            )

        def pivot_opened():
            """As the menu opens it: submitted returns of this year."""
            menv.invalidate_all()
            year = odoo.fields.Datetime.now().replace(month=1, day=1, hour=0, minute=0, second=0)
            menv["rma.report"].read_group(
                [
                    ("state", "in", ("submitted", "approved", "received", "done")),
                    ("date_requested", ">=", year),
                ],
                ["qty_requested:sum", "amount_refunded:sum"],
                ["date_requested:month", "categ_id"],
                lazy=False,
            )

        def sla():
            menv.invalidate_all()
            menv["rma.report.sla"].read_group(
                [],
                ["approve_median:max", "approve_p90:max", "receive_median:max", "refund_p90:max"],
                ["warehouse_id", "date_requested:month"],
                lazy=False,
            )

        reads = {
            "pivot": pivot,
            "pivot_opened": pivot_opened,
            "sla": sla,
        }
        dashboard_fields = [
            name for name, field in menv["rma.dashboard"]._fields.items() if field.compute
        ]

        def dashboard():
            menv.invalidate_all()
            menv["rma.dashboard"].search([]).read(dashboard_fields)

        results = {}
        cr.execute("SAVEPOINT indexes")
        for name in ANALYTICS_INDEXES:
            cr.execute(f'DROP INDEX IF EXISTS "{name}"')  # a fixed name of this file
        reads["dashboard"] = dashboard
        results["before"] = {key: _timed(read) for key, read in reads.items()}
        cr.execute("ROLLBACK TO SAVEPOINT indexes")
        results["after"] = {key: _timed(read) for key, read in reads.items()}
        cr.rollback()
    print(f"{written} returned lines")
    print("| read | without the indexes (ms) | with them (ms) |")
    print("|---|---|---|")
    labels = (
        ("pivot", "Returns Analysis pivot, month x category, all returns"),
        ("pivot_opened", "the same, as the menu opens it (submitted, this year)"),
        ("sla", "Service Levels pivot, warehouse x month (percentiles)"),
        ("dashboard", "Returns Overview (every figure of the card)"),
    )
    for key, label in labels:
        print(f"| {label} | {results['before'][key]:.0f} | {results['after'][key]:.0f} |")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    run(args.config, args.database, args.lines)


if __name__ == "__main__":
    main()
