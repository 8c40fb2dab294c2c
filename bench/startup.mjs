// Start-up benchmark: median wall time of `logship --help` beside `node -e 0`.
// Target (issue #2): at most 1.5× Node's own start-up. Prints figures; asserts nothing.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const runs = Number(process.env.RUNS ?? 15);
const bin = fileURLToPath(new URL("../bin/logship.js", import.meta.url));

function median(cmd, args) {
  const times = [];
  for (let i = 0; i < runs + 2; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: "ignore" });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
    if (i >= 2) times.push(Number(process.hrtime.bigint() - t) / 1e6); // first two warm the disk cache
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const node = median(process.execPath, ["-e", "0"]);
const help = median(process.execPath, [bin, "--help"]);
const ratio = help / node;
console.log(`node -e 0        median ${node.toFixed(1)} ms (${runs} runs)`);
console.log(`logship --help   median ${help.toFixed(1)} ms (${runs} runs)`);
console.log(`ratio            ${ratio.toFixed(2)}× (target ≤ 1.50×) ${ratio <= 1.5 ? "OK" : "OVER TARGET"}`);
