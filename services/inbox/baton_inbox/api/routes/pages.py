"""The inbox's pages and their static assets. The pages hold no data: their script asks the
API, so every page is the same for everyone and safe to cache."""

from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from baton_runtime.errors import ApiError

router = APIRouter(include_in_schema=False)

PAGES = {
    "/": "inbox.html",
    "/login": "login.html",
    "/signup": "signup.html",
    "/signup/confirm": "signup-confirm.html",
    "/invite": "invite.html",
    "/reset": "reset.html",
    "/team": "team.html",
    "/bots": "bots.html",
    "/settings": "settings.html",
    "/reports": "reports.html",
}
ASSET_TYPES = {".css": "text/css", ".js": "application/javascript", ".svg": "image/svg+xml"}


def _read(name: str) -> str:
    return files("baton_inbox").joinpath("static", name).read_text()


def _page_route(path: str, name: str) -> None:
    async def page() -> HTMLResponse:
        return HTMLResponse(_read(name))

    router.add_api_route(path, page, methods=["GET"], response_class=HTMLResponse)


for _path, _name in PAGES.items():
    _page_route(_path, _name)


@router.get("/static/{name}")
async def asset(name: str) -> Response:
    suffix = name[name.rfind(".") :] if "." in name else ""
    resource = files("baton_inbox").joinpath("static", name)
    if "/" in name or suffix not in ASSET_TYPES or not resource.is_file():
        raise ApiError(404, "not_found", f"no asset {name}")
    return Response(
        resource.read_text(),
        media_type=ASSET_TYPES[suffix],
        headers={"Cache-Control": "no-cache"},
    )
