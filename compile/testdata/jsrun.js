// Test harness: loads a compiled CommonJS module, then answers one call per
// NDJSON line on stdin: {"fn": "name", "args": [...]} → {"ok": result}
// or {"throw": "message"}.
const path = require("path");
const m = require(path.resolve(process.argv[2]));
let buf = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => { buf += d; });
process.stdin.on("end", () => {
  const out = [];
  for (const line of buf.split("\n")) {
    if (line === "") continue;
    const { fn, args } = JSON.parse(line);
    try {
      out.push(JSON.stringify({ ok: m[fn](...args) }));
    } catch (e) {
      out.push(JSON.stringify({ throw: String(e && e.message) }));
    }
  }
  process.stdout.write(out.join("\n") + "\n");
});
