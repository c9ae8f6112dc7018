"""widget.js: compressed once, revalidated by ETag, so a page view usually costs a 304."""

import functools
import gzip
import hashlib
from importlib.resources import files

from fastapi import APIRouter, Request
from fastapi.responses import Response

router = APIRouter(tags=["widget"])


@functools.cache
def _widget() -> tuple[bytes, bytes, str]:
    """The script, its gzip form and its ETag; read on first use, then kept."""
    script = files("baton_gateway").joinpath("static/widget.js").read_bytes()
    etag = '"' + hashlib.sha256(script).hexdigest()[:20] + '"'
    return script, gzip.compress(script, compresslevel=9, mtime=0), etag


@router.get("/widget.js", include_in_schema=False)
async def widget_js(request: Request) -> Response:
    script, packed, etag = _widget()
    headers = {"Cache-Control": "public, max-age=300", "ETag": etag, "Vary": "Accept-Encoding"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        return Response(packed, media_type="application/javascript", headers=headers)
    return Response(script, media_type="application/javascript", headers=headers)
