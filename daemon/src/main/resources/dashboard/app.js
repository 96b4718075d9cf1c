// The Takeover dashboard: plain JavaScript, no framework, no build step (DECISIONS). Reads the
// daemon's own API (same origin); changes need the bearer token typed into the page, kept only in
// this page's memory (no cookies, no storage).
"use strict";

const $ = (id) => document.getElementById(id);
let lastEventId = null;
let refreshTimer = null;

function headers(json) {
  const h = {};
  const token = $("token").value.trim();
  if (token) h["Authorization"] = "Bearer " + token;
  if (json) h["Content-Type"] = "application/json";
  return h;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function say(text, bad) {
  const m = $("message");
  m.textContent = text;
  m.className = bad ? "conflict" : "";
}

async function refresh() {
  try {
    const r = await fetch("/v1/cluster", { headers: headers(false), cache: "no-store" });
    const body = await r.json();
    if (!r.ok) { say(body.error || ("HTTP " + r.status), true); return; }
    render(body);
  } catch (e) {
    say("cannot reach the daemon: " + e, true);
  }
}

function soon() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => { refreshTimer = null; refresh(); }, 50);
}

function ago(ms) {
  if (ms < 0) return "never heard";
  if (ms < 1000) return "heard " + ms + " ms ago";
  return "heard " + (ms / 1000).toFixed(1) + " s ago";
}

function render(c) {
  $("self").textContent = "· " + c.node;
  document.title = "Takeover · " + c.node;
  const problems = $("problems");
  problems.replaceChildren(...c.problems.map((p) => el("li", {}, p)));
  const head = el("tr", {}, el("th", {}, "group"));
  for (const n of c.nodes) {
    const th = el("th", { class: n.heard ? "" : "conflict", "data-node": n.node },
      n.node + (n.self ? " (this node)" : ""),
      el("small", {}, n.heard ? (n.self ? "config " + n.configHash : ago(n.lastHeardMillisAgo) + " · config " + n.configHash)
                              : "UNHEARD · " + ago(n.lastHeardMillisAgo)));
    th.append(el("button", { class: "maint", "data-node": n.node, onclick: () => maintenance(n.node, !n.maintenance) },
      n.maintenance ? "maintenance off" : "maintenance on"));
    head.append(th);
  }
  document.querySelector("#cluster thead").replaceChildren(head);
  const rows = [];
  for (const g of c.groups) {
    const dual = g.masters.length > 1;
    const tr = el("tr", { "data-group": g.name }, el("th", {}, g.name, el("small", {}, "VRID " + g.vrid)));
    for (const n of c.nodes) {
      const state = g.states[n.node];
      if (state === undefined) { tr.append(el("td", {}, "—")); continue; }
      const td = el("td", { class: dual && state === "MASTER" ? "conflict" : "", "data-node": n.node, "data-state": state },
        el("span", { class: "state " + state }, state),
        el("small", {}, "priority " + g.priorities[n.node]));
      if (state !== "MASTER" && n.heard) {
        td.append(el("button", { class: "move", "data-group": g.name, "data-node": n.node,
          onclick: () => move(g.name, n.node) }, "move here"));
      }
      tr.append(td);
    }
    rows.push(tr);
  }
  document.querySelector("#cluster tbody").replaceChildren(...rows);
}

async function change(path, body) {
  if (!$("token").value.trim()) {
    say("enter the API token first (changes need it)", true);
    $("token").focus();
    return;
  }
  try {
    const r = await fetch(path, { method: "POST", headers: headers(true), body: JSON.stringify(body) });
    const answer = await r.json();
    say(answer.message || answer.error || ("HTTP " + r.status), !r.ok);
  } catch (e) {
    say("request failed: " + e, true);
  }
  soon();
}

const move = (group, node) => change("/v1/move", { group: group, to: node });
const maintenance = (node, on) => change("/v1/maintenance", { node: node, on: on });

function addEvent(e) {
  const f = e.fields || {};
  const line = e.time.replace("T", " ").replace("Z", "") + "  " + (e.group || "-") + "  " + e.type + "  " + e.message;
  const feed = $("feed");
  feed.prepend(el("li", {}, line));
  while (feed.childElementCount > 100) feed.lastElementChild.remove();
  if (e.type === "transition.timeline") {
    const t = $("timelines");
    t.prepend(el("li", {}, e.time.replace("T", " ").replace("Z", "") + "  " + e.group + "  " + f.from + " -> " + f.to +
      " (" + f.reason + "): addresses +" + ms(f.addressesAddedUs) + ", announced +" + ms(f.firstAnnouncementUs) +
      ", advert +" + ms(f.firstAdvertUs)));
    while (t.childElementCount > 10) t.lastElementChild.remove();
  }
}

const ms = (us) => (us === null || us === undefined ? "?" : (us / 1000).toFixed(1) + " ms");

// Server-Sent Events over fetch (EventSource cannot send the Authorization header), resumed with
// Last-Event-ID after a break.
async function stream() {
  for (;;) {
    try {
      const h = headers(false);
      if (lastEventId) h["Last-Event-ID"] = lastEventId;
      const r = await fetch("/v1/events/stream", { headers: h, cache: "no-store" });
      if (!r.ok) throw new Error("HTTP " + r.status);
      $("live").classList.add("on");
      const reader = r.body.getReader();
      const text = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += text.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id = null, data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("id: ")) id = line.slice(4);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (!data) continue;
          if (id) lastEventId = id;
          addEvent(JSON.parse(data));
          soon();
        }
      }
    } catch (e) {
      // fall through: reconnect
    }
    $("live").classList.remove("on");
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function backlog() {
  try {
    const r = await fetch("/v1/events?limit=100", { headers: headers(false), cache: "no-store" });
    if (!r.ok) return;
    const body = await r.json();
    for (const e of body.events) { addEvent(e); lastEventId = e.id; }
  } catch (e) {
    // the stream will say
  }
}

$("auth").addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
backlog().then(() => { stream(); });
refresh();
setInterval(refresh, 2000);
