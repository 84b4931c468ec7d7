#!/usr/bin/env node
/**
 * `npm run bench:peers [-- --quick]`: runs bench/peers/main.ts (see bench/bundle.mjs).
 */
import { join, resolve } from "node:path";
import { runBundled } from "../bundle.mjs";

process.exit(await runBundled(join(resolve(import.meta.dirname), "main.ts"), "peers", process.argv.slice(2)));
