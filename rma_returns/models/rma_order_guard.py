from odoo import api, models
from odoo.exceptions import AccessError, UserError

from .rma_order import (
    _STATE_WRITER,
    FLOW_FIELDS,
    LOCKED_ONCE_APPROVED,
    LOCKED_ONCE_RECEIVED,
    LOCKED_ONCE_SUBMITTED,
    RMA_MANAGER,
)


class RmaOrder(models.Model):
    """What may change by hand, and when: the state only through the
    transitions, the order and customer once submitted, routing and fees once
    approved, the refund timing once received, the flow's own fields never; the
    products of drafts only; deletion of drafts and cancelled returns (a
    manager's act once they made documents)."""

    _inherit = "rma.order"

    # === CRUD METHODS === #
    def write(self, vals):
        """Guard what must not change by hand: ``state`` (transitions only), the
        order and customer once submitted, the routing and fees once approved,
        and the flow's own fields (decision, refund block, slip token...)."""
        if not self.env.su:
            self.check_access("write")  # who may not write learns that first
        state_writer = self.env.context.get("transition_token") is _STATE_WRITER
        if "state" in vals and not state_writer:
            raise UserError(
                self.env._(
                    "The status of %(names)s changes only through its buttons (submit, "
                    "approve, receive...), never by editing it.",
                    names=", ".join(self.mapped("name")),
                )
            )
        self._rma_check_locked(vals, LOCKED_ONCE_SUBMITTED, ("draft",))
        if not (self.env.su or state_writer):
            flow = [fname for fname in FLOW_FIELDS if fname in vals]
            if flow:
                raise AccessError(
                    self.env._(
                        "%(fields)s of %(names)s are set by the return's flow, not by hand.",
                        fields=self._rma_field_labels_of(self, flow),
                        names=", ".join(self.mapped("name")),
                    )
                )
            self._rma_check_locked(vals, LOCKED_ONCE_APPROVED, ("draft", "submitted"))
            self._rma_check_locked(vals, LOCKED_ONCE_RECEIVED, ("draft", "submitted", "approved"))
        return super().write(vals)

    def _rma_check_locked(self, vals, fnames, open_states):
        """Refuse changing ``fnames`` of the returns outside ``open_states``."""
        fnames = [fname for fname in fnames if fname in vals and fname in self._fields]
        if not fnames:
            return
        for rma in self.filtered(lambda r: r.state not in open_states):
            changed = [
                fname
                for fname in fnames
                if rma[fname]
                != rma._fields[fname].convert_to_record(
                    rma._fields[fname].convert_to_cache(vals[fname], rma), rma
                )
            ]
            if changed:
                raise UserError(
                    self.env._(
                        "%(name)s is %(state)s: its %(fields)s can no longer change. Reset "
                        "it to draft (possible once rejected or cancelled) or ask a returns "
                        "manager.",
                        name=rma.name,
                        state=rma._rma_state_label(),
                        fields=self._rma_field_labels_of(self, changed),
                    )
                )

    @api.model
    def _rma_field_labels_of(self, records, fnames):
        """ "Quantity, Resolution": the labels of ``records``' fields ``fnames``."""
        return ", ".join(records._fields[fname]._description_string(self.env) for fname in fnames)

    def _rma_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state].lower()

    def _rma_check_lines_open(self, adding):
        """Refuse adding (``adding``) or removing products of returns that are
        no longer drafts."""
        closed = self.filtered(lambda r: r.state != "draft")
        if not closed:
            return
        names = ", ".join(closed.mapped("name"))
        if adding:
            message = self.env._(
                "%(names)s is no longer a draft: no product can be added to it. Reset it "
                "to draft (possible once rejected or cancelled) or start another return.",
                names=names,
            )
        else:
            message = self.env._(
                "%(names)s is no longer a draft: its products cannot be removed. Reset it "
                "to draft (possible once rejected or cancelled) or ask a returns manager to "
                "cancel it.",
                names=names,
            )
        raise UserError(message)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft_or_cancelled(self):
        blocked = self.filtered(lambda r: r.state not in ("draft", "cancelled"))
        if blocked:
            raise UserError(
                self.env._(
                    "Only draft or cancelled returns can be deleted: %(names)s",
                    names=", ".join(blocked.mapped("name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_documents_only_by_manager(self):
        """A return that made transfers or credit notes stays as their history:
        only a returns manager may delete it, once cancelled."""
        documented = self.sudo().filtered(
            lambda r: r.state in ("draft", "cancelled") and (r.picking_ids or r.credit_note_ids)
        )
        if not documented:
            return
        if not (self.env.su or self.env.user.has_group(RMA_MANAGER)) or documented.filtered(
            lambda r: r.state != "cancelled"
        ):
            raise UserError(
                self.env._(
                    "%(names)s made transfers or credit notes: only a returns manager "
                    "may delete it, once cancelled.",
                    names=", ".join(documented.mapped("name")),
                )
            )
