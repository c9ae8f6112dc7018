"""The report's figures from given thread facts: the business-hours clock of first replies,
percentiles, the AI's share, reasons, breaches, quiet days, and AI messages over a teammate."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from baton_contracts.business_hours import BusinessHours, Interval
from baton_events import StaffReplied
from baton_inbox.domain import live_message, mark_withheld, thread_changes
from baton_inbox.reports import ThreadFacts, ai_after_teammate, percentile, summarize

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a Tuesday


def facts(
    escalated_after_s: float | None = None,
    reply_after_s: float | None = None,
    *,
    created: datetime = T0,
    reason: str | None = "asked_for_human",
    staff: bool = False,
    breached: bool = False,
) -> ThreadFacts:
    escalated = (
        created + timedelta(seconds=escalated_after_s) if escalated_after_s is not None else None
    )
    reply = (
        escalated + timedelta(seconds=reply_after_s)
        if escalated and reply_after_s is not None
        else None
    )
    return ThreadFacts(
        created_at=created,
        had_visitor=True,
        escalated_at=escalated,
        escalation_reason=reason if escalated else None,
        staff_replied=staff or reply is not None,
        breached=breached,
        first_staff_reply_at=reply,
        ai_after_teammate=0,
    )


def test_figures_of_a_period() -> None:
    threads = [
        facts(),  # settled by the AI
        facts(),
        facts(5, 60),
        facts(5, 120, reason="out_of_docs", breached=True),
        facts(5, None, reason="out_of_docs"),  # still waiting
        facts(staff=True),  # a teammate joined without an escalation
    ]
    figures = summarize(
        threads, BusinessHours(ZoneInfo("UTC")), date(2026, 11, 30), date(2026, 12, 2)
    )
    assert figures["threads"] == 6 and figures["escalations"] == 3
    assert figures["escalations_by_reason"] == {"asked_for_human": 1, "out_of_docs": 2}
    assert figures["first_human_replies"] == 2
    assert (figures["first_human_reply_p50_s"], figures["first_human_reply_p90_s"]) == (60, 120)
    assert figures["ai_resolution_rate"] == round(2 / 6, 4)
    assert figures["target_breaches"] == 1
    assert [(d["date"], d["threads"]) for d in figures["days"]] == [
        ("2026-11-30", 0),
        ("2026-12-01", 6),
        ("2026-12-02", 0),
    ]


def test_the_first_reply_clock_counts_business_hours_only() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    hours = BusinessHours(berlin, {d: [Interval(time(9), time(17))] for d in ("mon", "fri")})
    friday_1630 = datetime(2026, 12, 4, 16, 30, tzinfo=berlin)
    thread = facts(0, 3 * 86400 - 7 * 3600, created=friday_1630)  # answered Monday 09:30
    figures = summarize([thread], hours, date(2026, 12, 4), date(2026, 12, 4))
    assert figures["first_human_reply_p50_s"] == 3600  # 30 min Friday + 30 min Monday


def test_days_are_the_accounts_dates() -> None:
    tokyo = BusinessHours(ZoneInfo("Asia/Tokyo"))
    late_utc = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)  # already 2 December in Tokyo
    figures = summarize([facts(created=late_utc)], tokyo, date(2026, 12, 1), date(2026, 12, 2))
    assert [(d["date"], d["threads"]) for d in figures["days"]] == [
        ("2026-12-01", 0),
        ("2026-12-02", 1),
    ]


def test_an_ai_message_after_a_teammate_counts_unless_the_thread_was_handed_back() -> None:
    def msg(position: int, author: str, suppressed: bool = False) -> dict[str, object]:
        return {"position": position, "author": author, "suppressed": suppressed}

    log = [
        msg(1, "visitor"),
        msg(2, "ai"),
        msg(3, "staff"),
        msg(5, "ai", suppressed=True),
        msg(7, "ai"),
    ]
    assert ai_after_teammate(log, resumed_at=[]) == 1  # the delivered one at 7
    assert ai_after_teammate(log, resumed_at=[6]) == 0  # handed back at 6
    assert ai_after_teammate(log, resumed_at=[2]) == 1  # a hand-back before the teammate's


def test_a_late_commit_the_gateway_withheld_is_not_counted_as_delivered() -> None:
    """The handoff committed a proposal made before the teammate's message (position 3), and
    the commit landed after it (position 4): the visitor never saw it."""
    log: list[dict[str, object]] = [
        {"position": 1, "author": "visitor"},
        {"position": 3, "author": "staff"},
        {"position": 4, "author": "ai", "proposal_position": 2},
    ]
    assert ai_after_teammate(log, resumed_at=[]) == 0
    # A commit of a proposal made after the teammate's message did reach the visitor.
    log.append({"position": 6, "author": "ai", "proposal_position": 5})
    assert ai_after_teammate(log, resumed_at=[]) == 1


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 0.5) is None
    assert percentile([3.0], 0.9) == 3.0
    assert percentile([float(n) for n in range(1, 11)], 0.9) == 9.0


def test_the_thread_view_marks_a_withheld_commit_as_never_delivered() -> None:
    messages: list[dict[str, object]] = [
        {"position": 3, "author": "staff"},
        {"position": 4, "author": "ai", "proposal_position": 2, "suppressed": False},
        {"position": 6, "author": "ai", "proposal_position": 5, "suppressed": False},
    ]
    marked = mark_withheld([dict(m) for m in messages])
    assert [m["suppressed"] for m in marked[1:]] == [True, False]


def test_the_live_stream_marks_a_withheld_commit_as_it_arrives() -> None:
    """The thread written by the commit's own event holds the teammate's position: a commit
    overtaken by it is shown as a draft at once, one proposed after it as sent."""
    staff = StaffReplied(
        thread_id="t1", account_id="a1", message_id="s1", staff_id="u1", staff_name="Ana", text="hi"
    )
    thread = thread_changes(staff, 3)
    assert thread["last_staff_position"] == 3
    late = {"author": "ai", "position": 4, "proposal_position": 2, "suppressed": False}
    fresh = {"author": "ai", "position": 6, "proposal_position": 5, "suppressed": False}
    assert live_message(late, thread, 4)["suppressed"] is True
    assert live_message(fresh, thread, 6)["suppressed"] is False
    # A redelivered commit meets a thread a later teammate message wrote: which message came
    # before it is unknown there, so it is shown as stored (the thread view marks it).
    assert live_message(late, {"last_staff_position": 5}, 4)["suppressed"] is False
    assert live_message(late, {}, 4)["suppressed"] is False
    visitor = {"author": "visitor", "position": 4}
    assert live_message(visitor, thread, 4) == visitor
