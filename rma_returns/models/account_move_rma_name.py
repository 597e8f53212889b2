from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    # === BUSINESS METHODS === #
    def _rma_display_names(self):
        """How messages name these moves, in order: the number, or for a draft
        that has none yet (its name is "/" until posted) Odoo's draft label and
        the return it belongs to, e.g. "Draft Credit Note (RMA/2025/00001)".

        :return: list of str, one per move
        """
        names = []
        for move in self:
            if move.name and move.name != "/":
                names.append(move.name)
                continue
            # Odoo 18's label without the number nor the long reference
            label = move.with_context(name_as_amount_total=False)._get_move_display_name()
            detail = move.sudo().rma_order_id.name or move.ref or move.invoice_origin
            names.append(
                self.env._("%(label)s (%(detail)s)", label=label.strip(), detail=detail)
                if detail
                else label.strip()
            )
        return names
