from markupsafe import Markup

from odoo import api, fields, models

CHECK_ICONS = {
    "fail": ("fa-times-circle text-danger", "Fail"),
    "warning": ("fa-exclamation-triangle text-warning", "Warning"),
    "pass": ("fa-check-circle text-success", "Pass"),
}


class RmaOrder(models.Model):
    """The Decision tab as a checklist for agents: one row per rule of the
    policy evaluation, blocking rules first, and the customer's photos."""

    _inherit = "rma.order"

    # === FIELDS === #
    decision_checks = fields.Json(
        readonly=True,
        copy=False,
        groups="base.group_user",
        help='The rules of the last evaluation: [{"status": "fail" | "warning" | "pass", '
        '"text": ...}], failed first.',
    )
    decision_checklist_html = fields.Html(
        string="Checklist",
        compute="_compute_decision_checklist_html",
        sanitize=False,
        groups="base.group_user",
    )
    photo_ids = fields.Many2many(
        "ir.attachment",
        string="Customer Photos",
        compute="_compute_photo_ids",
        groups="base.group_user",
    )

    # === COMPUTE METHODS === #
    @api.depends("decision_checks")
    def _compute_decision_checklist_html(self):
        """Built with markupsafe: the rule texts are escaped."""
        for rma in self:
            checks = rma.decision_checks or []
            if not checks:
                rma.decision_checklist_html = False
                continue
            rows = Markup().join(
                Markup(
                    '<tr class="o_rma_check o_rma_check_%s"><td class="text-center" '
                    'style="width: 2em;"><i class="fa %s" role="img" aria-label="%s" '
                    'title="%s"/></td><td>%s</td></tr>'
                )
                % (
                    check.get("status"),
                    CHECK_ICONS.get(check.get("status"), CHECK_ICONS["pass"])[0],
                    rma._rma_check_label(check.get("status")),
                    rma._rma_check_label(check.get("status")),
                    check.get("text") or "",
                )
                for check in checks
            )
            rma.decision_checklist_html = (
                Markup(
                    '<table class="table table-sm o_rma_checklist mb-0"><tbody>%s</tbody></table>'
                )
                % rows
            )

    @api.depends("message_attachment_count")
    def _compute_photo_ids(self):
        """The images attached to the return (one search for the batch)."""
        ids = [rid for rid in self.ids if isinstance(rid, int)]
        images = self.env["ir.attachment"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", ids),
                ("mimetype", "=like", "image/%"),
            ]
        )
        for rma in self:
            rma.photo_ids = images.filtered(lambda a, rid=rma.id: a.res_id == rid)

    # === BUSINESS METHODS === #
    def _rma_check_label(self, status):
        return {
            "fail": self.env._("Fail"),
            "warning": self.env._("Warning"),
            "pass": self.env._("Pass"),
        }.get(status, "")


class RmaOrderLine(models.Model):
    _inherit = "rma.order.line"

    product_image = fields.Image(related="product_id.image_128", string="Image")
