/**
 * The peer servers: checks that nats-server and redis-server are installed (installing them is the
 * machine owner's call, and CI's, not the bench's), then starts each on a free loopback port with
 * its data in a fresh temporary folder (JetStream file store; Redis append-only file). `stop()`
 * ends the process and deletes the folder.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SetupError } from "../shared/suite";

/** A running peer server. */
export interface Server {
  name: string;
  port: number;
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether `binary` is on the PATH. */
function installed(binary: string): boolean {
  return spawnSync("which", [binary], { stdio: "ignore" }).status === 0;
}

/** Thrown when a peer server the suite needs is not installed. */
export class MissingServers extends SetupError {
  constructor(readonly missing: string[]) {
    super(
      `the peers bench needs nats-server and redis-server, and ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not on the PATH; ` +
        "install them (on Debian or Ubuntu: sudo apt-get install nats-server redis-server) and run again",
    );
  }
}

/** Throws {@link MissingServers} unless nats-server and redis-server are both installed. */
export function ensureInstalled(): void {
  const missing = ["nats-server", "redis-server"].filter((binary) => !installed(binary));
  if (missing.length > 0) throw new MissingServers(missing);
}

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, HOST, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Waits (at most 10 s) until `port` accepts connections. */
async function listening(port: number, child: ChildProcess, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ host: HOST, port }, () => c.end(() => resolve(true)));
      c.once("error", () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${name} did not listen on ${HOST}:${port} within 10 s`);
}

/** Sends SIGTERM, then SIGKILL after 5 s. */
async function end(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

async function start(name: string, binary: string, args: (port: number, dir: string) => string[]): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), `flux-peers-${name}-`));
  const port = await freePort();
  const child = spawn(binary, args(port, dir), { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr = (stderr + c).slice(-2000)));
  const stop = async () => {
    await end(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await listening(port, child, name);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${stderr}`);
  }
  return { name, port, stop };
}

/** nats-server with JetStream, file store in a temporary folder. */
export function startNats(): Promise<Server> {
  return start("nats", "nats-server", (port, dir) => ["-a", HOST, "-p", String(port), "-js", "-sd", dir]);
}

/** redis-server with the append-only file on (fsync every second, Redis' default). */
export function startRedis(): Promise<Server> {
  return start("redis", "redis-server", (port, dir) => [
    "--bind", HOST, "--port", String(port), "--dir", dir, "--appendonly", "yes", "--save", "", "--daemonize", "no",
  ]);
}
