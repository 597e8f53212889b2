from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaChinese(RmaCommon):
    """The zh_CN translation loads and reaches data, views and messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["rma_returns"], ["zh_CN"], overwrite=True)

    def test_reason_names_are_translated(self):
        reason = self.env.ref("rma_returns.rma_reason_changed_mind")
        self.assertEqual(reason.with_context(lang="zh_CN").name, "改变主意")
        self.assertEqual(reason.with_context(lang="en_US").name, "Changed my mind")

    def test_errors_speak_the_users_language(self):
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._create_rma(order, {self.product_a: 1.0})
        # a request of a Chinese-speaking agent carries lang=zh_CN
        line = rma.line_ids.with_user(self.agent).with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "退货数量必须为正数"):
            line.product_uom_qty = -1
