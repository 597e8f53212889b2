import re

from odoo import Command
from odoo.addons.rma_returns.tests.portal_common import RmaPortalCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestRmaPortalExchangeFirst(RmaPortalCommon):
    """The return form offers an exchange for another size in stock before
    money back, where the policy allows exchanges."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        size = cls.env["product.attribute"].create(
            {"name": "Shoe Size", "value_ids": [Command.create({"name": n}) for n in ("43", "44")]}
        )
        template = cls.env["product.template"].create(
            {
                "name": "Trail Runners",
                "is_storable": True,
                "list_price": 90.0,
                "invoice_policy": "delivery",
                "attribute_line_ids": [
                    Command.create({"attribute_id": size.id, "value_ids": size.value_ids.ids})
                ],
            }
        )
        cls.size_43, cls.size_44 = template.product_variant_ids.sorted(
            lambda p: p.product_template_attribute_value_ids.name
        )
        cls._stock(cls.size_43, 1.0)
        cls.order = cls._create_order([(cls.size_43, 1.0)], partner=cls.partner_a)
        cls.line = cls.order.order_line.filtered(lambda line: line.product_id == cls.size_43)

    def _form(self):
        self._login(self.portal_a)
        page = self.url_open(self._return_url(self.order)).text
        resolutions = re.search(rf'name="resolution_{self.line.id}".*?</select>', page, re.S).group(
            0
        )
        exchange = re.search(rf'name="exchange_{self.line.id}".*?</select>', page, re.S)
        return re.findall(r'value="(\w+)"', resolutions), exchange and exchange.group(0)

    def test_exchange_for_the_size_in_stock_comes_first(self):
        self._stock(self.size_44, 2.0)
        codes, exchange = self._form()
        self.assertEqual(codes[0], "exchange", "the exchange before money back")
        self.assertIn("refund", codes[1:])
        # the size in stock is the one suggested
        selected = re.search(
            r'<option[^>]*selected[^>]*value="(\d+)"|'
            r'<option[^>]*value="(\d+)"[^>]*selected',
            exchange,
        )
        self.assertEqual(int(selected.group(1) or selected.group(2)), self.size_44.id)
        self.assertIn("(in stock)", exchange)

        # the customer keeps the suggestion: the return asks for size 44
        response = self._post_return(
            self.order,
            {self.line: (1, self.reason, "exchange")},
            **{f"exchange_{self.line.id}": str(self.size_44.id)},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._returns_of(self.order).line_ids.exchange_product_id, self.size_44)

    def test_money_back_first_without_stock_or_when_the_policy_refuses(self):
        codes, _exchange = self._form()
        self.assertEqual(codes[0], "refund", "no other size in stock: money back first")
        self.assertIn("exchange", codes)

        self._stock(self.size_44, 2.0)
        self.env.ref("rma_returns.rma_policy_default").allow_exchange = False
        codes, _exchange = self._form()
        self.assertNotIn("exchange", codes)
        self.assertEqual(codes[0], "refund")
