// Reads {"site": path, "texts": [...], "queries": [...]} on stdin; prints the terms of each
// text and the results of each query, using the site's own vi.js and query.js on the shards
// the Python build wrote (read from disk the way search.js fetches them).
const fs = require("fs");
const path = require("path");
const assets = path.join(__dirname, "..", "assets", "js");
const VI = require(path.join(assets, "vi.js"));
const VIQ = require(path.join(assets, "query.js"));
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const base = path.join(input.site, "tim-kiem");
const manifest = JSON.parse(fs.readFileSync(path.join(base, "chi-muc.json"), "utf8"));
const shards = new Map();
function get(key) {
  const i = VIQ.shardOf(key, manifest.shards);
  if (!shards.has(i)) {
    const name = i.toString(16).padStart(4, "0") + ".bin";
    shards.set(i, VIQ.parseShard(fs.readFileSync(path.join(base, "t", name))));
  }
  return VIQ.postings(shards.get(i), key);
}
function docId(o) {
  return JSON.parse(fs.readFileSync(path.join(base, "vb", o + ".json"), "utf8")).r[0];
}
const out = {
  terms: input.texts.map((t) => VI.analyse(t)),
  canon: (input.words || []).map((w) => VI.canon(w)),
  results: input.queries.map((q) => {
    const r = VIQ.search(VIQ.plan(VI.analyse(q)), get, manifest.n);
    return { exact: r.exact, phrase: r.phrase, hits: r.hits.map((h) => [docId(h.o), h.score]) };
  }),
};
process.stdout.write(JSON.stringify(out));
