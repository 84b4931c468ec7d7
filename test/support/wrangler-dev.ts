/**
 * `npm start` as users run it (wrangler dev on the local runtime), on a chosen port with its state
 * in a fresh folder: for the smoke test and the bench's probe of what users measure locally.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** A running `npm start`. */
export interface DevHub {
  url: string;
  wsUrl: string;
  stop(): Promise<void>;
}

/** Starts `npm start` on `port` and resolves once /health answers (fails after 90 s). */
export async function startWranglerDev(port: number): Promise<DevHub> {
  const dataDir = mkdtempSync(join(tmpdir(), "flux-dev-"));
  const root = resolve(import.meta.dirname, "../..");
  const dev: ChildProcess = spawn("node", [join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), FLUX_DATA_DIR: dataDir },
    stdio: "ignore",
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (dev.pid) process.kill(-dev.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, wsUrl: url.replace(/^http/, "ws"), stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error("wrangler dev did not come up within 90 s");
}
