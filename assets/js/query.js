/* Builds a lunr query from analysed terms (vi.js) with lunr's API, never its query-string
   parser, so user input cannot become query syntax. Shared by the search page and the
   Node parity test (tests/test_search_parity.py), whose Python twin is tests/pyquery.py. */
(function (root) {
  "use strict";
  function run(lunr, index, terms, required, prefixLast, phrase) {
    var P = lunr.Query.presence, W = lunr.Query.wildcard;
    return index.query(function (q) {
      terms.f.forEach(function (f, i) {
        var last = prefixLast && i === terms.f.length - 1 && f.length >= 2;
        q.term(f, { fields: ["f"], boost: 2, usePipeline: false,
          presence: required ? P.REQUIRED : P.OPTIONAL, wildcard: last ? W.TRAILING : W.NONE });
        q.term(terms.w[i], { fields: ["w"], boost: 6, usePipeline: false });
        q.term(f, { fields: ["t"], boost: 4, usePipeline: false });
      });
      terms.c.forEach(function (c) { q.term(c, { fields: ["c"], boost: 20, usePipeline: false }); });
      terms.p.forEach(function (p) {
        q.term(p, { fields: ["p"], boost: 8, usePipeline: false, presence: phrase ? P.REQUIRED : P.OPTIONAL });
      });
    });
  }

  /* Documents with the words as a phrase first, then those with every word elsewhere
     (with or without diacritics); if no document has every word, any word. */
  function search(lunr, index, terms, prefixLast) {
    if (!terms.f.length) return { hits: [], exact: true, phrase: 0 };
    var all = run(lunr, index, terms, true, prefixLast, false);
    if (!all.length) return { hits: run(lunr, index, terms, false, false, false), exact: false, phrase: 0 };
    var phrase = terms.p.length ? run(lunr, index, terms, true, false, true) : [];
    var seen = {};
    phrase.forEach(function (h) { seen[h.ref] = true; });
    return { hits: phrase.concat(all.filter(function (h) { return !seen[h.ref]; })), exact: true, phrase: phrase.length };
  }

  var api = { run: run, search: search };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.VIQ = api;
})(this);
