/* Search over the term shards written by builder/search.py (format: builder/search_format.py).
   No I/O here: the page (search.js) and the Node parity test (tests/parity.js) fetch the
   shards and pass them in. tests/pyquery.py is the Python twin of plan() and search(); the
   parity test expects the same documents in the same order with the same scores. */
(function (root) {
  "use strict";
  var BOOST = { word: 2, exact: 3, pair: 4, compound: 10 };
  var MAX_WORDS = 30;
  var PRESENCE = 80, HAS_IMPACTS = 8; /* keys stored without impacts (facets) weigh PRESENCE */
  var CRC = (function () {
    var t = new Int32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c;
    }
    return t;
  })();

  function crc32(bytes) {
    var c = -1;
    for (var i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8);
    return (c ^ -1) >>> 0;
  }

  function shardOf(key, shards) {
    return crc32(new TextEncoder().encode(key)) & (shards - 1);
  }

  function parseShard(buffer) {
    var b = new Uint8Array(buffer), pos = 4, dec = new TextDecoder(), keys = new Map();
    if (b[0] !== 86 || b[1] !== 73 || b[2] !== 83 || b[3] !== 49) throw new Error("not a search shard");
    function varint() {
      var n = 0, shift = 0, x;
      do { x = b[pos++]; n += (x & 0x7F) * Math.pow(2, shift); shift += 7; } while (x >= 0x80);
      return n;
    }
    function text() { var n = varint(); pos += n; return dec.decode(b.subarray(pos - n, pos)); }
    var heads = [], count = varint();
    for (var i = 0; i < count; i++) {
      var h = { key: text(), df: varint(), first: varint(), flags: b[pos++], variants: [], vdf: [], mw: 0 };
      h.gw = h.flags & 7;
      h.iw = h.flags & HAS_IMPACTS ? 1 : 0;
      for (var v = varint(); v > 0; v--) { h.variants.push(text()); h.vdf.push(varint()); }
      if (h.variants.length > 1) h.mw = b[pos++];
      heads.push(h);
    }
    heads.forEach(function (h) { h.off = pos; pos += (h.df - 1) * h.gw + h.df * h.iw + h.df * h.mw; keys.set(h.key, h); });
    return { bytes: b, keys: keys };
  }

  function fixed(b, p, w) {
    return w === 1 ? b[p] : w === 2 ? b[p] | b[p + 1] << 8 : (b[p] | b[p + 1] << 8 | b[p + 2] << 16) + b[p + 3] * 16777216;
  }

  /* The decoded postings of one key, or null when the shard does not have it. */
  function postings(shard, key) {
    var h = shard && shard.keys.get(key);
    if (!h) return null;
    var b = shard.bytes, p = h.off, ords = new Int32Array(h.df), masks = null;
    ords[0] = h.first;
    var j;
    if (h.gw === 1) for (j = 1; j < h.df; j++) ords[j] = ords[j - 1] + b[p++];
    else for (j = 1; j < h.df; j++, p += h.gw) ords[j] = ords[j - 1] + fixed(b, p, h.gw);
    var imps = h.iw ? b.subarray(p, p + h.df) : new Uint8Array(h.df).fill(PRESENCE);
    p += h.df * h.iw;
    if (h.mw) {
      masks = new Uint32Array(h.df);
      for (j = 0; j < h.df; j++, p += h.mw) masks[j] = fixed(b, p, h.mw);
    }
    return { df: h.df, ords: ords, imps: imps, masks: masks, variants: h.variants, vdf: h.vdf };
  }

  function unique(list) {
    var seen = new Set();
    return list.filter(function (x) { if (seen.has(x)) return false; seen.add(x); return true; });
  }

  /* What to look up for analysed query terms (vi.js): each folded word once, with the
     accented spellings typed for it; the pairs and compounds. */
  function plan(terms) {
    var words = [], at = new Map();
    terms.f.forEach(function (f, i) {
      if (!at.has(f)) {
        if (words.length >= MAX_WORDS) return;
        at.set(f, words.length);
        words.push({ key: f, exact: [] });
      }
      var w = words[at.get(f)], form = terms.w[i];
      if (form !== f && w.exact.indexOf(form) < 0) w.exact.push(form);
    });
    var keys = words.map(function (w) { return w.key; });
    var pairs = unique(terms.p), compounds = unique(terms.c);
    return { words: words, pairs: pairs, compounds: compounds, keys: unique(keys.concat(pairs, compounds)) };
  }

  function idf(df, n) { return Math.log(1 + (n - df + 0.5) / (df + 0.5)); }

  function addWord(acc, word, bit, P, n) {
    var wf = BOOST.word * idf(P.df, n), bits = 0, dfx = 0;
    word.exact.forEach(function (form) {
      var v = P.variants.indexOf(form);
      if (v >= 0 && !(bits & (1 << v))) { bits |= 1 << v; dfx += P.vdf[v]; }
    });
    var wx = bits ? BOOST.exact * idf(Math.min(dfx, P.df), n) : 0;
    for (var j = 0; j < P.df; j++) {
      var d = P.ords[j], s = wf * P.imps[j];
      if (bits && (P.masks ? P.masks[j] & bits : bits & 1)) s += wx * P.imps[j];
      acc.score[d] += s;
      acc.hit[d] |= bit;
    }
  }

  function addTerm(acc, P, boost, n, counted) {
    var w = boost * idf(P.df, n);
    for (var j = 0; j < P.df; j++) {
      acc.score[P.ords[j]] += w * P.imps[j];
      if (counted) acc.pairs[P.ords[j]]++;
    }
  }

  /* The first `limit` of docs by score (highest first; ties: newest first). Only the documents
     scoring at least the limit-th best score are sorted, so a page of a common word is fast. */
  function ranked(acc, docs, limit) {
    if (limit <= 0) return [];
    if (docs.length > limit) {
      var scores = new Float64Array(docs.length);
      docs.forEach(function (d, i) { scores[i] = acc.score[d]; });
      var floor = scores.sort()[docs.length - limit];
      docs = docs.filter(function (d) { return acc.score[d] >= floor; });
    }
    return docs.sort(function (a, b) { return acc.score[b] - acc.score[a] || b - a; }).slice(0, limit)
      .map(function (d) { return { o: d, score: acc.score[d] }; });
  }

  /* Documents with every word and every pair (the phrase) first, then those with every word
     elsewhere; if no document has every word, those with any (exact: false). Returns the first
     `limit` hits (all when omitted) and the total; keep(ordinal) filters before ranking. */
  function search(q, get, n, limit, keep) {
    limit = limit || n;
    if (!q.words.length) return { hits: [], total: 0, exact: true, phrase: 0 };
    var acc = { score: new Float64Array(n), hit: new Int32Array(n), pairs: new Uint16Array(n) };
    var full = 0, pairs = 0;
    q.words.forEach(function (word, i) {
      full |= 1 << i;
      var P = get(word.key);
      if (P) addWord(acc, word, 1 << i, P, n);
    });
    q.pairs.forEach(function (k) { var P = get(k); if (P) { pairs++; addTerm(acc, P, BOOST.pair, n, true); } });
    q.compounds.forEach(function (k) { var P = get(k); if (P) addTerm(acc, P, BOOST.compound, n, false); });
    var all = [], some = [], phrase = [], phrased = pairs > 0 && pairs === q.pairs.length;
    for (var d = 0; d < n; d++) {
      if (!acc.hit[d] || (keep && !keep(d))) continue;
      if (acc.hit[d] === full) (phrased && acc.pairs[d] === pairs ? phrase : all).push(d);
      else some.push(d);
    }
    if (!all.length && !phrase.length) {
      return { hits: ranked(acc, some, limit), total: some.length, exact: false, phrase: 0 };
    }
    var first = ranked(acc, phrase, limit);
    return { hits: first.concat(ranked(acc, all, limit - first.length)), total: phrase.length + all.length,
             exact: true, phrase: phrase.length };
  }

  var api = { crc32: crc32, shardOf: shardOf, parseShard: parseShard, postings: postings, plan: plan, search: search };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.VIQ = api;
})(this);
