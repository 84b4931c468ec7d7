// Every `ts` block of docs/client.md, in order, as one program: type-checked, then run against a
// real local hub (the doc's ws://127.0.0.1:8787 becomes the test hub's address).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { useSdkHub } from "../support/sdk-hub";

const ROOT = resolve(import.meta.dirname, "../..");
const OUT = join(ROOT, ".wrangler", "client-doc");
const sdk = useSdkHub();

const IMPORT = /^import \{([^}]*)\} from "@flux-edge\/client";$/;

/** The doc's `ts` blocks as one module: their imports merged at the top, the rest in order, then `tail`. */
function program(markdown: string, tail: string): string {
  const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const names = new Set<string>();
  const body: string[] = [];
  for (const line of blocks.join("\n").split("\n")) {
    const m = IMPORT.exec(line);
    if (m) for (const name of m[1].split(",")) names.add(name.trim());
    else body.push(line);
  }
  return `import { ${[...names].join(", ")} } from "@flux-edge/client";\n${body.join("\n")}\n${tail}\n`;
}

it("runs every TypeScript snippet of docs/client.md against a hub", async () => {
  const tail = `export const doc = { order, cancelled, last, events: events.map((e) => e.type), hits: hits.map((h) => h.id), both: both.map((h) => h.id), web: [response.status, await response.json()] };`;
  const source = program(readFileSync(join(ROOT, "docs", "client.md"), "utf8"), tail)
    .replaceAll("ws://127.0.0.1:8787", sdk.hub.wsUrl)
    .replaceAll("http://127.0.0.1:8787", sdk.hub.url);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, "doc.ts"), source);
  writeFileSync(
    join(OUT, "tsconfig.json"),
    JSON.stringify({ extends: "../../tsconfig.json", compilerOptions: { paths: { "@flux-edge/client": ["../../src/client/index.ts"] } }, include: ["doc.ts", "../../src/vendor-types.d.ts"] }),
  );
  try {
    execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(OUT, "tsconfig.json")], { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    throw new Error(`docs/client.md does not type-check:\n${(e as { stdout?: string }).stdout}`);
  }

  const log = console.log;
  console.log = () => {};
  let doc: Record<string, unknown>;
  try {
    ({ doc } = await import(/* @vite-ignore */ pathToFileURL(join(OUT, "doc.ts")).href));
  } finally {
    console.log = log;
  }
  expect(doc).toEqual({
    order: { orderId: "o-1", status: "placed" },
    cancelled: { cancelled: "o-1" },
    last: 0,
    events: ["OrderPlaced", "OrderPaid"],
    hits: ["o-1"],
    both: ["o-1"],
    web: [200, { status: "placed", total: 20 }],
  });
}, 60_000);
