import hashlib
import secrets
from datetime import timedelta

from odoo import api, fields, models

# How long the link a guest receives after the order look-up stays valid.
GUEST_TOKEN_HOURS = 24


def _hash_token(token):
    """SHA-256 of a guest token: only the hash is stored, so that the table
    (a backup, a read-only SQL access) does not hand out working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class RmaGuestToken(models.Model):
    """The link a guest receives after finding an order by number and e-mail.

    It opens the return form of that one order, for a limited time, and
    nothing else: not the order page, not another order. The random token
    (192 bits) is given to the guest once and only its hash is kept.
    """

    _name = "rma.guest.token"
    _description = "Guest Return Link"
    _order = "id desc"

    # === FIELDS === #
    token_hash = fields.Char(required=True, readonly=True, index=True, copy=False)
    sale_order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, index=True, ondelete="cascade"
    )
    date_expiry = fields.Datetime(string="Expires On", required=True, readonly=True)

    _sql_constraints = [
        ("token_hash_uniq", "unique(token_hash)", "A guest link must be unique."),
    ]

    # === CRUD METHODS === #
    @api.autovacuum
    def _gc_expired_tokens(self):
        """Forget links expired for a week: they only served the friendly
        "this link has expired" page."""
        limit = fields.Datetime.now() - timedelta(days=7)
        self.sudo().search([("date_expiry", "<", limit)]).unlink()

    # === BUSINESS METHODS === #
    @api.model
    def _rma_issue(self, order):
        """A new link token for returning goods of ``order``.

        :return: the token (str), to put in the guest's URL; not stored as such
        """
        token = secrets.token_urlsafe(24)
        self.sudo().create(
            {
                "token_hash": _hash_token(token),
                "sale_order_id": order.id,
                "date_expiry": fields.Datetime.now() + timedelta(hours=GUEST_TOKEN_HOURS),
            }
        )
        return token

    @api.model
    def _rma_find(self, token):
        """The link (sudo) whose token is ``token``, expired or not, or an
        empty recordset."""
        if not token or not isinstance(token, str):
            return self.sudo().browse()
        return self.sudo().search([("token_hash", "=", _hash_token(token))], limit=1)

    def _rma_is_expired(self):
        self.ensure_one()
        return self.date_expiry <= fields.Datetime.now()
