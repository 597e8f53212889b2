from odoo import api, fields, models
from odoo.exceptions import UserError

from .rma_geo import (
    LOCATION_PRECISIONS,
    approximate_location,
    great_circle_km,
    partner_coordinates,
)


class ResCompany(models.Model):
    _inherit = "res.company"

    rma_default_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Default Return Warehouse",
        domain="[('company_id', '=', id), ('rma_accept_returns', '=', True)]",
        help="Receives the returns when no accepting warehouse is closer to the customer.",
    )


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    # === FIELDS === #
    rma_accept_returns = fields.Boolean(
        string="Accepts Returns",
        help="Customer returns may be routed to this warehouse. It gets its own "
        "return operation type and return location.",
    )
    rma_return_type_id = fields.Many2one(
        "stock.picking.type", string="Return Operation Type", check_company=True, copy=False
    )
    rma_return_location_id = fields.Many2one(
        "stock.location",
        string="Return Location",
        check_company=True,
        copy=False,
        help="Where returned goods wait for their disposition (not sellable stock).",
    )
    rma_return_route_id = fields.Many2one(
        "stock.route",
        string="Return Route",
        copy=False,
        help="Carries returns through the multi-step reception to the return location.",
    )
    rma_location_precision = fields.Selection(
        LOCATION_PRECISIONS,
        string="Location Precision",
        compute="_compute_rma_location_precision",
        help="How the distance from a customer to this warehouse is measured: from "
        "the coordinates of its address (exact), else from the centre of its city, "
        "state or country. Without any, the warehouse only gets returns when no "
        "other accepting warehouse has a location.",
    )
    rma_refurbish_location_id = fields.Many2one(
        "stock.location",
        string="Refurbish Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Where goods sent to refurbishment go.",
    )
    rma_inspect_returns = fields.Boolean(
        string="Inspect Returns",
        help="Returned goods wait in the return location until someone inspects "
        "them and applies their dispositions. Otherwise they are restocked (or "
        "scrapped, refurbished, sent to the vendor, as each line says) on arrival.",
    )

    # === COMPUTE METHODS === #
    @api.depends(
        "partner_id.partner_latitude",
        "partner_id.partner_longitude",
        "partner_id.city",
        "partner_id.state_id",
        "partner_id.country_id",
    )
    def _compute_rma_location_precision(self):
        for warehouse in self:
            warehouse.rma_location_precision = approximate_location(warehouse.partner_id)[1]

    # === CRUD METHODS === #
    @api.model_create_multi
    def create(self, vals_list):
        warehouses = super().create(vals_list)
        # A company's first warehouse takes its returns out of the box.
        first = warehouses.filtered(lambda w: not w.company_id.rma_default_warehouse_id)
        first.filtered(lambda w: not w.rma_accept_returns).rma_accept_returns = True
        warehouses.filtered("rma_accept_returns")._rma_setup_returns()
        for warehouse in first:
            if not warehouse.company_id.rma_default_warehouse_id:
                warehouse.company_id.rma_default_warehouse_id = warehouse
        return warehouses

    def write(self, vals):
        res = super().write(vals)
        if vals.get("rma_accept_returns") or vals.get("active") or "reception_steps" in vals:
            self.filtered("rma_accept_returns")._rma_setup_returns()
        return res

    # === ACTION METHODS === #
    def action_rma_setup_returns(self):
        """Button "Repair Return Setup": recreate what is missing of the return
        location, operation type and route of these warehouses and restore what
        was archived (who may edit the warehouse may repair it)."""
        self.check_access("write")
        self.filtered("rma_accept_returns")._rma_setup_returns()
        return True

    # === BUSINESS METHODS === #
    @api.model
    def _rma_setup_install(self):
        """On install: each company's first warehouse accepts returns and is the
        company's default return warehouse; flagged warehouses get their setup."""
        companies = self.env["res.company"].search([])
        warehouses = self.search([("company_id", "in", companies.ids)], order="sequence, id")
        for company in companies:
            if not company.rma_default_warehouse_id:
                first = warehouses.filtered(lambda w, c=company: w.company_id == c)[:1]
                first.rma_accept_returns = True
                company.rma_default_warehouse_id = first
        warehouses.filtered("rma_accept_returns")._rma_setup_returns()

    def _rma_setup_returns(self):
        """Create (or bring up to date) the return location, operation type and
        multi-step route of these warehouses, restoring those that were archived.
        Normal receipts are left alone."""
        customer_loc = self.env.ref("stock.stock_location_customers")
        self.rma_return_location_id.filtered(lambda loc: not loc.active).active = True
        self.rma_return_type_id.filtered(lambda t: not t.active).active = True
        missing_loc = self.filtered(lambda w: not w.rma_return_location_id)
        locations = self.env["stock.location"].create(
            [
                {
                    "name": self.env._("Returns"),
                    "usage": "internal",
                    "location_id": wh.view_location_id.id,
                    "company_id": wh.company_id.id,
                }
                for wh in missing_loc
            ]
        )
        for wh, location in zip(missing_loc, locations, strict=True):
            wh.rma_return_location_id = location
        missing_type = self.filtered(lambda w: not w.rma_return_type_id)
        types = self.env["stock.picking.type"].create(
            [
                {
                    "name": self.env._("Customer Returns"),
                    "code": "incoming",
                    "sequence_code": "RET",
                    "warehouse_id": wh.id,
                    "company_id": wh.company_id.id,
                    "default_location_src_id": customer_loc.id,
                    "default_location_dest_id": wh._rma_return_entry_location().id,
                    "use_create_lots": False,
                    "use_existing_lots": True,
                    "sequence": 2,
                }
                for wh in missing_type
            ]
        )
        for wh, picking_type in zip(missing_type, types, strict=True):
            wh.rma_return_type_id = picking_type
        for wh in self - missing_type:
            entry = wh._rma_return_entry_location()
            if wh.rma_return_type_id.default_location_dest_id != entry:
                wh.rma_return_type_id.default_location_dest_id = entry
        self._rma_sync_return_route()

    def _rma_return_entry_location(self):
        """Where the return transfer puts the goods: the return location in one
        step, the input location when the warehouse receives in several steps."""
        self.ensure_one()
        if self.reception_steps == "one_step":
            return self.rma_return_location_id
        return self.wh_input_stock_loc_id

    def _rma_return_route_rules(self):
        """[(source, destination, operation type)] of the push rules that bring
        returns from the input location to the return location."""
        self.ensure_one()
        if self.reception_steps == "two_steps":
            return [(self.wh_input_stock_loc_id, self.rma_return_location_id, self.store_type_id)]
        if self.reception_steps == "three_steps":
            return [
                (self.wh_input_stock_loc_id, self.wh_qc_stock_loc_id, self.qc_type_id),
                (self.wh_qc_stock_loc_id, self.rma_return_location_id, self.store_type_id),
            ]
        return []

    def _rma_sync_return_route(self):
        """One route per warehouse, only used by return moves (set on the move),
        whose push rules follow the warehouse's reception steps."""
        Route = self.env["stock.route"].sudo()
        self.rma_return_route_id.sudo().filtered(lambda r: not r.active).active = True
        missing = self.filtered(lambda w: not w.rma_return_route_id)
        routes = Route.create(
            [
                {
                    "name": self.env._("%(wh)s: Customer Returns", wh=wh.name),
                    "company_id": wh.company_id.id,
                    "product_selectable": False,
                    "product_categ_selectable": False,
                    "warehouse_selectable": False,
                    "sequence": 1,
                }
                for wh in missing
            ]
        )
        for wh, route in zip(missing, routes, strict=True):
            wh.rma_return_route_id = route
        # Rules already used by moves cannot be deleted: archive the outdated
        # ones, keep those that still match, create the missing ones.
        vals_list = []
        for wh in self:
            rules = wh.rma_return_route_id.sudo().rule_ids
            wanted = {
                (src.id, dest.id, picking_type.id)
                for src, dest, picking_type in wh._rma_return_route_rules()
            }
            current = {
                (r.location_src_id.id, r.location_dest_id.id, r.picking_type_id.id): r
                for r in rules
            }
            outdated = [key for key in current if key not in wanted]
            rules.browse([current[key].id for key in outdated]).active = False
            for src, dest, picking_type in wh._rma_return_route_rules():
                if (src.id, dest.id, picking_type.id) in current:
                    continue
                vals_list.append(
                    {
                        "name": f"{src.complete_name} → {dest.complete_name}",
                        "action": "push",
                        "auto": "manual",
                        "route_id": wh.rma_return_route_id.id,
                        "location_src_id": src.id,
                        "location_dest_id": dest.id,
                        "picking_type_id": picking_type.id,
                        "warehouse_id": wh.id,
                        "company_id": wh.company_id.id,
                    }
                )
        self.env["stock.rule"].sudo().create(vals_list)

    def _rma_setup_problem(self):
        """What stops this warehouse from receiving returns, in a sentence, or ""."""
        self.ensure_one()
        location, picking_type = self.rma_return_location_id, self.rma_return_type_id
        route = self.rma_return_route_id.sudo()
        if not location:
            return self.env._("it has no return location")
        if not location.active:
            return self.env._(
                "its return location %(location)s is archived", location=location.complete_name
            )
        if not picking_type:
            return self.env._("it has no return operation type")
        if not picking_type.active:
            return self.env._(
                "its return operation type %(type)s is archived", type=picking_type.display_name
            )
        if self._rma_return_route_rules() and not route.active:
            return self.env._("its return route %(route)s is archived", route=route.display_name)
        return ""

    def _rma_check_ready(self):
        """Raise a UserError saying what is wrong with warehouses that cannot take
        returns, and how to repair them."""
        for wh in self:
            problem = wh._rma_setup_problem()
            if problem:
                raise UserError(
                    self.env._(
                        "Warehouse %(wh)s cannot receive returns: %(problem)s. An inventory "
                        "manager can repair it: open the warehouse (Inventory > Configuration "
                        "> Warehouses) and click 'Repair Return Setup'.",
                        wh=wh.name,
                        problem=problem,
                    )
                )

    @api.model
    def _rma_ranked(self, partner, warehouses):
        """``warehouses`` from nearest to farthest from ``partner``: by distance
        to each warehouse's location, exact or approximate (city, state,
        country) when the partner's position is known; warehouses without any
        location, or all of them when the partner's position is unknown, follow
        by same state, same country, the rest."""
        origin = partner_coordinates(partner)

        def rank(wh):
            point = origin and approximate_location(wh.partner_id)[0]
            if point:
                return (0, great_circle_km(*origin, *point), wh.id)
            country = wh.partner_id.country_id
            same_country = partner.country_id and country == partner.country_id
            same_state = (
                same_country and partner.state_id and partner.state_id == wh.partner_id.state_id
            )
            return (1 if same_state else 2 if same_country else 3, 0.0, wh.id)

        return warehouses.sorted(rank)

    @api.model
    def _rma_nearest(self, partner, warehouses):
        """Pick among ``warehouses`` the one nearest to ``partner``.

        With the partner's position known (its coordinates or its city), every
        warehouse is measured the same way: the distance to its location, exact
        or approximate (see ``rma_location_precision``). Otherwise, or when no
        warehouse has a location, the same state, then the same country wins.

        :return: (warehouse, rule, distance in km or 0.0); rule is one of
            "distance", "state", "country" ("" when nothing matched).
        """
        origin = partner_coordinates(partner)
        if origin:
            located = []
            for wh in warehouses:
                point = approximate_location(wh.partner_id)[0]
                if point:
                    located.append((great_circle_km(*origin, *point), wh.id, wh))
            if located:
                distance, _id, wh = min(located)
                return wh, "distance", round(distance, 1)
        if partner.country_id:
            same_country = warehouses.filtered(
                lambda w: w.partner_id.country_id == partner.country_id
            )
            same_state = same_country.filtered(
                lambda w: partner.state_id and w.partner_id.state_id == partner.state_id
            )
            if same_state:
                return same_state[0], "state", 0.0
            if same_country:
                return same_country[0], "country", 0.0
        return self.browse(), "", 0.0
