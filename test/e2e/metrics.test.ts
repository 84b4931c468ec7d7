// Metrics after a scripted run over a real local hub: appends counted per log, consumer lag and
// trackers, open sockets, as JSON and as Prometheus text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeLabelValue } from "../../src/metrics/prometheus";
import { FluxSocket } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { publish, readRequest } from "../support/tracking";

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

const PROJECT = "metered";
const params = { projectId: PROJECT, topic: "m" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Parses Prometheus text: `name{labels} value` samples, checking every line is well formed. */
function parsePrometheus(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples = [];
  for (const line of text.split("\n")) {
    if (line === "" || /^# (HELP|TYPE) [a-z_]+ .+$/.test(line)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+]+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample: ${line}`);
    const labels: Record<string, string> = {};
    const labelText = m[2] ?? "";
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
    let l: RegExpExecArray | null;
    let consumed = 0;
    while ((l = re.exec(labelText))) {
      labels[l[1]] = l[2].replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
      consumed = re.lastIndex;
    }
    if (consumed !== labelText.length) throw new Error(`bad labels: ${labelText}`);
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

describe("metrics", () => {
  it("counts appends, measures lag and trackers, and serves both formats", async () => {
    await publish(hub.wsUrl, "custom", [1, 2, 3, 4, 5], () => ({}), params);
    await publish(hub.wsUrl, "custom", [6, 7, 8], () => ({}), params);
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { ...params, clientId: "r", clientName: "reader" });
    const read = await reader.request(readRequest("c1", "t1", { lastIndex: -1, maxSize: 2 }));
    const { segment, lastIndex } = read.messageBatch;
    await reader.request({ "@type": "storePosition", consumer: "c1", segment, lastIndex, guarantee: "STORED" });

    const selected = await (await fetch(`${hub.url}/api/projects/${PROJECT}/metrics?log=custom/m&consumer=custom/m/c1`)).json();
    expect(selected.logs).toEqual([
      expect.objectContaining({ type: "CUSTOM", topic: "m", messagesAppended: 8, appends: 2 }),
    ]);
    expect(selected.logs[0].minutes.reduce((n: number, m: any) => n + m.messages, 0)).toBe(8);
    expect(selected.consumers).toEqual([
      expect.objectContaining({ messageType: "CUSTOM", topic: "m", consumer: "c1", messagesBehind: 6, trackers: 1 }),
    ]);
    expect(selected.sessions).toContainEqual({ clientName: "reader", sockets: 1 });

    // Without a selection the registries name the logs (after the audit feed's first run) and consumers.
    await sleep(2000);
    const all = await (await fetch(`${hub.url}/api/projects/${PROJECT}/metrics`)).json();
    expect(all.logs.map((l: any) => `${l.type}/${l.topic}`)).toEqual(expect.arrayContaining(["CUSTOM/m", "METRICS/null"]));
    expect(all.consumers.map((c: any) => c.consumer)).toContain("c1");

    const res = await fetch(`${hub.url}/metrics?projectId=${PROJECT}`);
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const samples = parsePrometheus(await res.text());
    const sample = (name: string, labels: Record<string, string>) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(sample("flux_log_messages_appended_total", { project: PROJECT, type: "CUSTOM", topic: "m" })).toBe(8);
    expect(sample("flux_consumer_lag_messages", { project: PROJECT, consumer: "c1" })).toBe(6);
    expect(sample("flux_consumer_trackers", { project: PROJECT, consumer: "c1" })).toBe(1);
    expect(sample("flux_sessions_open", { project: PROJECT, client: "reader" })).toBe(1);

    // Closing the socket leaves the registry.
    await reader.close();
    await sleep(300);
    const after = await (await fetch(`${hub.url}/api/projects/${PROJECT}/metrics?log=custom/m`)).json();
    expect(after.sessions.find((s: any) => s.clientName === "reader")).toBeUndefined();
  });

  it("rejects a malformed selection", async () => {
    const res = await fetch(`${hub.url}/api/projects/${PROJECT}/metrics?consumer=custom`);
    expect(res.status).toBe(400);
  });

  it("escapes label values as the text format requires", () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    const [s] = parsePrometheus(`x{l="${escapeLabelValue('q"\\\n')}"} 1\n`);
    expect(s.labels.l).toBe('q"\\\n');
  });
});
