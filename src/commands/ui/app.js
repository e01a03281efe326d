// jwtcheck ui: shows what the server's judge answers. No verification happens here: the verdict,
// the checks and every message come from POST /api/judge (the report of `verify --json`).
"use strict";

const FIELDS = ["input", "jwks", "cognito_pool", "client_id", "issuer", "audience", "secret",
  "role", "now", "keys", "hasura_config"];
const secret = new URLSearchParams(location.hash.slice(1)).get("secret") || "";
const $ = (id) => document.getElementById(id);
let secretVar = "";
let words = { verdicts: {}, hasura_answers: "Hasura answers", ddn_answers: "Hasura DDN answers HTTP" };
let timer = null;
let sequence = 0;
let shown = false;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function api(method, path, body) {
  const init = { method, headers: { "X-Jwtcheck-Secret": secret } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return fetch(path, init);
}

function fields() {
  const f = { secret_var: secretVar };
  for (const name of FIELDS) f[name] = $(name).value;
  return f;
}

// The encoded token as jwt.io colours it: the part of the input that looks like a token, in
// segments, the dots kept; a character the server's report calls out is marked where it is.
function colour(text) {
  const out = $("encoded");
  out.textContent = "";
  // A token starts at its header ("eyJ", a JSON object in base64url) when there is one, and runs
  // through base64url, dots and what a paste breaks it with (spaces, quotes, padding).
  const from = text.indexOf("eyJ") >= 0 ? text.indexOf("eyJ") : text.search(/\S/);
  if (from < 0) { out.textContent = text; return; }
  const run = /^[A-Za-z0-9_\-.=+/\s\u2018\u2019\u201c\u201d"']*/.exec(text.slice(from))[0];
  const token = run.replace(/[\s"'\u2018\u2019\u201c\u201d]+$/, "");
  if (!token.includes(".")) { out.textContent = text; return; }
  const start = from;
  if (start > 0) out.append(el("span", "plain", text.slice(0, start)));
  const parts = token.split(".");
  const names = ["seg-header", "seg-payload", "seg-signature"];
  parts.forEach((part, i) => {
    if (i > 0) out.append(el("span", "dot", "."));
    const seg = el("span", names[i] || "seg-extra");
    seg.dataset.segment = String(i);
    for (const piece of part.split(/([\s\u2018\u2019\u201c\u201d"']+)/)) {
      if (!piece) continue;
      if (/^[\s\u2018\u2019\u201c\u201d"']+$/.test(piece)) {
        const bad = el("span", "bad", piece.replace(/\s/g, "\u2423"));
        bad.title = "not part of a token";
        seg.append(bad);
      } else {
        seg.append(document.createTextNode(piece));
      }
    }
    out.append(seg);
  });
  const end = start + token.length;
  if (end < text.length) out.append(el("span", "plain", text.slice(end)));
}

function pretty(value) {
  return value === undefined || value === null ? "" : JSON.stringify(value, null, 2);
}

function showToken(token) {
  $("header").textContent = pretty(token.header);
  const payload = Object.assign({}, token.payload);
  // Stringified Hasura claims, unpacked for reading (the report keeps the string).
  for (const [k, v] of Object.entries(payload)) {
    if (typeof v === "string" && v.trim().startsWith("{")) {
      try { payload[k] = JSON.parse(v); } catch (_) { /* shown as sent */ }
    }
  }
  $("payload").textContent = pretty(payload);
  const body = $("claims").tBodies[0];
  body.textContent = "";
  for (const c of token.claims || []) {
    const row = el("tr");
    row.append(el("th", "", c.name), el("td", "", c.value), el("td", "", c.meaning || ""));
    row.firstChild.scope = "row";
    body.append(row);
  }
}

function showChecks(checks) {
  const list = $("checks");
  list.textContent = "";
  for (const c of checks || []) {
    const item = el("li");
    item.dataset.id = c.id;
    item.dataset.status = c.status;
    item.append(el("span", "status " + c.status, c.status), " ", el("code", "", c.id), " ", c.message);
    const why = el("button", "", "explain");
    why.type = "button";
    why.setAttribute("aria-label", "explain " + c.id);
    why.addEventListener("click", () => explain(c.id));
    item.append(" ", why);
    if (c.hint) item.append(el("span", "hint", "hint: " + c.hint));
    list.append(item);
  }
}

async function explain(id) {
  const box = $("explain");
  const response = await api("GET", "/api/explain?id=" + encodeURIComponent(id));
  if (!response.ok) return;
  const e = await response.json();
  box.textContent = "";
  box.append(el("h4", "", e.id + ": " + e.meaning), el("p", "", e.checks), el("p", "", e.why));
  const causes = el("ul");
  for (const c of e.causes || []) causes.append(el("li", "", c));
  box.append(causes, el("p", "", "Fix: " + e.fix));
  box.hidden = false;
}

function showHasura(h) {
  const box = $("hasura");
  box.textContent = "";
  if (!h) { box.append(el("p", "help", "No Hasura configuration given.")); return; }
  if (h.engine_code && h.engine_error) {
    const answers = h.engine === "ddn" ? words.ddn_answers : words.hasura_answers;
    box.append(el("p", "engine", answers + " " + h.engine_code + ": " + h.engine_error));
  }
  if (h.engine_response) box.append(el("pre", "json", h.engine_response));
  if (h.role) box.append(el("p", "role", "Role: " + h.role));
  if (h.allowed_roles) box.append(el("p", "", "Allowed roles: " + h.allowed_roles.join(", ")));
  const vars = h.session_variables;
  if (vars && Object.keys(vars).length) {
    const table = el("table", "session");
    table.append(el("caption", "", "Session variables"));
    for (const [k, v] of Object.entries(vars)) {
      const row = el("tr");
      row.append(el("th", "", k), el("td", "", typeof v === "string" ? v : JSON.stringify(v)));
      row.firstChild.scope = "row";
      table.append(row);
    }
    box.append(table);
  }
}

function show(report) {
  const verdict = $("verdict");
  verdict.className = "verdict " + report.verdict;
  const word = words.verdicts[report.verdict] || report.verdict.toUpperCase();
  verdict.textContent = word + "  " + (report.summary || "");
  const error = report.error;
  const malformed = error && report.verdict === "malformed";
  $("input-error").textContent = malformed
    ? error.message + (error.hint ? " (" + error.hint + ")" : "") : "";
  // The segment the server's message names, marked where it is.
  document.querySelectorAll("#encoded .bad-segment").forEach((e) => e.classList.remove("bad-segment"));
  if (malformed) {
    ["header", "payload", "signature"].forEach((name, i) => {
      if (error.message.includes(name + " segment")) {
        const seg = document.querySelector('#encoded [data-segment="' + i + '"]');
        if (seg) seg.classList.add("bad-segment");
      }
    });
  }
  showChecks(report.checks);
  showHasura(report.hasura);
  const stale = $("stale");
  if (report.token) {
    showToken(report.token);
    stale.hidden = true;
    shown = true;
  } else if (shown) {
    stale.textContent = "The input does not decode: the header, payload and claims below are the last token that did.";
    stale.hidden = false;
  }
}

async function judge() {
  const mine = ++sequence;
  colour($("input").value);
  if (!$("input").value.trim()) { $("status").textContent = "Paste a token."; return; }
  $("status").textContent = "Judging…";
  let judged = false;
  // The token decoded at once, while the judge may still be fetching keys; no verdict from it.
  api("POST", "/api/decode", fields()).then(async (response) => {
    if (mine !== sequence || judged || !response.ok) return;
    const report = await response.json();
    if (mine === sequence && !judged && report.token) showToken(report.token);
  }).catch(() => {});
  try {
    const response = await api("POST", "/api/judge", fields());
    if (mine !== sequence) return;
    judged = true;
    if (!response.ok) { $("status").textContent = await response.text(); return; }
    show(await response.json());
    $("status").textContent = "";
  } catch (e) {
    if (mine === sequence) $("status").textContent = "jwtcheck ui is not answering: " + e;
  }
}

function later() {
  clearTimeout(timer);
  timer = setTimeout(judge, 250);
}

async function copy() {
  const response = await api("POST", "/api/command", fields());
  const text = await response.text();
  $("command").textContent = text;
  try {
    await navigator.clipboard.writeText(text);
    $("status").textContent = "Copied: the secret goes in as --secret-env, never inline.";
  } catch (_) {
    $("status").textContent = "Select the command to copy it.";
  }
}

async function start() {
  if (!secret) {
    $("status").textContent = "Open the URL jwtcheck ui printed (with its #secret): this page cannot judge without it.";
  }
  const said = await api("GET", "/api/words");
  if (said.ok) words = await said.json();
  const response = await api("GET", "/api/prefill");
  if (response.ok) {
    const prefill = await response.json();
    secretVar = prefill.secret_var || "";
    for (const name of FIELDS) if (prefill[name]) $(name).value = prefill[name];
  }
  for (const name of FIELDS) $(name).addEventListener("input", later);
  $("copy").addEventListener("click", copy);
  $("input").focus();
  if ($("input").value) judge();
}

document.addEventListener("DOMContentLoaded", start);
