from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _serve_fallback(cls):
        """A URL no route matches is looked up among the attachments' URLs;
        PostgreSQL refuses the NUL character, which made a URL such as
        /my/returns/page/%00 a server error instead of a 404."""
        if "\x00" in request.httprequest.path:
            return None
        return super()._serve_fallback()
