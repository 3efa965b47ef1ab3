/* Search page: the manifest comes with the page (tim-kiem/chi-muc.js); a query fetches only
   the term shards it needs (query.js scores them), then one small file per result shown (its
   row and passages, for the snippet and the section link). Filters by type, year, agency and
   person; the query and filters live in the URL (?q=…&loai=…&nam=…&co-quan=…&nguoi=…). */
(function () {
  "use strict";
  var PAGE = 10;
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var moreBox = document.getElementById("search-more");
  var filters = { loai: "f-loai", nam: "f-nam", "co-quan": "f-co-quan", nguoi: "f-nguoi" };
  Object.keys(filters).forEach(function (k) { filters[k] = document.getElementById(filters[k]); });
  var root = document.body.getAttribute("data-root") || "../";
  var base = root + "tim-kiem/";
  var memo = { manifest: null, shards: new Map(), docs: new Map() };
  var view = { seq: 0, text: "", hits: [], total: 0, limit: 0, shown: 0, terms: null, phrase: 0 };

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
      : getJSON(base + "chi-muc.json"));
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

  /* Postings of every key, fetching each shard once; resolves to a Map key → postings|null. */
  function lookup(keys, m) {
    var ids = keys.map(function (k) { return VIQ.shardOf(k, m.shards); });
    return Promise.all(ids.map(shard)).then(function (shards) {
      var out = new Map();
      keys.forEach(function (k, i) { out.set(k, VIQ.postings(shards[i], k)); });
      return out;
    });
  }

  /* vb/<ordinal>.json: {r: [id, title, type, number, date, issuer], a: anchors, p: passages} */
  function result(o) {
    return remember(memo.docs, o, function () { return getJSON(base + "vb/" + o + ".json"); });
  }

  var FACETS = { loai: "#l:", "co-quan": "#c:", nguoi: "#n:" };

  function active() {
    return Object.keys(FACETS).filter(function (k) { return filters[k].value; });
  }

  /* The filters as a test on ordinals: year by ordinal range, the others by facet postings. */
  function keeper(got, m) {
    var range = filters.nam.value ? m.years[filters.nam.value] || [0, 0] : null;
    var masks = active().map(function (k) {
      var P = got.get(FACETS[k] + filters[k].value), mask = new Uint8Array(m.n);
      if (P) P.ords.forEach(function (o) { mask[o] = 1; });
      return mask;
    });
    if (!range && !masks.length) return null;
    return function (o) {
      if (range && (o < range[0] || o >= range[1])) return false;
      return masks.every(function (mask) { return mask[o] === 1; });
    };
  }

  function run(text, m, limit) {
    var terms = VI.analyse(text), q = VIQ.plan(terms);
    var facetKeys = active().map(function (k) { return FACETS[k] + filters[k].value; });
    return lookup(q.keys.concat(facetKeys), m).then(function (got) {
      var r = VIQ.search(q, function (k) { return got.get(k) || null; }, m.n, limit, keeper(got, m));
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

  /* row: [id, title, type, number/symbol, date, issuer] */
  function renderResult(r) {
    var li = el("li", "result"), title = r[1] || "(không có trích yếu)";
    var a = el("a", "result-title", title.charAt(0).toUpperCase() + title.slice(1));
    a.href = root + "van-ban/" + r[0] + "/";
    li.appendChild(a);
    var meta = el("div", "doc-meta");
    meta.appendChild(el("span", "badge", r[2] || "Văn bản"));
    if (r[3]) meta.appendChild(el("span", "so", "Số " + r[3]));
    if (r[4]) meta.appendChild(el("time", null, ngay(r[4])));
    if (r[5]) meta.appendChild(el("span", "issuer", r[5]));
    li.appendChild(meta);
    return li;
  }

  function addSnippet(li, doc, terms) {
    var best = bestPassage(doc, terms), id = doc.r[0];
    if (best) {
      var p = el("p", "snippet");
      p.appendChild(highlight(best.text, terms, 260));
      li.appendChild(p);
      if (best.anchor) {
        var jump = el("a", "jump", "Đến mục: " + best.heading.slice(0, 100));
        jump.href = root + "van-ban/" + id + "/#" + best.anchor;
        li.appendChild(jump);
      }
    }
  }

  /* Rank further when the next page goes past the hits ranked so far. */
  function ensureRanked(m) {
    if (view.shown + PAGE <= view.hits.length || view.hits.length >= view.total) return Promise.resolve();
    return run(view.text, m, view.limit * 4).then(function (r) { view.hits = r.hits; view.limit = r.limit; });
  }

  /* Show the next page of hits, each with its snippet, in rank order. */
  function showMore(seq, m) {
    return ensureRanked(m).then(function () {
      var from = view.shown, page = view.hits.slice(from, from + PAGE);
      view.shown += page.length;
      return Promise.all(page.map(function (h) { return result(h.o); })).then(function (docs) {
        if (seq === view.seq) showDocs(docs, from);
      });
    });
  }

  function showDocs(docs, from) {
    var frag = document.createDocumentFragment();
    docs.forEach(function (doc, i) {
      if (from + i === view.phrase && view.phrase > 0) {
        frag.appendChild(el("li", "result-sep", "Văn bản có đủ các từ nhưng không liền nhau"));
      }
      var li = renderResult(doc.r);
      addSnippet(li, doc, view.terms);
      frag.appendChild(li);
    });
    list.appendChild(frag);
    moreBox.hidden = view.shown >= view.total;
    list.setAttribute("data-state", "done");
    performance.mark("search-results");
  }

  function say(text, r) {
    if (!r.total) return "Không tìm thấy văn bản nào với “" + text + "”.";
    return r.exact ? r.total + " văn bản phù hợp với “" + text + "”."
      : "Không có văn bản chứa đủ các từ; " + r.total + " văn bản gần đúng với “" + text + "”.";
  }

  function show(text, seq, m) {
    if (!text.trim()) {
      list.textContent = "";
      moreBox.hidden = true;
      status.textContent = "Nhập từ khóa để tìm.";
      return Promise.resolve();
    }
    return run(text, m, 100).then(function (r) {
      if (seq !== view.seq) return;
      list.textContent = "";
      status.textContent = say(text, r);
      view = { seq: seq, text: text, hits: r.hits, total: r.total, limit: r.limit, shown: 0, terms: r.terms,
               phrase: r.phrase };
      return showMore(seq, m);
    });
  }

  function syncUrl() {
    var params = new URLSearchParams();
    if (input.value) params.set("q", input.value);
    Object.keys(filters).forEach(function (k) { if (filters[k].value) params.set(k, filters[k].value); });
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  function update() {
    var seq = ++view.seq;
    syncUrl();
    list.setAttribute("data-state", "loading");
    manifest().then(function (m) { return show(input.value, seq, m); }).catch(function () {
      status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy mở trang qua máy chủ web (python build.py serve).";
    });
  }

  function fillNames(select, names, wanted) {
    names.forEach(function (pair) {
      var o = el("option", null, pair[0] + " (" + pair[1] + ")");
      o.value = pair[0];
      select.appendChild(o);
    });
    select.value = wanted;
  }

  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 150); });
  Object.keys(filters).forEach(function (k) { filters[k].addEventListener("change", update); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); update(); });
  moreBox.querySelector("button").addEventListener("click", function () {
    manifest().then(function (m) { return showMore(view.seq, m); });
  });

  /* Arrow keys move between results; Enter follows the focused link. */
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a.result-title"));
    if (!links.length) return;
    var i = links.indexOf(document.activeElement);
    if (ev.key === "ArrowDown") i = i < 0 ? 0 : Math.min(links.length - 1, i + 1);
    else i = i <= 0 ? -1 : i - 1;
    ev.preventDefault();
    if (i < 0) input.focus(); else links[i].focus();
  });

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  Object.keys(filters).forEach(function (k) { filters[k].value = params.get(k) || ""; });
  manifest().then(function (m) {
    fillNames(filters["co-quan"], m.agencies, params.get("co-quan") || "");
    fillNames(filters.nguoi, m.people, params.get("nguoi") || "");
  }).catch(function () { /* update() reports it */ });
  if (input.value) update();
})();
