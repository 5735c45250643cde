/* The trainer's offline visit form (templates/trainers/offline_app.html).

   - The data (enterprises, planned visits, open actions, KPI catalogue, last readings) comes
     from the server when online and is kept in IndexedDB for offline use.
   - A visit is kept in the IndexedDB queue with an id made here (crypto.randomUUID); the
     queue survives closing the browser and a new service worker.
   - The queue is sent when the network returns, on load and on demand; the server applies
     each record once by its id, so sending again changes nothing.
   Strings come translated from the page (json_script "offline-strings"). */
(function () {
  "use strict";

  var root = document.getElementById("offline-app");
  if (!root) return;
  var T = JSON.parse(document.getElementById("offline-strings").textContent);
  var URLS = JSON.parse(document.getElementById("offline-urls").textContent);
  var DB_NAME = "score-offline";
  var data = null;
  var sending = false;
  var queuedBaselines = {}; // enterprise id -> KPI codes with a baseline waiting in the queue
  var editing = null; // the failed queue item being corrected (it keeps its id)

  /* --- IndexedDB -------------------------------------------------------------------- */
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "uuid" });
        if (!db.objectStoreNames.contains("cache")) db.createObjectStore("cache", { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function tx(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () { db.close(); resolve(result && result.result !== undefined ? result.result : result); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }
  function allQueued() {
    return tx("queue", "readonly", function (store) { return store.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.created < b.created ? -1 : 1; });
    });
  }
  function putQueued(item) { return tx("queue", "readwrite", function (store) { store.put(item); }); }
  function dropQueued(uuid) { return tx("queue", "readwrite", function (store) { store.delete(uuid); }); }
  function cacheGet(key) {
    return tx("cache", "readonly", function (store) { return store.get(key); }).then(function (hit) {
      return hit ? hit.value : null;
    });
  }
  function cachePut(key, value) {
    return tx("cache", "readwrite", function (store) { store.put({ key: key, value: value }); });
  }

  /* --- Small DOM helpers -------------------------------------------------------------- */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (attrs[name] !== null && attrs[name] !== undefined && attrs[name] !== false) node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  var uid = 0;
  function field(label, input) {
    uid += 1;
    input.id = input.id || "off-" + uid;
    return el("div", { class: "mb-2" }, [el("label", { class: "form-label", for: input.id, text: label }), input]);
  }
  function iso(day) {
    var local = new Date(day.getTime() - day.getTimezoneOffset() * 60000);
    return local.toISOString().slice(0, 10);
  }
  function lastMonth() {
    var now = new Date();
    var end = new Date(now.getFullYear(), now.getMonth(), 0);
    var start = new Date(end.getFullYear(), end.getMonth(), 1);
    return [iso(start), iso(end)];
  }
  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* --- Data ------------------------------------------------------------------------- */
  function loadData() {
    return fetch(URLS.data, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok || (response.headers.get("content-type") || "").indexOf("json") === -1) throw new Error("offline");
        return response.json();
      })
      .then(function (fresh) { return cachePut("bootstrap", fresh).then(function () { return fresh; }); })
      .catch(function () { return cacheGet("bootstrap"); });
  }

  /* --- The form --------------------------------------------------------------------- */
  var form = document.getElementById("offline-form");
  var choice = document.getElementById("offline-visit");
  var body = document.getElementById("offline-fields");
  var notice = document.getElementById("offline-notice");

  function say(text, kind) {
    notice.textContent = text;
    notice.className = "alert alert-" + (kind || "info");
  }

  function fillChoice() {
    choice.textContent = "";
    choice.appendChild(el("option", { value: "", text: T.choose }));
    var enrolments = {};
    data.enrolments.forEach(function (e) { enrolments[e.id] = e; });
    data.visits.forEach(function (v) {
      var e = enrolments[v.enrolment_id];
      if (!e) return;
      choice.appendChild(el("option", { value: "v:" + v.id, text: e.enterprise + " · " + e.module + " · " + v.number + " · " + T.planned + " " + (v.planned_date || "") }));
    });
    data.enrolments.forEach(function (e) {
      if (e.takes_visits) choice.appendChild(el("option", { value: "e:" + e.id, text: T.new_visit + " · " + e.enterprise + " · " + e.module }));
    });
  }

  function selected() {
    var value = choice.value || "";
    var visit = null, enrolment = null;
    if (value.indexOf("v:") === 0) {
      visit = data.visits.filter(function (v) { return "v:" + v.id === value; })[0];
      if (visit) enrolment = data.enrolments.filter(function (e) { return e.id === visit.enrolment_id; })[0];
    } else if (value.indexOf("e:") === 0) {
      enrolment = data.enrolments.filter(function (e) { return "e:" + e.id === value; })[0];
    }
    return { visit: visit, enrolment: enrolment };
  }

  function kpiRow(kpi, enterpriseId) {
    var last = ((data.last_readings || {})[enterpriseId] || {})[kpi.code];
    var hasBaseline = ((data.baselines || {})[enterpriseId] || []).indexOf(kpi.code) !== -1 ||
      (queuedBaselines[enterpriseId] || []).indexOf(kpi.code) !== -1;
    var period = lastMonth();
    var value = el("input", { type: "number", step: "any", inputmode: "decimal", name: "kpi-" + kpi.code + "-value", class: "form-control", "data-unusual-check": "", "data-far": "80", "data-min": kpi.min || "", "data-max": kpi.max || "", "data-previous": last ? last.value : "" });
    var kind = el("select", { name: "kpi-" + kpi.code + "-kind", class: "form-select" }, [
      el("option", { value: "baseline", text: T.baseline, selected: hasBaseline ? null : "selected" }),
      el("option", { value: "follow_up", text: T.follow_up, selected: hasBaseline ? "selected" : null })
    ]);
    var confirm = el("input", { type: "checkbox", class: "form-check-input", name: "kpi-" + kpi.code + "-confirm_unusual" });
    uid += 1; confirm.id = "off-" + uid;
    var box = el("div", { class: "unusual-confirm d-none" }, [
      el("div", { class: "form-check mb-2" }, [confirm, el("label", { class: "form-check-label", for: confirm.id, text: T.confirm })]),
      field(T.reason, el("input", { type: "text", maxlength: "100", class: "form-control", name: "kpi-" + kpi.code + "-unusual_reason" }))
    ]);
    var row = el("div", { class: "card mb-2 kpi-row", "data-kpi-row": "", "data-kpi": kpi.code }, [
      el("div", { class: "card-body py-2" }, [
        field(kpi.name + " (" + kpi.unit + ")", value),
        box,
        el("div", { class: "row" }, [
          el("div", { class: "col-12 col-sm-4" }, [field(T.baseline + " / " + T.follow_up, kind)]),
          el("div", { class: "col-6 col-sm-4" }, [field(T.period_from, el("input", { type: "date", class: "form-control", name: "kpi-" + kpi.code + "-period_start", value: period[0] }))]),
          el("div", { class: "col-6 col-sm-4" }, [field(T.period_to, el("input", { type: "date", class: "form-control", name: "kpi-" + kpi.code + "-period_end", value: period[1] }))])
        ]),
        field(T.photo, el("input", { type: "file", class: "form-control", accept: "image/*,.pdf", name: "kpi-" + kpi.code + "-evidence" }))
      ])
    ]);
    value.addEventListener("input", function () { checkRow(row); });
    return row;
  }

  function checkRow(row) {
    var input = row.querySelector("[data-unusual-check]");
    var check = window.scoreKpiCheck;
    var unusual = check && check.isUnusual(check.num(input.value), check.limits(input));
    row.querySelector(".unusual-confirm").classList.toggle("d-none", !unusual);
    return unusual;
  }

  function renderFields() {
    body.textContent = "";
    var pick = selected();
    if (!pick.enrolment) return;
    var enterpriseId = String(pick.enrolment.enterprise_id);
    var members = (data.eit_members || {})[enterpriseId] || [];
    var mode = el("select", { name: "mode", class: "form-select" }, [
      el("option", { value: "on_site", text: T.on_site }), el("option", { value: "remote", text: T.remote })
    ]);
    body.appendChild(el("div", { class: "row" }, [
      el("div", { class: "col-6" }, [field(T.visit_date, el("input", { type: "date", name: "visit_date", class: "form-control", value: iso(new Date()), required: "required" }))]),
      el("div", { class: "col-6" }, [field(T.duration, el("input", { type: "number", step: "0.5", inputmode: "decimal", name: "duration_hours", class: "form-control" }))])
    ]));
    body.appendChild(field(T.mode, mode));
    if (members.length) {
      var boxes = members.map(function (m) {
        uid += 1;
        var box = el("input", { type: "checkbox", class: "form-check-input", name: "eit_present", value: String(m.id), id: "off-" + uid });
        return el("div", { class: "form-check" }, [box, el("label", { class: "form-check-label", for: box.id, text: m.name })]);
      });
      body.appendChild(el("fieldset", { class: "mb-2" }, [el("legend", { class: "h6", text: T.present })].concat(boxes)));
    } else {
      body.appendChild(el("p", { class: "alert alert-info", text: T.no_eit }));
    }
    body.appendChild(field(T.topics, el("textarea", { name: "topics", rows: "3", class: "form-control" })));
    body.appendChild(field(T.findings, el("textarea", { name: "findings", rows: "3", class: "form-control" })));
    body.appendChild(field(T.photos, el("input", { type: "file", multiple: "multiple", accept: "image/*,.pdf", name: "photos", class: "form-control" })));
    var number = pick.visit ? pick.visit.number : 1e9;
    var open = (data.open_actions || []).filter(function (a) { return a.enrolment_id === pick.enrolment.id && a.visit_number < number; });
    if (open.length) {
      var reviews = open.map(function (a) {
        var options = [["open", T.still_open], ["done", T.done], ["not_done", T.not_done]].map(function (pair) {
          return el("option", { value: pair[0], text: pair[1] });
        });
        return field(a.description, el("select", { name: "review_" + a.id, class: "form-select" }, options));
      });
      body.appendChild(el("fieldset", { class: "mb-2" }, [el("legend", { class: "h6", text: T.review })].concat(reviews)));
    }
    var owners = el("datalist", { id: "offline-owners" }, members.map(function (m) { return el("option", { value: m.name }); }));
    var actionRows = [0, 1, 2].map(function (i) {
      return el("div", { class: "row" }, [
        el("div", { class: "col-12 col-md-6" }, [field(T.action + " " + (i + 1), el("input", { type: "text", maxlength: "300", name: "action_" + i, class: "form-control" }))]),
        el("div", { class: "col-7 col-md-3" }, [field(T.owner, el("input", { type: "text", maxlength: "100", name: "owner_" + i, class: "form-control", list: "offline-owners" }))]),
        el("div", { class: "col-5 col-md-3" }, [field(T.due, el("input", { type: "date", name: "due_" + i, class: "form-control" }))])
      ]);
    });
    body.appendChild(el("fieldset", { class: "mb-2" }, [el("legend", { class: "h6", text: T.actions }), owners].concat(actionRows)));
    body.appendChild(el("fieldset", { class: "mb-2" }, [el("legend", { class: "h6", text: T.readings })].concat(
      data.kpis.map(function (kpi) { return kpiRow(kpi, enterpriseId); })
    )));
  }

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      if (file.size > 5 * 1024 * 1024) { reject(new Error(T.too_big)); return; }
      var reader = new FileReader();
      reader.onload = function () {
        resolve({ name: file.name, type: file.type, data: String(reader.result).split(",")[1] || "" });
      };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(file);
    });
  }

  function buildRecord() {
    var pick = selected();
    var value = function (name) { var input = form.elements[name]; return input ? input.value.trim() : ""; };
    var visitDate = value("visit_date");
    if (!visitDate) return Promise.reject(new Error(T.need_date));
    if (visitDate > iso(new Date())) return Promise.reject(new Error(T.future));
    var record = {
      // A corrected record keeps its id: the server kept nothing of the failed attempt.
      uuid: editing ? editing.uuid : newUuid(),
      visit_id: pick.visit ? pick.visit.id : null,
      enrolment_id: pick.enrolment.id,
      version: pick.visit ? pick.visit.version : null,
      label: choice.selectedOptions[0].textContent,
      visit: {
        visit_date: visitDate, duration_hours: value("duration_hours"), mode: value("mode"),
        topics: value("topics"), findings: value("findings"),
        eit_present: Array.prototype.filter.call(form.querySelectorAll("[name=eit_present]"), function (b) { return b.checked; }).map(function (b) { return Number(b.value); })
      },
      actions: [], reviews: {}, readings: [], photos: []
    };
    [0, 1, 2].forEach(function (i) {
      if (value("action_" + i)) record.actions.push({ description: value("action_" + i), owner: value("owner_" + i), due_date: value("due_" + i) });
    });
    form.querySelectorAll("select[name^=review_]").forEach(function (select) {
      if (select.value !== "open") record.reviews[select.name.slice(7)] = select.value;
    });
    var unconfirmed = false;
    var files = [];
    Array.prototype.forEach.call(form.elements.photos ? form.elements.photos.files : [], function (file) {
      files.push(readFile(file).then(function (photo) { record.photos.push(photo); }));
    });
    form.querySelectorAll("[data-kpi-row]").forEach(function (row) {
      var code = row.dataset.kpi;
      var get = function (suffix) { return row.querySelector("[name='kpi-" + code + "-" + suffix + "']"); };
      if (!get("value").value.trim()) return;
      var reading = {
        kpi: code, value: get("value").value.trim(), kind: get("kind").value,
        period_start: get("period_start").value, period_end: get("period_end").value,
        confirm_unusual: get("confirm_unusual").checked, unusual_reason: get("unusual_reason").value.trim()
      };
      if (checkRow(row) && !(reading.confirm_unusual && reading.unusual_reason)) unconfirmed = true;
      var file = get("evidence").files[0];
      if (file) files.push(readFile(file).then(function (evidence) { reading.evidence = evidence; }));
      record.readings.push(reading);
    });
    if (unconfirmed) return Promise.reject(new Error(T.need_confirm));
    var before = editing ? editing.record : null;
    return Promise.all(files).then(function () {
      if (before) { // files chosen the first time stay with the record unless replaced
        if (!record.photos.length) record.photos = before.photos || [];
        record.readings.forEach(function (reading) {
          var earlier = (before.readings || []).filter(function (r) { return r.kpi === reading.kpi; })[0];
          if (!reading.evidence && earlier && earlier.evidence) reading.evidence = earlier.evidence;
        });
      }
      return record;
    });
  }

  /* --- The queue -------------------------------------------------------------------- */
  var list = document.getElementById("offline-queue");
  function renderQueue() {
    return allQueued().then(function (items) {
      list.textContent = "";
      if (!items.length) list.appendChild(el("li", { class: "list-group-item", text: T.nothing }));
      var counts = { waiting: 0, sent: 0, failed: 0, conflict: 0 };
      queuedBaselines = {};
      items.forEach(function (item) {
        if (item.status === "waiting" && data) {
          var enrolment = data.enrolments.filter(function (e) { return e.id === item.record.enrolment_id; })[0];
          if (enrolment) {
            var key = String(enrolment.enterprise_id);
            item.record.readings.forEach(function (r) {
              if (r.kind === "baseline") (queuedBaselines[key] = queuedBaselines[key] || []).push(r.kpi);
            });
          }
        }
        counts[item.status] = (counts[item.status] || 0) + 1;
        var badge = { waiting: "secondary", sent: "success", failed: "danger", conflict: "warning" }[item.status] || "secondary";
        list.appendChild(el("li", { class: "list-group-item queue-item", "data-status": item.status, "data-uuid": item.uuid }, [
          el("span", { class: "badge text-bg-" + badge + " me-2", text: T[item.status] || item.status }),
          el("span", { text: item.record.label + " · " + item.record.visit.visit_date }),
          item.message ? el("span", { class: "small d-block text-muted queue-message", text: item.message }) : null,
          item.status === "failed" ? el("div", { class: "mt-2 d-flex flex-wrap gap-2" }, [
            el("button", { type: "button", class: "btn btn-sm btn-outline-primary queue-correct", "data-uuid": item.uuid, text: T.correct }),
            el("button", { type: "button", class: "btn btn-sm btn-outline-danger queue-remove", "data-uuid": item.uuid, text: T.remove })
          ]) : null
        ]));
      });
      root.dataset.waiting = String(counts.waiting);
      root.dataset.sent = String(counts.sent);
      root.dataset.failed = String(counts.failed);
      root.dataset.conflict = String(counts.conflict);
      return items;
    });
  }

  function send() {
    if (sending) return Promise.resolve();
    sending = true;
    return allQueued().then(function (items) {
      var waiting = items.filter(function (item) { return item.status === "waiting"; });
      if (!waiting.length) return null;
      say(T.sending, "info");
      return fetch(URLS.sync, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf, Accept: "application/json" },
        body: JSON.stringify({ records: waiting.map(function (item) { return item.record; }) })
      }).then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) throw new Error(answer.error || response.statusText);
          var byId = {};
          (answer.results || []).forEach(function (r) { byId[r.uuid] = r; });
          return Promise.all(waiting.map(function (item) {
            var r = byId[item.uuid];
            if (!r) return null;
            item.status = r.status === "applied" ? "sent" : r.status;
            item.message = r.message || "";
            item.sent_at = new Date().toISOString();
            return putQueued(item);
          }));
        });
      }).then(function () {
        say(T.online, "success");
        return loadData().then(function (fresh) { if (fresh) { data = fresh; } });
      }).catch(function (error) {
        say(navigator.onLine ? (error.message || T.send_failed) : T.offline, "warning");
      });
    }).then(function () { sending = false; return renderQueue(); }, function () { sending = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!selected().enrolment) { say(T.choose, "warning"); return; }
    buildRecord().then(function (record) {
      var created = editing ? editing.created : new Date().toISOString();
      editing = null;
      return putQueued({ uuid: record.uuid, record: record, status: "waiting", message: "", created: created });
    }).then(function () {
      // The queue (and the baselines waiting in it) is read back before the form is offered
      // again, so the next visit's readings default to follow-up where a baseline is queued.
      return renderQueue();
    }).then(function () {
      choice.value = "";
      renderFields();
      say(T.saved, "success");
    }).then(function () {
      if (navigator.onLine) return send();
      return null;
    }).catch(function (error) { say(error.message, "danger"); });
  });
  choice.addEventListener("change", function () { editing = null; renderFields(); });

  /* A failed record is put back into the form to be corrected (same id), or removed. */
  function setValue(name, value) {
    var input = form.elements[name];
    if (input && value !== undefined && value !== null) input.value = value;
  }
  function correct(item) {
    var record = item.record;
    var value = record.visit_id ? "v:" + record.visit_id : "e:" + record.enrolment_id;
    if (!Array.prototype.some.call(choice.options, function (o) { return o.value === value; })) {
      say(T.cannot_correct, "warning");
      return;
    }
    choice.value = value;
    renderFields();
    editing = item;
    ["visit_date", "duration_hours", "mode", "topics", "findings"].forEach(function (name) { setValue(name, record.visit[name]); });
    form.querySelectorAll("[name=eit_present]").forEach(function (box) {
      box.checked = (record.visit.eit_present || []).indexOf(Number(box.value)) !== -1;
    });
    (record.actions || []).forEach(function (action, i) {
      setValue("action_" + i, action.description); setValue("owner_" + i, action.owner); setValue("due_" + i, action.due_date);
    });
    Object.keys(record.reviews || {}).forEach(function (id) { setValue("review_" + id, record.reviews[id]); });
    (record.readings || []).forEach(function (r) {
      var row = form.querySelector("[data-kpi-row][data-kpi='" + r.kpi + "']");
      if (!row) return;
      ["value", "kind", "period_start", "period_end", "unusual_reason"].forEach(function (suffix) {
        var input = row.querySelector("[name='kpi-" + r.kpi + "-" + suffix + "']");
        if (input && r[suffix] !== undefined) input.value = r[suffix];
      });
      row.querySelector("[name='kpi-" + r.kpi + "-confirm_unusual']").checked = !!r.confirm_unusual;
      checkRow(row);
    });
    say(T.correcting + " " + (item.message || ""), "warning");
    form.scrollIntoView();
  }
  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-uuid]");
    if (!button) return;
    allQueued().then(function (items) {
      var item = items.filter(function (i) { return i.uuid === button.dataset.uuid && i.status === "failed"; })[0];
      if (!item) return null;
      if (button.classList.contains("queue-correct")) { correct(item); return null; }
      if (!window.confirm(T.remove_confirm)) return null;
      if (editing && editing.uuid === item.uuid) { editing = null; choice.value = ""; renderFields(); }
      return dropQueued(item.uuid).then(function () { say(T.removed, "info"); return renderQueue(); });
    });
  });
  document.getElementById("offline-send").addEventListener("click", function () { send(); });
  window.addEventListener("online", function () { say(T.online, "success"); send(); });
  window.addEventListener("offline", function () { say(T.offline, "warning"); });

  /* Hooks for the browser tests and for support: the queue as stored, send now, and send
     everything again (the server answers each record once: nothing changes). */
  window.scoreOffline = {
    queue: allQueued,
    send: send,
    resendAll: function () {
      return allQueued().then(function (items) {
        return Promise.all(items.map(function (item) { item.status = "waiting"; return putQueued(item); }));
      }).then(send);
    }
  };

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(URLS.sw, { scope: "/" }).catch(function () { return null; });
  }
  loadData().then(function (loaded) {
    data = loaded;
    if (!data) { say(T.no_data, "warning"); return; }
    say(navigator.onLine ? T.online : T.offline, navigator.onLine ? "success" : "warning");
    fillChoice();
    return renderQueue().then(function () {
      root.dataset.ready = "1";
      if (navigator.onLine) return send();
      return null;
    });
  });
})();
