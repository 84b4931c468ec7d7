#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [-- --only <suite>]`: runs the suites one after another (bundled, see
 * bench/bundle.mjs): bench/main.ts (append throughput, the suite named "append") and then every
 * bench/suites/<name>.ts. Each suite exports `main(argv): Promise<number>` and writes its own
 * results to bench/results/.
 */
import { readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { runBundled } from "./bundle.mjs";

const root = resolve(import.meta.dirname, "..");

const suites = [
  { name: "append", entry: join(root, "bench", "main.ts") },
  ...readdirSync(join(root, "bench", "suites"))
    .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
    .sort()
    .map((f) => ({ name: basename(f, ".ts"), entry: join(root, "bench", "suites", f) })),
];

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
if (only && !suites.some((s) => s.name === only)) {
  process.stderr.write(`bench: no suite "${only}"; suites: ${suites.map((s) => s.name).join(", ")}\n`);
  process.exit(2);
}

let status = 0;
for (const suite of suites.filter((s) => !only || s.name === only)) {
  process.stderr.write(`bench: suite ${suite.name}\n`);
  status ||= await runBundled(suite.entry, suite.name, args);
}
process.exit(status);
