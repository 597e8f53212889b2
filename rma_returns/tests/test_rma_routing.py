from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaRoutingPrecision(RmaFlowCommon):
    """Every accepting warehouse is measured the same way: from its address's
    coordinates, else from the centre of its city, state or country."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.us = cls.env.ref("base.us")
        cls.texas = cls.env["res.country.state"].search(
            [("country_id", "=", cls.us.id), ("code", "=", "TX")]
        )
        cls.policy.auto_approve = False  # routing is proposed on submission
        cls.customer.write(
            {
                "city": "Houston",
                "state_id": cls.texas.id,
                "country_id": cls.us.id,
                "partner_latitude": 29.76,
                "partner_longitude": -95.37,
            }
        )
        cls.seattle = cls._warehouse(
            "Seattle",
            "SEA",
            partner_latitude=47.61,
            partner_longitude=-122.33,
            country_id=cls.us.id,
        )
        # Buda, Texas: too small for the offline city data, so located by its state
        cls.buda = cls._warehouse(
            "Buda", "BUD", city="Buda", state_id=cls.texas.id, country_id=cls.us.id
        )

    @classmethod
    def _warehouse(cls, name, code, accept=True, **address):
        partner = cls.env["res.partner"].create({"name": f"{name} Returns", **address})
        return cls.env["stock.warehouse"].create(
            {"name": name, "code": code, "partner_id": partner.id, "rma_accept_returns": accept}
        )

    def test_houston_customer_goes_to_the_texas_warehouse(self):
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._create_rma(order, {self.product_a: 1.0}).with_user(self.agent)
        rma.action_submit()
        self.assertEqual(rma.warehouse_id, self.buda, "Seattle is 3,040 km away")
        self.assertEqual(rma.warehouse_rule, "distance")
        self.assertLess(rma.warehouse_distance, 400.0)
        self.assertEqual(rma.warehouse_location_precision, "state")
        rma.warehouse_id = self.seattle  # the agent overrides
        self.assertEqual(rma.warehouse_location_precision, "exact")

    def test_city_beats_a_far_exact_location(self):
        dallas = self._warehouse("Dallas", "DAL", city="Dallas", country_id=self.us.id)
        Warehouse = self.env["stock.warehouse"]
        warehouse, rule, distance = Warehouse._rma_nearest(self.customer, self.seattle | dallas)
        self.assertEqual((warehouse, rule), (dallas, "distance"))
        self.assertAlmostEqual(distance, 362.0, delta=20.0)
        ranked = Warehouse._rma_ranked(self.customer, self.seattle | dallas | self.buda)
        self.assertEqual(ranked[-1], self.seattle, "replacements ship from Texas first")

    def test_location_precision(self):
        dallas = self._warehouse("Dallas", "DAL", city="Dallas", country_id=self.us.id)
        country_only = self._warehouse("Somewhere US", "SUS", country_id=self.us.id)
        nowhere = self._warehouse("Nowhere", "NOW")
        self.assertEqual(
            [
                wh.rma_location_precision
                for wh in (self.seattle, dallas, self.buda, country_only, nowhere)
            ],
            ["exact", "city", "state", "country", "none"],
        )
        # A French department "11" (Aude) is not the geonames region "11"
        # (Ile-de-France): outside the US, a state does not locate a warehouse.
        aude = self.env["res.country.state"].create(
            {"name": "Aude Test", "code": "11", "country_id": self.env.ref("base.fr").id}
        )
        self.lyon_partner.write({"partner_latitude": 0.0, "partner_longitude": 0.0})
        self.lyon_partner.state_id = aude
        self.assertEqual(self.lyon.rma_location_precision, "country")

    def test_settings_warn_about_warehouses_without_location(self):
        nowhere = self._warehouse("Nowhere", "NOW")
        self._warehouse("Not Returns", "NRT", accept=False)
        admin = self.env.ref("base.user_admin")
        settings = self.env["res.config.settings"].with_user(admin).create({})
        self.assertEqual(settings.rma_unlocated_warehouse_ids, nowhere)
        nowhere.partner_id.country_id = self.us
        settings = self.env["res.config.settings"].with_user(admin).create({})
        self.assertFalse(settings.rma_unlocated_warehouse_ids)


@tagged("post_install", "-at_install")
class TestRmaWarehouseRepair(RmaFlowCommon):
    """An archived return location or operation type blocks approvals with a
    message saying how to repair it, and the repair really repairs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.auto_approve = False  # the agent approves
        cls.manager = new_test_user(
            cls.env,
            login="rma_stock_manager",
            groups="base.group_user,stock.group_stock_manager",
            name="Stock Manager",
        )

    def _submitted_return(self):
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._create_rma(order, {self.product_a: 1.0}).with_user(self.agent)
        rma.action_submit()
        self.assertEqual(rma.warehouse_id, self.lyon)
        return rma

    def test_untick_and_tick_restores_an_archived_return_location(self):
        location = self.lyon.rma_return_location_id
        location.with_user(self.manager).action_archive()
        rma = self._submitted_return()
        with self.assertRaisesRegex(
            UserError, r"Lyon cannot receive returns: its return location .*Returns is archived"
        ):
            rma.action_approve()
        self.assertEqual(rma.state, "submitted")
        lyon = self.lyon.with_user(self.manager)
        lyon.rma_accept_returns = False
        lyon.rma_accept_returns = True
        self.assertTrue(location.active)
        self.assertEqual(lyon.rma_return_location_id, location, "the same location, restored")
        rma.action_approve()
        self.assertEqual(self._receipt(rma).location_dest_id, location)
        self._validate(self._receipt(rma))
        self.assertEqual(self._qty_in(self.product_a, self.lyon), 1.0)

    def test_repair_button_restores_an_archived_operation_type(self):
        picking_type = self.lyon.rma_return_type_id
        picking_type.with_user(self.manager).action_archive()
        rma = self._submitted_return()
        with self.assertRaisesRegex(UserError, "return operation type .* is archived.*Repair"):
            rma.action_approve()
        with self.assertRaises(AccessError, msg="agents do not reconfigure warehouses"):
            self.lyon.with_user(self.agent).action_rma_setup_returns()
        self.lyon.with_user(self.manager).action_rma_setup_returns()
        self.assertTrue(picking_type.active)
        rma.action_approve()
        self.assertEqual(self._receipt(rma).picking_type_id, picking_type)
        self.assertEqual(self._receipt(rma).location_dest_id, self.lyon.rma_return_location_id)
