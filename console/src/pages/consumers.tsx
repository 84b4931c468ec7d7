/**
 * Consumers: every consumer with its lag, and one consumer's trackers drawn over the 128 segments,
 * its position per segment and lag per partition, with the two operator actions (reset the
 * position to an index or a time, disconnect a tracker), each confirmed and its effect shown.
 */
import { useContext, useState } from "preact/hooks";
import { useSearch } from "wouter-preact";
import { api, indexAt, indexTime, projectPath } from "../api";
import { Session } from "../session";
import type { ConsumerDetails, Metrics, Tracker } from "../types";
import { type Action, ActionNote, ErrorNote, Head, Section, formatSeconds, formatTime, useAction, useLoad } from "../ui";
import { ConsumerTable } from "./overview";

const SEGMENTS = 128;

export function Consumers() {
  const { project } = useContext(Session);
  const metrics = useLoad(() => api<Metrics>(projectPath(project, "/metrics")), [project], 5000);
  return (
    <>
      <h1>Consumers</h1>
      <ErrorNote error={metrics.error} />
      {metrics.data && (
        <Section title="Consumers and their lag">
          <ConsumerTable metrics={metrics.data} />
        </Section>
      )}
    </>
  );
}

/** One tracker's claimed segments as 128 cells. */
function SegmentBar({ tracker }: { tracker: Tracker }) {
  const [from, to] = tracker.segment ?? [0, 0];
  return (
    <div class="segments" title={`segments [${from}, ${to})`}>
      {Array.from({ length: SEGMENTS }, (_, s) => (
        <span key={s} class={s >= from && s < to ? (tracker.active ? "on active" : "on") : ""} />
      ))}
    </div>
  );
}

/** Consecutive segments with the same position, as ranges. */
function positionRanges(positions: ConsumerDetails["positions"]) {
  const ranges: { from: number; to: number; index: string | null }[] = [];
  positions.forEach((p, s) => {
    const index = p === null ? null : String(p);
    const last = ranges[ranges.length - 1];
    if (last && last.index === index) last.to = s + 1;
    else ranges.push({ from: s, to: s + 1, index });
  });
  return ranges;
}

/** The reset form: to an index (the last one processed) or a time (redeliver from then). */
function ResetPosition(props: { base: string; query: string; action: Action; onDone: () => void; behind: number }) {
  const [mode, setMode] = useState<"time" | "index">("time");
  const [value, setValue] = useState("");
  const submit = (e: Event) => {
    e.preventDefault();
    const body = mode === "index" ? { index: value.trim() } : { time: value ? Date.parse(value) : 0 };
    const what = mode === "index" ? `index ${value}` : value ? `time ${value}` : "the beginning of the log";
    void props.action.run(
      `Reset the position of this consumer to ${what}? Its trackers will read from there.`,
      async () => {
        const r = await api<{ lastIndex: string }>(`${props.base}/position${props.query}`, { method: "PUT", json: body });
        return `Position reset to ${r.lastIndex} (was ${props.behind} messages behind).`;
      },
      props.onDone,
    );
  };
  return (
    <form class="toolbar" onSubmit={submit} data-testid="reset-form">
      <label>
        <input type="radio" name="mode" checked={mode === "time"} onChange={() => setMode("time")} /> to time
      </label>
      <label>
        <input type="radio" name="mode" checked={mode === "index"} onChange={() => setMode("index")} /> to index
      </label>
      {mode === "time" ? (
        <input
          type="datetime-local"
          step="1"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          name="time"
          aria-label="reset time"
        />
      ) : (
        <input
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          name="index"
          class="mono"
          placeholder={indexAt(Date.now())}
          aria-label="reset index"
        />
      )}
      <button type="submit">Reset position</button>
    </form>
  );
}

export function ConsumerPage(props: { type: string; consumer: string }) {
  const { project } = useContext(Session);
  const topic = new URLSearchParams(useSearch()).get("topic");
  const query = topic ? `?topic=${encodeURIComponent(topic)}` : "";
  const base = projectPath(project, `/consumers/${props.type}/${encodeURIComponent(props.consumer)}`);
  const details = useLoad(() => api<ConsumerDetails>(base + query), [base, query], 3000);
  const action = useAction();
  const d = details.data;
  const disconnect = (t: Tracker) =>
    action.run(
      `Disconnect tracker ${t.trackerId}? Its segments go to the other trackers.`,
      async () => {
        await api(`${base}/trackers/${encodeURIComponent(t.trackerId)}${query}`, { method: "DELETE" });
        return `Tracker ${t.trackerId} disconnected.`;
      },
      details.reload,
    );
  return (
    <>
      <h1>
        Consumer {decodeURIComponent(props.consumer)}{" "}
        <small>
          {props.type}
          {topic ? `/${topic}` : ""}
        </small>
      </h1>
      <ErrorNote error={details.error} />
      <ActionNote action={action} />
      {d && (
        <>
          <Section title="Lag">
            <p class="big" data-testid="lag">
              <span data-testid="lag-messages">{d.messagesBehind}</span> messages behind, {formatSeconds(d.secondsBehind)}
            </p>
            <table>
              <Head columns={["partition", "segments", { num: "behind" }, { num: "seconds" }]} />
              <tbody>
                {d.partitions.map((p) => (
                  <tr key={p.partition}>
                    <td>{p.partition}</td>
                    <td>
                      [{p.segment[0]}, {p.segment[1]})
                    </td>
                    <td class="num">
                      {p.messagesBehind}
                      {p.atLeast ? "+" : ""}
                    </td>
                    <td class="num">{formatSeconds(p.secondsBehind)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <ResetPosition base={base} query={query} behind={d.messagesBehind} action={action} onDone={details.reload} />
          </Section>
          <Section title={`Trackers (${d.trackers.length})`}>
            {d.trackers.length === 0 ? (
              <p class="hint">No tracker connected.</p>
            ) : (
              <table data-testid="trackers">
                <Head columns={["tracker", "client", "segments over 0…127", ""]} />
                <tbody>
                  {d.trackers.map((t) => (
                    <tr key={t.trackerId}>
                      <td class="mono">
                        {t.trackerId}
                        {t.active ? " (active)" : ""}
                      </td>
                      <td class="mono">{t.clientId}</td>
                      <td>
                        <SegmentBar tracker={t} />
                      </td>
                      <td>
                        <button class="danger" onClick={() => void disconnect(t)}>
                          Disconnect
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>
          <Section title="Position per segment">
            <table>
              <Head columns={["segments", "last index processed", "at"]} />
              <tbody>
                {positionRanges(d.positions).map((r) => (
                  <tr key={r.from}>
                    <td>
                      [{r.from}, {r.to})
                    </td>
                    <td class="mono">{r.index ?? "none"}</td>
                    <td>{formatTime(indexTime(r.index))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
        </>
      )}
    </>
  );
}
