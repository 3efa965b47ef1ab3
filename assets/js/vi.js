/* Vietnamese analysis for search — the twin of builder/searchterms.py.
   Both sides must give the same terms for the same text (tests/test_search_parity.py). */
(function (root) {
  "use strict";
  var TOKEN = /[\p{L}\p{N}]+(?:[./\-][\p{L}\p{N}]+)*/gu;
  var SPLIT = /[./\-]/;

  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D")
      .normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
  }

  function tokens(text) {
    return text.normalize("NFC").toLowerCase().match(TOKEN) || [];
  }

  function num(part) {
    return /^\d+$/.test(part) ? (part.replace(/^0+/, "") || "0") : part;
  }

  function analyse(text) {
    var words = [], compounds = [];
    tokens(text).forEach(function (tok) {
      var parts = tok.split(SPLIT).filter(Boolean).map(num);
      if (parts.length > 1) compounds.push(fold(parts.join("/")));
      Array.prototype.push.apply(words, parts);
    });
    var folded = words.map(fold);
    var pairs = [];
    for (var i = 0; i + 1 < folded.length; i++) pairs.push(folded[i] + "_" + folded[i + 1]);
    return { w: words, f: folded, c: compounds, p: pairs };
  }

  var api = { fold: fold, tokens: tokens, analyse: analyse };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.VI = api;
})(this);
