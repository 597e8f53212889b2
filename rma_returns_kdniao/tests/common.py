from odoo.addons.rma_returns.tests.common_flow import RmaFlowCommon

from .kdniao_server import APP_KEY, EBUSINESS_ID, KdniaoStandIn


class KdniaoCommon(RmaFlowCommon):
    """The Lyon warehouse takes returns through a Kdniao carrier that talks to a
    stand-in gateway on 127.0.0.1; a delivered order of the customer near Lyon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kdniao = KdniaoStandIn()
        cls.addClassCleanup(cls.kdniao.stop)
        product = cls.env["product.product"].create({"name": "Kdniao Returns", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "SF via Kdniao",
                "delivery_type": "kdniao",
                "product_id": product.id,
                "kdniao_ebusiness_id": EBUSINESS_ID,
                "kdniao_app_key": APP_KEY,
                "kdniao_api_url": cls.kdniao.url,
                "kdniao_shipper_code": "SF",
            }
        )
        cls.lyon.rma_return_carrier_id = cls.carrier
        cls.lyon_partner.write(
            {"street": "12 Rue de la République", "city": "Lyon", "phone": "+33 4 00 00 00 00"}
        )
        cls.customer.write(
            {"street": "3 Place Grenette", "city": "Grenoble", "mobile": "+33 6 11 22 33 44"}
        )
        cls.order = cls._create_order([(cls.product_a, 2.0)])

    def setUp(self):
        super().setUp()
        self.kdniao.mode = "ok"
        self.kdniao.requests.clear()
        self.kdniao.paths.clear()
        self.kdniao.traces = []

    def _approved_return(self):
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        return self._approve(rma)

    def _requests(self, request_type):
        return [data for kind, data in self.kdniao.requests if kind == request_type]
