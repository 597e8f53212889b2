from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .rma_order import _STATE_WRITER, STATE_DATES, TRANSITIONS

# The happy path, in order: a batch skips records already past a target on it.
PATH = ("draft", "submitted", "approved", "received", "done")
FORWARD = ("submit", "approve", "receive", "done")

# Who may start each transition by hand (the portal goes through its own,
# ownership-checked routes). Internal callers (policy, stock, accounting)
# call the ``_rma_<transition>`` bodies directly.
AGENT = "rma_returns.group_rma_user"
CLERK = "stock.group_stock_user"
BILLING = "account.group_account_invoice"
RIGHTS = {
    "submit": (AGENT,),
    "approve": (AGENT,),
    "reject": (AGENT,),
    "receive": (AGENT, CLERK),
    "inspect": (AGENT, CLERK),
    "refund": (AGENT, BILLING),
    "done": (AGENT,),
    "cancel": (AGENT,),
    "draft": (AGENT,),
    "slip": (AGENT,),
}


class RmaOrder(models.Model):
    """The return's lifecycle, defined once.

    Each transition is an ``action_*`` method (who may call it, which records
    make the step, what is skipped or refused) and a ``_rma_<transition>``
    body that calls the named steps in order. The steps live in the concern
    files (stock, account, policy, mail); none of them overrides a transition.
    Stock and accounting enter the flow through one method each:
    ``_rma_moves_done`` and ``_rma_credit_notes_posted``.

    ========== ============================================================
    transition steps, in order
    ========== ============================================================
    submit     check lines → submitted → propose warehouse → apply policy
    approve    approved → close review → route → check warehouse → return
               transfers → replacements → refund due (on approval)
    receive    (last reception step done) received → refund due (on
               receipt) → close when resolved
    inspect    apply dispositions → refund due (after inspection) → close
    refund     credit notes due now (retry of a blocked refund) → close
    done       dispose what waits → refund what is due → waive fees that
               found no room → done
    cancel     cancel open transfers and draft credit notes → cancelled
    draft      check quantities → draft
    ========== ============================================================
    """

    _inherit = "rma.order"

    # === ACTION METHODS === #
    def action_submit(self):
        """Send the request: draft → submitted, then the policy decides."""
        todo, message = self._rma_start("submit")
        todo._rma_submit()
        return self._rma_batch_result(message)

    def action_approve(self):
        """Accept the return: submitted → approved, then everything approval triggers."""
        todo, message = self._rma_start("approve")
        todo._rma_approve()
        return self._rma_batch_result(message)

    def action_reject(self):
        """Refuse the return: draft/submitted → rejected."""
        todo, message = self._rma_start("reject")
        todo._rma_reject()
        return self._rma_batch_result(message)

    def action_receive(self):
        """The goods are here: validate every pending reception step for the full
        quantity (as the warehouse would); the last step makes the return received."""
        todo, message = self._rma_start("receive")
        for _step in range(4):  # receipt, quality control, storage
            pending = todo._rma_pending_transfers()
            if not pending:
                break
            pending._rma_validate_full()
        stuck = todo.filtered(lambda r: r.state == "approved")
        if stuck:
            raise UserError(
                self.env._(
                    "%(names)s cannot be marked received: no goods reached the return "
                    "location. Check its transfers.",
                    names=", ".join(stuck.mapped("name")),
                )
            )
        return self._rma_batch_result(message)

    def action_apply_disposition(self):
        """Inspection done: move the received goods where each line's disposition
        says (restock, scrap, refurbish, return to vendor)."""
        self._rma_check_rights("inspect")
        rmas = self.sudo()
        waiting = rmas.filtered("can_apply_disposition")
        not_received = rmas.filtered(lambda r: not any(r.line_ids.mapped("qty_received")))
        if not waiting and not not_received:
            return True  # already applied
        if not waiting:
            raise UserError(
                self.env._(
                    "Nothing to inspect on %(names)s yet: the goods have not reached the "
                    "return location.",
                    names=", ".join(not_received.mapped("name")),
                )
            )
        waiting._lock_for_update()
        waiting._rma_inspect()
        message = ""
        if not_received:
            message = self.env._(
                "Nothing to inspect yet on %(names)s: the goods have not reached the "
                "return location.",
                names=", ".join(not_received.mapped("name")),
            )
        return self._rma_batch_result(message)

    def action_refund(self):
        """Make the credit notes due now, or retry a blocked refund; says why when
        there is nothing to refund yet."""
        self._rma_check_rights("refund")
        rmas = self.sudo()
        rmas._lock_for_update()
        due = rmas.filtered("can_refund")
        if not due and all(r._rma_is_refunded() for r in rmas):
            return True  # already refunded: nothing twice
        if not due:
            reasons = [f"{rma.name}: {rma._rma_nothing_to_refund_reason()}" for rma in rmas]
            raise UserError(
                self.env._("Nothing to refund yet.\n%(reasons)s", reasons="\n".join(reasons))
            )
        due._rma_refund(force=True)
        due._rma_refund_unblock()
        due._rma_close_resolved()
        left_out = (rmas - due).filtered(lambda r: not r._rma_is_refunded())
        reasons = [f"{rma.name}: {rma._rma_nothing_to_refund_reason()}" for rma in left_out]
        return self._rma_batch_result("\n".join(reasons))

    def action_done(self):
        """Close by hand: goods still waiting get their disposition (restock by
        default), refunds due are made, then every line must be resolved."""
        todo, message = self._rma_start("done")
        todo._rma_close(force=True)
        return self._rma_batch_result(message)

    def action_cancel(self):
        """Withdraw the return; an approved one also cancels its open transfers and
        draft credit notes, and is refused once goods came back or money moved."""
        todo, message = self._rma_start("cancel")
        todo._rma_cancel()
        return self._rma_batch_result(message)

    def action_draft(self):
        """Reopen a rejected or cancelled return: → draft (quantities checked again)."""
        todo, message = self._rma_start("draft")
        todo._rma_reset()
        return self._rma_batch_result(message)

    def action_open_reject_wizard(self):
        self._rma_check_rights("reject")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Return"),
            "res_model": "rma.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_rma_ids": self.ids},
        }

    # === TRANSITION BODIES: the steps in order === #
    def _rma_submit(self, evaluate=True):
        """draft → submitted; ``evaluate``: apply the policy's decision."""
        self._rma_check_submittable()
        self._rma_set_state("submit")
        self._rma_route_warehouses(raise_if_none=False)
        if evaluate:
            self._rma_apply_policy()

    def _rma_approve(self):
        """submitted → approved, with everything approval triggers."""
        self._rma_set_state("approve")
        self._rma_close_review()
        self._rma_route_warehouses()
        self.warehouse_id._rma_check_ready()
        self._rma_create_return_pickings()
        self._rma_create_replacements()
        self._rma_refund_due()

    def _rma_reject(self):
        self._rma_set_state("reject")
        self._rma_close_review()

    def _rma_receive(self):
        """approved → received: the goods reached the final return location."""
        self._rma_set_state("receive")
        self._rma_refund_due()
        self._rma_close_resolved()

    def _rma_inspect(self):
        self.line_ids._rma_apply_disposition()
        self._rma_refund_due()
        self._rma_close_resolved()

    def _rma_close(self, force=False):
        """received → done; ``force`` (by hand): dispose and refund what waits
        first, and say what is missing."""
        if force:
            self.line_ids._rma_apply_disposition()
            self._rma_refund(force=True)
            for rma in self:
                if reason := rma._rma_unresolved_reason():
                    raise UserError(
                        self.env._(
                            "%(name)s cannot be closed: %(reason)s", name=rma.name, reason=reason
                        )
                    )
        self._rma_waive_fees()
        self._rma_set_state("done")

    def _rma_cancel(self):
        self._rma_check_cancellable()
        self._rma_cancel_transfers()
        self._rma_cancel_draft_credit_notes()
        self._rma_set_state("cancel")
        self._rma_close_review()

    def _rma_reset(self):
        self.line_ids._check_qty_available()
        self._rma_set_state("draft")

    # === ENTRY POINTS FROM STOCK AND ACCOUNTING === #
    def _rma_moves_done(self, moves):
        """Stock: ``moves`` of these returns were just done (reception steps,
        replacements). Goods that need no inspection get their disposition;
        returns whose goods all reached the return location are received."""
        self._rma_dispose_uninspected()
        self.filtered(lambda r: r.state == "approved" and r._rma_goods_arrived())._rma_receive()
        shipped = moves.filtered(
            lambda m: m.rma_replacement_line_id and m.location_dest_id.usage == "customer"
        ).rma_replacement_line_id.rma_id
        shipped._rma_notify("replacement_shipped")
        self._rma_close_resolved()

    def _rma_credit_notes_posted(self, moves):
        """Accounting: credit notes (or settlement invoices) ``moves`` of these
        returns were just posted."""
        self._rma_reconcile_credit_notes(moves)
        if moves.filtered(lambda m: m.move_type == "out_refund"):
            self._rma_notify("refunded")
        self._rma_close_resolved()

    def _rma_close_resolved(self):
        """Close the received returns whose lines are all resolved."""
        self.filtered(
            lambda r: r.state == "received" and not r._rma_unresolved_reason()
        )._rma_close()

    # === MECHANICS === #
    def _rma_check_rights(self, action):
        """Refuse callers outside the groups that may make ``action`` by hand, and
        on returns they cannot read (another company's, another customer's)."""
        if self.env.su:
            return
        if any(self.env.user.has_group(group) for group in RIGHTS[action]):
            self.check_access("read")
            return
        raise AccessError(
            self.env._(
                "You are not allowed to do this on returns (%(action)s).",
                action=self._transition_label(action),
            )
        )

    def _rma_start(self, action):
        """Check the caller, lock the returns, and split them for ``action``.

        Records already in the target state are skipped (actions are
        idempotent), and so are, in a batch, those already past it on the path.
        Records that cannot make the step are refused: alone, or when nothing
        else can, with a UserError; in a larger batch the others go ahead and
        the refused ones are named in a message.

        :return: (records to move, message naming the refused ones or "")
        """
        self._rma_check_rights(action)
        sources, target = TRANSITIONS[action]
        self._lock_for_update()
        if action in FORWARD and len(self) > 1:
            rank = PATH.index(target)
            todo = self.filtered(lambda r: r.state not in PATH or PATH.index(r.state) < rank)
        else:
            todo = self.filtered(lambda r: r.state != target)
        wrong = todo.filtered(lambda r: r.state not in sources)
        message = ""
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            message = self.env._(
                "%(action)s is not possible for %(names)s.",
                action=self._transition_label(action),
                names=", ".join(f"{r.name} ({labels[r.state].lower()})" for r in wrong),
            )
            if len(self) == 1 or wrong == todo:
                raise UserError(message)
        # the caller is checked: the steps make the system's documents
        # (transfers, procurements, credit notes) whatever the role's rights in
        # those apps; env.user stays the caller for the chatter and creators
        return (todo - wrong).sudo(), message

    def _rma_batch_result(self, message):
        """What an action returns: True, or a notification naming the returns a
        batch left out (the others went ahead)."""
        if not message:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Some returns were left out"),
                "message": message,
                "type": "warning",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _rma_set_state(self, action):
        """Enter ``action``'s target state, date the milestone, tell the customer."""
        if not self:
            return
        target = TRANSITIONS[action][1]
        vals = {"state": target}
        if target in STATE_DATES:
            vals[STATE_DATES[target]] = fields.Datetime.now()
        self.with_context(transition_token=_STATE_WRITER).write(vals)
        self._rma_notify(target)

    def _rma_check_cancellable(self):
        """Refuse once goods came back or were shipped, or money moved."""
        moved = self.filtered(
            lambda r: (
                any(p.state == "done" for p in r.picking_ids)
                or any(line.qty_received for line in r.line_ids)
            )
        )
        if moved:
            raise UserError(
                self.env._(
                    "%(names)s cannot be cancelled: goods were already received or "
                    "shipped. Finish the return instead.",
                    names=", ".join(moved.mapped("name")),
                )
            )
        posted = self.sudo().credit_note_ids.filtered(lambda m: m.state == "posted")
        if posted:
            raise UserError(
                self.env._(
                    "%(names)s cannot be cancelled: credit note %(moves)s is posted. "
                    "Reverse it first.",
                    names=", ".join(posted.rma_order_id.mapped("name")),
                    moves=", ".join(posted.mapped("name")),
                )
            )

    def _rma_unresolved_reason(self):
        """Why this return cannot be closed yet (the first line's reason), or ""."""
        self.ensure_one()
        return next(
            (reason for line in self.line_ids if (reason := line._rma_unresolved_reason())), ""
        )

    def _rma_check_submittable(self):
        empty = self.filtered(lambda r: not r.line_ids)
        if empty:
            raise UserError(
                self.env._(
                    "Add at least one product to return before submitting %(names)s.",
                    names=", ".join(empty.mapped("name")),
                )
            )
        self.line_ids._check_returnable_qty()

    def _transition_label(self, action):
        return {
            "submit": self.env._("Submitting"),
            "approve": self.env._("Approving"),
            "reject": self.env._("Rejecting"),
            "receive": self.env._("Receiving"),
            "inspect": self.env._("Inspecting"),
            "refund": self.env._("Refunding"),
            "done": self.env._("Closing"),
            "cancel": self.env._("Cancelling"),
            "draft": self.env._("Resetting to draft"),
            "slip": self.env._("Renewing the slip code"),
        }[action]

    def _lock_for_update(self):
        """Lock the returns' rows and write them, so that a concurrent
        transaction waits and then fails to serialize rather than acting on a
        stale snapshot (REPEATABLE READ)."""
        if self.ids:
            self.env.cr.execute(
                "UPDATE rma_order SET write_date = write_date WHERE id IN %s", [tuple(self.ids)]
            )
            self.invalidate_recordset(["state"])
