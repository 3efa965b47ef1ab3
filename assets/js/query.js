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

  /* The decoded postings of one key, or null when the shard does not have it. Plain loops
     over local variables: this runs once per page load, before the engine has optimised it. */
  function postings(shard, key) {
    var h = shard && shard.keys.get(key);
    if (!h) return null;
    var b = shard.bytes, p = h.off, df = h.df, gw = h.gw, ords = new Int32Array(df), masks = null, j, o = h.first;
    ords[0] = o;
    if (gw === 1) {
      for (j = 1; j < df; j++) { o += b[p++]; ords[j] = o; }
    } else if (gw === 2) {
      for (j = 1; j < df; j++, p += 2) { o += b[p] | b[p + 1] << 8; ords[j] = o; }
    } else {
      for (j = 1; j < df; j++, p += gw) { o += fixed(b, p, gw); ords[j] = o; }
    }
    var imps = h.iw ? b.subarray(p, p + df) : new Uint8Array(df).fill(PRESENCE);
    p += df * h.iw;
    if (h.mw) {
      var mw = h.mw;
      masks = new Uint32Array(df);
      if (mw === 1) masks.set(b.subarray(p, p + df));
      else for (j = 0; j < df; j++, p += mw) masks[j] = fixed(b, p, mw);
    }
    return { df: df, ords: ords, imps: imps, masks: masks, variants: h.variants, vdf: h.vdf };
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

  /* Scoring. A document's score is the sum over the query's terms, in order (words, then pairs,
     then compounds), of weight × impact byte (a word spelled as typed adds its exact weight
     too). On a first search none of this code is optimised yet, and in unoptimised code every
     floating-point operation allocates; so the loops over postings add up integers: per
     document a proxy score (the weights scaled to integers) and each term's impact byte. The
     exact scores are then computed, in the same order as above, only for the documents whose
     proxy can reach the page (bound below), which gives the same ranking and the same scores
     as summing floats over every posting (tests/test_search_parity.py). */
  var SMI = 1073741823; /* 2^30 - 1: integers up to this stay unboxed in the engine */

  /* The query's scoring terms: {P, w, wx, bits, bit, imp} (wx and bits: exact spelling). */
  function scoringTerms(q, get, n) {
    var terms = [], i, j, P;
    for (i = 0; i < q.words.length; i++) {
      P = get(q.words[i].key);
      if (!P) continue;
      var bits = 0, dfx = 0, exact = q.words[i].exact;
      for (j = 0; j < exact.length; j++) {
        var v = P.variants.indexOf(exact[j]);
        if (v >= 0 && !(bits & (1 << v))) { bits |= 1 << v; dfx += P.vdf[v]; }
      }
      terms.push({ P: P, w: BOOST.word * idf(P.df, n), wx: bits ? BOOST.exact * idf(Math.min(dfx, P.df), n) : 0,
                   bits: bits, bit: 1 << i, pair: false });
    }
    for (i = 0; i < q.pairs.length; i++) {
      P = get(q.pairs[i]);
      if (P) terms.push({ P: P, w: BOOST.pair * idf(P.df, n), wx: 0, bits: 0, bit: 0, pair: true });
    }
    for (i = 0; i < q.compounds.length; i++) {
      P = get(q.compounds[i]);
      if (P) terms.push({ P: P, w: BOOST.compound * idf(P.df, n), wx: 0, bits: 0, bit: 0, pair: false });
    }
    return terms;
  }

  /* Adds one term's postings: proxy, impact bytes, word bits, exact-spelling bits, pair count. */
  function addTerm(acc, t, W, WX) {
    var P = t.P, ords = P.ords, imps = P.imps, masks = P.masks, df = P.df, bits = t.bits, bit = t.bit;
    var proxy = acc.proxy, imp = t.imp, hit = acc.hit, xbit = acc.xbit, pairs = acc.pairs, j, d, m;
    if (t.pair) {
      for (j = 0; j < df; j++) { d = ords[j]; m = imps[j]; proxy[d] += W * m; imp[d] = m; pairs[d]++; }
    } else if (!bits) {
      for (j = 0; j < df; j++) { d = ords[j]; m = imps[j]; proxy[d] += W * m; imp[d] = m; hit[d] |= bit; }
    } else {
      for (j = 0; j < df; j++) {
        d = ords[j];
        m = imps[j];
        if (masks ? masks[j] & bits : bits & 1) { proxy[d] += (W + WX) * m; xbit[d] |= bit; }
        else proxy[d] += W * m;
        imp[d] = m;
        hit[d] |= bit;
      }
    }
  }

  /* The exact score of one document: floats, added in the query's term order. */
  function exactScore(terms, xbit, d) {
    var score = 0, t, m, s;
    for (var i = 0; i < terms.length; i++) {
      t = terms[i];
      m = t.imp[d];
      s = t.w * m;
      if (t.bit && xbit[d] & t.bit) s += t.wx * m;
      score += s;
    }
    return score;
  }

  /* The first `limit` of docs (an Int32Array of ordinals) by score (highest first; ties: newest
     first). Exact scores are computed for the documents whose proxy is at least the limit-th
     best proxy less twice the proxy's error bound: every document of the first `limit` is among
     them (a proxy is within `err` of the scaled exact score). */
  function ranked(acc, docs, limit) {
    if (limit <= 0) return [];
    var len = docs.length, proxy = acc.proxy, top = [], i;
    if (len > limit) {
      var proxies = new Int32Array(len);
      for (i = 0; i < len; i++) proxies[i] = proxy[docs[i]];
      var floor = proxies.sort()[len - limit] - 2 * acc.err;
      for (i = 0; i < len; i++) if (proxy[docs[i]] >= floor) top.push(docs[i]);
    } else {
      for (i = 0; i < len; i++) top.push(docs[i]);
    }
    var score = new Map();
    for (i = 0; i < top.length; i++) score.set(top[i], exactScore(acc.terms, acc.xbit, top[i]));
    top.sort(function (a, b) { return score.get(b) - score.get(a) || b - a; });
    var out = new Array(Math.min(limit, top.length));
    for (i = 0; i < out.length; i++) out[i] = { o: top[i], score: score.get(top[i]) };
    return out;
  }

  /* Documents with every word and every pair (the phrase) first, then those with every word
     elsewhere; if no document has every word, those with any (exact: false). Returns the first
     `limit` hits (all when omitted) and the total; keep(ordinal) filters before ranking. */
  function search(q, get, n, limit, keep) {
    limit = limit || n;
    if (!q.words.length) return { hits: [], total: 0, exact: true, phrase: 0 };
    var terms = scoringTerms(q, get, n), full = 0, pairs = 0, parts = 0, sum = 0, i, d;
    for (i = 0; i < q.words.length; i++) full |= 1 << i;
    for (i = 0; i < terms.length; i++) {
      sum += terms[i].w + terms[i].wx;
      parts += terms[i].wx ? 2 : 1;
      if (terms[i].pair) pairs++;
    }
    /* weights scaled so that a proxy never exceeds SMI; rounding each weight to an integer moves
       a proxy by at most 0.5 × 255 per part, so a proxy is within err of scale × exact score */
    var scale = sum > 0 ? (SMI - 255 * parts) / (255 * sum) : 1;
    var acc = { proxy: new Int32Array(n), hit: new Int32Array(n), xbit: new Int32Array(n), pairs: new Uint16Array(n),
                terms: terms, err: 128 * parts + 2 };
    for (i = 0; i < terms.length; i++) {
      var t = terms[i], W = Math.round(t.w * scale), WX = Math.round(t.wx * scale);
      t.imp = new Uint8Array(n);
      addTerm(acc, t, W, WX);
    }
    /* phrase ordinals fill docs from the start, the others with every word from the end */
    var hit = acc.hit, counts = acc.pairs, docs = new Int32Array(n), np = 0, na = n;
    var phrased = pairs > 0 && pairs === q.pairs.length;
    for (d = 0; d < n; d++) {
      if (hit[d] !== full || (keep && !keep(d))) continue;
      if (phrased && counts[d] === pairs) docs[np++] = d;
      else docs[--na] = d;
    }
    if (np === 0 && na === n) {
      var some = 0;
      for (d = 0; d < n; d++) if (hit[d] && (!keep || keep(d))) docs[some++] = d;
      return { hits: ranked(acc, docs.subarray(0, some), limit), total: some, exact: false, phrase: 0 };
    }
    var first = ranked(acc, docs.subarray(0, np), limit);
    return { hits: first.concat(ranked(acc, docs.subarray(na, n), limit - first.length)), total: np + n - na,
             exact: true, phrase: np };
  }

  var api = { crc32: crc32, shardOf: shardOf, parseShard: parseShard, postings: postings, plan: plan, search: search };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.VIQ = api;
})(this);
