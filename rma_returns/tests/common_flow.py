from odoo.tests import Form, new_test_user

from .common import RmaCommon


class RmaFlowCommon(RmaCommon):
    """Two warehouses far apart (Brussels ships, Lyon takes returns too) and a
    customer living near Lyon; helpers to approve and receive returns.

    The default return policy approves these returns on submission: the
    approval automation then runs inside ``action_submit``, with the refund
    timing, fees and posting the policy sets. Tests that need another timing
    or fees set them on ``cls.policy``; tests that act between submission and
    approval switch its ``auto_approve`` off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("stock.group_production_lot")
        # the warehouse validates the transfers (agents have no Inventory rights)
        cls.clerk = new_test_user(
            cls.env,
            login="rma_flow_clerk",
            groups="base.group_user,stock.group_stock_user,stock.group_production_lot",
            name="Warehouse Clerk",
        )
        belgium = cls.env.ref("base.be")
        france = cls.env.ref("base.fr")
        cls.warehouse.partner_id.write(
            {"country_id": belgium.id, "partner_latitude": 50.85, "partner_longitude": 4.35}
        )
        cls.lyon_partner = cls.env["res.partner"].create(
            {
                "name": "Lyon Returns Centre",
                "country_id": france.id,
                "partner_latitude": 45.76,
                "partner_longitude": 4.84,
            }
        )
        cls.lyon = cls.env["stock.warehouse"].create(
            {
                "name": "Lyon",
                "code": "LYN",
                "partner_id": cls.lyon_partner.id,
                "rma_accept_returns": True,
            }
        )
        cls.company.rma_default_warehouse_id = cls.warehouse
        cls.policy = cls.env.ref("rma_returns.rma_policy_default")
        # Grenoble: about 95 km from Lyon, 750 km from Brussels.
        cls.customer.write(
            {"country_id": france.id, "partner_latitude": 45.19, "partner_longitude": 5.72}
        )

    def _approve(self, rma):
        rma = rma.with_user(self.agent)
        rma.action_submit()
        rma.action_approve()
        return rma

    def _receipt(self, rma):
        return rma.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")

    def _validate(self, pickings, quantities=None, backorder=True):
        """Validate ``pickings`` for ``quantities`` ({product: qty}) or in full,
        as the warehouse clerk."""
        pickings = pickings.with_user(self.clerk)
        for move in pickings.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
            if quantities is not None:
                move.quantity = quantities.get(move.product_id, 0.0)
            elif not move.quantity:
                move.quantity = move.product_uom_qty
            move.picked = True
        result = pickings.button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            wizard = Form(
                self.env["stock.backorder.confirmation"].with_context(**result["context"])
            )
            confirmation = wizard.save()
            if backorder:
                confirmation.process()
            else:
                confirmation.process_cancel_backorder()
        return pickings

    def _qty_in(self, product, warehouse):
        return product.with_context(warehouse_id=warehouse.id).qty_available
