/*
 * Baton chat widget v1. Embed: <script src="GATEWAY/widget.js" data-bot="BOT_KEY" async></script>
 * Plain ES2019, no dependencies. The UI lives in an open shadow root so page CSS
 * can't leak in; message content only ever goes in via textContent, never as HTML.
 */
(function () {
  "use strict";
  if (window.BatonWidget) return; // tag included twice

  // currentScript is only set during this synchronous first run.
  const script = document.currentScript || document.querySelector("script[data-bot]");
  const BOT = script && script.getAttribute("data-bot");
  if (!BOT) return console.error("[Baton] widget.js: missing data-bot attribute");
  const GW = new URL(script.src, location.href).origin;
  const KEY = "baton:" + BOT;
  const DEAD = [401, 403, 404]; // thread/token no longer valid: start a new session

  let session = load(); // {thread_id, visitor_token} | null
  let sessionReq = null; // in-flight POST /sessions
  let ready = null; // promise of the current connect()
  let es = null;
  let retryDelay = 2000;
  let seen = new Set(); // rendered message ids: history and stream overlap
  let pending = []; // optimistic visitor bubbles awaiting their server copy
  let staffSeen = false;
  let typingTimer = 0;
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

  // Resolves {ok, status, data}; rejects only on network failure.
  async function api(method, path, body, token) {
    const headers = {};
    if (body) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = "Bearer " + token;
    const res = await fetch(GW + path, { method, headers, body: body && JSON.stringify(body) });
    let data = null;
    try { data = await res.json(); } catch (e) { /* empty or non-JSON body */ }
    return { ok: res.ok, status: res.status, data };
  }
  const thread = (s, tail) => "/v1/widget/threads/" + encodeURIComponent(s.thread_id) + tail;
  const serverMsg = (r) => r.data && r.data.error && r.data.error.message;

  function uuid() {
    const c = window.crypto;
    if (c && c.randomUUID) return c.randomUUID(); // secure contexts only
    const b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (let i = 0; i < 16; i++) b[i] = Math.random() * 256;
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  function ensureSession() {
    if (session) return Promise.resolve(session);
    return (sessionReq = sessionReq || api("POST", "/v1/widget/sessions", { bot_key: BOT, visitor: {} })
      .then((r) => {
        if (!r.ok || !r.data || !r.data.thread_id) throw new Error(serverMsg(r) || "session: HTTP " + r.status);
        store((session = { thread_id: r.data.thread_id, visitor_token: r.data.visitor_token }));
        return session;
      })
      .finally(() => { sessionReq = null; }));
  }

  function reset() {
    if (es) es.close();
    es = session = ready = null;
    store(null);
    seen = new Set();
    pending = [];
    staffSeen = false;
    while (list.firstChild !== typingEl) list.firstChild.remove();
  }

  function start() {
    return (ready = ready || connect(true).catch((e) => {
      ready = null; // the next open/send tries again
      console.error("[Baton]", e);
      notice("Chat is unavailable right now. Please try again later.");
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
      return connect(false);
    }
    if (r && r.ok && r.data && Array.isArray(r.data.messages)) r.data.messages.forEach((m) => render(m, false));
    else notice("Could not load earlier messages.");
    buffer.splice(0).forEach((m) => render(m, true));
    buffer = null;
  }

  function openStream(s, onMsg) {
    if (es) es.close();
    const src = (es = new EventSource(GW + thread(s, "/stream?token=" + encodeURIComponent(s.visitor_token))));
    src.addEventListener("open", () => { retryDelay = 2000; notice(""); });
    src.addEventListener("message", (ev) => {
      try { onMsg(JSON.parse(ev.data)); } catch (e) { console.error("[Baton] bad stream event", e); }
    });
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
  async function send() {
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    notice("");
    const p = { text, cid: uuid(), row: h("div", { class: "msg me sending" }, [h("div", { class: "text", text })]) };
    const unpend = () => pending.includes(p) && pending.splice(pending.indexOf(p), 1);
    pending.push(p);
    append(p.row, true);
    typing(true);
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
        err.userMsg = r.status < 500 && serverMsg(r);
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
      p.row.title = "Not sent";
      if (!input.value) input.value = text; // let the visitor retry
      if (!e.userMsg) console.error("[Baton] send failed", e);
      notice(e.userMsg || "Your message could not be sent. Please try again.");
    }
  }

  // A visitor message from the server may be the copy of an optimistic bubble.
  function adopt(m) {
    const t = String(m.text || "").trim();
    const i = pending.findIndex((p) => (m.client_message_id ? p.cid === m.client_message_id : p.text === t));
    if (i < 0) return false;
    pending.splice(i, 1)[0].row.classList.remove("sending");
    return true;
  }

  // ---------- rendering ----------
  function h(tag, attrs, kids) {
    const n = document.createElement(tag);
    for (const k in attrs) k === "text" ? (n.textContent = attrs[k]) : n.setAttribute(k, attrs[k]);
    (kids || []).forEach((c) => n.appendChild(c));
    return n;
  }

  function render(m, live) {
    if (!m || m.id == null || seen.has(String(m.id))) return;
    seen.add(String(m.id));
    const a = m.author;
    if (a === "visitor" && adopt(m)) return;
    if (a === "staff" && !staffSeen) {
      staffSeen = true;
      append(h("div", { class: "line", text: "A teammate joined the conversation" }));
    }
    const row = h("div", { class: "msg " + (a === "visitor" ? "me" : a === "staff" ? "staff" : "ai") });
    if (a !== "visitor") {
      const who = a === "staff" ? (m.staff_name ? m.staff_name + " from support" : "Support team") : "AI";
      row.appendChild(h("div", { class: "who", text: who }));
    }
    row.appendChild(h("div", { class: "text", text: m.text || "" }));
    if (a === "ai" && Array.isArray(m.sources) && m.sources.length) {
      const box = row.appendChild(h("div", { class: "src", text: "Sources:" }));
      m.sources.forEach((s) => {
        const url = String((s && s.url) || "");
        const link = box.appendChild(h("a", { target: "_blank", rel: "noopener noreferrer", text: (s && s.title) || url || "Source" }));
        if (/^https?:/i.test(url)) link.href = url; // never javascript:/data: links
      });
    }
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
    list.insertBefore(node, typingEl);
    if (force || atBottom) list.scrollTop = list.scrollHeight;
  }

  function typing(on) {
    clearTimeout(typingTimer);
    typingEl.hidden = !on;
    if (on) {
      typingTimer = setTimeout(typing, 20000, false);
      list.scrollTop = list.scrollHeight;
    }
  }

  const notice = (t) => { noticeEl.textContent = t; };

  // ---------- UI ----------
  const C = "#3b5bdb";
  const CSS = `
.w{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2330}
*{box-sizing:border-box}
[hidden]{display:none!important}
button{font:inherit;cursor:pointer;border:0}
:focus-visible{outline:2px solid #f59f00;outline-offset:2px}
.launcher{width:56px;height:56px;border-radius:50%;background:${C};box-shadow:0 4px 14px #0004;display:grid;place-items:center;position:relative}
.icon{width:24px;height:18px;background:#fff;border-radius:6px;position:relative}
.icon::after{content:"";position:absolute;left:4px;bottom:-6px;border:6px solid transparent;border-left-color:#fff;border-bottom:0}
.unread::after{content:"";position:absolute;top:4px;right:4px;width:12px;height:12px;border-radius:50%;background:#e03131;border:2px solid #fff}
.panel{position:absolute;right:0;bottom:68px;width:min(360px,calc(100vw - 40px));height:min(520px,calc(100vh - 110px));background:#fff;border-radius:12px;box-shadow:0 8px 30px #0004;display:flex;flex-direction:column;overflow:hidden}
.head{display:flex;align-items:center;justify-content:space-between;padding:12px 14px;background:${C};color:#fff}
h2{margin:0;font-size:16px}
.close{background:none;color:#fff;font-size:22px;line-height:1;padding:0 6px}
.list{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f7fb}
.msg{max-width:85%;padding:8px 10px;border-radius:10px;background:#fff;border:1px solid #e3e6ef;align-self:flex-start;overflow-wrap:anywhere}
.me{align-self:flex-end;background:${C};border-color:${C};color:#fff}
.sending{opacity:.7}
.failed{background:#fff;color:#b42318;border-color:#f0b4ae}
.staff{border-left:3px solid #12b886}
.who{font-size:11px;font-weight:600;color:#5c6378}
.text{white-space:pre-wrap}
.src{margin-top:6px;font-size:12px;color:#5c6378}
.src a{display:block;color:${C}}
.line{align-self:center;font-size:12px;color:#6b7285}
.typing{align-self:flex-start;padding:2px 12px 8px;border-radius:10px;background:#e3e6ef;font-size:18px;line-height:1}
.notice{padding:6px 12px;font-size:12px;color:#b42318;background:#fdecea}
.notice:empty{display:none}
form{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e6ef;margin:0}
textarea{flex:1;resize:none;font:inherit;color:inherit;background:#fff;padding:8px;border:1px solid #cfd4e2;border-radius:8px}
.send{border-radius:8px;background:${C};color:#fff;padding:0 14px;font-weight:600}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}`;

  const host = h("div", { id: "baton-widget" });
  // Inline so page rules can't override it; declarations after `all` still apply.
  host.setAttribute("style", "all:initial;position:fixed;right:20px;bottom:20px;z-index:2147483647");
  const root = host.attachShadow({ mode: "open" });

  const launcher = h("button", { type: "button", class: "launcher", "aria-label": "Open chat", "aria-expanded": "false", "aria-controls": "baton-panel" }, [h("span", { class: "icon" })]);
  const closeBtn = h("button", { type: "button", class: "close", "aria-label": "Close chat", text: "\u00d7" });
  const typingEl = h("div", { class: "typing", "aria-hidden": "true", hidden: "", text: "\u2026" });
  const list = h("div", { class: "list", role: "log", "aria-live": "polite", tabindex: "0" }, [typingEl]);
  const noticeEl = h("div", { class: "notice", role: "alert" });
  const input = h("textarea", { id: "baton-input", rows: "2", placeholder: "Type your message\u2026" });
  const form = h("form", {}, [h("label", { class: "sr", for: "baton-input", text: "Message" }), input, h("button", { type: "submit", class: "send", text: "Send" })]);
  const panel = h("div", { class: "panel", id: "baton-panel", role: "dialog", "aria-label": "Support chat", hidden: "" }, [
    h("div", { class: "head" }, [h("h2", { text: "Support" }), closeBtn]),
    list, noticeEl, form,
  ]);
  root.append(h("style", { text: CSS }), h("div", { class: "w" }, [panel, launcher]));

  function setOpen(v) {
    isOpen = v;
    panel.hidden = !v;
    launcher.setAttribute("aria-expanded", String(v));
    if (v) {
      launcher.classList.remove("unread");
      list.scrollTop = list.scrollHeight;
      input.focus();
      start().catch(() => {});
    } else if (root.activeElement) launcher.focus(); // don't strand focus in a hidden panel
  }

  launcher.addEventListener("click", () => setOpen(!isOpen));
  closeBtn.addEventListener("click", () => setOpen(false));
  panel.addEventListener("keydown", (e) => e.key === "Escape" && setOpen(false));
  form.addEventListener("submit", (e) => { e.preventDefault(); send(); });
  input.addEventListener("keydown", (e) => {
    // Enter sends, Shift+Enter adds a newline; leave Enter alone while an IME is composing.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  });

  window.BatonWidget = { open: () => setOpen(true), close: () => setOpen(false) };

  function mount() {
    document.body.appendChild(host);
    if (session) start().catch(() => {}); // returning visitor: restore history, listen for replies
  }
  document.body ? mount() : document.addEventListener("DOMContentLoaded", mount);
})();
