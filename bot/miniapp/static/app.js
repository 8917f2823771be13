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
    // A dark theme gets the states' colours for dark pages (app.css).
    const bg = /^#([0-9a-fA-F]{6})$/.exec(String(theme.bg_color || ""));
    if (bg) {
      const [r, g, b] = [0, 2, 4].map((i) => parseInt(bg[1].slice(i, i + 2), 16));
      root.classList.toggle("dark-theme", 0.299 * r + 0.587 * g + 0.114 * b < 128);
    }
    readableHint();
  }

  /** A colour as [r, g, b] (0–255), from "#abc", "#aabbcc(aa)" or "rgb(…)"; else null. */
  function rgb(colour) {
    const text = String(colour || "").trim();
    const hex = /^#([0-9a-f]{3,8})$/i.exec(text);
    if (hex) {
      const digits = hex[1].length < 6 ? [...hex[1]].map((d) => d + d).join("") : hex[1];
      return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
    }
    const numbers = /^rgba?\(([^)]*)\)$/.exec(text);
    return numbers ? numbers[1].split(/[\s,/]+/).slice(0, 3).map(Number) : null;
  }

  /** How far apart two colours read (WCAG's contrast ratio, 1 to 21). */
  function contrast(one, other) {
    const luminance = (colour) => colour.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
    const [light, dark] = [luminance(one), luminance(other)].sort((a, b) => b - a);
    return (light + 0.05) / (dark + 0.05);
  }

  /** The hint colour, made readable: the words drawn in it (column heads, labels, a tab not
   * chosen, the counts under text boxes) read at 4.5:1 at least on every background of the
   * page, whatever the theme gives (Telegram's light hint #999999 reads at 2.8:1 on white).
   * A hint too faint is drawn towards the text colour, only as far as it takes. */
  function readableHint() {
    const root = document.documentElement;
    root.style.removeProperty("--hint");
    const style = getComputedStyle(root);
    const [hint, text, ...grounds] = ["--hint", "--text", "--bg", "--secondary-bg",
      "--section-bg", "--header-bg"].map((name) => rgb(style.getPropertyValue(name)));
    if (!hint || !text || grounds.includes(null)) return;
    const readable = (colour) => grounds.every((ground) => contrast(colour, ground) >= 4.5);
    for (let step = 0; step <= 20; step += 1) {
      const mixed = hint.map((v, i) => Math.round(v + ((text[i] - v) * step) / 20));
      if (readable(mixed)) {
        if (step > 0) root.style.setProperty("--hint", `rgb(${mixed.join(", ")})`);
        return;
      }
    }
    root.style.setProperty("--hint", "var(--text)"); // no grey reads: the text's colour
  }

  try {
    applyTheme(JSON.parse(launch.get("tgWebAppThemeParams") || "null"));
  } catch (error) {
    // No theme given: the stylesheet's own colours stay.
  }
  listeners.theme_changed = (data) => applyTheme(data.theme_params);
  // A plain browser's own light and dark (no theme from Telegram).
  readableHint();
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", readableHint);
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

  // Emoji, with their skin tones, flags, keycaps and joiners.
  const EMOJI = "(?:\\p{Extended_Pictographic}|[\\u{1F1E6}-\\u{1F1FF}\\u{1F3FB}-\\u{1F3FF}"
    + "\\u{FE0F}\\u{200D}\\u{20E3}])+";
  const FRAMED = new RegExp(`^(${EMOJI}\\s*)?([\\s\\S]*?)(\\s*${EMOJI})?$`, "u");
  // Where an emoji only decorates the words: a heading's, a button's.
  const DECORATED = new Set(["H1", "H2", "H3", "BUTTON"]);

  /** A text whose emoji before and after the words (📊, ◀, ✅) are seen but never read
   * aloud: a screen reader says "Back", not "black left-pointing triangle, Back". */
  function decorated(text) {
    const [, before, words, after] = FRAMED.exec(String(text));
    const icon = (emoji) => emoji && el("span", { class: "emoji", "aria-hidden": "true" }, emoji);
    return drawn([icon(before), words || null, icon(after)]);
  }

  /** Make an element: attributes, event handlers (onclick…) and children (text or nodes).
   * The texts of a heading or a button are `decorated`; a Node is put in as it is. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    const decorate = DECORATED.has(node.tagName);
    for (const child of drawn(children)) {
      if (child instanceof Node) node.append(child);
      else if (decorate) node.append(...decorated(child));
      else node.append(String(child));
    }
    return node;
  }

  /** The parts given, leaving out those a page has not (null, undefined, false): the DOM
   * would write them as the words "null" and "undefined". */
  function drawn(parts) {
    return parts.flat().filter((part) => part !== null && part !== undefined && part !== false);
  }

  function show(...nodes) {
    redraw(() => $("panel").replaceChildren(...drawn(nodes)));
    window.scrollTo(0, 0);
  }

  /** Where a keyboard or a screen reader is: the `data-focus` key of the focused control. */
  function focusKey() {
    const active = document.activeElement;
    return active && active.dataset ? active.dataset.focus || null : null;
  }

  // The control that opened the view Back returns from (`{ key }`), while its view is drawn.
  let returnTo = null;

  /** Draw, never losing the reader's place: focus goes back to the control that opened the
   * view left with Back, else stays on the control pressed when it is drawn again (a tab, a
   * pager's button, a period), else — the control pressed gone with the view it was in —
   * lands on the new view's first heading: never on nothing, at the top of the page. */
  function redraw(draw) {
    const before = document.activeElement;
    const hadFocus = Boolean(before && before !== document.body);
    const key = focusKey();
    draw();
    const wanted = [returnTo && returnTo.key, key].filter(Boolean);
    for (const one of wanted) {
      const again = document.querySelector(`[data-focus="${CSS.escape(one)}"]`);
      if (again && !again.disabled && again.offsetParent !== null) {
        if (returnTo && one === returnTo.key) returnTo = null;
        again.focus();
        return;
      }
    }
    const active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    if (!hadFocus && !returnTo) return; // nothing had the focus: the page just opened
    const panel = $("panel");
    const landing = panel.querySelector("h2, h3") || panel.querySelector("p, table, button");
    if (landing) {
      if (!landing.matches("button")) landing.setAttribute("tabindex", "-1");
      landing.focus({ preventScroll: true });
    }
  }

  /** Tell a screen reader what came, without moving the focus (results, a count). */
  function announce(text) {
    const box = $("announce");
    box.textContent = "";
    setTimeout(() => { box.textContent = text || ""; }, 50);
  }

  function notice(text, isError = false) {
    const box = $("notice");
    box.setAttribute("role", isError ? "alert" : "status"); // a refusal is said at once
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
    stack.push({ view, from: focusKey() });
    history.pushState({ depth: stack.length }, "");
    setBackButton();
    return attempt(view);
  }

  /** The page's Back and Telegram's: the browser's history goes back with it, so the
   * browser's own Back (and a phone's) does the same as they do. */
  function back() {
    if (stack.length && history.state && history.state.depth === stack.length) {
      history.back(); // `popstate` leaves the view
      return undefined;
    }
    return leave(stack.length - 1);
  }

  /** Leave the views opened above `depth`, and draw the one under them. */
  function leave(depth) {
    if (stack.length <= Math.max(depth, 0)) return undefined;
    let left = null;
    while (stack.length > Math.max(depth, 0)) left = stack.pop();
    setBackButton();
    const view = stack.length ? stack[stack.length - 1].view : TABS[tab];
    const mine = { key: left ? left.from : null };
    return attempt(async () => {
      returnTo = mine;
      try {
        await view();
      } finally {
        if (returnTo === mine) returnTo = null;
      }
    });
  }

  window.addEventListener("popstate", (event) => {
    leave((event.state && event.state.depth) || 0);
  });

  function goTo(name) {
    tab = name;
    stack.length = 0;
    // The views left behind are gone: the browser's Back from a view opened next comes here.
    if (history.state && history.state.depth) history.replaceState({ depth: 0 }, "");
    setBackButton();
    for (const button of $("tabs").children) {
      button.setAttribute("aria-selected", String(button.dataset.tab === name));
      button.tabIndex = button.dataset.tab === name ? 0 : -1; // Tab reaches the chosen one
    }
    $("panel").setAttribute("aria-labelledby", `tab-${name}`);
    return attempt(TABS[name]);
  }

  /** The tabs as WAI-ARIA's tabs pattern moves in them: Left and Right go to the tab before
   * and after (round), Home and End to the first and last; the tab reached is opened. */
  function moveInTabs(event) {
    const tabs = [...$("tabs").querySelectorAll('[role="tab"]')];
    const at = tabs.indexOf(event.target);
    const to = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (at < 0 || to === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const reached = tabs[(to + tabs.length) % tabs.length];
    reached.focus();
    if (reached.dataset.tab !== tab) goTo(reached.dataset.tab);
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

  /** The limit of a text box, shown under it from the first letter on ("12 of 1,000
   * characters"), and said — to a screen reader too — once the text goes over it. The limit
   * is the server's own (`me.limits`); the text is counted as the server counts it (letters,
   * not UTF-16 halves, composed as NFC, blanks around it left out). Nothing is cut: a paste
   * over the limit stays whole, to be shortened. */
  let limits = 0;
  function limited(box, limit) {
    limits += 1;
    const line = el("span", { class: "limit", id: `limit-${limits}` });
    box.setAttribute("aria-describedby", line.id);
    let over = false;
    const count = () => {
      const length = Array.from(box.value.normalize("NFC").trim()).length;
      const now = length > limit;
      line.textContent = now
        ? w("limit_over", { over: number(length - limit), limit: number(limit) })
        : w("limit_count", { count: number(length), limit: number(limit) });
      line.classList.toggle("over", now);
      box.setAttribute("aria-invalid", String(now));
      if (now && !over) announce(line.textContent);
      over = now;
    };
    box.addEventListener("input", count);
    count();
    return line;
  }

  /** A number written the reader's way: 1.000 in Vietnamese, 1,000 in English. */
  function number(value) {
    return new Intl.NumberFormat(me ? me.locale : undefined).format(value);
  }

  function filters() {
    const changed = (update) => {
      Object.assign(query, update, { after: null });
      earlier = [];
      attempt(() => results());
    };
    const searchBox = el("input", {
      type: "search", value: query.search, placeholder: w("search"), "data-focus": "search",
      oninput: (event) => {
        clearTimeout(searchTimer);
        searchTimer = setTimeout(() => changed({ search: event.target.value }), 350);
      },
      onkeydown: (event) => { // Enter searches at once, never waiting for the pause
        if (event.key !== "Enter") return;
        event.preventDefault();
        clearTimeout(searchTimer);
        changed({ search: event.target.value });
      },
    });
    const searchLimit = limited(searchBox, me.limits.search);
    const sorts = ["opened_desc", "opened_asc", "updated_desc", "updated_asc"];
    const dateBox = (label, key) => el("label", {}, label, el("input", {
      type: "date", value: query[key], onchange: (event) => changed({ [key]: event.target.value }),
    }));
    return el("section", { class: "filters" },
      el("label", { class: "wide" }, w("search"), searchBox, searchLimit),
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
        type: "button", class: "quiet", "data-focus": "clear",
        onclick: () => {
          Object.assign(query, { status: "-", kind: "-", staff: null, search: "", from: "",
            to: "", sort: "opened", order: "desc", after: null });
          earlier = [];
          attempt(cases);
        },
      }, w("clear"))));
  }

  /** The case number that opens a case: a button, so Tab reaches it, Enter and Space open
   * it, and a screen reader names it ("Open case #12: Phạm Thị Mai"); the whole row opens
   * it to a pointer too. */
  function caseOpener(id, what, openIt) {
    return el("td", { class: "id" }, el("button", {
      type: "button", class: "link", "data-focus": `case-${id}`,
      "aria-label": w("open_case_label", { case: id, what }),
      onclick: (event) => { event.stopPropagation(); openIt(); },
    }, `#${id}`));
  }

  function caseRow(row) {
    const openIt = () => open(() => caseView(row.id));
    // One value a cell (a name and the phone under it; a step and its badge): on a phone the
    // label goes left and the value right, whole (a number is never broken for room).
    const cell = (label, ...content) => el("td", { "data-label": label },
      el("span", { class: "value" }, ...content));
    return el("tr", { "data-case": row.id, onclick: openIt },
    caseOpener(row.id, row.customer, openIt),
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
        "data-focus": "previous", "aria-label": w("previous_label"),
        onclick: () => { query.after = earlier.pop(); attempt(results); },
      }, w("previous")),
      el("span", { class: "muted" }, page.range),
      el("button", {
        type: "button", class: "quiet", disabled: !page.more,
        "data-focus": "next", "aria-label": w("next_label"),
        onclick: () => {
          earlier.push(query.after);
          query.after = page.next;
          attempt(results);
        },
      }, w("next")));
    announce(page.rows.length ? page.range : w("no_cases"));
    redraw(() => $("results").replaceChildren(...drawn([
      me.oversees ? null : el("p", { class: "muted" }, w("own_only")),
      page.rows.length
        ? el("table", { id: "cases" }, el("thead", {}, header),
          el("tbody", {}, page.rows.map(caseRow)))
        : el("p", { class: "muted", id: "no-cases" }, w("no_cases")),
      pager])));
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
    const comment = el("textarea", {
      "aria-label": w("comment"), placeholder: w("comment"), "data-focus": `comment-${request.case}`,
    });
    const commentLimit = limited(comment, me.limits.comment);
    const decide = (code) => attempt(async () => {
      let done;
      try {
        done = await api(`cases/${request.case}/decision`, {
          version: request.version, verdict: code, comment: comment.value || null,
        }, { always: true });
      } catch (error) {
        // decided meanwhile (the answer says by whom): the request is drawn as it stands now,
        // its verdict buttons gone, and the answer is said above it
        if (error instanceof ApiError && error.status === 409) await after();
        throw error;
      }
      await after();
      notice(done.message);
    });
    return el("section", { class: "request", id: `request-${request.case}` },
      el("h3", {}, w("decision_heading")),
      el("p", { class: "pre" }, request.text),
      request.may_decide
        ? [comment, commentLimit, el("div", { class: "actions" }, request.verdicts.map((v) => el("button", {
          type: "button", class: v.code === "n" ? "danger" : v.code === "l" ? "quiet" : "",
          "data-verdict": v.code, "data-focus": `verdict-${request.case}-${v.code}`,
          onclick: () => decide(v.code),
        }, v.label)))]
        : el("p", { class: "muted" }, request.not_yours_said));
  }

  function compliance(marks) {
    return el("section", { id: "compliance" },
      el("h3", {}, w("compliance_heading")),
      el("ul", { class: "steps" }, marks.steps.map((step) => el("li",
        { class: step.done ? "done" : "missing" },
        el("span", { class: "mark", "aria-hidden": "true" }, step.done ? "✓" : "✗"),
        el("span", {}, step.said),
        step.when ? el("span", { class: "muted" }, step.when) : null))),
      el("p", { class: marks.in_order ? "verdict ok" : "verdict no" }, decorated(marks.said)));
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
        el("h2", {}, "👤 ", document.createTextNode(file.name)), // the name as typed
        lines(file.card)),
      el("section", {},
        el("h3", {}, w("customer_cases")),
        el("table", { id: "customer-cases" }, el("tbody", {}, file.cases.map((c) => el("tr", {
          "data-case": c.id, onclick: () => open(() => caseView(c.id)),
        },
        caseOpener(c.id, `${c.kind} · ${c.opened}`, () => open(() => caseView(c.id))),
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
    const tabButton = $("tabs").querySelector('[data-tab="approvals"]');
    if (tabButton) {
      tabButton.setAttribute("aria-label", found.requests.length
        ? w("tab_approvals_count", { count: `${number(found.requests.length)}${more}` })
        : w("tab_approvals"));
    }
  }

  /** What a tab shows, fetched; when it cannot be, the notice says which part did not come
   * (`failed`) and why, in one alert: a screen reader says it once. */
  async function tabData(path, failed) {
    try {
      return await api(path);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error; // the reader turned elsewhere
      throw new ApiError(error.status, `${w(failed)} ${error.message}`);
    }
  }

  async function approvals() {
    const found = await tabData("approvals", "approvals_failed");
    countApprovals(found);
    const waiting = `${number(found.requests.length)}${found.more ? "+" : ""}`;
    announce(found.requests.length
      ? w("approvals_waiting", { count: waiting }) : w("no_approvals"));
    const beyond = [
      found.more_said,
      found.elsewhere_said,  // the requests another supervisor decides: not lost, not here
    ].filter(Boolean).map((text) => el("p", { class: "muted" }, text));
    show(...(found.requests.length
      ? [...found.requests.map((request) => el("div", {},
        el("p", { class: "muted" }, request.heading),
        decisionBox(request, approvals),
        el("button", {
          type: "button", class: "plain", "data-focus": `open-${request.case}`,
          "aria-label": w("open_case_label", { case: request.case, what: request.heading }),
          onclick: () => open(() => caseView(request.case)),
        }, w("open_case")))), ...beyond]
      : [el("section", {}, el("p", { class: "muted" }, w("no_approvals")), ...beyond)]));
  }

  // ------------------------------------------------------------ the report

  let period = { period: "month" };

  async function report() {
    const search = new URLSearchParams(period).toString();
    const figures = await tabData(`report?${search}`, "report_failed");
    const preset = (name, label) => el("button", {
      type: "button", class: "quiet", "aria-pressed": String(period.period === name),
      "data-focus": `period-${name}`,
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
          type: "button", "data-focus": "period-days",
          onclick: () => { period = { from: first.value, to: last.value }; attempt(report); },
        }, w("show"))),
      el("h2", { id: "report-title" }, figures.title),
      el("div", { class: "tiles", id: "tiles" }, figures.tiles.map((tile) => el("div",
        { class: "tile" }, el("div", { class: "label" }, tile.label),
        el("div", { class: "value" }, tile.value)))),
      el("div", { id: "charts" }, figures.charts.map(chart)));
    announce(w("report_ready", { title: FRAMED.exec(figures.title)[2] }));
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
      $("title").replaceChildren(...decorated(w("title")));
      $("back").replaceChildren(...decorated(w("back")));
      $("back").setAttribute("aria-label", w("back_label"));
      $("tabs").setAttribute("aria-label", w("tabs_label"));
      $("who").textContent = `${me.name} · ${me.role}`;
      if (me.oversees) {
        $("tabs").replaceChildren(...["cases", "approvals", "report"].map((name) => el("button", {
          type: "button", role: "tab", id: `tab-${name}`, "data-tab": name,
          "aria-selected": String(name === tab), "aria-controls": "panel",
          tabindex: name === tab ? "0" : "-1", "data-focus": `tab-${name}`,
          onclick: () => goTo(name),
        }, w(`tab_${name}`), name === "approvals" ? el("span", { class: "count" }) : null)));
        $("tabs").addEventListener("keydown", moveInTabs);
        $("panel").setAttribute("role", "tabpanel");
        $("panel").setAttribute("aria-labelledby", `tab-${tab}`);
        $("tabs").hidden = false;
      }
      if (me.oversees) recountApprovals(); // beside the log, not after it: never dropped
      await cases();
    });
  }

  start();
})();
