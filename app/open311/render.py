"""Open311 bodies in XML or JSON.

XML follows the GeoReport v2 shapes: no namespace, a plural root, one child
element per item, fields as elements, lists as a plural element holding
singular ones; JSON is the spec's Spark mapping of the same (a list of
objects). Empty values are left out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from fastapi.responses import Response

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# The element of each item inside a plural element.
SINGULAR = {
    "services": "service", "service_requests": "request", "errors": "error",
    "attributes": "attribute", "values": "value", "endpoints": "endpoint",
    "formats": "format", "possible_duplicates": "possible_duplicate",
    "service_requests_updates": "request_update", "service_request_updates": "request_update",
}


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return str(value)


def _fill(parent: ET.Element, name: str, value: Any) -> None:
    if value is None:
        return
    element = ET.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _fill(element, key, inner)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            _fill(element, SINGULAR.get(name, "item"), item)
    else:
        element.text = scalar(value)


def to_xml(root: str, body: Any) -> bytes:
    """`body` is a list (of items under `root`) or a mapping (the root's fields)."""
    element = ET.Element(root)
    if isinstance(body, Mapping):
        for key, value in body.items():
            _fill(element, key, value)
    else:
        for item in body:
            _fill(element, SINGULAR[root], item)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8",
                                                                    xml_declaration=False)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value


def respond(fmt: str, root: str, body: Any, status: int = 200) -> Response:
    if fmt == "xml":
        return Response(to_xml(root, body), status_code=status, media_type=FORMATS["xml"])
    return Response(json.dumps(_jsonable(body), ensure_ascii=False).encode(),
                    status_code=status, media_type=FORMATS["json"])


def errors(fmt: str, status: int, description: str) -> Response:
    """The spec's error list: one {code, description}."""
    return respond(fmt if fmt in FORMATS else "json", "errors",
                   [{"code": status, "description": description}], status)
