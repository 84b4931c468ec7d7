/** Overview: messages per second of each log over the last hour, open sessions, consumer lag. */
import { useContext } from "preact/hooks";
import { Link } from "wouter-preact";
import { api, projectPath } from "../api";
import { RateChart } from "../chart";
import { Session } from "../session";
import type { Metrics } from "../types";
import { ErrorNote, Section, formatSeconds, formatTime, useLoad, Head } from "../ui";

const MINUTE = 60_000;

/** Per-minute counts of the last hour as messages/s, minutes without appends as zero. */
function rates(metrics: Metrics, now: number) {
  const last = Math.floor(now / MINUTE) * MINUTE;
  const minutes = Array.from({ length: 60 }, (_, i) => last - (59 - i) * MINUTE);
  return {
    x: minutes.map((m) => m / 1000),
    series: metrics.logs.map((log) => {
      const counts = new Map(log.minutes.map((m) => [m.minute, m.messages]));
      return { name: log.topic ? `${log.type}/${log.topic}` : log.type, values: minutes.map((m) => (counts.get(m) ?? 0) / 60) };
    }),
  };
}

export function Overview() {
  const { project } = useContext(Session);
  const metrics = useLoad(() => api<Metrics>(projectPath(project, "/metrics")), [project], 5000);
  const m = metrics.data;
  return (
    <>
      <h1>Overview of {project}</h1>
      <ErrorNote error={metrics.error} />
      {m && (
        <>
          <Section title="Messages per second (last hour)" actions={<span class="hint">updated {formatTime(m.at)}</span>}>
            {m.logs.length ? <RateChart {...rates(m, m.at)} /> : <p class="hint">No log has stored messages yet.</p>}
          </Section>
          <div class="grid">
            <Section title="Logs">
              <table data-testid="logs">
                <Head columns={["log", { num: "messages" }, { num: "last minute" }]} />
                <tbody>
                  {m.logs.map((l) => (
                    <tr key={`${l.type}/${l.topic}`}>
                      <td>
                        <Link
                          href={`/messages?type=${l.type.toLowerCase()}${l.topic ? `&topic=${encodeURIComponent(l.topic)}` : ""}`}
                        >
                          {l.topic ? `${l.type}/${l.topic}` : l.type}
                        </Link>
                      </td>
                      <td class="num">{l.messagesAppended}</td>
                      <td class="num">{l.messagesLastMinute}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Section>
            <Section title="Open sessions by client">
              {m.sessions.length === 0 ? (
                <p class="hint">No client connected.</p>
              ) : (
                <table>
                  <Head columns={["client name", { num: "sockets" }]} />
                  <tbody>
                    {m.sessions.map((s) => (
                      <tr key={s.clientName}>
                        <td>{s.clientName}</td>
                        <td class="num">{s.sockets}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Section>
          </div>
          <Section title="Consumers">
            <ConsumerTable metrics={m} />
          </Section>
        </>
      )}
    </>
  );
}

/** Consumers with their lag, linking to each consumer's page. */
export function ConsumerTable({ metrics }: { metrics: Metrics }) {
  if (metrics.consumers.length === 0) return <p class="hint">No consumer has read yet.</p>;
  return (
    <table data-testid="consumers">
      <Head columns={["consumer", "log", { num: "behind" }, { num: "seconds behind" }, { num: "trackers" }]} />
      <tbody>
        {metrics.consumers.map((c) => (
          <tr key={`${c.messageType}/${c.topic}/${c.consumer}`}>
            <td>
              <Link
                href={`/consumers/${c.messageType.toLowerCase()}/${encodeURIComponent(c.consumer)}${c.topic ? `?topic=${encodeURIComponent(c.topic)}` : ""}`}
              >
                {c.consumer}
              </Link>
            </td>
            <td>{c.topic ? `${c.messageType}/${c.topic}` : c.messageType}</td>
            <td class="num">
              {c.messagesBehind}
              {c.atLeast ? "+" : ""}
            </td>
            <td class="num">{formatSeconds(c.secondsBehind)}</td>
            <td class="num">
              {c.activeTrackers}/{c.trackers}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
