/* Search page: the manifest comes with the page (tim-kiem/chi-muc.js); a query fetches only
   the term shards it needs (query.js scores them), then one small file per result shown (its
   row and passages, for the snippet and the section link). Filters by type, year, agency and
   person; the query and filters live in the URL (?q=…&loai=…&nam=…&co-quan=…&nguoi=…).

   Speed of a first search (bench/README.md): this script runs in <head>, before the page body
   and its stylesheet, so a query in the URL starts fetching its shards at once; each shard is
   decoded as it arrives, the result files are fetched as soon as the ranking is known, and
   each result is prepared (row and snippet) as its file arrives. The list is shown when the
   page is ready and every result of the page is complete, in one step. */
(function () {
  "use strict";
  var PAGE = 10;
  var FILTERS = ["loai", "nam", "co-quan", "nguoi"];
  var FACETS = { loai: "#l:", "co-quan": "#c:", nguoi: "#n:" };
  var script = document.currentScript;
  var base = script ? new URL("../../tim-kiem/", script.src).href : "../tim-kiem/";
  var memo = { manifest: null, m: null, shards: new Map(), docs: new Map() };
  var ui = null; /* the page's elements, once the document is parsed */
  var view = { seq: 0, text: "", state: null, hits: [], total: 0, limit: 0, shown: 0, terms: null, phrase: 0 };

  function remember(map, key, make) {
    if (!map.has(key)) map.set(key, make());
    return map.get(key);
  }

  function getJSON(url) {
    return fetch(url).then(function (r) { if (!r.ok) throw new Error(url + ": " + r.status); return r.json(); });
  }

  /* The manifest comes with the page (tim-kiem/chi-muc.js); fetched only if that script failed. */
  function manifest() {
    memo.manifest = memo.manifest || (self.VIS_MANIFEST ? Promise.resolve(self.VIS_MANIFEST)
      : getJSON(base + "chi-muc.json")).then(function (m) { memo.m = m; return m; });
    return memo.manifest;
  }

  function shard(i) {
    return remember(memo.shards, i, function () {
      var name = ("000" + i.toString(16)).slice(-4);
      return fetch(base + "t/" + name + ".bin").then(function (r) {
        if (!r.ok) throw new Error(name + ": " + r.status);
        return r.arrayBuffer();
      }).then(VIQ.parseShard);
    });
  }

  /* Postings of every key, fetching each shard once and decoding each key as soon as its shard
     arrives; resolves to a Map key → postings|null. */
  function lookup(keys, m) {
    return Promise.all(keys.map(function (k) {
      return shard(VIQ.shardOf(k, m.shards)).then(function (s) { return VIQ.postings(s, k); });
    })).then(function (found) {
      var out = new Map();
      keys.forEach(function (k, i) { out.set(k, found[i]); });
      return out;
    });
  }

  /* vb/<ordinal>.json: {r: [id, title, type, number, date, issuer], a: anchors, p: passages} */
  function result(o) {
    return remember(memo.docs, o, function () { return getJSON(base + "vb/" + o + ".json"); });
  }

  /* A search: the text and the filters ({loai, nam, co-quan, nguoi}: "" when off). */
  function fromParams(params) {
    var state = { text: params.get("q") || "", filters: {} };
    FILTERS.forEach(function (k) { state.filters[k] = params.get(k) || ""; });
    return state;
  }

  function active(state) {
    return Object.keys(FACETS).filter(function (k) { return state.filters[k]; });
  }

  /* The filters as a test on ordinals: year by ordinal range, the others by facet postings. */
  function keeper(state, got, m) {
    var year = state.filters.nam, range = year ? m.years[year] || [0, 0] : null;
    var masks = active(state).map(function (k) {
      var P = got.get(FACETS[k] + state.filters[k]), mask = new Uint8Array(m.n);
      if (P) P.ords.forEach(function (o) { mask[o] = 1; });
      return mask;
    });
    if (!range && !masks.length) return null;
    return function (o) {
      if (range && (o < range[0] || o >= range[1])) return false;
      return masks.every(function (mask) { return mask[o] === 1; });
    };
  }

  function run(state, m, limit) {
    var terms = VI.analyse(state.text), q = VIQ.plan(terms);
    var facetKeys = active(state).map(function (k) { return FACETS[k] + state.filters[k]; });
    return lookup(q.keys.concat(facetKeys), m).then(function (got) {
      var r = VIQ.search(q, function (k) { return got.get(k) || null; }, m.n, limit, keeper(state, got, m));
      return { hits: r.hits, total: r.total, exact: r.exact, terms: terms, phrase: r.phrase, limit: limit };
    });
  }

  var folds = new Map(), canons = new Map();
  function fold(word) { return remember(folds, word, function () { return VI.fold(word); }); }
  function canon(word) { return remember(canons, word, function () { return VI.canon(word); }); }

  /* A query word typed with diacritics matches only that spelling; typed without, any. */
  function wordMatcher(terms) {
    var exact = new Set(), folded = new Set();
    terms.w.forEach(function (w, i) { (w !== terms.f[i] ? exact : folded).add(w); });
    return function (word) {
      var lower = word.toLowerCase(), f = fold(lower);
      return folded.has(f) || (exact.size > 0 && exact.has(canon(lower)));
    };
  }

  /* The passage with the most distinct query words and phrases (then uses); null when none. */
  function bestPassage(doc, terms) {
    var match = wordMatcher(terms), pairs = new Set(terms.p), best = null, bestScore = 0;
    doc.p.forEach(function (p) {
      var flat = VI.fold(p[1].toLowerCase());
      if (!terms.f.some(function (f) { return flat.indexOf(f) >= 0; })) return;  // no query word: skip
      var words = new Set(), found = new Set(), uses = 0, prev = null;
      VI.tokens(p[1]).forEach(function (word) {
        var f = fold(word);
        if (match(word)) {
          words.add(f);
          uses++;
          if (pairs.has(prev + "_" + f)) found.add(prev + "_" + f);
        }
        prev = f;
      });
      var score = words.size * 10 + found.size * 5 + Math.min(uses, 5);
      if (score > bestScore) { best = p; bestScore = score; }
    });
    return best && { anchor: doc.a[best[0]][0], heading: doc.a[best[0]][1], text: best[1] };
  }

  /* Where the snippet starts: before the match with the most distinct query words after it. */
  function windowStart(spans, reach) {
    var best = 0, bestCount = 0;
    spans.forEach(function (s, i) {
      var seen = new Set();
      for (var j = i; j < spans.length && spans[j][0] < s[0] + reach; j++) seen.add(spans[j][2]);
      if (seen.size > bestCount) { best = s[0]; bestCount = seen.size; }
    });
    return best;
  }

  /* Mark the query words inside text, returning DOM nodes (text only, never HTML). */
  function highlight(text, terms, max) {
    var frag = document.createDocumentFragment();
    var match = wordMatcher(terms);
    var re = /[\p{L}\p{N}]+/gu, m, spans = [];
    while ((m = re.exec(text))) {
      if (match(m[0])) spans.push([m.index, m.index + m[0].length, fold(m[0].toLowerCase())]);
    }
    var from = Math.max(0, windowStart(spans, max - 80) - 60), to = Math.min(text.length, from + max), start;
    if (from > 0) { from = text.indexOf(" ", from) + 1; frag.appendChild(document.createTextNode("… ")); }
    start = from;
    spans.forEach(function (s) {
      if (s[0] < from || s[1] > to) return;
      frag.appendChild(document.createTextNode(text.slice(start, s[0])));
      frag.appendChild(el("mark", null, text.slice(s[0], s[1])));
      start = s[1];
    });
    frag.appendChild(document.createTextNode(text.slice(start, to) + (to < text.length ? " …" : "")));
    return frag;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function ngay(iso) {
    var p = (iso || "").split("-");
    return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : p.length === 2 ? "tháng " + (+p[1]) + "/" + p[0] : iso;
  }

  /* The site root for links: the page says it (data-root); before the body is parsed, the
     root this script was loaded from. */
  function root() {
    var r = document.body && document.body.getAttribute("data-root");
    return r || (script ? new URL("../../", script.src).pathname : "../");
  }

  /* One result, complete: title, number, type, date, issuer (row: [id, title, type,
     number/symbol, date, issuer]) and the highlighted snippet with its section link. */
  function renderResult(doc, terms) {
    var r = doc.r, href = root() + "van-ban/" + r[0] + "/";
    var li = el("li", "result"), title = r[1] || "(không có trích yếu)";
    var a = el("a", "result-title", title.charAt(0).toUpperCase() + title.slice(1));
    a.href = href;
    li.appendChild(a);
    var meta = el("div", "doc-meta");
    meta.appendChild(el("span", "badge", r[2] || "Văn bản"));
    if (r[3]) meta.appendChild(el("span", "so", "Số " + r[3]));
    if (r[4]) meta.appendChild(el("time", null, ngay(r[4])));
    if (r[5]) meta.appendChild(el("span", "issuer", r[5]));
    li.appendChild(meta);
    var best = bestPassage(doc, terms);
    if (best) {
      var p = el("p", "snippet");
      p.appendChild(highlight(best.text, terms, 260));
      li.appendChild(p);
      if (best.anchor) {
        var jump = el("a", "jump", "Đến mục: " + best.heading.slice(0, 100));
        jump.href = href + "#" + best.anchor;
        li.appendChild(jump);
      }
    }
    return li;
  }

  /* The next page of hits as list items in rank order, each built as soon as its file
     arrives (so the work is done while the others are still on their way). */
  function nextPage(v) {
    var from = v.shown, page = v.hits.slice(from, from + PAGE);
    v.shown += page.length;
    var all = Promise.all(page.map(function (h) {
      return result(h.o).then(function (doc) { return renderResult(doc, v.terms); });
    })).then(function (items) { return { from: from, items: items }; });
    if (page.length) warm(v);
    return all;
  }

  /* Once, while the first result files are on their way: build a result from the query text
     itself, so that the snippet code (its regular expressions, Unicode normalisation) is
     compiled before the files arrive rather than when they do. The item is discarded. */
  var warmed = false;
  function warm(v) {
    if (warmed) return;
    warmed = true;
    renderResult({ r: ["", v.text, "", "", "", ""], a: [["", ""]], p: [[0, v.text]] }, v.terms);
  }

  /* Rank further when the next page goes past the hits ranked so far. */
  function ensureRanked(v, m) {
    if (v.shown + PAGE <= v.hits.length || v.hits.length >= v.total) return Promise.resolve();
    return run(v.state, m, v.limit * 4).then(function (r) { v.hits = r.hits; v.limit = r.limit; });
  }

  /* A search from the first page: ranking, then its first page of results prepared. Needs no
     element of the page, so it can start before the body is parsed. */
  function search(state, seq) {
    return manifest().then(function (m) {
      if (!state.text.trim()) return { seq: seq, empty: true };
      return run(state, m, 100).then(function (r) {
        var v = { seq: seq, text: state.text, state: state, hits: r.hits, total: r.total, limit: r.limit, shown: 0,
                  terms: r.terms, phrase: r.phrase, exact: r.exact };
        return nextPage(v).then(function (page) { return { seq: seq, view: v, page: page }; });
      });
    });
  }

  function say(v) {
    if (!v.total) return "Không tìm thấy văn bản nào với “" + v.text + "”.";
    return v.exact ? v.total + " văn bản phù hợp với “" + v.text + "”."
      : "Không có văn bản chứa đủ các từ; " + v.total + " văn bản gần đúng với “" + v.text + "”.";
  }

  /* Put a page of prepared results on screen in one step; the mark is what the benchmark reads. */
  function showPage(page) {
    var frag = document.createDocumentFragment();
    page.items.forEach(function (li, i) {
      if (page.from + i === view.phrase && view.phrase > 0) {
        frag.appendChild(el("li", "result-sep", "Văn bản có đủ các từ nhưng không liền nhau"));
      }
      frag.appendChild(li);
    });
    ui.list.appendChild(frag);
    ui.more.hidden = view.shown >= view.total;
    ui.list.setAttribute("data-state", "done");
    performance.mark("search-results");
  }

  function present(done) {
    if (done.seq !== view.seq) return;
    if (done.empty) {
      ui.list.textContent = "";
      ui.more.hidden = true;
      ui.status.textContent = "Nhập từ khóa để tìm.";
      ui.list.setAttribute("data-state", "done");
      return;
    }
    view = done.view;
    ui.list.textContent = "";
    ui.status.textContent = say(view);
    showPage(done.page);
  }

  function failed() {
    ui.status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy mở trang qua máy chủ web (python build.py serve).";
  }

  /* A query in the URL is searched at once; the page shows it when it is ready. */
  var params = new URLSearchParams(location.search);
  var early = fromParams(params), first = null;
  if (early.text.trim()) {
    view.seq = 1;
    first = search(early, 1);
    first.catch(function () { /* reported once the page is ready */ });
  }

  function formState() {
    var state = { text: ui.input.value, filters: {} };
    FILTERS.forEach(function (k) { state.filters[k] = ui.filters[k].value; });
    return state;
  }

  function syncUrl(state) {
    var p = new URLSearchParams();
    if (state.text) p.set("q", state.text);
    FILTERS.forEach(function (k) { if (state.filters[k]) p.set(k, state.filters[k]); });
    var qs = p.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  function update() {
    var seq = ++view.seq;
    fillNames();
    var state = formState();
    syncUrl(state);
    ui.list.setAttribute("data-state", "loading");
    search(state, seq).then(present).catch(failed);
  }

  /* The agency and person filters list their names from the manifest; filled after the first
     results are shown (or at the first change), as they are not needed before. */
  var named = false;
  function fillNames() {
    var m = memo.m;
    if (named) return;
    if (!m) { manifest().then(fillNames, function () { /* reported by the search */ }); return; }
    named = true;
    [["co-quan", m.agencies], ["nguoi", m.people]].forEach(function (f) {
      var select = ui.filters[f[0]];
      f[1].forEach(function (pair) {
        var o = el("option", null, pair[0] + " (" + pair[1] + ")");
        o.value = pair[0];
        select.appendChild(o);
      });
      select.value = early.filters[f[0]];
    });
  }

  /* Whether the page offers every filter of the URL (else the search is done again without). */
  function offered(m) {
    function listed(names, v) { return !v || names.some(function (n) { return n[0] === v; }); }
    return ui.filters.loai.value === early.filters.loai && ui.filters.nam.value === early.filters.nam &&
      listed(m.agencies, early.filters["co-quan"]) && listed(m.people, early.filters.nguoi);
  }

  function start() {
    ui = { form: document.getElementById("search-form"), input: document.getElementById("q"),
           list: document.getElementById("search-results"), status: document.getElementById("search-status"),
           more: document.getElementById("search-more"), filters: {} };
    FILTERS.forEach(function (k) { ui.filters[k] = document.getElementById("f-" + k); });
    var timer = null;
    ui.input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 150); });
    FILTERS.forEach(function (k) { ui.filters[k].addEventListener("change", update); });
    ui.form.addEventListener("submit", function (ev) { ev.preventDefault(); update(); });
    ui.more.querySelector("button").addEventListener("click", function () {
      var v = view;
      manifest().then(function (m) { return ensureRanked(v, m); }).then(function () { return nextPage(v); })
        .then(function (page) { if (v === view) showPage(page); });
    });

    /* Arrow keys move between results; Enter follows the focused link. */
    document.addEventListener("keydown", function (ev) {
      if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(ui.list.querySelectorAll("a.result-title"));
      if (!links.length) return;
      var i = links.indexOf(document.activeElement);
      if (ev.key === "ArrowDown") i = i < 0 ? 0 : Math.min(links.length - 1, i + 1);
      else i = i <= 0 ? -1 : i - 1;
      ev.preventDefault();
      if (i < 0) ui.input.focus(); else links[i].focus();
    });

    ui.input.value = early.text;
    ui.filters.loai.value = early.filters.loai;
    ui.filters.nam.value = early.filters.nam;
    if (!first) { fillNames(); return; }
    manifest().then(function (m) {
      if (!offered(m)) { update(); return; }
      syncUrl(early);
      ui.list.setAttribute("data-state", "loading");
      return first.then(present).then(fillNames);
    }).catch(function () { fillNames(); failed(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
