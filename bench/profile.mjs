#!/usr/bin/env node
/**
 * `npm run bench:profile [-- --seconds N]`: runs bench/profile.ts (see bench/bundle.mjs).
 */
import { join, resolve } from "node:path";
import { runBundled } from "./bundle.mjs";

process.exit(await runBundled(join(resolve(import.meta.dirname), "profile.ts"), "profile", process.argv.slice(2)));
