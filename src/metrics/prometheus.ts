/**
 * Project metrics as Prometheus text exposition (format 0.0.4): one `# HELP` and `# TYPE` per
 * family, then a sample per labelled series. Label values are escaped as the format requires
 * (backslash, double quote, newline), so any project, topic or consumer name is safe.
 */
import type { ProjectMetrics } from "./project-metrics";

/** The content type of the exposition format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type Labels = Record<string, string | null>;

interface Family {
  name: string;
  type: "counter" | "gauge";
  help: string;
  samples: { labels: Labels; value: number }[];
}

/** Escapes a label value for the text format. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v ?? "")}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function families(m: ProjectMetrics): Family[] {
  const project = { project: m.projectId };
  const log = (l: ProjectMetrics["logs"][number]) => ({ ...project, type: l.type, topic: l.topic });
  const consumer = (c: ProjectMetrics["consumers"][number]) => ({ ...project, type: c.messageType, topic: c.topic, consumer: c.consumer });
  return [
    { name: "flux_log_messages_appended_total", type: "counter", help: "Messages stored in the log (duplicates not counted).", samples: m.logs.map((l) => ({ labels: log(l), value: l.messagesAppended })) },
    { name: "flux_log_appends_total", type: "counter", help: "Appends that stored messages in the log (one per partition per batch).", samples: m.logs.map((l) => ({ labels: log(l), value: l.appends })) },
    { name: "flux_log_messages_last_minute", type: "gauge", help: "Messages stored in the log in the last complete minute.", samples: m.logs.map((l) => ({ labels: log(l), value: l.messagesLastMinute })) },
    { name: "flux_consumer_lag_messages", type: "gauge", help: "Messages past the consumer's position (a lower bound when capped).", samples: m.consumers.map((c) => ({ labels: consumer(c), value: c.messagesBehind })) },
    { name: "flux_consumer_lag_seconds", type: "gauge", help: "Age of the oldest message past the consumer's position.", samples: m.consumers.map((c) => ({ labels: consumer(c), value: c.secondsBehind })) },
    { name: "flux_consumer_trackers", type: "gauge", help: "Trackers connected to the consumer.", samples: m.consumers.map((c) => ({ labels: consumer(c), value: c.trackers })) },
    { name: "flux_consumer_active_trackers", type: "gauge", help: "Trackers of the consumer holding a batch.", samples: m.consumers.map((c) => ({ labels: consumer(c), value: c.activeTrackers })) },
    { name: "flux_sessions_open", type: "gauge", help: "Open WebSocket sessions by client name.", samples: m.sessions.map((s) => ({ labels: { ...project, client: s.clientName }, value: s.sockets })) },
  ];
}

/** Renders a project's metrics as an exposition. */
export function prometheusText(metrics: ProjectMetrics): string {
  const lines: string[] = [];
  for (const { name, type, help, samples } of families(metrics)) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const s of samples) lines.push(`${name}${labelText(s.labels)} ${s.value}`);
  }
  return lines.join("\n") + "\n";
}
