"""Every Redis key and pub/sub channel Baton uses, each spelled once.

Each builder takes the deployment's `redis_prefix` (BATON_REDIS_PREFIX: it isolates copies of
the system sharing one Redis, like the tests) and the ids the name holds. The docstring of each
says who writes it, who reads it, its Redis type and its lifetime. The payloads of the channels
are in `baton_contracts.live_signals`.
"""

# -- the handoff's mode projection -----------------------------------------------------------


def thread_mode(prefix: str, thread_id: str) -> str:
    """Hot copy of a thread's mode. Hash `mode_copy.HotMode` {mode, version, deadline,
    position}.
    Written by handoff (after the durable MongoDB write), read by agent and the handoff's mode
    API. No TTL: the handoff rewrites it from MongoDB when it is missing."""
    return f"{prefix}mode:{thread_id}"


def mode_at_message(prefix: str, message_id: str) -> str:
    """The mode right after one visitor message in the log: string `mode_copy.ModeVerdict`
    ("{mode}:{version}").
    Written by handoff, read by agent (may the AI answer this message?). TTL 24 h."""
    return f"{prefix}mode-at:{message_id}"


def mode_at_message_signal(prefix: str, message_id: str) -> str:
    """Channel: published by handoff right after it wrote `mode_at_message`, payload
    `live_signals.VERDICT_READY`; the agent waiting for that message's verdict wakes up and
    reads the key. Pub/sub, nothing stored."""
    return f"{prefix}mode-at-signal:{message_id}"


def mode_at_message_signal_pattern(prefix: str) -> str:
    """The agent's one pattern subscription over every `mode_at_message_signal` channel."""
    return mode_at_message_signal(prefix, "*")


# -- staff presence (inbox) ---------------------------------------------------------------------


def staff_online(prefix: str, account_id: str) -> str:
    """Which teammates of an account have the inbox open. Sorted set: staff id scored by the
    time (ms since the epoch) its live connection's heartbeat expires; readers count scores
    above now. Written by inbox, read by agent (offline reply expectation) and gateway (the
    widget's "team online"). TTL 2 min, renewed at each heartbeat."""
    return f"{prefix}staff-online:{account_id}"


def staff_presence(prefix: str, account_id: str, thread_id: str) -> str:
    """Who views or types in a thread. Hash staff_id -> JSON `live_signals.StaffPresenceEntry`
    (expired entries are skipped by readers, pruned by the writer). Written and read by inbox,
    read by agent (a teammate typing pauses the AI). TTL 1 h after the last write."""
    return f"{prefix}inbox-presence:{account_id}:{thread_id}"


def presence_threads(prefix: str, account_id: str) -> str:
    """The threads of an account that have a `staff_presence` hash, for a (re)connecting
    stream's snapshot. Set of thread ids. Inbox only. TTL 1 h after the last write."""
    return f"{prefix}inbox-presence-threads:{account_id}"


def last_staff_reply(prefix: str, account_id: str, thread_id: str) -> str:
    """Who replied last in a thread, to warn the next sender of a collision. String: JSON
    {staff_id, name, at_ms}. Inbox only. TTL BATON_INBOX_COLLISION_WINDOW_SECONDS."""
    return f"{prefix}inbox-last-reply:{account_id}:{thread_id}"


# -- security and abuse limits ------------------------------------------------------------------


def revoked_staff_session(prefix: str, session_id: str) -> str:
    """A signed-out staff session. String "1". Inbox only. TTL the token's remaining life."""
    return f"{prefix}inbox-session-revoked:{session_id}"


def failed_attempts(prefix: str, rule_name: str, subject: str) -> str:
    """Failed logins per rule ("login-email", "login-ip") and subject. String counter.
    Inbox only (through baton_runtime.attempts). TTL the rule's window, from the first failure."""
    return f"{prefix}attempts:{rule_name}:{subject}"


def rate_limit(prefix: str, rule_name: str, subject: str) -> str:
    """Requests per rule and subject (a widget session start, a visitor's sends). String
    counter. Gateway only (through baton_runtime.rate_limit). TTL the rule's window."""
    return f"{prefix}rate:{rule_name}:{subject}"


# -- gateway ------------------------------------------------------------------------------------


def visitor_send(prefix: str, client_message_id: str) -> str:
    """A widget send by its client_message_id: "pending" while it is published, then "sent",
    so a retried send is not published twice. String. Gateway only. TTL 60 s pending, 7 days
    sent."""
    return f"{prefix}visitor-sent:{client_message_id}"


def thread_visible(prefix: str, thread_id: str) -> str:
    """Channel: a new visitor-visible message of a thread. Published by gateway (after the
    MongoDB write; JSON `live_signals.VisibleMessageNotice`, the message itself with its
    position and the position of the thread's message before it), heard by gateway (the
    replica holding the visitor's stream sends it on without reading MongoDB, unless the
    previous position shows a gap). Pub/sub, nothing stored."""
    return f"{prefix}thread-visible:{thread_id}"


def thread_visible_newest(prefix: str, thread_id: str) -> str:
    """The log position of the thread's newest visitor-visible message, as decimal text; only
    ever raised. Written by gateway (before the `thread_visible` notice, so a lost notice is
    seen at the next heartbeat), read by gateway (streams: resume and heartbeat checks, a key
    read instead of a query). String. TTL 7 days, renewed at each write."""
    return f"{prefix}visible-newest:{thread_id}"


def thread_live(prefix: str, thread_id: str) -> str:
    """Channel: ephemeral signals to the visitor's widget, JSON `live_signals.ThreadLiveSignal`
    (typing, state changed). Published by inbox (staff typing) and gateway (state changed),
    heard by gateway. Pub/sub, nothing stored."""
    return f"{prefix}thread-live:{thread_id}"


def gateway_thread_channels_pattern(prefix: str) -> str:
    """The gateway's one pattern subscription: `thread_visible` and `thread_live` of every
    thread."""
    return f"{prefix}thread-*"


# -- agent --------------------------------------------------------------------------------------


def agent_thread_memory(prefix: str, thread_id: str) -> str:
    """What the agent remembers of a thread between turns. Hash {last_message_id,
    last_question, ai_answered_last, unhelped_turns, email_known}. Agent only. TTL 7 days,
    renewed at each write."""
    return f"{prefix}agent-thread:{thread_id}"


# -- inbox live fan-out -------------------------------------------------------------------------


def inbox_live(prefix: str, account_id: str) -> str:
    """Channel: every live item of an account's inbox, JSON `live_signals.InboxLiveItem`
    (thread changes, teammates' changes, presence, ingest jobs, visitor typing). Published by
    inbox and gateway (visitor typing), heard by every inbox replica, which forwards to its
    staff streams. Pub/sub, nothing stored: a stream that missed some reads MongoDB again."""
    return f"{prefix}inbox-live:{account_id}"


def inbox_live_pattern(prefix: str) -> str:
    """An inbox replica's one pattern subscription over every account's `inbox_live`."""
    return inbox_live(prefix, "*")
