from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # === FIELDS === #
    rma_notify_submitted = fields.Boolean(related="company_id.rma_notify_submitted", readonly=False)
    rma_notify_approved = fields.Boolean(related="company_id.rma_notify_approved", readonly=False)
    rma_notify_rejected = fields.Boolean(related="company_id.rma_notify_rejected", readonly=False)
    rma_notify_received = fields.Boolean(related="company_id.rma_notify_received", readonly=False)
    rma_notify_refunded = fields.Boolean(related="company_id.rma_notify_refunded", readonly=False)
    rma_notify_replacement_shipped = fields.Boolean(
        related="company_id.rma_notify_replacement_shipped", readonly=False
    )

    # === ACTION METHODS === #
    def action_open_rma_mail_templates(self):
        """List the e-mail templates of returns, to edit their wording."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return E-mail Templates"),
            "res_model": "mail.template",
            "view_mode": "list,form",
            "domain": [("model", "=", "rma.order")],
            "context": {"default_model": "rma.order"},
        }
