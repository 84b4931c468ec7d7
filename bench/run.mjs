#!/usr/bin/env node
/**
 * Runs bench suites, each bench/<suite>/main.ts (bundled, see bench/shared/bundle.mjs), one after
 * another. `npm run bench [-- --quick]` runs the default ones; `--only <suite>` runs just that one
 * (`npm run bench:peers` and `npm run bench:profile` are `--only peers` and `--only profile`).
 * Each suite exports `main(argv): Promise<number>`, gets every flag, and writes its own results
 * to bench/results/.
 */
import { join, resolve } from "node:path";
import { runBundled } from "./shared/bundle.mjs";

/** In running order; the peers suite needs its servers and the profile is not a measurement. */
const SUITES = [
  { name: "append", byDefault: true },
  { name: "hops", byDefault: true },
  { name: "sdk", byDefault: true },
  { name: "services", byDefault: true },
  { name: "tracking", byDefault: true },
  { name: "peers", byDefault: false },
  { name: "profile", byDefault: false },
  { name: "codecs", byDefault: false },
];

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
if (only && !SUITES.some((s) => s.name === only)) {
  process.stderr.write(`bench: no suite "${only}"; suites: ${SUITES.map((s) => s.name).join(", ")}\n`);
  process.exit(2);
}

let status = 0;
for (const suite of SUITES.filter((s) => (only ? s.name === only : s.byDefault))) {
  process.stderr.write(`bench: suite ${suite.name}\n`);
  status ||= await runBundled(join(resolve(import.meta.dirname), suite.name, "main.ts"), suite.name, args);
}
process.exit(status);
