// The SDK as users get it: `npm pack` of packages/client, installed from the tarball into a fresh
// folder outside the repository, used from plain JavaScript on Node 22 and from strict TypeScript
// with NodeNext resolution, against a real hub; on the machine's Node 20, when there is one, it
// refuses clearly (no JSON.rawJSON there, so indexes could not stay exact).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useSdkHub } from "../support/sdk-hub";

const ROOT = resolve(import.meta.dirname, "../..");
const FIXTURES = join(ROOT, "test", "package");
const sdk = useSdkHub();
let project = "";

/** Runs a command and returns its stdout; the output of a failure is in the thrown error. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  return execFileSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The machine's own Node 20, if it has one besides the Node 22 that runs the tests. */
function systemNode20(): string | undefined {
  for (const candidate of ["/usr/bin/node", "/usr/local/bin/node"]) {
    if (existsSync(candidate) && run(candidate, ["--version"], ROOT).startsWith("v20.")) return candidate;
  }
  return undefined;
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "flux-sdk-user-"));
  const packed = JSON.parse(run("npm", ["pack", "--workspace", "@flux-edge/client", "--pack-destination", project, "--json"], ROOT)) as [{ filename: string; files: { path: string }[] }];
  expect(packed[0].files.map((f) => f.path).sort()).toEqual(["LICENSE", "README.md", "dist/index.d.ts", "dist/index.js", "dist/index.js.map", "package.json"]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "sdk-user", private: true, type: "module" }));
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", `./${packed[0].filename}`, "@types/node@22.19.1"], project);
  for (const file of ["consumer.mjs", "consumer.ts", "tsconfig.json"]) copyFileSync(join(FIXTURES, file), join(project, file));
}, 180_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("the packed SDK in a fresh project", () => {
  it("installs only the client's own dependencies", () => {
    const installed = readdirSync(join(project, "node_modules"));
    expect(installed).toEqual(expect.arrayContaining(["@flux-edge", "ws", "murmurhash3js-revisited", "@msgpack"]));
    // lz4-wasm's module is embedded in the bundle; lz4js is the reference the tests compare with.
    for (const notOurs of ["hono", "zod", "croner", "wrangler", "lz4-wasm", "lz4js"]) expect(installed).not.toContain(notOurs);
  });

  it("runs a plain .mjs consumer on Node 22", () => {
    const out = JSON.parse(run(process.execPath, ["consumer.mjs"], project, { FLUX_URL: sdk.hub.wsUrl }));
    expect(out).toMatchObject({ seen: [{ hello: "world" }], answer: { sku: "s-1", price: 3 }, sequence: 0, conflict: ["conflict", 5, 0] });
  });

  it("refuses Node 20 at connect() with unsupported_runtime", (context) => {
    const node20 = systemNode20();
    if (!node20) return context.skip();
    let stderr = "";
    try {
      run(node20, ["consumer.mjs"], project, { FLUX_URL: sdk.hub.wsUrl });
    } catch (e) {
      stderr = String((e as { stderr?: unknown }).stderr);
    }
    expect(stderr).toContain("JSON.rawJSON");
    expect(stderr).toContain("unsupported_runtime");
  });

  it("compiles a strict NodeNext TypeScript consumer with no errors and runs it", () => {
    run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], project);
    const out = JSON.parse(run(process.execPath, ["out/consumer.js"], project, { FLUX_URL: sdk.hub.wsUrl }));
    expect(out).toEqual({ orderIds: ["o-1"], hits: ["placed"], sequence: 0, code: "no_handler" });
  });
});
