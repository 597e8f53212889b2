from datetime import timedelta

from odoo import api, fields, models

# Defaults of the guest look-up limits (ir.config_parameter overrides them).
GUEST_MAX_PER_IP = 10
GUEST_MAX_PER_ORDER = 5
GUEST_WINDOW_MINUTES = 15


class RmaGuestAttempt(models.Model):
    """One look-up of an order by a guest on the public returns page.

    Stored in the database (not in a worker's memory) so that the limits hold
    across every worker and server sharing the database.
    """

    _name = "rma.guest.attempt"
    _description = "Guest Return Look-up"
    _order = "id desc"
    _log_access = True

    # === FIELDS === #
    ip_address = fields.Char(string="IP Address", required=True, index=True)
    order_ref = fields.Char(
        string="Order Number",
        required=True,
        index=True,
        help="The order number as typed (normalised), whether or not such an order exists.",
    )
    success = fields.Boolean(readonly=True)

    # === CRUD METHODS === #
    @api.autovacuum
    def _gc_old_attempts(self):
        """Forget look-ups older than a day: they no longer count toward any limit."""
        limit = self.env.cr.now() - timedelta(days=1)
        self.sudo().search([("create_date", "<", limit)]).unlink()

    # === BUSINESS METHODS === #
    @api.model
    def _normalize_order_ref(self, order_ref):
        return (order_ref or "").strip().upper()[:64]

    @api.model
    def _guest_limits(self):
        """(max per IP, max per order number, window in minutes), from system parameters."""
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
    def _is_blocked(self, ip_address, order_ref):
        """True when this IP or this order number already used up its attempts
        in the current window (counted in the database, shared by all workers)."""
        max_ip, max_order, window = self._guest_limits()
        since = self.env.cr.now() - timedelta(minutes=window)
        attempts = self.sudo()
        if (
            attempts.search_count(
                [("ip_address", "=", ip_address), ("create_date", ">=", since)], limit=max_ip
            )
            >= max_ip
        ):
            return True
        ref = self._normalize_order_ref(order_ref)
        return (
            attempts.search_count(
                [("order_ref", "=", ref), ("create_date", ">=", since)], limit=max_order
            )
            >= max_order
        )

    @api.model
    def _record(self, ip_address, order_ref, success):
        return self.sudo().create(
            {
                "ip_address": ip_address or "unknown",
                "order_ref": self._normalize_order_ref(order_ref) or "-",
                "success": success,
            }
        )
