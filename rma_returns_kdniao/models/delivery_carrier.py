from urllib.parse import urlsplit, urlunsplit

from odoo import api, fields, models
from odoo.exceptions import UserError

from . import kdniao_api

KDNIAO_SANDBOX_URL = "http://sandboxapi.kdniao.com:8080/kdniaosandbox/gateway/exterfaceInvoke.json"
KDNIAO_PAY_TYPES = [
    ("1", "Sender pays (现付)"),
    ("2", "Receiver pays (到付)"),
    ("3", "Monthly account (月结)"),
    ("4", "Third party (第三方)"),
]
PICKUP_FORMAT = "%Y-%m-%d %H:%M:%S"


class DeliveryCarrier(models.Model):
    """Kdniao (快递鸟) aggregator: return e-waybills (1007), door pickups
    (1801 / 1802) and tracking (push 101, query 1002) for many Chinese carriers.
    Credentials live on the carrier; ``kdniao_api_url`` points at the
    production gateway or the sandbox (test mode)."""

    _inherit = "delivery.carrier"

    # === FIELDS === #
    delivery_type = fields.Selection(
        selection_add=[("kdniao", "Kdniao")], ondelete={"kdniao": "set default"}
    )
    kdniao_ebusiness_id = fields.Char(string="EBusinessID", groups="base.group_system")
    kdniao_app_key = fields.Char(string="AppKey", groups="base.group_system")
    kdniao_api_url = fields.Char(
        string="Kdniao API URL",
        default="https://api.kdniao.com/api/EOrderService",
        groups="base.group_system",
        help="In production, the host of Kdniao's API (each interface is posted to its "
        "own service there); in test mode, the sandbox gateway every request is posted to.",
    )
    kdniao_shipper_code = fields.Char(
        string="Kdniao Carrier Code", help="Kdniao's code of the carrier, e.g. SF, ZTO, YTO."
    )
    kdniao_pay_type = fields.Selection(
        KDNIAO_PAY_TYPES,
        string="Kdniao Payment",
        default="3",
        help="Who pays the carrier (the shop's monthly account prepays return labels).",
    )
    kdniao_exp_type = fields.Char(string="Kdniao Service Type", default="1")

    # === COMPUTE METHODS === #
    @api.depends("delivery_type")
    def _compute_can_generate_return(self):
        """Kdniao makes return e-waybills."""
        res = super()._compute_can_generate_return()
        for carrier in self.filtered(lambda c: c.delivery_type == "kdniao"):
            carrier.can_generate_return = True
        return res

    # === CARRIER API (stock_delivery) === #
    def kdniao_rate_shipment(self, order):
        return {
            "success": False,
            "price": 0.0,
            "error_message": self.env._("Kdniao is used for return labels, not for rates."),
            "warning_message": False,
        }

    def kdniao_send_shipping(self, pickings):
        raise UserError(self.env._("Kdniao is set up for return labels only."))

    def kdniao_get_tracking_link(self, picking):
        return False

    def kdniao_get_return_label(self, pickings, tracking_number=None, origin_date=None):
        """E-waybill (1007) for each return receipt: tracking number on the
        receipt, printable label attached to it."""
        for picking in pickings:
            answer = self._kdniao_call(kdniao_api.EWAYBILL, self._kdniao_ewaybill_payload(picking))
            order = answer.get("Order") or {}
            tracking = order.get("LogisticCode")
            if not tracking:
                raise UserError(self.env._("Kdniao answered without a tracking number."))
            picking.carrier_tracking_ref = tracking
            template = answer.get("PrintTemplate") or ""
            attachment = self.env["ir.attachment"].create(
                {
                    "name": f"{self.get_return_label_prefix()}-{tracking}.html",
                    "raw": template.encode(),
                    "mimetype": "text/html",
                    "res_model": "stock.picking",
                    "res_id": picking.id,
                }
            )
            picking.message_post(
                body=self.env._("Return e-waybill %(ref)s from Kdniao.", ref=tracking),
                attachment_ids=attachment.ids,
            )
        return True

    # === PICKUP (rma_returns_delivery) === #
    def kdniao_rma_book_pickup(self, rma, start, end):
        """Door pickup (1801) of the return parcel between ``start`` and ``end``."""
        picking = rma._rma_label_receipt()
        tz_start, tz_end = (rma._kdniao_local(d).strftime(PICKUP_FORMAT) for d in (start, end))
        payload = dict(
            self._kdniao_ewaybill_payload(picking),
            OrderCode=f"{picking.name}-PICKUP",
            LogisticCode=rma.tracking_ref or "",
            StartDate=tz_start,
            EndDate=tz_end,
        )
        payload.pop("IsReturnPrintTemplate", None)
        answer = self._kdniao_call(kdniao_api.PICKUP_BOOK, payload)
        order = answer.get("Order") or {}
        return order.get("KDNOrderCode") or order.get("OrderCode") or payload["OrderCode"]

    def kdniao_rma_cancel_pickup(self, rma):
        """Cancel the door pickup (1802)."""
        picking = rma._rma_label_receipt()
        self._kdniao_call(
            kdniao_api.PICKUP_CANCEL,
            {
                "ShipperCode": self.kdniao_shipper_code,
                "OrderCode": f"{picking.name}-PICKUP",
                "ExpNo": rma.tracking_ref or "",
                "CancelType": "1",
                "CancelMsg": self.env._("Cancelled by %(name)s", name=rma.name),
            },
        )
        return True

    # === HELPERS === #
    def _kdniao_call(self, request_type, payload):
        """Signed request to Kdniao; errors become a UserError naming the cause."""
        self.ensure_one()
        carrier = self.sudo()
        if not (carrier.kdniao_ebusiness_id and carrier.kdniao_app_key and carrier.kdniao_api_url):
            raise UserError(
                self.env._(
                    "Carrier %(name)s lacks its Kdniao credentials (EBusinessID, AppKey, API URL).",
                    name=self.name,
                )
            )
        try:
            return kdniao_api.call(
                carrier._kdniao_endpoint(request_type),
                carrier.kdniao_ebusiness_id,
                carrier.kdniao_app_key,
                request_type,
                payload,
            )
        except kdniao_api.KdniaoError as error:
            raise UserError(str(error)) from error

    def _kdniao_endpoint(self, request_type):
        """Where ``request_type`` is posted: in production, Kdniao's service of
        that interface on the host of the API URL (e-waybill 1007 at
        /api/EOrderService, pickups 1801/1802 at /api/OOrderService, tracking
        query 1002 at /Ebusiness/EbusinessOrderHandle.aspx); in test mode, the
        sandbox gateway itself, which takes every interface."""
        self.ensure_one()
        url = self.sudo().kdniao_api_url
        if not self.prod_environment:
            return url
        parts = urlsplit(url)
        return urlunsplit(
            (parts.scheme, parts.netloc, kdniao_api.SERVICE_PATHS[request_type], "", "")
        )

    def _kdniao_address(self, partner):
        phone = partner.mobile or partner.phone
        if not (partner.street or partner.city) or not phone:
            raise UserError(
                self.env._(
                    "%(partner)s needs a street, a city and a phone number for the carrier.",
                    partner=partner.display_name,
                )
            )
        return {
            "Name": partner.name or partner.display_name,
            "Mobile": phone,
            "ProvinceName": partner.state_id.name or partner.city or "",
            "CityName": partner.city or "",
            "ExpAreaName": partner.street2 or partner.city or "",
            "Address": partner.street or "",
            "PostCode": partner.zip or "",
        }

    def _kdniao_ewaybill_payload(self, picking):
        """1007 request of a return receipt: from the customer to the warehouse."""
        rma = picking.rma_order_id
        sender = rma.partner_shipping_id or rma.partner_id or picking.partner_id
        receiver = picking.picking_type_id.warehouse_id.partner_id or picking.company_id.partner_id
        return {
            "OrderCode": picking.name,
            "ShipperCode": self.kdniao_shipper_code,
            "PayType": int(self.kdniao_pay_type or 3),
            "ExpType": self.kdniao_exp_type or "1",
            "IsReturnPrintTemplate": 1,
            "Quantity": 1,
            "Remark": rma.name or "",
            "Sender": self._kdniao_address(sender),
            "Receiver": self._kdniao_address(receiver),
            "Commodity": self._kdniao_commodities(picking),
            **self._kdniao_declaration(rma),
        }

    def _kdniao_commodities(self, picking):
        """Commodity list of the e-waybill (Kdniao's fields GoodsName, GoodsCode,
        Goodsquantity, GoodsPrice, GoodsDesc): per product of the receipt, with
        the declared unit value in the order's currency; a cross-border return
        gives its HS code and country of origin in GoodsDesc (Kdniao's commodity
        has no field of its own for them)."""
        rma = picking.rma_order_id
        customs = {entry["product"]: entry for entry in rma._rma_customs_lines()} if rma else {}
        commodities = []
        for product in picking.move_ids.product_id:
            qty = sum(
                picking.move_ids.filtered(lambda m, p=product: m.product_id == p).mapped(
                    "product_uom_qty"
                )
            )
            item = {"GoodsName": product.name, "Goodsquantity": int(qty)}
            entry = customs.get(product)
            if product.default_code:
                item["GoodsCode"] = product.default_code
            if entry:
                item["GoodsPrice"] = entry["unit_value"]
                if rma.is_cross_border:
                    item["GoodsDesc"] = f"HS:{entry['hs_code']} Origin:{entry['origin']}"
            commodities.append(item)
        return commodities

    def _kdniao_declaration(self, rma):
        """Declared value of a cross-border return (Kdniao's CurrencyCode and
        Dutiable.DeclaredValue), in the order's currency."""
        if not rma or not rma.is_cross_border:
            return {}
        customs = rma._rma_customs_lines()
        total = sum(entry["value"] for entry in customs)
        currency = customs[0]["currency"] if customs else rma._rma_currency().name
        return {"CurrencyCode": currency, "Dutiable": {"DeclaredValue": round(total, 3)}}
