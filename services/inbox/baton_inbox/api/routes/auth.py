from fastapi import APIRouter

from baton_inbox.api.deps import STAFF_TOKEN, Services
from baton_inbox.api.schemas import LoginRequest, LoginResponse
from baton_runtime.errors import ApiError
from baton_runtime.tokens import sign_token

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.post("/login", response_model=LoginResponse)
async def login(body: LoginRequest, services: Services) -> LoginResponse:
    staff = await services.accounts.authenticate(body.email, body.password)
    if staff is None:
        raise ApiError(401, "bad_credentials", "e-mail or password is wrong")
    token = sign_token(
        services.settings.token_secret.get_secret_value(),
        STAFF_TOKEN,
        {"staff_id": staff.staff_id, "account_id": staff.account_id},
        services.settings.inbox_staff_token_ttl_seconds,
    )
    return LoginResponse(token=token, staff_id=staff.staff_id, name=staff.name)
