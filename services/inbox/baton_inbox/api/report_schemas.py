"""The report's shape on the staff API."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class ReportDay(BaseModel):
    date: date
    threads: int
    escalations: int
    ai_resolved: int


class ReportSummary(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_day: date = Field(alias="from", serialization_alias="from")
    to_day: date = Field(alias="to", serialization_alias="to")
    time_zone: str
    bot_id: str | None
    threads: int = Field(description="Threads started in the period.")
    conversations: int = Field(description="Of those, threads where the visitor wrote.")
    escalations: int
    escalations_by_reason: dict[str, int]
    first_human_replies: int = Field(description="Escalations a teammate has answered.")
    first_human_reply_p50_s: float | None = Field(
        description="Median time from escalation to a teammate's first reply, counted within "
        "business hours."
    )
    first_human_reply_p90_s: float | None
    ai_resolution_rate: float | None = Field(
        description="Share of conversations never escalated and without a teammate's message."
    )
    ai_after_teammate: int = Field(
        description="AI messages delivered after a teammate's with no hand-back between: must be 0."
    )
    target_breaches: int = Field(description="Escalations past the response target.")
    days: list[ReportDay]
    truncated: bool = Field(description="More than 20,000 threads: the oldest 20,000 counted.")
