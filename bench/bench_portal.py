"""Portal timings: ``/my/returns`` and a return's page for a customer with many
returns, served in-process by Odoo's WSGI application (no network, no browser:
the server's time, as the ``--log-level`` request log would report it).

The data set is made once and kept in its own database (a copy of the bench
database): one real return of the customer, approved and received, then copied
with bulk ``INSERT ... SELECT`` (with its lines) until the customer has
``--customer`` returns and the database ``--total`` (the others belong to
another customer). Usage: see bench/run.sh.
"""

import argparse
import json
import pathlib
import statistics
import threading
import time

LOGIN = "bench_portal_customer"


def _copy_returns(env, rma, count, partner):
    """``count`` copies of ``rma`` (and its lines) for ``partner``, in two
    statements: the copies are read by the portal, never processed."""
    from psycopg2 import sql

    cr = env.cr

    def columns(table, skip):
        cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        return [name for (name,) in cr.fetchall() if name not in skip]

    skip = {"id", "name", "access_token", "slip_token", "partner_id", "commercial_partner_id"}
    order_cols = columns("rma_order", skip)
    line_cols = columns("rma_order_line", {"id", "rma_id"})
    query = sql.SQL(
        """
        WITH new AS (
            INSERT INTO rma_order (name, access_token, slip_token, partner_id,
                                   commercial_partner_id, {order_cols})
            SELECT o.name || '-' || g, md5(random()::text || g), md5(random()::text || g),
                   %(partner)s, %(commercial)s, {order_src}
              FROM rma_order o, generate_series(1, %(count)s) g
             WHERE o.id = %(rma)s
            RETURNING id
        )
        INSERT INTO rma_order_line (rma_id, {line_cols})
        SELECT new.id, {line_src} FROM rma_order_line l, new WHERE l.rma_id = %(rma)s
        """
    ).format(
        order_cols=sql.SQL(", ").join(map(sql.Identifier, order_cols)),
        order_src=sql.SQL(", ").join(sql.Identifier("o", c) for c in order_cols),
        line_cols=sql.SQL(", ").join(map(sql.Identifier, line_cols)),
        line_src=sql.SQL(", ").join(sql.Identifier("l", c) for c in line_cols),
    )
    cr.execute(
        query,
        {
            "partner": partner.id,
            "commercial": partner.commercial_partner_id.id,
            "count": count,
            "rma": rma.id,
        },
    )


def generate(env, customer_returns, total_returns):
    """The customer (a portal user) and the returns, committed."""
    from bench_rma import Ours, _setup

    orders = _setup(env, 2)
    customer = orders[0].partner_id
    other = env["res.partner"].create({"name": "Bench other customer"})
    env["res.users"].create(
        {
            "name": "Bench portal customer",
            "login": LOGIN,
            "password": LOGIN,
            "partner_id": customer.id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
        }
    )
    runner = Ours(env, orders[0])
    runner.post_credit_notes = True
    for phase in ("request", "approve", "receive"):
        getattr(runner, phase)()
    env.flush_all()
    rma = runner.rmas
    _copy_returns(env, rma, customer_returns - 1, customer)
    _copy_returns(env, rma, max(total_returns - customer_returns, 0), other)
    env.cr.execute("ANALYZE rma_order")
    env.cr.execute("ANALYZE rma_order_line")
    return rma


def _session(registry, database):
    import odoo
    from odoo import api, http
    from odoo.service import security

    session = http.root.session_store.new()
    session.update(http.get_default_session(), db=database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", LOGIN)])
        env = api.Environment(cr, user.id, {})
        session.uid = user.id
        session.login = LOGIN
        session.session_token = security.compute_session_token(session, env)
        session.context = dict(env["res.users"].context_get())
    http.root.session_store.save(session)
    return session


def measure(config, database, customer_returns, total_returns, requests):
    from werkzeug.test import Client

    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(
        ["-c", config, "-d", database, "--db-filter", f"^{database}$", "--log-level=warn"]
    )
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        customer = env["res.users"].search([("login", "=", LOGIN)]).partner_id
        if not customer:
            generate(env, customer_returns, total_returns)
            customer = env["res.users"].search([("login", "=", LOGIN)]).partner_id
        rma = env["rma.order"].search([("partner_id", "=", customer.id)], order="id", limit=1)
        counts = {
            "customer_returns": env["rma.order"].search_count([("partner_id", "=", customer.id)]),
            "total_returns": env["rma.order"].search_count([]),
        }
    session = _session(registry, database)
    client = Client(odoo.http.root)
    client.set_cookie("localhost", "session_id", session.sid)
    pages = {"/my/returns": "/my/returns", "a return's page": f"/my/returns/{rma.id}"}
    results = {}
    thread = threading.current_thread()
    for label, url in pages.items():
        timings, queries = [], 0
        for i in range(requests + 3):
            thread.query_count = 0
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
            if i >= 3:  # the first requests warm the caches
                timings.append(elapsed)
                queries = thread.query_count
        timings.sort()
        results[label] = {
            "p50": statistics.median(timings),
            "p95": timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)],
            "queries": queries,
        }
    out = pathlib.Path(__file__).parent / "results" / "portal.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(dict(counts, requests=requests, pages=results), indent=2))
    print(json.dumps(results))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--customer", type=int, default=10000)
    parser.add_argument("--total", type=int, default=60000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    measure(args.config, args.database, args.customer, args.total, args.requests)


if __name__ == "__main__":
    main()
