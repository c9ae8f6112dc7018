/*
 * Baton chat widget. Embed:
 *   <script src="GATEWAY/widget.js" data-bot="BOT_KEY" async></script>
 * Signed-in users (identity verification), all optional:
 *   data-user-id="42" data-user-hash="HEX_HMAC_SHA256(secret, '42')"
 *   data-user-name="Ada" data-user-email="ada@example.com" data-user-company="Acme"
 * Plain ES2019, no dependencies. The UI lives in a shadow root of a custom element shown in
 * the top layer (popover), so page CSS can't reach in and no z-index can cover it. Message
 * content only ever goes in via text nodes, never as HTML.
 */
(function () {
  "use strict";
  if (window.BatonWidget) return; // tag included twice

  // currentScript is only set during this synchronous first run.
  const script = document.currentScript || document.querySelector("script[data-bot]");
  const attr = (n) => ((script && script.getAttribute("data-" + n)) || "").trim();
  const BOT = attr("bot");
  if (!BOT) return console.error("[Baton] widget.js: missing data-bot attribute");
  const GW = new URL(script.src, location.href).origin;
  const USER = { id: attr("user-id"), hash: attr("user-hash"), name: attr("user-name"), email: attr("user-email"), company: attr("user-company") };
  // One stored session per bot and signed-in user: another user on this browser gets their own.
  const KEY = "baton:" + BOT + (USER.id ? ":" + USER.id : "");
  const DEAD = [401, 403, 404]; // thread/token no longer valid: start a new session
  const BOT_PATH = "/v1/widget/bots/" + encodeURIComponent(BOT);

  let cfg = null; // bot settings: {display_name, greeting, accent_color, prechat_fields}
  let cfgReq = null;
  let session = load(); // {thread_id, visitor_token} | null
  let sessionReq = null; // in-flight POST /sessions
  let ready = null; // promise of the current connect()
  let es = null;
  let retryDelay = 2000;
  let seen = new Set(); // rendered message ids: history and stream overlap
  let pending = []; // optimistic visitor bubbles awaiting their server copy
  let staffName = ""; // the last teammate who wrote, "" until one did
  let state = { mode: "ai", escalated: false, ask_email: false };
  let streamMode = ""; // the mode this session's stream last sent, "" before its first state
  let closedBox = null; // the closed notice while its choices are offered
  let resumed = false; // the visitor chose to continue the closed conversation
  let typingTimer = 0;
  let typingSent = 0;
  let isOpen = false;

  // ---------- storage & API ----------
  function load() {
    try {
      const s = JSON.parse(localStorage.getItem(KEY));
      return s && s.thread_id && s.visitor_token ? s : null;
    } catch (e) { return null; }
  }
  function store(s) {
    try { s ? localStorage.setItem(KEY, JSON.stringify(s)) : localStorage.removeItem(KEY); }
    catch (e) { /* storage blocked: session lasts as long as the page */ }
  }
  function remember(k, v) {
    try { v ? sessionStorage.setItem(KEY + k, "1") : sessionStorage.removeItem(KEY + k); } catch (e) { /* blocked */ }
  }
  function recall(k) {
    try { return sessionStorage.getItem(KEY + k) === "1"; } catch (e) { return false; }
  }

  // Resolves {ok, status, data}; rejects only on network failure.
  async function api(method, path, body, token) {
    const headers = {};
    if (body) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = "Bearer " + token;
    const res = await fetch(GW + path, { method, headers, body: body && JSON.stringify(body) });
    let data = null;
    try { data = await res.json(); } catch (e) { /* empty or non-JSON body */ }
    return { ok: res.ok, status: res.status, data, retryAfter: Number(res.headers.get("Retry-After")) || 0 };
  }
  const thread = (s, tail) => "/v1/widget/threads/" + encodeURIComponent(s.thread_id) + tail;
  const serverErr = (r) => (r.data && r.data.error) || {};

  function uuid() {
    const c = window.crypto;
    if (c && c.randomUUID) return c.randomUUID(); // secure contexts only
    const b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (let i = 0; i < 16; i++) b[i] = Math.random() * 256;
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  function loadConfig() {
    return (cfgReq = cfgReq || api("GET", BOT_PATH).then((r) => {
      if (!r.ok) throw Object.assign(new Error("bot settings: HTTP " + r.status), { userMsg: r.status === 403 && "This chat is not enabled on this site.", refusal: refusal(r) });
      cfg = r.data;
      applyConfig();
      return cfg;
    }).catch((e) => { cfgReq = null; throw e; }));
  }

  // Why the gateway will never serve this page, in words for the site owner (null: it may
  // serve it later, e.g. a network error). Visitors see nothing: they could not chat anyway.
  function refusal(r) {
    const code = serverErr(r).code;
    if (r.status === 404) return "No bot has the key \"" + BOT + "\" (deleted, or a typo in data-bot), so the chat is hidden. Copy the embed snippet again from the Bots page of your Baton inbox.";
    if (code === "origin_not_allowed" || code === "origin_required") return "This site's address, " + location.origin + ", is not in the allowed origins of bot \"" + BOT + "\", so the chat is hidden. Add " + location.origin + " to the bot's allowed origins on the Bots page of your Baton inbox.";
    return null;
  }

  // Pre-chat fields the visitor still has to fill. The page may already know some; a signed-in
  // user is known to the customer, so only what the bot requires is asked.
  const missingFields = () => (cfg && !session ? cfg.prechat_fields.filter((f) => !USER[f.field] && (f.required || !USER.id)) : []);

  function ensureSession(answers) {
    if (session) return Promise.resolve(session);
    const visitor = {};
    ["name", "email", "company"].forEach((f) => { const v = (answers && answers[f]) || USER[f]; if (v) visitor[f] = v; });
    const body = { bot_key: BOT, visitor, page_url: location.href.slice(0, 2000) };
    if (USER.id) Object.assign(body, { user_id: USER.id, user_hash: USER.hash });
    return (sessionReq = sessionReq || api("POST", "/v1/widget/sessions", body)
      .then((r) => {
        if (!r.ok || !r.data || !r.data.thread_id) {
          const err = serverErr(r);
          throw Object.assign(new Error("session: HTTP " + r.status), {
            userMsg: err.code === "identity_rejected" ? "We couldn't verify your account. Please reload the page." : r.status === 422 && visitorSentence(err),
            field: err.field,
          });
        }
        store((session = { thread_id: r.data.thread_id, visitor_token: r.data.visitor_token }));
        return session;
      })
      .finally(() => { sessionReq = null; }));
  }

  // The gateway's terse 422 in words a visitor reads.
  function visitorSentence(err) {
    const field = String(err.field || "").split(".").pop();
    if (err.code === "invalid_email") return "Please enter a valid e-mail address, like you@company.com.";
    if (err.code === "prechat_required") return "Please enter your " + ({ email: "e-mail address" }[field] || field) + ".";
    return err.message;
  }

  function reset() {
    if (es) es.close();
    es = session = ready = null;
    store(null);
    seen = new Set();
    pending = [];
    staffName = "";
    streamMode = "";
    resumed = false;
    setState({ mode: "ai", escalated: false, ask_email: false });
    while (list.firstChild !== typingEl) list.firstChild.remove();
    greet();
  }

  function start() {
    return (ready = ready || connect(true).catch((e) => {
      ready = null; // the next open/send tries again
      if (!e.userMsg) console.error("[Baton]", e);
      notice(e.userMsg || "Chat is unavailable right now. Please try again later.");
      throw e;
    }));
  }

  // Opens the stream first and buffers its events until history is rendered, so
  // nothing is lost in between and order is kept; ids de-duplicate the overlap.
  async function connect(mayReset) {
    const s = await ensureSession();
    let buffer = [];
    openStream(s, (m) => (buffer ? buffer.push(m) : render(m, true)));
    let r = null;
    try { r = await api("GET", thread(s, "/messages"), null, s.visitor_token); }
    catch (e) { /* network: the stream still runs */ }
    if (session !== s) return; // reset meanwhile; a newer connect() owns the UI
    if (r && DEAD.includes(r.status)) {
      if (!mayReset) throw new Error("history: HTTP " + r.status);
      reset();
      const fields = missingFields(); // a new session may need the pre-chat form again
      return fields.length ? showPrechat(fields) : connect(false);
    }
    if (r && r.ok && r.data && Array.isArray(r.data.messages)) r.data.messages.forEach((m) => render(m, false));
    else notice("Could not load earlier messages.");
    buffer.splice(0).forEach((m) => render(m, true));
    buffer = null;
  }

  function openStream(s, onMsg) {
    if (es) es.close();
    const src = (es = new EventSource(GW + thread(s, "/stream?include=state,typing&token=" + encodeURIComponent(s.visitor_token))));
    const on = (type, fn) => src.addEventListener(type, (ev) => {
      try { fn(JSON.parse(ev.data)); } catch (e) { console.error("[Baton] bad stream event", e); }
    });
    // Connected: a connection notice goes, a message too long to send stays.
    src.addEventListener("open", () => { retryDelay = 2000; notice(input.value.length > MAX_CHARS ? tooLong(input.value) : ""); });
    on("message", onMsg);
    on("state", streamState);
    on("typing", (t) => t.author === "staff" && typing(t.typing, (t.name || "A teammate") + " is typing", 6000));
    // The browser retries dropped connections itself (sending Last-Event-ID) but
    // gives up (CLOSED) on an HTTP error, e.g. an expired token. Then rerun
    // connect(): its history request detects a dead session and replaces it.
    src.addEventListener("error", () => {
      if (src.readyState !== EventSource.CLOSED || es !== src) return;
      es = null;
      setTimeout(() => { if (!es) { ready = null; start().catch(() => {}); } }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    });
  }

  // ---------- sending ----------
  // A pasted NUL (U+0000) is refused by the API (no store keeps it); nobody meant to send it.
  const printable = (value) => value.replace(/\u0000/g, "").trim();
  const MAX_CHARS = 4000; // the gateway's limit (MessageCreate.text)
  const tooLong = (text) => "Your message is " + text.length.toLocaleString("en") + " characters long; the limit is " + MAX_CHARS.toLocaleString("en") + ". Please shorten it.";

  // "You can send again in 12 s", counted down to nothing.
  let waitTimer = 0;
  function waitNotice(seconds) {
    clearInterval(waitTimer);
    let left = Math.max(1, Math.ceil(seconds));
    const show = () => notice(left > 0 ? "You're sending messages faster than we can take them. You can send again in " + left + " s." : "");
    show();
    waitTimer = setInterval(() => { left -= 1; show(); if (left <= 0) clearInterval(waitTimer); }, 1000);
  }

  async function send() {
    const text = printable(input.value);
    if (!text || input.disabled) return;
    // Refused here rather than cut: a pasted text kept whole until the visitor shortens it.
    if (text.length > MAX_CHARS) { notice(tooLong(text)); return; }
    input.value = "";
    grow();
    sendText(text);
  }

  async function sendText(text) {
    clearInterval(waitTimer);
    notice("");
    const p = { text, cid: uuid(), row: bubble("me sending", text) };
    const unpend = () => pending.includes(p) && pending.splice(pending.indexOf(p), 1);
    pending.push(p);
    append(p.row, true);
    // The AI's "typing" is shown client-side; a teammate's comes from the server.
    if (state.mode !== "human") typing(true, "AI is typing", 20000);
    try {
      await start();
      const s = session;
      let r;
      // Retry network errors and 5xx with the SAME client_message_id (server de-duplicates).
      for (let n = 0; ; n++) {
        try {
          r = await api("POST", thread(s, "/messages"), { text, client_message_id: p.cid }, s.visitor_token);
          if (r.status < 500 || n >= 3) break;
        } catch (e) { if (n >= 3) throw e; }
        await new Promise((ok) => setTimeout(ok, 500 * 2 ** n));
      }
      if (!r.ok) {
        const err = new Error("send: HTTP " + r.status);
        err.userMsg = r.status < 500 && serverErr(r).message;
        err.retryAfter = r.status === 429 ? r.retryAfter || 5 : 0;
        if (DEAD.includes(r.status)) { reset(); start().catch(() => {}); }
        throw err;
      }
      const id = r.data && r.data.message_id != null && String(r.data.message_id);
      if (unpend() && id) seen.has(id) ? p.row.remove() : seen.add(id); // remove if the stream already showed it
      p.row.classList.remove("sending");
    } catch (e) {
      unpend();
      typing(false);
      p.row.classList.replace("sending", "failed");
      // Each message not sent keeps its text and a way to send it again.
      const again = h("button", { type: "button", class: "again", text: "Not sent. Send again" });
      again.addEventListener("click", () => { p.row.remove(); sendText(text); });
      p.row.append(again);
      if (!e.userMsg && !e.retryAfter) console.error("[Baton] send failed", e);
      if (e.retryAfter) waitNotice(e.retryAfter);
      else notice(e.userMsg || "Your message could not be sent. Please try again.");
    }
  }

  // Tells the team the visitor is typing: at most every 3 s, and once when they stop.
  function visitorTyping(on) {
    const now = Date.now();
    if (!session || (on && now - typingSent < 3000) || (!on && !typingSent)) return;
    typingSent = on ? now : 0;
    api("POST", thread(session, "/typing"), { typing: on }, session.visitor_token).catch(() => {});
  }

  async function leaveEmail(e) {
    e.preventDefault();
    const email = emailInput.value.trim();
    if (!email || !session) return;
    emailBtn.disabled = true;
    try {
      const r = await api("POST", thread(session, "/contact"), { email }, session.visitor_token);
      if (!r.ok) throw Object.assign(new Error("contact: HTTP " + r.status), { userMsg: r.status === 422 && "Please enter a valid e-mail address, like you@company.com." });
      errorUnder(emailCard, null, "", "", () => {});
      emailCard.hidden = true;
      append(h("div", { class: "line", text: "Thanks! We'll reply to " + email + "." }), true);
    } catch (err) {
      // Under the e-mail field, where the visitor is looking: the card's row has no room.
      const text = err.userMsg || "Could not save your e-mail. Please try again.";
      const emailForm = emailCard.querySelector("form");
      errorUnder(emailCard, emailInput, "baton-err-contact", text, (span) => emailForm.after(span));
    } finally { emailBtn.disabled = false; }
  }

  // A visitor message from the server may be the copy of an optimistic bubble.
  function adopt(m) {
    const t = String(m.text || "").trim();
    const i = pending.findIndex((p) => p.text === t);
    if (i < 0) return false;
    pending.splice(i, 1)[0].row.classList.remove("sending");
    return true;
  }

  // ---------- rendering ----------
  function h(tag, attrs, kids) {
    const n = document.createElement(tag);
    for (const k in attrs) k === "text" ? (n.textContent = attrs[k]) : n.setAttribute(k, attrs[k]);
    (kids || []).forEach((c) => n.appendChild(typeof c === "string" ? document.createTextNode(c) : c));
    return n;
  }
  // Static icons only (constant markup, never message content).
  function icon(path) {
    const s = h("span", { class: "ico", "aria-hidden": "true" });
    s.innerHTML = '<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">' + path + "</svg>";
    return s;
  }
  const ICON_CHAT = '<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/>';
  const ICON_CLOSE = '<path d="M6 6l12 12M18 6L6 18"/>';
  const ICON_SEND = '<path d="M5 12h13M13 6l6 6-6 6"/>';
  const ICON_DOC = '<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5"/>';

  // Answers quote help pages, where **bold** marks menu paths: keep that, as text nodes.
  function richText(text) {
    return String(text).split(/\*\*(.+?)\*\*/g).map((part, i) => (i % 2 ? h("strong", { text: part }) : part));
  }

  function bubble(cls, text, kids) {
    return h("div", { class: "msg " + cls }, [h("div", { class: "text" }, typeof text === "string" ? [text] : text)].concat(kids || []));
  }

  function render(m, live) {
    if (!m || m.id == null || seen.has(String(m.id))) return;
    seen.add(String(m.id));
    const a = m.author;
    if (a === "visitor" && adopt(m)) return;
    let row;
    if (a === "visitor") row = bubble("me", m.text || "");
    else if (a === "staff") {
      const name = m.staff_name || "";
      if (!staffName) append(h("div", { class: "line", text: (name || "A teammate") + " from support joined the conversation" }));
      staffName = name || "A teammate";
      row = h("div", { class: "row" }, [
        h("div", { class: "avatar", "aria-hidden": "true", text: (name || "?").charAt(0).toUpperCase() }),
        bubble("staff", m.text || "", []),
      ]);
      row.lastChild.insertBefore(h("div", { class: "who", text: name ? name + " from support" : "Support team" }), row.lastChild.firstChild);
      setState(state);
    } else {
      const kids = [];
      if (Array.isArray(m.sources) && m.sources.length) {
        const box = h("div", { class: "src" }, [h("div", { class: "srch", text: "Sources" })]);
        m.sources.forEach((s) => {
          const url = String((s && s.url) || "");
          const link = box.appendChild(h("a", { target: "_blank", rel: "noopener noreferrer" }, [icon(ICON_DOC), h("span", { text: (s && s.title) || url || "Source" })]));
          if (/^https?:/i.test(url)) link.href = url; // never javascript:/data: links
        });
        kids.push(box);
      }
      row = bubble("ai", richText(m.text || ""), kids);
      row.insertBefore(h("div", { class: "who", text: "AI assistant" }), row.firstChild);
    }
    if (m.created_at) row.title = new Date(m.created_at).toLocaleString();
    append(row, a === "visitor" && live);
    if (live && a !== "visitor") {
      typing(false);
      if (!isOpen) launcher.classList.add("unread");
    }
  }

  // Insert before the typing indicator (always last). Follow the bottom only if the
  // reader is already there, so scrolling back through history isn't disturbed.
  function append(node, force) {
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    // An open closed notice stays last: history rendered after it goes above it.
    list.insertBefore(node, closedBox && closedBox.parentNode === list ? closedBox : typingEl);
    if (force || atBottom) list.scrollTop = list.scrollHeight;
  }

  function typing(on, label, ms) {
    clearTimeout(typingTimer);
    typingEl.hidden = !on;
    typingEl.setAttribute("aria-label", on ? label : "");
    typingLabel.textContent = on ? label : "";
    if (on) {
      typingTimer = setTimeout(typing, ms, false);
      list.scrollTop = list.scrollHeight;
    }
  }

  function setState(s) {
    state = s || state;
    if (state.mode === "human" && typingLabel.textContent === "AI is typing") typing(false);
    if (state.mode !== "closed") { resumed = false; settleClosed(); }
    // Closed: nothing can be typed until the visitor picks one of the notice's choices.
    const locked = state.mode === "closed" && !resumed;
    sub.textContent = state.mode === "human" && staffName ? "You're chatting with " + staffName : locked ? "Conversation closed" : state.team_open === false ? "AI assistant \u00b7 " + awayText(state.team_back_at) : "AI assistant \u00b7 a teammate can join";
    emailCard.hidden = !state.ask_email;
    if (locked && root.activeElement === input && closedBox) closedBox.querySelector("button").focus();
    input.disabled = sendBtn.disabled = locked;
  }

  // Outside the team's business hours: when they are back, in the visitor's own time.
  function awayText(backAt) {
    const at = backAt ? new Date(backAt) : null;
    if (!at || isNaN(at)) return "our team is away";
    const soon = at - Date.now() < 6 * 864e5;
    const when = at.toLocaleString(undefined, soon ? { weekday: "short", hour: "numeric", minute: "2-digit" } : { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
    return "our team is back " + when;
  }

  // Who answers, as the stream tells it. A hand-back this page sees gets a line; a closed
  // thread (seen closing, or found closed on load) offers a new conversation or this one.
  function streamState(s) {
    const was = streamMode;
    streamMode = s.mode;
    if (was === "human" && s.mode === "ai") append(h("div", { class: "note", text: "The AI assistant is answering again. A teammate can still join." }));
    if (s.mode === "closed" && was !== "closed") {
      settleClosed();
      resumed = false;
      const acts = h("div", { class: "acts" });
      // A signed-in user has one thread per bot (the gateway returns it): no new one to start.
      if (!USER.id) acts.appendChild(h("button", { type: "button", text: "Start a new conversation" })).addEventListener("click", startOver);
      acts.appendChild(h("button", { type: "button", text: "Continue this conversation" })).addEventListener("click", () => {
        resumed = true;
        settleClosed();
        setState(state);
        input.focus();
      });
      const box = h("div", { class: "note closed" }, [h("p", { text: "This conversation was closed." }), acts]);
      append(box, true);
      closedBox = box;
    }
    setState(s);
  }

  // The closed notice's choices are done with: its line stays, its buttons go.
  function settleClosed() {
    if (!closedBox) return;
    const acts = closedBox.querySelector(".acts");
    const hadFocus = acts && acts.contains(root.activeElement);
    if (acts) acts.remove();
    closedBox = null;
    if (hadFocus) input.focus();
  }

  // "Start a new conversation": the old thread is left as it is and a new one begins, as when
  // a stored session is no longer valid (the pre-chat form again if the bot has one).
  function startOver() {
    reset();
    const fields = missingFields();
    if (fields.length) return showPrechat(fields);
    view("chat");
    input.focus();
  }

  const notice = (t) => { noticeEl.textContent = t; };

  function greet() {
    const text = (cfg && cfg.greeting) || "Hi! Ask me anything \u2014 I answer from our help center, and a teammate can join anytime.";
    list.insertBefore(h("div", { class: "msg ai greet" }, [h("div", { class: "text", text })]), list.firstChild);
  }

  function applyConfig() {
    title.textContent = cfg.display_name;
    const c = /^#[0-9a-f]{6}$/i.test(cfg.accent_color) ? cfg.accent_color : "#3b5bdb";
    const n = parseInt(c.slice(1), 16);
    const lum = (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
    wrap.style.setProperty("--accent", c);
    wrap.style.setProperty("--on-accent", lum > 0.65 ? "#16181d" : "#fff");
    const g = list.querySelector(".greet .text");
    if (g && cfg.greeting) g.textContent = cfg.greeting;
  }

  // ---------- pre-chat form ----------
  function showPrechat(fields) {
    prechat.textContent = "";
    prechat.appendChild(h("p", { class: "lead", text: "Before we start, tell us a little about you so the team can follow up." }));
    fields.forEach((f) => {
      const inputEl = h("input", { name: f.field, type: f.field === "email" ? "email" : "text", autocomplete: f.field === "company" ? "organization" : f.field, maxlength: f.field === "email" ? "320" : "200" });
      if (f.required) inputEl.required = true;
      prechat.appendChild(h("label", {}, [h("span", {}, [f.label, f.required ? h("b", { class: "req", text: " *" }) : h("i", { class: "opt", text: " (optional)" })]), inputEl]));
    });
    prechat.appendChild(h("button", { type: "submit", class: "primary", text: "Start chat" }));
    view("prechat");
  }

  async function submitPrechat(e) {
    e.preventDefault();
    if (!prechat.reportValidity()) return;
    const answers = {};
    prechat.querySelectorAll("input").forEach((i) => { if (printable(i.value)) answers[i.name] = printable(i.value); });
    const btn = prechat.querySelector("button");
    btn.disabled = true;
    notice("");
    try {
      await ensureSession(answers);
      view("chat");
      input.focus();
      start().catch(() => {});
    } catch (err) {
      if (!err.userMsg) console.error("[Baton]", err);
      if (!fieldError(String(err.field || "").split(".").pop(), err.userMsg)) notice(err.userMsg || "Chat is unavailable right now. Please try again later.");
    } finally { btn.disabled = false; }
  }

  // A refused answer of the pre-chat form, under its field and announced; false if no field.
  function fieldError(name, text) {
    const inputEl = text && name && prechat.querySelector('input[name="' + name + '"]');
    return errorUnder(prechat, inputEl || null, "baton-err-" + name, text, (span) => inputEl.parentNode.appendChild(span));
  }

  // Clears the errors shown in `scope`, then shows `text` for `inputEl` (placed by `place`),
  // marked invalid, described by it and announced; false if there is no field to show it at.
  function errorUnder(scope, inputEl, id, text, place) {
    scope.querySelectorAll(".ferr").forEach((n) => n.remove());
    scope.querySelectorAll("[aria-invalid]").forEach((i) => { i.removeAttribute("aria-invalid"); i.removeAttribute("aria-describedby"); });
    if (!inputEl || !text) return false;
    place(h("span", { class: "ferr", id, role: "alert", text }));
    inputEl.setAttribute("aria-invalid", "true");
    inputEl.setAttribute("aria-describedby", id);
    inputEl.focus();
    return true;
  }

  function view(name) {
    prechat.hidden = name !== "prechat";
    list.hidden = form.hidden = name !== "chat";
    if (name !== "chat") emailCard.hidden = true;
    else setState(state);
  }

  // ---------- UI ----------
  const CSS = `
.w{--accent:#3b5bdb;--on-accent:#fff;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d2129;-webkit-font-smoothing:antialiased}
*{box-sizing:border-box}
[hidden]{display:none!important}
button{font:inherit;cursor:pointer;border:0;background:none;color:inherit}
button:disabled{opacity:.6;cursor:default}
:focus-visible{outline:2px solid #f59f00;outline-offset:2px}
.ico{display:inline-flex}
.launcher{width:58px;height:58px;border-radius:50%;background:var(--accent);color:var(--on-accent);box-shadow:0 6px 20px rgba(20,24,40,.28);display:grid;place-items:center;position:relative;transition:transform .15s}
.launcher:hover{transform:scale(1.06)}
.launcher .ico svg{width:26px;height:26px}
.unread::after{content:"";position:absolute;top:3px;right:3px;width:13px;height:13px;border-radius:50%;background:#e03131;border:2px solid #fff}
.panel{position:absolute;right:0;bottom:72px;width:min(380px,calc(100vw - 32px));height:min(700px,calc(100vh - 112px));background:#fff;border-radius:16px;box-shadow:0 12px 48px rgba(20,24,40,.24),0 0 0 1px rgba(20,24,40,.06);display:flex;flex-direction:column;overflow:hidden}
.head{display:flex;align-items:center;gap:12px;padding:16px 16px 16px 18px;background:var(--accent);color:var(--on-accent)}
.logo{width:38px;height:38px;border-radius:50%;background:rgba(255,255,255,.2);display:grid;place-items:center;flex:none}
.titles{flex:1;min-width:0}
h2{margin:0;font-size:16px;font-weight:650;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sub{font-size:12.5px;opacity:.85;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.close{width:32px;height:32px;border-radius:8px;display:grid;place-items:center;color:inherit}
.close:hover{background:rgba(255,255,255,.16)}
.list{flex:1;overflow-y:auto;padding:16px 14px;display:flex;flex-direction:column;gap:10px;background:#f6f7f9}
.msg{max-width:86%;padding:9px 13px;border-radius:14px;background:#fff;box-shadow:0 1px 2px rgba(20,24,40,.08);align-self:flex-start;overflow-wrap:anywhere}
.ai,.staff{border-bottom-left-radius:4px}
.me{align-self:flex-end;background:var(--accent);color:var(--on-accent);border-bottom-right-radius:4px;box-shadow:none}
.sending{opacity:.65}
.failed{background:#fff;color:#b42318;box-shadow:inset 0 0 0 1px #f0b4ae}
.again{display:block;margin-top:4px;padding:0;border:0;background:none;color:inherit;font:inherit;font-size:12px;font-weight:600;text-decoration:underline;cursor:pointer}
.row{display:flex;align-items:flex-end;gap:8px;align-self:flex-start;max-width:92%}
.row .msg{max-width:none}
.avatar{width:28px;height:28px;flex:none;border-radius:50%;background:#12b886;color:#fff;display:grid;place-items:center;font-weight:700;font-size:13px}
.staff{box-shadow:inset 3px 0 0 #12b886,0 1px 2px rgba(20,24,40,.08)}
.who{font-size:11.5px;font-weight:650;color:#667085;margin-bottom:2px}
.text{white-space:pre-wrap}
.src{margin-top:8px;padding-top:8px;border-top:1px solid #eceef2;display:flex;flex-direction:column;gap:4px}
.srch{font-size:11px;font-weight:650;text-transform:uppercase;letter-spacing:.04em;color:#5d6473}
.src a{display:flex;align-items:center;gap:6px;color:var(--accent);text-decoration:none;font-size:13px;font-weight:550}
.src a:hover span{text-decoration:underline}
.src .ico svg{width:15px;height:15px}
.line,.note{align-self:center;font-size:12px;color:#545b69;padding:2px 10px;border-radius:10px;background:#eceef2}
.note{max-width:92%;text-align:center}
.note p{margin:0}
.closed{padding:8px 12px}
.acts{display:flex;flex-wrap:wrap;justify-content:center;gap:6px;margin-top:8px}
.acts button{padding:5px 11px;border-radius:8px;background:#fff;color:#1d2129;font-size:12.5px;font-weight:600;box-shadow:inset 0 0 0 1px #c9ced8}
.acts button:hover{box-shadow:inset 0 0 0 1px var(--accent)}
textarea:disabled{background:#f1f2f5}
.typing{align-self:flex-start;display:flex;align-items:center;gap:8px;font-size:12px;color:#5d6473}
.dots{display:flex;gap:4px;padding:12px 13px;border-radius:14px;background:#fff;box-shadow:0 1px 2px rgba(20,24,40,.08)}
.dots i{width:7px;height:7px;border-radius:50%;background:#a0a6b3;animation:b 1.2s infinite ease-in-out}
.dots i:nth-child(2){animation-delay:.15s}.dots i:nth-child(3){animation-delay:.3s}
@keyframes b{0%,60%,100%{transform:none;opacity:.5}30%{transform:translateY(-4px);opacity:1}}
.card{margin:0 12px 8px;padding:12px;border-radius:12px;background:#fff8e6;border:1px solid #f8e0a6;font-size:13px}
.card p{margin:0 0 8px}
.card form,.composer{display:flex;gap:8px}
.notice{padding:7px 14px;font-size:12.5px;color:#b42318;background:#fdecea}
.notice:empty{display:none}
.composer{padding:10px 12px;border-top:1px solid #eceef2;align-items:flex-end;margin:0;background:#fff}
input,textarea{font:inherit;color:inherit;background:#fff;padding:9px 11px;border:1px solid #d5d9e2;border-radius:10px;width:100%;margin:0}
input:focus,textarea:focus{outline:0;border-color:var(--accent);box-shadow:0 0 0 3px rgba(59,91,219,.15)}
textarea{flex:1;resize:none;max-height:120px;line-height:1.4}
.send{flex:none;width:40px;height:40px;border-radius:10px;background:var(--accent);color:var(--on-accent);display:grid;place-items:center}
.primary{padding:10px 16px;border-radius:10px;background:var(--accent);color:var(--on-accent);font-weight:600;white-space:nowrap}
.pre{flex:1;overflow-y:auto;padding:20px 18px;display:flex;flex-direction:column;gap:14px;background:#f6f7f9;margin:0}
.pre .lead{margin:0;color:#4a5060}
.pre label{display:flex;flex-direction:column;gap:5px;font-size:13px;font-weight:600;color:#3a3f4b}
.ferr{font-weight:400;color:#b42318}
[aria-invalid=true]{border-color:#b42318}
.req{color:#c92a2a}.opt{font-weight:400;font-style:normal;color:#5d6473}
.foot{padding:0 0 8px;text-align:center;font-size:11px;color:#6b7280;background:#fff}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:480px){.panel{position:fixed;inset:0;width:auto;height:auto;border-radius:0}.open .launcher{display:none}}`;

  const host = document.createElement("baton-widget");
  // Inline and !important so no page rule (not even `* { all: unset !important }`) wins.
  host.setAttribute("style", "all:initial!important;display:block!important;position:fixed!important;inset:auto 20px 20px auto!important;width:auto!important;height:auto!important;margin:0!important;padding:0!important;border:0!important;background:transparent!important;overflow:visible!important;z-index:2147483647!important");
  const root = host.attachShadow({ mode: "open" });

  const launcher = h("button", { type: "button", class: "launcher", "aria-label": "Open chat", "aria-expanded": "false", "aria-controls": "baton-panel" }, [icon(ICON_CHAT)]);
  const closeBtn = h("button", { type: "button", class: "close", "aria-label": "Close chat" }, [icon(ICON_CLOSE)]);
  const typingLabel = h("span");
  const typingEl = h("div", { class: "typing", role: "status", hidden: "" }, [h("div", { class: "dots" }, [h("i"), h("i"), h("i")]), typingLabel]);
  const list = h("div", { class: "list", role: "log", "aria-live": "polite", tabindex: "0" }, [typingEl]);
  const prechat = h("form", { class: "pre", hidden: "", novalidate: "" });
  const emailInput = h("input", { type: "email", required: "", placeholder: "you@company.com", "aria-label": "Your e-mail", maxlength: "320" });
  const emailBtn = h("button", { type: "submit", class: "primary", text: "Notify me" });
  const emailCard = h("div", { class: "card", hidden: "" }, [
    h("p", { text: "Our team will reply as soon as someone is available. Leave your e-mail so we can follow up there." }),
    h("form", {}, [emailInput, emailBtn]),
  ]);
  const noticeEl = h("div", { class: "notice", role: "alert" });
  const input = h("textarea", { id: "baton-input", rows: "1", placeholder: "Ask a question\u2026" });
  const sendBtn = h("button", { type: "submit", class: "send", "aria-label": "Send" }, [icon(ICON_SEND)]);
  const form = h("form", { class: "composer" }, [h("label", { class: "sr", for: "baton-input", text: "Message" }), input, sendBtn]);
  const title = h("h2", { text: "Support" });
  const sub = h("div", { class: "sub" });
  const panel = h("div", { class: "panel", id: "baton-panel", role: "dialog", "aria-label": "Support chat", hidden: "" }, [
    h("div", { class: "head" }, [h("div", { class: "logo" }, [icon(ICON_CHAT)]), h("div", { class: "titles" }, [title, sub]), closeBtn]),
    prechat, list, emailCard, noticeEl, form, h("div", { class: "foot", text: "Powered by Baton" }),
  ]);
  const wrap = h("div", { class: "w" }, [panel, launcher]);
  root.append(h("style", { text: CSS }), wrap);
  greet();
  setState(state);

  async function setOpen(v) {
    isOpen = v;
    remember(":open", v);
    wrap.classList.toggle("open", v);
    panel.hidden = !v;
    launcher.setAttribute("aria-expanded", String(v));
    launcher.replaceChild(icon(v ? ICON_CLOSE : ICON_CHAT), launcher.firstChild);
    if (!v) {
      visitorTyping(false);
      if (root.activeElement) launcher.focus(); // don't strand focus in a hidden panel
      return;
    }
    launcher.classList.remove("unread");
    list.scrollTop = list.scrollHeight;
    if (session) { view("chat"); input.focus(); return start().catch(() => {}); }
    try { await loadConfig(); } catch (e) {
      if (!e.userMsg) console.error("[Baton]", e);
      notice(e.userMsg || "Chat is unavailable right now. Please try again later.");
    }
    const fields = missingFields();
    if (fields.length) return showPrechat(fields);
    view("chat");
    input.focus();
    // A signed-in user may have a conversation from another device: fetch it now.
    if (USER.id) start().catch(() => {});
  }

  function grow() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, 120) + "px";
  }

  launcher.addEventListener("click", () => setOpen(!isOpen));
  closeBtn.addEventListener("click", () => setOpen(false));
  panel.addEventListener("keydown", (e) => e.key === "Escape" && setOpen(false));
  prechat.addEventListener("submit", submitPrechat);
  emailCard.querySelector("form").addEventListener("submit", leaveEmail);
  form.addEventListener("submit", (e) => { e.preventDefault(); send(); });
  input.addEventListener("input", () => {
    grow();
    visitorTyping(!!input.value.trim());
    if (input.value.length > MAX_CHARS) notice(tooLong(input.value));
    else if (noticeEl.textContent.startsWith("Your message is ")) notice("");
  });
  input.addEventListener("blur", () => visitorTyping(false));
  input.addEventListener("keydown", (e) => {
    // Enter sends, Shift+Enter adds a newline; leave Enter alone while an IME is composing.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  });

  window.BatonWidget = { open: () => setOpen(true), close: () => setOpen(false) };

  // The launcher appears once the gateway has accepted this page for this bot: a refused
  // origin or a deleted bot shows nothing and says why in one console line.
  function mount() {
    loadConfig().then(show, (e) => {
      if (e.refusal) return console.error("[Baton] " + e.refusal);
      console.error("[Baton]", e.message);
      show(); // unreachable for now: the chat says so when opened, and retries
    });
  }
  function show() {
    document.body.appendChild(host);
    // The top layer sits above every z-index and ignores a transformed <body>.
    if (host.showPopover) { host.popover = "manual"; host.showPopover(); }
    if (session) start().catch(() => {}); // returning visitor: restore history, listen for replies
    if (recall(":open")) setOpen(true); // stay open across page loads
  }
  document.body ? mount() : document.addEventListener("DOMContentLoaded", mount);
})();
