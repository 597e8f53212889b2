from odoo import fields, models

INTERNAL = "base.group_user"


class RmaOrder(models.Model):
    """Who may call what on a return, and what customers may read.

    Every ``action_*`` checks its caller first (``_rma_check_rights``: the
    group of the role, and that the user may read these returns); only then
    do the transition's steps run as superuser, for these returns' own
    documents. So an agent without Sales or Inventory rights, a warehouse
    clerk or a billing user can do their whole job: the transfers,
    procurements and credit notes the flow makes are the system's documents.
    ``env.user`` stays the caller (chatter, tracking, activities, e-mails).

    The shop's own reasoning and bookkeeping on a return (routing, refund
    blocks, inspection) is for internal users: portal customers read their
    returns through the portal's access rules, and never read these fields.
    """

    _inherit = "rma.order"

    # === FIELDS === #
    # internal fields defined with their concern (stock, account): customers do
    # not read them
    warehouse_rule = fields.Selection(groups=INTERNAL)
    warehouse_distance = fields.Float(groups=INTERNAL)
    inspection_required = fields.Boolean(groups=INTERNAL)
    can_apply_disposition = fields.Boolean(groups=INTERNAL)
    refund_blocked = fields.Boolean(groups=INTERNAL)
    # computed as superuser: the clerk's form shows the button without reading
    # journal items
    can_refund = fields.Boolean(groups=INTERNAL, compute_sudo=True)
    auto_post_refund = fields.Boolean(groups=INTERNAL)
