from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models

from .rma_tracking_event import TRACKING_CODES


class RmaOrder(models.Model):
    _inherit = "rma.order"

    # === FIELDS === #
    tracking_event_ids = fields.One2many(
        "rma.tracking.event", "rma_id", string="Tracking Timeline", readonly=True
    )
    tracking_status = fields.Selection(
        TRACKING_CODES,
        compute="_compute_tracking_status",
        store=True,
        help="The parcel's latest scan (by scan time).",
    )
    date_last_tracking = fields.Datetime(
        string="Last Parcel Movement", compute="_compute_tracking_status", store=True
    )
    tracking_stalled = fields.Boolean(
        string="Parcel Stalled",
        readonly=True,
        copy=False,
        help="No tracking movement for the configured number of days after approval.",
    )
    tracking_reminded = fields.Boolean(string="Customer Reminded", readonly=True, copy=False)

    # === COMPUTE METHODS === #
    @api.depends("tracking_event_ids.date", "tracking_event_ids.code")
    def _compute_tracking_status(self):
        """The latest scan by scan time, whatever order the scans arrived in."""
        for rma in self:
            latest = rma.tracking_event_ids.sorted(lambda e: (e.date, e.id))[-1:]
            rma.tracking_status = latest.code
            rma.date_last_tracking = latest.date

    # === BUSINESS METHODS === #
    def _rma_tracking_updated(self, events):
        """New scans ``events`` of these returns: a moving parcel is no longer
        stalled; the carrier's first scan may refund (refund timing "carrier
        scan"); the customer hears of the key nodes; a parcel delivered to the
        warehouse tells the clerk."""
        self.filtered("tracking_stalled").tracking_stalled = False
        self._rma_carrier_scanned(events)
        self._rma_notify_tracking(events)
        delivered = events.filtered(lambda e: e.code == "delivered").rma_id
        for rma in delivered:
            receipts = rma.picking_ids.filtered(
                lambda p: p.picking_type_code == "incoming" and p.state not in ("done", "cancel")
            )
            body = self.env._(
                "The carrier delivered the parcel of %(name)s (tracking %(ref)s) to the "
                "warehouse: the receipt can be validated.",
                name=rma.name,
                ref=rma.tracking_ref or "-",
            )
            rma.message_post(body=body, subtype_xmlid="mail.mt_note")
            for receipt in receipts:
                receipt.message_post(body=body, subtype_xmlid="mail.mt_note")
            if rma.company_id.rma_tracking_open_receipt:
                rma._rma_open_receipt_activity(receipts[:1], body)

    def _rma_open_receipt_activity(self, receipt, note):
        """A to-do for the clerk on the receipt of the delivered parcel: its
        responsible, else the return's, when they work in the warehouse (the
        "Parcel Delivered" filter of the receipts finds the others)."""
        self.ensure_one()
        user = receipt.user_id or self.user_id
        if not receipt or not user or not user.has_group("stock.group_stock_user"):
            return
        receipt.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=user.id,
            summary=self.env._("Parcel delivered: receive %(name)s", name=self.name),
            note=note,
        )

    def _rma_record_tracking(self, code, date, description="", external_id=None, source="manual"):
        """Record one scan on this return (idempotent with ``external_id``)."""
        self.ensure_one()
        return self.env["rma.tracking.event"]._rma_record(
            [
                {
                    "rma_id": self.id,
                    "code": code,
                    "date": date,
                    "description": description,
                    "external_id": external_id,
                    "source": source,
                }
            ]
        )

    def _cron_flag_stalled_parcels(self):
        """Scheduled: flag the approved returns whose parcel has not moved for the
        company's number of days since approval (or its last scan), and remind
        their customers once."""
        now = fields.Datetime.now()
        stalled = self.browse()
        for company in self.env["res.company"].search([("rma_tracking_stall_days", ">", 0)]):
            limit = now - timedelta(days=company.rma_tracking_stall_days)
            stalled |= self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "approved"),
                    ("tracking_stalled", "=", False),
                    ("date_approved", "<=", limit),
                    ("tracking_status", "!=", "delivered"),
                    "|",
                    ("date_last_tracking", "=", False),
                    ("date_last_tracking", "<=", limit),
                ]
            )
        stalled.tracking_stalled = True
        for rma in stalled.filtered(lambda r: not r.tracking_reminded):
            rma.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Your return %(name)s has not been on its way yet. Please drop the "
                    "parcel off or book a pickup with the return label, so that we can "
                    "process it.",
                    name=rma.name,
                ),
                partner_ids=rma.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
        stalled.tracking_reminded = True
