import hashlib
import json
import logging
from datetime import datetime

import pytz

from odoo import fields, models
from odoo.exceptions import UserError

from . import kdniao_api

_logger = logging.getLogger(__name__)

KDNIAO_TZ = pytz.timezone("Asia/Shanghai")
# Kdniao's Action (per scan) and State (per parcel) codes
ACTION_CODES = {
    "1": "picked_up",
    "2": "in_transit",
    "201": "in_transit",
    "204": "in_transit",
    "205": "in_transit",
    "206": "in_transit",
    "202": "out_for_delivery",
    "211": "out_for_delivery",
    "3": "delivered",
    "301": "delivered",
    "302": "delivered",
    "304": "delivered",
    "311": "delivered",
}


def event_code(action):
    """Our tracking code of Kdniao's ``action`` (or state) code, or None."""
    action = str(action or "")
    if action in ACTION_CODES:
        return ACTION_CODES[action]
    if action.startswith("4"):
        return "exception"
    return None


class RmaOrder(models.Model):
    _inherit = "rma.order"

    def _kdniao_local(self, value):
        """UTC datetime ``value`` in Kdniao's time zone (China), naive."""
        return pytz.utc.localize(value).astimezone(KDNIAO_TZ).replace(tzinfo=None)

    def _kdniao_parse_time(self, text):
        """Kdniao's scan time (China local, ``-`` or ``/`` dates) as naive UTC."""
        text = (text or "").strip().replace("/", "-")
        try:
            local = datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return None
        return KDNIAO_TZ.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def _kdniao_events_vals(self, trace_sets, source):
        """Tracking event values of Kdniao parcel answers ``trace_sets`` (items
        with LogisticCode, State, Traces), for the returns with that tracking
        number. Unknown numbers and unreadable scans are skipped."""
        codes = [item.get("LogisticCode") for item in trace_sets if item.get("LogisticCode")]
        if not codes:
            return []
        rmas = self.sudo().search(
            [
                ("tracking_ref", "in", codes),
                ("return_carrier_id.delivery_type", "=", "kdniao"),
            ]
        )
        rma_of = {rma.tracking_ref: rma for rma in rmas}
        vals_list = []
        for item in trace_sets:
            rma = rma_of.get(item.get("LogisticCode"))
            traces = item.get("Traces") or []
            if not rma:
                continue
            for index, trace in enumerate(traces):
                last = index == len(traces) - 1
                code = event_code(trace.get("Action")) or (
                    event_code(item.get("State")) if last else "in_transit"
                )
                date = self._kdniao_parse_time(trace.get("AcceptTime"))
                if not code or not date:
                    continue
                station = trace.get("AcceptStation") or ""
                key = f"{rma.tracking_ref}|{trace.get('AcceptTime')}|{station}"
                vals_list.append(
                    {
                        "rma_id": rma.id,
                        "code": code,
                        "date": date,
                        "description": station[:250],
                        "source": source,
                        "external_id": hashlib.sha256(key.encode()).hexdigest()[:32],
                    }
                )
        return vals_list

    def _kdniao_receive_push(self, request_data, data_sign):
        """A tracking push (101) from Kdniao: check its signature against the
        carrier named by its EBusinessID, record the scans (idempotent).

        :return: the EBusinessID to answer with
        :raise UserError: unreadable push or bad signature
        """
        try:
            push = json.loads(request_data)
        except ValueError as error:
            raise UserError(self.env._("The push is not JSON.")) from error
        if not isinstance(push, dict):
            raise UserError(self.env._("The push is not a Kdniao push."))
        ebusiness_id = str(push.get("EBusinessID") or "")
        carriers = (
            self.env["delivery.carrier"]
            .sudo()
            .search([("delivery_type", "=", "kdniao"), ("kdniao_ebusiness_id", "=", ebusiness_id)])
        )
        if not ebusiness_id or not any(
            kdniao_api.check_sign(request_data, data_sign, c.kdniao_app_key) for c in carriers
        ):
            raise UserError(self.env._("The push signature is not valid."))
        items = [item for item in push.get("Data") or [] if isinstance(item, dict)]
        self.env["rma.tracking.event"]._rma_record(self._kdniao_events_vals(items, "push"))
        return ebusiness_id

    def _kdniao_poll(self):
        """Ask Kdniao (1002) for the scans of these returns' parcels."""
        for rma in self:
            carrier = rma.return_carrier_id
            try:
                answer = carrier._kdniao_call(
                    kdniao_api.TRACK_QUERY,
                    {
                        "OrderCode": "",
                        "ShipperCode": carrier.kdniao_shipper_code,
                        "LogisticCode": rma.tracking_ref,
                    },
                )
            except UserError as error:
                _logger.info("Kdniao tracking query of %s failed: %s", rma.name, error)
                continue
            answer.setdefault("LogisticCode", rma.tracking_ref)
            self.env["rma.tracking.event"]._rma_record(self._kdniao_events_vals([answer], "poll"))

    def _cron_kdniao_poll(self):
        """Scheduled fallback for missed pushes: query the parcels on their way."""
        self.search(
            [
                ("state", "=", "approved"),
                ("return_carrier_id.delivery_type", "=", "kdniao"),
                ("tracking_ref", "!=", False),
                ("tracking_status", "!=", "delivered"),
            ]
        )._kdniao_poll()

    def _kdniao_push_answer(self, ebusiness_id, success=True, reason=""):
        return {
            "EBusinessID": ebusiness_id,
            "UpdateTime": self._kdniao_local(fields.Datetime.now()).strftime("%Y-%m-%d %H:%M:%S"),
            "Success": success,
            "Reason": reason,
        }
