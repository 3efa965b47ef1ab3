// Reads {"index": path, "texts": [...], "queries": [...]} on stdin; prints terms and
// lunr.js results for each, using the site's own vi.js, query.js and lunr build.
const fs = require("fs");
const path = require("path");
const assets = path.join(__dirname, "..", "assets");
const lunr = require(path.join(assets, "vendor", "lunr-2.3.9.min.js"));
const VI = require(path.join(assets, "js", "vi.js"));
const VIQ = require(path.join(assets, "js", "query.js"));
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const index = lunr.Index.load(JSON.parse(fs.readFileSync(input.index, "utf8")));
const out = {
  terms: input.texts.map((t) => VI.analyse(t)),
  results: input.queries.map((q) => {
    const r = VIQ.search(lunr, index, VI.analyse(q), !/\s$/.test(q));
    return { exact: r.exact, phrase: r.phrase, hits: r.hits.map((h) => [h.ref, Math.round(h.score * 1e6) / 1e6]) };
  }),
};
process.stdout.write(JSON.stringify(out));
