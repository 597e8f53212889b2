import re
import secrets
from datetime import timedelta

from odoo import api, fields, models

# What a submission token looks like (secrets.token_urlsafe(24)).
SUBMIT_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_\-]{32}")


class RmaPortalSubmission(models.Model):
    """One-time token of a portal return form: the confirmation page carries
    it in a hidden field, and the return created with it is recorded here, so
    that posting the same form again (double click, reload, back button)
    leads to the return already created instead of creating another one.

    The token is claimed with one ``INSERT ... ON CONFLICT DO UPDATE``
    statement: of two parallel posts with the same token, the second waits
    for the first and is retried by Odoo once the first is committed, and
    then finds its return.
    """

    _name = "rma.portal.submission"
    _description = "Portal Return Submission"
    _order = "id desc"

    # === FIELDS === #
    token = fields.Char(required=True, readonly=True, index=True, copy=False)
    sale_order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, index=True, ondelete="cascade"
    )
    rma_id = fields.Many2one("rma.order", string="Return", readonly=True, ondelete="cascade")

    _sql_constraints = [
        ("token_uniq", "unique(token)", "A return form can only be submitted once."),
    ]

    # === CRUD METHODS === #
    @api.autovacuum
    def _gc_old_submissions(self):
        """A form is not posted again after a week: forget its token."""
        limit = fields.Datetime.now() - timedelta(days=7)
        self.sudo().search([("create_date", "<", limit)]).unlink()

    # === BUSINESS METHODS === #
    @api.model
    def _rma_new_token(self):
        return secrets.token_urlsafe(24)

    @api.model
    def _rma_valid_token(self, token):
        return isinstance(token, str) and bool(SUBMIT_TOKEN_PATTERN.fullmatch(token))

    @api.model
    def _rma_done(self, token, order):
        """The return already created with ``token`` on ``order`` (sudo), or an
        empty recordset."""
        if not self._rma_valid_token(token):
            return self.env["rma.order"].sudo()
        submission = self.sudo().search(
            [("token", "=", token), ("sale_order_id", "=", order.id)], limit=1
        )
        return submission.rma_id

    @api.model
    def _rma_claim(self, token, order):
        """Claim ``token`` for a submission on ``order``.

        :return: the submission (sudo) to record the return on, or an empty
                 recordset when the token is malformed or belongs to another order
        """
        if not self._rma_valid_token(token):
            return self.sudo().browse()
        now = fields.Datetime.now()
        self.env.cr.execute(
            """
            INSERT INTO rma_portal_submission
                (token, sale_order_id, create_uid, create_date, write_uid, write_date)
            VALUES (%(token)s, %(order)s, %(uid)s, %(now)s, %(uid)s, %(now)s)
            ON CONFLICT (token) DO UPDATE SET write_date = %(now)s
            RETURNING id, sale_order_id
            """,
            {"token": token, "order": order.id, "uid": self.env.uid, "now": now},
        )
        submission_id, order_id = self.env.cr.fetchone()
        self.invalidate_model()
        if order_id != order.id:
            return self.sudo().browse()
        return self.sudo().browse(submission_id)
