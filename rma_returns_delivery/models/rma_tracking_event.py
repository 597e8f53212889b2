from odoo import api, fields, models

TRACKING_CODES = [
    ("picked_up", "Picked Up"),
    ("in_transit", "In Transit"),
    ("out_for_delivery", "Out for Delivery"),
    ("delivered", "Delivered to the Warehouse"),
    ("exception", "Exception"),
]
# how far along its way each node puts the parcel (an exception is not a step)
NODE_RANK = {"picked_up": 1, "in_transit": 2, "out_for_delivery": 3, "delivered": 4}


class RmaTrackingEvent(models.Model):
    """One scan of the return parcel by the carrier (pushed, polled, or typed in).

    ``external_id`` identifies the scan at its source: recording the same scan
    twice keeps one event, so pushes and polls may repeat freely. The timeline
    is ordered by the time of the scan, not by when it reached us."""

    _name = "rma.tracking.event"
    _description = "Return Tracking Event"
    _order = "date desc, id desc"

    rma_id = fields.Many2one("rma.order", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="rma_id.company_id", store=True)
    code = fields.Selection(TRACKING_CODES, required=True)
    date = fields.Datetime(required=True, help="When the carrier scanned the parcel.")
    description = fields.Char()
    source = fields.Selection(
        [("push", "Carrier Push"), ("poll", "Carrier Query"), ("manual", "Entered by Hand")],
        required=True,
        default="manual",
    )
    external_id = fields.Char(
        string="External ID", help="The scan's identity at its source (duplicates are ignored)."
    )

    _sql_constraints = [
        (
            "external_id_uniq",
            "unique(rma_id, external_id)",
            "This tracking event is already recorded on the return.",
        )
    ]

    @api.model
    def _rma_record(self, vals_list):
        """Create the events of ``vals_list`` not recorded yet (by return and
        external id, also within the list), and tell the returns about them.

        :return: the created events
        """
        keys = {(v["rma_id"], v["external_id"]) for v in vals_list if v.get("external_id")}
        known = set()
        if keys:
            existing = self.sudo().search(
                [
                    ("rma_id", "in", list({k[0] for k in keys})),
                    ("external_id", "in", list({k[1] for k in keys})),
                ]
            )
            known = {(e.rma_id.id, e.external_id) for e in existing}
        new_vals = []
        for vals in vals_list:
            key = (vals["rma_id"], vals.get("external_id"))
            if key[1] and key in known:
                continue
            known.add(key)
            new_vals.append(vals)
        events = self.sudo().create(new_vals)
        events.rma_id._rma_tracking_updated(events)
        return events
