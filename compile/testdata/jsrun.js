// Test harness: loads compiled CommonJS modules (one per argument), then
// answers one call per NDJSON line on stdin:
// {"mod": i, "fn": "name", "args": [...]} → {"ok": result} or
// {"throw": "message"}. mod defaults to the first module.
const path = require("path");
const mods = process.argv.slice(2).map((f) => require(path.resolve(f)));
let buf = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => { buf += d; });
process.stdin.on("end", () => {
  const out = [];
  for (const line of buf.split("\n")) {
    if (line === "") continue;
    const { mod, fn, args } = JSON.parse(line);
    try {
      out.push(JSON.stringify({ ok: mods[mod || 0][fn](...args) }));
    } catch (e) {
      out.push(JSON.stringify({ throw: String(e && e.message) }));
    }
  }
  process.stdout.write(out.join("\n") + "\n");
});
