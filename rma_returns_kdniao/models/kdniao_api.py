"""Kdniao (快递鸟) open API: request signing, posting and response parsing.

Every call is a form post (``application/x-www-form-urlencoded``) of
``RequestData`` (the JSON request), ``EBusinessID``, ``RequestType`` (the
interface number), ``DataSign`` and ``DataType=2`` (JSON). ``DataSign`` is
base64(md5_hex(RequestData + AppKey)), url-encoded as a form value. Kdniao
signs its pushes the same way, with ``RequestData`` and ``DataSign``.
"""

import base64
import hashlib
import hmac
import json

import requests

TIMEOUT = 15

# interface numbers (RequestType)
EWAYBILL = "1007"
PICKUP_BOOK = "1801"
PICKUP_CANCEL = "1802"
TRACK_QUERY = "1002"
TRACK_PUSH = "101"
# production service of each interface (the sandbox gateway takes them all)
SERVICE_PATHS = {
    EWAYBILL: "/api/EOrderService",
    PICKUP_BOOK: "/api/OOrderService",
    PICKUP_CANCEL: "/api/OOrderService",
    TRACK_QUERY: "/Ebusiness/EbusinessOrderHandle.aspx",
}


class KdniaoError(Exception):
    """Kdniao refused the request or could not be reached."""


def data_sign(request_data, app_key):
    """Kdniao's signature of ``request_data`` (str) with ``app_key``."""
    digest = hashlib.md5((request_data + app_key).encode()).hexdigest()
    return base64.b64encode(digest.encode()).decode()


def check_sign(request_data, sign, app_key):
    """True when ``sign`` is Kdniao's signature of ``request_data``."""
    return bool(sign) and hmac.compare_digest(data_sign(request_data, app_key), sign)


def dumps(payload):
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def call(url, ebusiness_id, app_key, request_type, payload):
    """Post ``payload`` to interface ``request_type``; return the decoded answer.

    :raise KdniaoError: the service is unreachable, answers an HTTP error, or
        answers ``Success: false`` (with its ``Reason``)
    """
    request_data = dumps(payload)
    form = {
        "RequestData": request_data,
        "EBusinessID": ebusiness_id,
        "RequestType": request_type,
        "DataSign": data_sign(request_data, app_key),
        "DataType": "2",
    }
    try:
        response = requests.post(url, data=form, timeout=TIMEOUT)
        response.raise_for_status()
        answer = response.json()
    except requests.RequestException as error:
        raise KdniaoError(
            f"Kdniao is not reachable ({error.__class__.__name__}: {error})"
        ) from error
    except ValueError as error:
        raise KdniaoError("Kdniao answered something that is not JSON.") from error
    if not isinstance(answer, dict):
        raise KdniaoError("Kdniao answered something that is not a Kdniao answer.")
    if not answer.get("Success"):
        reason = answer.get("Reason") or answer.get("ResultCode") or "unknown error"
        raise KdniaoError(f"Kdniao refused the request: {reason}")
    return answer
