/**
 * A project's metrics, gathered on request from the objects that own them: append counters from
 * each log partition, lag and trackers from each consumer (via consumer lag), and open sockets
 * from the session registry, checked against the sessions themselves. Which logs and consumers
 * exist comes from the D1 registry unless the caller names them.
 */
import { partitionStub } from "../log/log-client";
import type { LogAddress } from "../log/log-address";
import { partitionCount } from "../log/partition-map";
import type { ConsumerTarget } from "../tracking/consumer-name";
import { consumerLag } from "../tracking/consumer-lag";
import type { MinuteCount } from "./append-counts";
import { type Listing, knownConsumers, knownLogs, knownSessions, unregisterSessions } from "./registry";
import { sessionStub } from "../session/session-address";

/** Append counters of one log, summed over its partitions. */
export interface LogMetrics {
  type: string;
  topic: string | null;
  messagesAppended: number;
  appends: number;
  /** Messages appended in the last complete minute. */
  messagesLastMinute: number;
  /** Per minute for the last hour (minutes without appends left out), oldest first. */
  minutes: MinuteCount[];
}

/** Lag and trackers of one consumer. */
export interface ConsumerMetrics {
  messageType: string;
  topic: string | null;
  consumer: string;
  messagesBehind: number;
  /** True when some partition had more messages behind than the hub counts. */
  atLeast: boolean;
  secondsBehind: number;
  trackers: number;
  activeTrackers: number;
}

/** Open sockets of one client name. */
export interface SessionMetrics {
  clientName: string;
  sockets: number;
}

/** Everything `GET …/metrics` reports for a project. */
export interface ProjectMetrics {
  projectId: string;
  at: number;
  logs: LogMetrics[];
  consumers: ConsumerMetrics[];
  sessions: SessionMetrics[];
  /** True when a registry listing was cut at its limit. */
  truncated: boolean;
}

/** What to report; omitted lists mean everything the registry knows. */
export interface MetricsSelection {
  logs?: LogAddress[];
  consumers?: ConsumerTarget[];
}

const MINUTE_MS = 60_000;

async function logMetrics(env: Cloudflare.Env, log: LogAddress, now: number): Promise<LogMetrics> {
  const stats = await Promise.all(Array.from({ length: partitionCount(env) }, (_, p) => partitionStub(env, log, p).appendStats()));
  const byMinute = new Map<number, MinuteCount>();
  for (const m of stats.flatMap((s) => s.minutes)) {
    const sum = byMinute.get(m.minute) ?? { minute: m.minute, messages: 0, appends: 0 };
    byMinute.set(m.minute, { minute: m.minute, messages: sum.messages + m.messages, appends: sum.appends + m.appends });
  }
  const minutes = [...byMinute.values()].sort((a, b) => a.minute - b.minute);
  const lastComplete = Math.floor(now / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
  return {
    type: log.type,
    topic: log.topic,
    messagesAppended: stats.reduce((n, s) => n + s.messages, 0),
    appends: stats.reduce((n, s) => n + s.appends, 0),
    messagesLastMinute: byMinute.get(lastComplete)?.messages ?? 0,
    minutes,
  };
}

async function consumerMetrics(env: Cloudflare.Env, target: ConsumerTarget, now: number): Promise<ConsumerMetrics> {
  const lag = await consumerLag(env, target, now);
  return {
    messageType: target.messageType,
    topic: target.log.topic,
    consumer: target.consumer,
    messagesBehind: lag.messagesBehind,
    atLeast: lag.partitions.some((p) => p.atLeast),
    secondsBehind: lag.secondsBehind,
    trackers: lag.trackers.length,
    activeTrackers: lag.trackers.filter((t) => t.active).length,
  };
}

/**
 * Open sockets per client name. A session whose socket is gone without a close (a crash sends
 * none) is dropped from the registry here.
 */
async function sessionMetrics(env: Cloudflare.Env, projectId: string): Promise<Listing<SessionMetrics>> {
  const { items, truncated } = await knownSessions(env.DB, projectId);
  const open = await Promise.all(
    items.map((s) => sessionStub(env, s.sessionId).isOpen().catch(() => true)),
  );
  await unregisterSessions(env.DB, projectId, items.filter((_, i) => !open[i]).map((s) => s.sessionId));
  const counts = new Map<string, number>();
  items.forEach((s, i) => {
    if (open[i]) counts.set(s.clientName, (counts.get(s.clientName) ?? 0) + 1);
  });
  return { items: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([clientName, sockets]) => ({ clientName, sockets })), truncated };
}

/** Gathers the metrics of `projectId`. */
export async function projectMetrics(env: Cloudflare.Env, projectId: string, selection: MetricsSelection = {}, now = Date.now()): Promise<ProjectMetrics> {
  const [logs, consumers, sessions] = await Promise.all([
    selection.logs ? { items: selection.logs, truncated: false } : knownLogs(env.DB, projectId),
    selection.consumers ? { items: selection.consumers, truncated: false } : knownConsumers(env.DB, projectId),
    sessionMetrics(env, projectId),
  ]);
  return {
    projectId,
    at: now,
    logs: await Promise.all(logs.items.map((log) => logMetrics(env, log, now))),
    consumers: await Promise.all(consumers.items.map((c) => consumerMetrics(env, c, now))),
    sessions: sessions.items,
    truncated: logs.truncated || consumers.truncated || sessions.truncated,
  };
}
