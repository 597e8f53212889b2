from odoo import api, fields, models

CARRIER_SCAN = [("approval",), ("carrier_scan", "When the Carrier Scans the Parcel")]


class RmaPolicy(models.Model):
    _inherit = "rma.policy"

    refund_timing = fields.Selection(
        selection_add=CARRIER_SCAN, ondelete={"carrier_scan": "set default"}
    )


class RmaOrder(models.Model):
    """Fast refund at the carrier's first scan of the parcel: the money goes
    back once the parcel is on its way, under the same limits as a refund on
    approval (the policy's fast-refund gate decides at submission)."""

    _inherit = "rma.order"

    # === FIELDS === #
    refund_timing = fields.Selection(
        selection_add=CARRIER_SCAN, ondelete={"carrier_scan": "set default"}
    )
    date_carrier_scan = fields.Datetime(
        string="First Carrier Scan",
        compute="_compute_date_carrier_scan",
        store=True,
        help="When the carrier first scanned the return parcel (picked up or later).",
    )

    # === COMPUTE METHODS === #
    @api.depends("tracking_event_ids.date", "tracking_event_ids.code")
    def _compute_date_carrier_scan(self):
        """The earliest scan that shows the parcel in the carrier's hands, as
        the carrier reports it (push or query): a step typed by hand (agent or
        customer) releases no money."""
        for rma in self:
            scans = rma.tracking_event_ids.filtered(
                lambda e: e.code != "exception" and e.source in ("push", "poll")
            )
            rma.date_carrier_scan = min(scans.mapped("date"), default=False)

    # === HOOKS OF THE CORE === #
    def _rma_refund_timing_strictness(self):
        # after approval, before the goods arrive
        return dict(super()._rma_refund_timing_strictness(), carrier_scan=0.5)

    def _rma_fast_refund_note(self, timing):
        if timing == "carrier_scan":
            return self.env._(
                "Fast refund: the credit note is made when the carrier scans the parcel."
            )
        return super()._rma_fast_refund_note(timing)

    def _rma_refund_before_receipt(self):
        """Refund at carrier scan: the requested quantities, once scanned."""
        return super()._rma_refund_before_receipt() or (
            self.refund_timing == "carrier_scan" and bool(self.date_carrier_scan)
        )

    # === STEPS === #
    def _rma_carrier_scanned(self, events):
        """New scans ``events``: the returns refunded at carrier scan get their
        credit notes now (the core's refund step: blocked refunds are shown,
        never raised)."""
        scanned = events.filtered(lambda e: e.code != "exception").rma_id.filtered(
            lambda r: r.refund_timing == "carrier_scan" and r.state in ("approved", "received")
        )
        if scanned:
            scanned._rma_refund_due()
