/* Search page: loads the prebuilt lunr index, queries it with terms from vi.js (never
   through lunr's query-string parser), filters, shows snippets and keeps ?q= in the URL. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var fType = document.getElementById("f-loai");
  var fYear = document.getElementById("f-nam");
  var root = document.body.getAttribute("data-root") || "../";
  var state = { index: null, docs: null, loading: null };

  function load() {
    if (state.loading) return state.loading;
    state.loading = Promise.all([
      fetch(list.getAttribute("data-index")).then(function (r) { return r.json(); }),
      fetch(list.getAttribute("data-store")).then(function (r) { return r.json(); })
    ]).then(function (data) {
      state.index = lunr.Index.load(data[0]);
      state.docs = {};
      data[1].docs.forEach(function (d) { state.docs[d.id] = d; });
    });
    return state.loading;
  }

  function search(text) {
    var terms = VI.analyse(text);
    var r = VIQ.search(lunr, state.index, terms, !/\s$/.test(text));
    var phraseRefs = {};
    r.hits.slice(0, r.phrase).forEach(function (h) { phraseRefs[h.ref] = true; });
    var hits = r.hits.filter(function (h) {
      var d = state.docs[h.ref];
      return d && (!fType.value || d.type === fType.value) && (!fYear.value || d.year === fYear.value);
    });
    var phrase = hits.filter(function (h) { return phraseRefs[h.ref]; }).length;
    return { hits: hits, exact: r.exact, terms: terms, phrase: phrase };
  }

  /* A query typed with diacritics matches only those spellings; typed without, any. */
  function wordMatcher(terms) {
    var exact = {}, folded = {};
    var accented = terms.w.some(function (w, i) { return w !== terms.f[i]; });
    terms.w.forEach(function (w, i) {
      if (accented) exact[w] = true; else folded[terms.f[i]] = true;
    });
    return function (word) {
      var lower = word.toLowerCase();
      return exact[lower] === true || folded[VI.fold(lower)] === true;
    };
  }

  function bestSection(doc, terms) {
    var match = wordMatcher(terms), best = null, bestScore = 0;
    var pairs = {};
    terms.p.forEach(function (p) { pairs[p] = true; });
    doc.sections.forEach(function (s) {
      var words = VI.tokens(s[2]), score = 0, prev = null;
      words.forEach(function (word) {
        var hit = match(word);
        if (hit) score += 1;
        if (prev !== null && pairs[VI.fold(prev) + "_" + VI.fold(word)] && hit) score += 3;
        prev = word;
      });
      if (score > bestScore) { best = s; bestScore = score; }
    });
    return best;
  }

  /* Mark the query words inside text, returning DOM nodes (text only, never HTML). */
  function highlight(text, terms, max) {
    var frag = document.createDocumentFragment();
    var match = wordMatcher(terms);
    var re = /[\p{L}\p{N}]+/gu, m, start = 0, first = -1, spans = [];
    while ((m = re.exec(text))) {
      if (match(m[0])) { spans.push([m.index, m.index + m[0].length]); if (first < 0) first = m.index; }
    }
    var from = Math.max(0, first - 80), to = Math.min(text.length, from + max);
    if (from > 0) { from = text.indexOf(" ", from) + 1; frag.appendChild(document.createTextNode("… ")); }
    start = from;
    spans.forEach(function (s) {
      if (s[0] < from || s[1] > to) return;
      frag.appendChild(document.createTextNode(text.slice(start, s[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(s[0], s[1]);
      frag.appendChild(mark);
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

  function renderResult(hit, terms) {
    var d = state.docs[hit.ref];
    var li = el("li", "result");
    var sec = bestSection(d, terms);
    var href = root + "van-ban/" + d.id + "/" + (sec && sec[0] ? "#" + sec[0] : "");
    var title = d.title || "(không có trích yếu)";
    var a = el("a", "result-title", title.charAt(0).toUpperCase() + title.slice(1));
    a.href = root + "van-ban/" + d.id + "/";
    li.appendChild(a);
    var meta = el("div", "doc-meta");
    meta.appendChild(el("span", "badge", d.type || "Văn bản"));
    if (d.so) meta.appendChild(el("span", "so", "Số " + d.so));
    if (d.date) meta.appendChild(el("time", null, ngay(d.date)));
    if (d.issuer) meta.appendChild(el("span", "issuer", d.issuer));
    li.appendChild(meta);
    if (sec) {
      var p = el("p", "snippet");
      p.appendChild(highlight(sec[2], terms, 260));
      li.appendChild(p);
      if (sec[0]) {
        var jump = el("a", "jump", "Đến mục: " + sec[1].slice(0, 100));
        jump.href = href;
        li.appendChild(jump);
      }
    }
    return li;
  }

  function show(text) {
    list.textContent = "";
    if (!text.trim()) { status.textContent = "Nhập từ khóa để tìm."; return; }
    var r = search(text);
    status.textContent = r.hits.length
      ? (r.exact ? r.hits.length + " văn bản phù hợp với “" + text + "”."
                 : "Không có văn bản chứa đủ các từ; " + r.hits.length + " văn bản gần đúng với “" + text + "”.")
      : "Không tìm thấy văn bản nào với “" + text + "”.";
    r.hits.slice(0, 50).forEach(function (h, i) {
      if (i === r.phrase && r.phrase > 0) {
        list.appendChild(el("li", "result-sep", "Văn bản có đủ các từ nhưng không liền nhau"));
      }
      list.appendChild(renderResult(h, r.terms));
    });
  }

  function syncUrl() {
    var params = new URLSearchParams();
    if (input.value) params.set("q", input.value);
    if (fType.value) params.set("loai", fType.value);
    if (fYear.value) params.set("nam", fYear.value);
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  function update() {
    syncUrl();
    load().then(function () { show(input.value); }, function () {
      status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy mở trang qua máy chủ web (python build.py serve).";
    });
  }

  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 150); });
  fType.addEventListener("change", update);
  fYear.addEventListener("change", update);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); update(); });

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
  fType.value = params.get("loai") || "";
  fYear.value = params.get("nam") || "";
  if (input.value) update();
})();
