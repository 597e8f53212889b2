import base64
import logging

import requests
from markupsafe import Markup

from odoo import Command, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_sanitize

_logger = logging.getLogger(__name__)

# What a carrier connector raises when its service is down or refuses the
# request: recorded on the return, never blocking the approval.
CARRIER_ERRORS = (UserError, ValidationError, requests.RequestException, OSError, ValueError)

POSTAGE_PAYERS = [
    ("shop", "Shop (prepaid label, free for the customer)"),
    ("shop_fee", "Shop (prepaid label, fee deducted from the refund)"),
    ("customer", "Customer (own carrier and postage)"),
]


class RmaOrder(models.Model):
    _inherit = "rma.order"

    # === FIELDS === #
    return_carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Return Label Carrier",
        readonly=True,
        copy=False,
        help="The carrier asked for the prepaid return label.",
    )
    label_state = fields.Selection(
        [
            ("none", "No Label"),
            ("held", "Held: Customs Data Missing"),
            ("done", "Label Ready"),
            ("failed", "Label Failed"),
        ],
        string="Return Label",
        default="none",
        readonly=True,
        copy=False,
        help="Failed labels are asked for again by a scheduled action. A cross-border "
        "return whose products lack customs data is held: no label is bought until "
        "the products are completed.",
    )
    label_error = fields.Text(
        readonly=True,
        copy=False,
        help="Why the carrier could not make the label at the last attempt.",
    )
    label_attachment_ids = fields.Many2many(
        "ir.attachment",
        "rma_order_label_attachment_rel",
        "rma_id",
        "attachment_id",
        string="Label Files",
        readonly=True,
        copy=False,
    )
    postage_payer = fields.Selection(
        POSTAGE_PAYERS,
        string="Return Postage Paid By",
        readonly=True,
        copy=False,
        help="Set when the label is asked for: the shop prepays when its return "
        "carrier makes the label; the return-shipping fee of the policy decides "
        "whether the customer is charged for it.",
    )

    # === STEPS === #
    def _rma_create_return_pickings(self):
        """Return transfers as usual, then the prepaid labels of their warehouses'
        return carriers (a carrier that is down never blocks the approval)."""
        pickings = super()._rma_create_return_pickings()
        self._rma_request_return_labels(pickings)
        return pickings

    def _rma_label_carrier(self):
        """The carrier that makes this return's label, or an empty record."""
        self.ensure_one()
        carrier = self.warehouse_id.rma_return_carrier_id
        return carrier if carrier.can_generate_return else carrier.browse()

    def _rma_label_receipt(self):
        """The open receipt the return label is for (the first reception step)."""
        self.ensure_one()
        return self.picking_ids.filtered(
            lambda p: p.picking_type_code == "incoming" and p.state not in ("done", "cancel")
        )[:1]

    def _rma_request_return_labels(self, pickings):
        """Ask each receipt's carrier for its return label; record who pays."""
        receipts = pickings.filtered(lambda p: p.picking_type_code == "incoming")
        for rma in receipts.rma_order_id:
            carrier = rma._rma_label_carrier()
            payer = "customer"
            if carrier:
                payer = "shop_fee" if rma.shipping_fee else "shop"
            rma.write({"postage_payer": payer, "return_carrier_id": carrier.id})
        for picking in receipts.filtered(lambda p: p.rma_order_id.return_carrier_id):
            rma = picking.rma_order_id
            if missing := rma._rma_customs_missing():
                rma._rma_label_held(missing)
                continue
            rma._rma_request_label(picking)

    def _rma_request_label(self, picking):
        """One receipt's label: stored on the receipt and the return, tracking
        number filled in; on failure the error is recorded for the retry."""
        self.ensure_one()
        carrier = self.return_carrier_id
        picking.carrier_id = carrier
        # run the pending chatter tracking now: a failed label rolls back to a
        # savepoint, which drops what waits for the commit
        self.env.flush_all()
        self.env.cr.precommit.run()
        try:
            with self.env.cr.savepoint():
                carrier.get_return_label(picking)
                # computed from the attachments, which it does not depend on
                picking.invalidate_recordset(["return_label_ids"])
                attachments = picking.return_label_ids
                if not attachments:
                    raise UserError(self.env._("The carrier answered without a label."))
        except CARRIER_ERRORS as error:
            _logger.info("Return label of %s failed: %s", self.name, error)
            self._rma_label_failed(error)
            return False
        self._rma_label_done(picking, attachments)
        return True

    def _rma_label_done(self, picking, attachments):
        copies = attachments.copy({"res_model": self._name, "res_id": self.id})
        self.write(
            {
                "label_state": "done",
                "label_error": False,
                "label_attachment_ids": [Command.set(copies.ids)],
                "tracking_ref": picking.carrier_tracking_ref or self.tracking_ref,
                "carrier_name": self.return_carrier_id.name,
            }
        )
        self.message_post(
            body=self.env._(
                "Return label from %(carrier)s ready (tracking number %(ref)s).",
                carrier=self.return_carrier_id.name,
                ref=self.tracking_ref or "-",
            ),
            attachment_ids=copies.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _rma_label_held(self, missing):
        """No label bought: the customs declaration lacks ``missing``; the agent
        completes the products and asks again."""
        self.ensure_one()
        message = self.env._(
            "Customs data missing, no label bought: %(missing)s. Complete the products, "
            "then ask for the label again.",
            missing=missing,
        )
        if self.label_state == "held" and self.label_error == message:
            return
        self.write({"label_state": "held", "label_error": message})
        self.message_post(body=message, subtype_xmlid="mail.mt_note")
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=(self.user_id or self.env.user).id,
            summary=self.env._("Customs data for the label of %(name)s", name=self.name),
            note=message,
        )

    def _rma_label_failed(self, error):
        message = str(error.args[0] if getattr(error, "args", None) else error)
        self.write({"label_state": "failed", "label_error": message})
        self.message_post(
            body=self.env._(
                "The return label from %(carrier)s could not be made: %(error)s. "
                "It will be asked for again automatically.",
                carrier=self.return_carrier_id.name,
                error=message,
            ),
            subtype_xmlid="mail.mt_note",
        )

    # === ACTIONS AND CRON === #
    def action_retry_return_label(self):
        """Ask the carrier again for the labels that failed."""
        self._rma_check_rights("approve")
        # checked: the label attaches to the return's own receipts
        self.sudo()._rma_retry_labels()
        return True

    def _rma_retry_labels(self):
        """Ask again for the failed or held labels; a label that comes after the
        approval e-mail left is e-mailed in one follow-up."""
        made = self.browse()
        for rma in self.filtered(
            lambda r: r.label_state in ("failed", "held") and r.state == "approved"
        ):
            picking = rma._rma_label_receipt()
            if not picking:
                continue
            if missing := rma._rma_customs_missing():
                rma._rma_label_held(missing)
                continue
            if rma._rma_request_label(picking):
                made |= rma
        made._rma_notify_label_ready()

    def _cron_retry_return_labels(self):
        """Scheduled: ask again for the return labels the carrier failed to make
        (or that waited for customs data)."""
        self.search(
            [("label_state", "in", ("failed", "held")), ("state", "=", "approved")]
        )._rma_retry_labels()

    # === RETURN SLIP === #
    def _rma_slip_carrier_label(self):
        """The carrier's label as printed on the 4x6 slip: an image label as an
        image, an HTML label (e.g. Kdniao's print template) as its cleaned HTML;
        None for other formats (PDF), which the slip replaces by the carrier,
        tracking number and its barcode."""
        self.ensure_one()
        label = self.sudo().label_attachment_ids[:1]
        if not label:
            return None
        if (label.mimetype or "").startswith("image/"):
            return Markup('<img src="data:%s;base64,%s" style="max-width: 96mm;"/>') % (
                label.mimetype,
                label.datas.decode(),
            )
        # an HTML label is stored as text/plain unless the system created it
        if label.mimetype in ("text/html", "text/plain") and (label.name or "").endswith(".html"):
            return Markup(html_sanitize(label.raw.decode(errors="replace"), sanitize_style=True))
        return None

    def _rma_slip_tracking_barcode_data_uri(self):
        """PNG of the tracking number as a Code 128 barcode, as a ``data:`` URI."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode(
            "Code128", self.tracking_ref, width=600, height=120, humanreadable=0
        )
        return "data:image/png;base64," + base64.b64encode(png).decode()
