"""How the handoff performs: `GET /v1/reports/summary` (JSON, or CSV of the day-by-day series
with `format=csv`). Dates are the account's own (its time zone); `to` is inclusive."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from baton_inbox.api.deps import CurrentStaff, Services
from baton_inbox.api.report_schemas import ReportSummary
from baton_inbox.reports import summarize
from baton_runtime.errors import ApiError

router = APIRouter(prefix="/v1/reports", tags=["reports"])
DEFAULT_DAYS = 7
MAX_DAYS = 366


@router.get(
    "/summary",
    response_model=ReportSummary,
    responses={200: {"content": {"text/csv": {}}}},
)
async def summary(
    staff: CurrentStaff,
    services: Services,
    from_day: Annotated[
        date | None, Query(alias="from", description="First day (default: 6 days before `to`).")
    ] = None,
    to_day: Annotated[
        date | None, Query(alias="to", description="Last day (default: today).")
    ] = None,
    bot_id: Annotated[str | None, Query(max_length=64)] = None,
    output: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
) -> Any:
    """422 naming `query.from` or `query.to` for a period that ends before it starts or spans more than
    366 days."""
    chosen = (await services.account_settings.get(staff.account_id)).settings
    hours = chosen.hours()
    last = to_day or datetime.now(UTC).astimezone(hours.zone).date()
    first = from_day or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ApiError(422, "invalid_request", "`from` is after `to`", "query.from")
    if (last - first).days >= MAX_DAYS:
        raise ApiError(422, "invalid_request", f"at most {MAX_DAYS} days at once", "query.to")
    start = datetime.combine(first, time(0), hours.zone)
    end = datetime.combine(last + timedelta(days=1), time(0), hours.zone)
    facts, truncated = await services.reports.thread_facts(staff.account_id, start, end, bot_id)
    figures = summarize(facts, hours, first, last)
    if output == "csv":
        return _csv(figures["days"], first, last)
    return ReportSummary(
        **figures,
        from_day=first,
        to_day=last,
        time_zone=chosen.time_zone,
        bot_id=bot_id,
        truncated=truncated,
    )


def _csv(days: list[dict[str, Any]], first: date, last: date) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["date", "threads", "escalations", "ai_resolved"])
    writer.writeheader()
    writer.writerows(days)
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="baton-report-{first}-{last}.csv"'},
    )
