from datetime import datetime, timedelta

from odoo import api, fields, models

# Defaults of the guest look-up limits (ir.config_parameter overrides them).
GUEST_MAX_PER_IP = 10
GUEST_MAX_PER_ORDER = 5
GUEST_WINDOW_MINUTES = 15
EPOCH = datetime(1970, 1, 1)


class RmaGuestAttempt(models.Model):
    """Failed look-ups of orders by guests on the public returns page, counted
    per key (an IP address, or an IP address and an order number) and per
    time window.

    Stored in the database (not in a worker's memory) so that the limits hold
    across every worker and server sharing the database. Each look-up counts
    itself with one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``
    statement before it checks the e-mail: two parallel requests cannot both
    read the same count (the second waits for the first, and PostgreSQL makes
    Odoo retry it with the new count), so a limit cannot be exceeded by
    sending many requests at once. A look-up that finds the order gives its
    count back: only failures count.

    Only the IP address is ever limited: the right e-mail always passes from
    an address that is not itself limited, so that nobody can lock the real
    customer out of their order by typing wrong e-mails for it.
    """

    _name = "rma.guest.attempt"
    _description = "Guest Return Look-up Failures"
    _order = "window_start desc, id desc"

    # === FIELDS === #
    key = fields.Char(
        required=True,
        readonly=True,
        help="What is counted: ip:<address>, or order:<address>|<order number>.",
    )
    window_start = fields.Datetime(required=True, readonly=True, index=True)
    count = fields.Integer(readonly=True, help="Failed look-ups in the window.")

    _sql_constraints = [
        ("key_window_uniq", "unique(key, window_start)", "One counter per key and window."),
    ]

    # === CRUD METHODS === #
    @api.autovacuum
    def _gc_old_attempts(self):
        """Forget counters older than a day: they no longer count toward any limit."""
        limit = fields.Datetime.now() - timedelta(days=1)
        self.sudo().search([("window_start", "<", limit)]).unlink()

    # === BUSINESS METHODS === #
    @api.model
    def _normalize_order_ref(self, order_ref):
        return (order_ref or "").strip().upper()[:64]

    @api.model
    def _guest_limits(self):
        """(max failures per IP, max failures per IP on one order number,
        window in minutes), from system parameters."""
        params = self.env["ir.config_parameter"].sudo()

        def _int(key, default):
            try:
                return max(int(params.get_param(key, default)), 1)
            except (TypeError, ValueError):
                return default

        return (
            _int("rma_returns.guest_max_attempts_ip", GUEST_MAX_PER_IP),
            _int("rma_returns.guest_max_attempts_order", GUEST_MAX_PER_ORDER),
            _int("rma_returns.guest_attempt_window", GUEST_WINDOW_MINUTES),
        )

    @api.model
    def _window_start(self, minutes):
        """Start of the current fixed window of ``minutes`` minutes (UTC, naive)."""
        seconds = int((fields.Datetime.now() - EPOCH).total_seconds())
        return EPOCH + timedelta(seconds=seconds - seconds % (minutes * 60))

    @api.model
    def _keys(self, ip_address, order_ref):
        ip_address = (ip_address or "unknown")[:64]
        return (
            f"ip:{ip_address}",
            f"order:{ip_address}|{self._normalize_order_ref(order_ref)}",
        )

    @api.model
    def _count(self, key, window_start, step):
        """Add ``step`` to the counter of ``key`` in the window and return the
        new count, in one statement."""
        self.env.cr.execute(
            """
            INSERT INTO rma_guest_attempt
                (key, window_start, count, create_uid, create_date, write_uid, write_date)
            VALUES (%(key)s, %(start)s, %(step)s, %(uid)s, %(now)s, %(uid)s, %(now)s)
            ON CONFLICT (key, window_start)
            DO UPDATE SET count = rma_guest_attempt.count + %(step)s, write_date = %(now)s
            RETURNING count
            """,
            {
                "key": key,
                "start": window_start,
                "step": step,
                "uid": self.env.uid,
                "now": fields.Datetime.now(),
            },
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _rma_take(self, ip_address, order_ref):
        """Count a look-up from ``ip_address`` of ``order_ref`` before it is
        made, and say whether it may be made.

        :return: (allowed, ticket): pass ``ticket`` to ``_rma_give_back`` when
                 the look-up found the order
        """
        max_ip, max_order, window = self._guest_limits()
        start = self._window_start(window)
        ip_key, order_key = self._keys(ip_address, order_ref)
        by_ip = self._count(ip_key, start, 1)
        by_order = self._count(order_key, start, 1)
        self.invalidate_model()
        allowed = by_ip <= max_ip and by_order <= max_order
        return allowed, (ip_key, order_key, start)

    @api.model
    def _rma_give_back(self, ticket):
        """The look-up of ``ticket`` succeeded: it does not count as a failure."""
        ip_key, order_key, start = ticket
        self._count(ip_key, start, -1)
        self._count(order_key, start, -1)
        self.invalidate_model()
