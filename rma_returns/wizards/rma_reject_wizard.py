from odoo import fields, models


class RmaRejectWizard(models.TransientModel):
    """Reject one or more returns with a reason the customer will read."""

    _name = "rma.reject.wizard"
    _description = "Reject Returns"

    rma_ids = fields.Many2many("rma.order", required=True)
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.rma_ids._rma_check_rights("reject")
        self.rma_ids.write({"reject_reason": self.reason})
        self.rma_ids.action_reject()
        return {"type": "ir.actions.act_window_close"}
