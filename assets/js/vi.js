/* Vietnamese analysis for search — the twin of builder/searchterms.py.
   Both sides must give the same terms for the same text (tests/test_search_parity.py). */
(function (root) {
  "use strict";
  var TOKEN = /[\p{L}\p{N}]+(?:[./\-][\p{L}\p{N}]+)*/gu;
  var TOKEN_OR_BREAK = /([\p{L}\p{N}]+(?:[./\-][\p{L}\p{N}]+)*)|([,;:.!?()\[\]"“”|])/gu;
  var SPLIT = /[./\-]/;
  var TONES = /[\u0300\u0301\u0303\u0309\u0323]/g;
  var OPEN = /(oa|oe|uy)$/;

  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D")
      .normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
  }

  function tokens(text) {
    return text.normalize("NFC").toLowerCase().match(TOKEN) || [];
  }

  /* One exact spelling per word: in a syllable ending in oa/oe/uy the tone mark sits on the
     last vowel ('hòa' → 'hoà', 'thủy' → 'thuỷ'); every other word is unchanged. */
  function canon(word) {
    if (word.length < 2) return word;
    var d = word.normalize("NFD");
    var marks = d.match(TONES);
    if (!marks || marks.length !== 1) return word;
    var base = d.replace(TONES, "");
    return OPEN.test(base) ? (base + marks[0]).normalize("NFC") : word;
  }

  function num(part) {
    return /^\d+$/.test(part) ? (part.replace(/^0+/, "") || "0") : part;
  }

  function analyse(text) {
    var words = [], folded = [], compounds = [], chain = [], m;
    var lower = text.normalize("NFC").toLowerCase();
    TOKEN_OR_BREAK.lastIndex = 0;
    while ((m = TOKEN_OR_BREAK.exec(lower))) {
      if (m[2]) { chain.push(null); continue; }
      var parts = m[1].split(SPLIT).filter(Boolean).map(num);
      var fo = parts.map(fold);
      parts.forEach(function (p) { words.push(canon(p)); });
      Array.prototype.push.apply(folded, fo);
      Array.prototype.push.apply(chain, fo);
      if (parts.length > 1) compounds.push(fo.join("/"));
    }
    var pairs = [];
    for (var i = 0; i + 1 < chain.length; i++) {
      if (chain[i] && chain[i + 1]) pairs.push(chain[i] + "_" + chain[i + 1]);
    }
    return { w: words, f: folded, c: compounds, p: pairs };
  }

  var api = { fold: fold, tokens: tokens, canon: canon, analyse: analyse };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.VI = api;
})(this);
