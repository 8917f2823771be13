/* The case log's page: plain JavaScript, no library, no build step.
 *
 * Telegram opens the page with launch parameters after "#": the signed initData
 * (tgWebAppData) and the theme (tgWebAppThemeParams). Every API request carries the initData
 * in "Authorization: tma …"; the page keeps nothing (no cookie, no storage). Texts arrive from
 * the server in the reader's language; they are put in the page as text, never as HTML (the
 * report's charts are SVG drawn by the server, whose words it escapes).
 */
"use strict";

(() => {
  const launch = new URLSearchParams(location.hash.slice(1));
  const initData = launch.get("tgWebAppData") || "";
  const TELEGRAM_WEB = "https://web.telegram.org";

  // ------------------------------------------------------------ Telegram bridge

  /** Send an event to the Telegram client, whichever kind it is. */
  function postEvent(type, data = {}) {
    try {
      if (window.TelegramWebviewProxy) {
        window.TelegramWebviewProxy.postEvent(type, JSON.stringify(data));
      } else if (window.external && "notify" in window.external) {
        window.external.notify(JSON.stringify({ eventType: type, eventData: data }));
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data }), TELEGRAM_WEB);
      }
    } catch (error) {
      // Outside Telegram there is no one to tell.
    }
  }

  const listeners = {};
  function receiveEvent(type, data) {
    if (listeners[type]) listeners[type](data || {});
  }
  // Mobile and desktop clients call this function; the web client posts messages.
  window.Telegram = Object.assign(window.Telegram || {}, { WebView: { receiveEvent } });
  window.TelegramGameProxy = { receiveEvent };
  window.addEventListener("message", (event) => {
    if (event.origin !== TELEGRAM_WEB) return;
    try {
      const message = JSON.parse(event.data);
      receiveEvent(message.eventType, message.eventData);
    } catch (error) {
      // Not a message from Telegram.
    }
  });

  function applyTheme(theme) {
    if (!theme || typeof theme !== "object") return;
    const root = document.documentElement;
    for (const [key, value] of Object.entries(theme)) {
      if (/^#[0-9a-fA-F]{3,8}$/.test(String(value))) {
        root.style.setProperty(`--tg-theme-${key.replace(/_/g, "-")}`, value);
      }
    }
    root.classList.add("themed");
  }

  try {
    applyTheme(JSON.parse(launch.get("tgWebAppThemeParams") || "null"));
  } catch (error) {
    // No theme given: the stylesheet's own colours stay.
  }
  listeners.theme_changed = (data) => applyTheme(data.theme_params);
  listeners.viewport_changed = (data) => {
    if (data.height) {
      document.documentElement.style.setProperty("--tg-viewport-height", `${data.height}px`);
    }
  };
  listeners.back_button_pressed = () => back();

  // ------------------------------------------------------------ helpers

  const $ = (id) => document.getElementById(id);
  /** The page's words as served with it (the browser's language), until the reader's come. */
  let words = (() => {
    try {
      return JSON.parse($("words").textContent) || {};
    } catch (error) {
      return {};
    }
  })();

  /** A word of the page, with {placeholders} filled, and each word said after a number in
   * the form its number takes: "{days|day|days}" is "day" when days is 1, else "days". */
  function w(key, params = {}) {
    const text = words[key] || key;
    return text.replace(/\{(\w+)(?:\|([^{}|]*)\|([^{}|]*))?\}/g, (whole, name, one, many) => {
      if (!(name in params)) return whole;
      if (one === undefined) return params[name];
      return String(params[name]) === "1" ? one : many;
    });
  }

  /** Make an element: attributes, event handlers (onclick…) and children (text or nodes). */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of drawn(children)) {
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** The parts given, leaving out those a page has not (null, undefined, false): the DOM
   * would write them as the words "null" and "undefined". */
  function drawn(parts) {
    return parts.flat().filter((part) => part !== null && part !== undefined && part !== false);
  }

  function show(...nodes) {
    $("main").replaceChildren(...drawn(nodes));
    window.scrollTo(0, 0);
  }

  function notice(text, isError = false) {
    const box = $("notice");
    box.textContent = text || "";
    box.className = isError ? "notice error" : "notice";
    box.hidden = !text;
  }

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  /** What the reader did since: a read answered after it is for a view they have left. */
  class Superseded extends Error {}
  let turn = 0; // counts the reader's actions (`attempt`): each one draws over the last

  /** Ask the API. The answer to a read that draws a view is dropped once the reader has
   * turned to another; `always`: one used whatever they did since (a decision, told refused
   * or not; the Approvals tab's count). */
  async function api(path, body, { always = false } = {}) {
    const asked = turn;
    const late = () => !always && asked !== turn;
    let response;
    try {
      response = await fetch(`api/${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: Object.assign(
          { Authorization: `tma ${initData}` },
          body === undefined ? {} : { "Content-Type": "application/json" },
        ),
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        credentials: "omit",
      });
    } catch (error) {
      if (late()) throw new Superseded();
      throw new ApiError(0, w("error_network"));
    }
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    if (late()) throw new Superseded();
    if (!response.ok) throw new ApiError(response.status, data.message || w("error_network"));
    return data;
  }

  /** Run an action, showing its failure; 401 and 403 end the session on a plain message.
   * An action the reader has moved on from since draws nothing more. */
  async function attempt(action) {
    turn += 1;
    try {
      notice("");
      await action();
    } catch (error) {
      if (error instanceof Superseded) return;
      if (error.status === 401 || (error.status === 403 && !me)) {
        $("tabs").hidden = true;
        show(el("section", {}, el("p", {}, error.message)));
        return;
      }
      notice(error.message, true);
    }
  }

  // ------------------------------------------------------------ navigation

  let me = null;
  let tab = "cases";
  const stack = []; // views opened over the tab (a case, a customer), to go back to

  function setBackButton() {
    $("back").hidden = stack.length === 0;
    postEvent("web_app_setup_back_button", { is_visible: stack.length > 0 });
  }

  function open(view) {
    stack.push(view);
    setBackButton();
    return attempt(view);
  }

  function back() {
    stack.pop();
    setBackButton();
    return attempt(stack.length ? stack[stack.length - 1] : TABS[tab]);
  }

  function goTo(name) {
    tab = name;
    stack.length = 0;
    setBackButton();
    for (const button of $("tabs").children) {
      button.setAttribute("aria-selected", String(button.dataset.tab === name));
    }
    return attempt(TABS[name]);
  }

  // ------------------------------------------------------------ the log

  const query = {
    status: "-", kind: "-", staff: null, search: "", from: "", to: "",
    sort: "opened", order: "desc", after: null,
  };
  // Keyset paging: each page starts after the previous page's last row (`next`), so a case
  // that changes meanwhile never shifts the others (the cursor counts the rows shown up to
  // it, for the server's "Cases 51–100"). `earlier` keeps where each earlier page started,
  // for Previous.
  let earlier = [];
  let searchTimer = null;

  function select(label, value, options, onchange) {
    return el("label", {}, label,
      el("select", { onchange: (event) => onchange(event.target.value) },
        options.map((option) => el("option",
          { value: option.value, selected: String(option.value) === String(value) },
          option.label))));
  }

  function filters() {
    const changed = (update) => {
      Object.assign(query, update, { after: null });
      earlier = [];
      attempt(() => results());
    };
    const searchBox = el("input", {
      type: "search", value: query.search, placeholder: w("search"), "aria-label": w("search"),
      oninput: (event) => {
        clearTimeout(searchTimer);
        searchTimer = setTimeout(() => changed({ search: event.target.value }), 350);
      },
    });
    const sorts = ["opened_desc", "opened_asc", "updated_desc", "updated_asc"];
    const dateBox = (label, key) => el("label", {}, label, el("input", {
      type: "date", value: query[key], onchange: (event) => changed({ [key]: event.target.value }),
    }));
    return el("section", { class: "filters" },
      el("label", { class: "wide" }, w("search"), searchBox),
      select(w("status"), query.status,
        me.statuses.map((s) => ({ value: s.code, label: s.label })),
        (value) => changed({ status: value })),
      select(w("kind"), query.kind,
        me.kinds.map((k) => ({ value: k.code, label: k.label })),
        (value) => changed({ kind: value })),
      me.oversees && select(w("staff"), query.staff ?? "",
        [{ value: "", label: w("staff_all") },
          ...me.staff.map((p) => ({ value: p.id, label: p.name }))],
        (value) => changed({ staff: value ? Number(value) : null })),
      dateBox(w("from"), "from"),
      dateBox(w("to"), "to"),
      select(w("sort"), `${query.sort}_${query.order}`,
        sorts.map((s) => ({ value: s, label: w(`sort_${s}`) })),
        (value) => {
          const [sort, order] = value.split("_");
          changed({ sort, order });
        }),
      el("label", {}, "\u00a0", el("button", {
        type: "button", class: "quiet",
        onclick: () => {
          Object.assign(query, { status: "-", kind: "-", staff: null, search: "", from: "",
            to: "", sort: "opened", order: "desc", after: null });
          earlier = [];
          attempt(cases);
        },
      }, w("clear"))));
  }

  function caseRow(row) {
    const openIt = () => open(() => caseView(row.id));
    // One value a cell (a name and the phone under it; a step and its badge): on a phone the
    // label goes left and the value right, whole (a number is never broken for room).
    const cell = (label, ...content) => el("td", { "data-label": label },
      el("span", { class: "value" }, ...content));
    return el("tr", {
      tabindex: "0", "data-case": row.id, onclick: openIt,
      onkeydown: (event) => { if (event.key === "Enter") openIt(); },
    },
    el("td", { class: "id" }, `#${row.id}`),
    cell(w("col_customer"), row.customer, row.phone ? el("div", { class: "muted" }, row.phone) : null),
    cell(w("col_kind"), row.kind),
    cell(w("col_state"), row.state, " ",
      row.overdue ? el("span", { class: "badge late" }, w("overdue")) : null),
    cell(w("col_owner"), row.owner),
    cell(w("col_opened"), row.opened),
    cell(w("col_updated"), row.updated));
  }

  /** The log's tab: the filters, and the page of cases they select. */
  async function cases() {
    show(filters(), el("section", { id: "results" }, el("p", { class: "muted" }, w("loading"))));
    await results();
  }

  /** Fetch and show the page of cases the filters select (the filters stay as typed). */
  async function results() {
    const body = Object.assign({}, query, {
      from: query.from || null, to: query.to || null, search: query.search.trim() || null,
    });
    const page = await api("cases", body);
    const header = el("tr", {}, ["col_case", "col_customer", "col_kind", "col_state",
      "col_owner", "col_opened", "col_updated"].map((key) => el("th", {}, w(key))));
    const pager = el("div", { class: "pager" },
      el("button", {
        type: "button", class: "quiet", disabled: earlier.length === 0,
        onclick: () => { query.after = earlier.pop(); attempt(results); },
      }, w("previous")),
      el("span", { class: "muted" }, page.range),
      el("button", {
        type: "button", class: "quiet", disabled: !page.more,
        onclick: () => {
          earlier.push(query.after);
          query.after = page.next;
          attempt(results);
        },
      }, w("next")));
    $("results").replaceChildren(...drawn([
      me.oversees ? null : el("p", { class: "muted" }, w("own_only")),
      page.rows.length
        ? el("table", { id: "cases" }, el("thead", {}, header),
          el("tbody", {}, page.rows.map(caseRow)))
        : el("p", { class: "muted", id: "no-cases" }, w("no_cases")),
      pager]));
  }

  // ------------------------------------------------------------ one case

  function lines(texts, klass = "lines") {
    return el("div", { class: klass }, texts.map((text) => el("p", {}, text)));
  }

  function eventItem(entry) {
    return el("li", {},
      el("div", { class: "meta" }, `${entry.when} · ${entry.who} · ${entry.step}`),
      el("div", { class: "what" }, entry.what),
      entry.details.length ? el("ul", {}, entry.details.map((d) => el("li", {}, d))) : null);
  }

  function decisionBox(request, after) {
    const comment = el("textarea", { "aria-label": w("comment"), placeholder: w("comment") });
    const decide = (code) => attempt(async () => {
      const done = await api(`cases/${request.case}/decision`, {
        version: request.version, verdict: code, comment: comment.value || null,
      }, { always: true });
      await after();
      notice(done.message);
    });
    return el("section", { class: "request", id: `request-${request.case}` },
      el("h3", {}, w("decision_heading")),
      el("p", { class: "pre" }, request.text),
      request.may_decide
        ? [comment, el("div", { class: "actions" }, request.verdicts.map((v) => el("button", {
          type: "button", class: v.code === "n" ? "danger" : v.code === "l" ? "quiet" : "",
          "data-verdict": v.code, onclick: () => decide(v.code),
        }, v.label)))]
        : el("p", { class: "muted" }, request.not_yours_said));
  }

  function compliance(marks) {
    return el("section", { id: "compliance" },
      el("h3", {}, w("compliance_heading")),
      el("ul", { class: "steps" }, marks.steps.map((step) => el("li",
        { class: step.done ? "done" : "missing" },
        el("span", { class: "mark" }, step.done ? "✓" : "✗"),
        el("span", {}, step.said),
        step.when ? el("span", { class: "muted" }, step.when) : null))),
      el("p", { class: marks.in_order ? "verdict ok" : "verdict no" }, marks.said));
  }

  async function caseView(id) {
    const file = await api(`cases/${id}`);
    const refresh = async () => { // decided here: the Approvals tab counts one less
      recountApprovals();
      await caseView(id);
    };
    show(
      el("section", { id: "case" },
        el("h2", {}, `#${file.id} · ${file.kind}`),
        el("p", {}, el("span", { class: "badge" }, file.state)),
        lines(file.summary),
        file.customer ? el("button", {
          type: "button", class: "plain",
          onclick: () => open(() => customerView(file.customer.id)),
        }, file.customer.link) : null),
      file.request ? decisionBox(file.request, refresh) : null,
      file.compliance ? compliance(file.compliance) : null,
      el("section", {},
        el("h3", {}, w("timeline_heading")),
        el("ol", { class: "timeline", id: "timeline" }, file.events.map(eventItem))),
      el("section", {},
        el("h3", {}, w("evidence_heading")),
        file.evidence.length
          ? el("ul", {}, file.evidence.map((e) => el("li", {}, `${e.when} · ${e.who} · ${e.what}`)))
          : null,
        el("p", { class: "muted" }, file.evidence_said)));
  }

  // ------------------------------------------------------------ one customer

  async function customerView(id) {
    const file = await api(`customers/${id}`);
    show(
      el("section", { id: "customer" },
        el("h2", {}, `👤 ${file.name}`),
        lines(file.card)),
      el("section", {},
        el("h3", {}, w("customer_cases")),
        el("table", {}, el("tbody", {}, file.cases.map((c) => el("tr", {
          tabindex: "0", onclick: () => open(() => caseView(c.id)),
        },
        el("td", { class: "id" }, `#${c.id}`),
        el("td", { "data-label": w("col_kind") }, c.kind),
        el("td", { "data-label": w("col_state") }, c.state),
        el("td", { "data-label": w("col_opened") }, c.opened))))),
        file.cases_more_said ? el("p", { class: "muted" }, file.cases_more_said) : null),
      el("section", {},
        el("h3", {}, w("history_heading")),
        file.history.length
          ? el("ol", { class: "timeline" }, file.history.map((entry) => eventItem(
            Object.assign({}, entry, { step: `#${entry.case} · ${entry.step}` }))))
          : el("p", { class: "muted" }, w("no_history"))));
  }

  // ------------------------------------------------------------ approvals

  /** Count on the Approvals tab what waits, whatever the reader is reading meanwhile. */
  async function recountApprovals() {
    try {
      countApprovals(await api("approvals", undefined, { always: true }));
    } catch (error) {
      // The count waits for the next time: the tab itself says what went wrong.
    }
  }

  // More waiting than the list holds: "(20+)", and a line saying only the first are listed.
  function countApprovals(found) {
    const count = $("tabs").querySelector('[data-tab="approvals"] .count');
    const more = found.more ? "+" : "";
    if (count) count.textContent = found.requests.length ? `(${found.requests.length}${more})` : "";
  }

  async function approvals() {
    const found = await api("approvals");
    countApprovals(found);
    const beyond = [
      found.more_said,
      found.elsewhere_said,  // the requests another supervisor decides: not lost, not here
    ].filter(Boolean).map((text) => el("p", { class: "muted" }, text));
    show(...(found.requests.length
      ? [...found.requests.map((request) => el("div", {},
        el("p", { class: "muted" }, request.heading),
        decisionBox(request, approvals),
        el("button", {
          type: "button", class: "plain",
          onclick: () => open(() => caseView(request.case)),
        }, w("open_case")))), ...beyond]
      : [el("section", {}, el("p", { class: "muted" }, w("no_approvals")), ...beyond)]));
  }

  // ------------------------------------------------------------ the report

  let period = { period: "month" };

  async function report() {
    const search = new URLSearchParams(period).toString();
    const figures = await api(`report?${search}`);
    const preset = (name, label) => el("button", {
      type: "button", class: "quiet", "aria-pressed": String(period.period === name),
      onclick: () => { period = { period: name }; attempt(report); },
    }, label);
    const first = el("input", { type: "date", value: figures.first });
    const last = el("input", { type: "date", value: figures.last });
    const chart = (one) => {
      const box = el("section", { class: "chart" }, el("h3", {}, one.title));
      if (one.svg) {
        const holder = el("div", {});
        holder.innerHTML = one.svg; // drawn by our server, every word escaped there
        box.append(holder);
        if (one.note) box.append(el("p", { class: "muted" }, `* ${one.note}`));
      } else {
        box.append(el("p", { class: "muted" }, w("no_data")));
      }
      return box;
    };
    show(
      el("div", { class: "periods" },
        preset("week", w("period_week")),
        preset("month", w("period_month")),
        preset("quarter", w("period_quarter")),
        preset("this month", w("period_this_month")),
        preset("last month", w("period_last_month")),
        preset("last quarter", w("period_last_quarter")),
        el("label", {}, w("period_from"), first),
        el("label", {}, w("period_to"), last),
        el("button", {
          type: "button",
          onclick: () => { period = { from: first.value, to: last.value }; attempt(report); },
        }, w("show"))),
      el("h2", { id: "report-title" }, figures.title),
      el("div", { class: "tiles", id: "tiles" }, figures.tiles.map((tile) => el("div",
        { class: "tile" }, el("div", { class: "label" }, tile.label),
        el("div", { class: "value" }, tile.value)))),
      el("div", { id: "charts" }, figures.charts.map(chart)));
  }

  const TABS = { cases, approvals, report };

  // ------------------------------------------------------------ start

  async function start() {
    document.title = w("title");
    $("title").textContent = w("title");
    $("back").addEventListener("click", back);
    postEvent("web_app_ready");
    postEvent("web_app_expand");
    postEvent("web_app_request_theme");
    postEvent("web_app_request_viewport");
    await attempt(async () => {
      me = await api("me");
      words = me.words;
      document.documentElement.lang = me.locale;
      document.title = w("title");
      $("title").textContent = w("title");
      $("back").textContent = w("back");
      $("who").textContent = `${me.name} · ${me.role}`;
      if (me.oversees) {
        $("tabs").replaceChildren(...["cases", "approvals", "report"].map((name) => el("button", {
          type: "button", role: "tab", "data-tab": name, "aria-selected": String(name === tab),
          onclick: () => goTo(name),
        }, w(`tab_${name}`), name === "approvals" ? el("span", { class: "count" }) : null)));
        $("tabs").hidden = false;
      }
      if (me.oversees) recountApprovals(); // beside the log, not after it: never dropped
      await cases();
    });
  }

  start();
})();
