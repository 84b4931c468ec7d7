/**
 * Messages: a log of the project paged by index or from a time, filtered by message type, each
 * message decoded, its correlation followed through the audit trail; and a live tail of the log.
 */
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import { useSearch } from "wouter-preact";
import { api, indexAt, indexTime, projectPath } from "../api";
import { Session } from "../session";
import type { AuditHit, StoredMessage } from "../types";
import { ErrorNote, Json, Section, formatTime, shortType, Head } from "../ui";

/** The log types a console reader can page. */
export const LOG_TYPES = [
  "event",
  "command",
  "query",
  "result",
  "error",
  "schedule",
  "metrics",
  "webrequest",
  "webresponse",
  "document",
  "custom",
];

interface Page {
  messages: StoredMessage[];
  nextIndex: string | null;
}

function logQuery(topic: string): string {
  return topic ? `&topic=${encodeURIComponent(topic)}` : "";
}

/** Reads a page of `type` from `from`. */
export function readLog(project: string, type: string, topic: string, from: string, limit: number): Promise<Page> {
  return api<Page>(projectPath(project, `/logs/${type}/messages?from=${from}&limit=${limit}${logQuery(topic)}`));
}

/** One row of a message list. */
function MessageRow(props: { m: StoredMessage; onOpen: () => void; selected: boolean }) {
  const { m } = props;
  return (
    <tr class={props.selected ? "selected" : ""} onClick={props.onOpen} data-testid="message-row">
      <td class="mono">{String(m.index)}</td>
      <td>{formatTime(indexTime(m.index))}</td>
      <td title={m.data.type ?? ""}>{shortType(m.data.type)}</td>
      <td class="mono">{m.messageId}</td>
      <td class="preview">{m.payload === undefined ? <em>binary</em> : JSON.stringify(m.payload)}</td>
    </tr>
  );
}

/** A message list. */
export function MessageTable(props: {
  messages: StoredMessage[];
  selected: StoredMessage | null;
  onOpen: (m: StoredMessage) => void;
  testId: string;
}) {
  return (
    <table data-testid={props.testId}>
      <Head columns={["index", "stored at", "type", "messageId", "payload"]} />
      <tbody>
        {props.messages.map((m) => (
          <MessageRow key={String(m.index)} m={m} selected={props.selected === m} onOpen={() => props.onOpen(m)} />
        ))}
      </tbody>
    </table>
  );
}

/** Audit hits: messages of any log, openable in full. */
function AuditList({ hits }: { hits: AuditHit[] }) {
  const { project } = useContext(Session);
  const [open, setOpen] = useState<{ key: string; value: unknown } | null>(null);
  if (hits.length === 0) return <p class="hint">none</p>;
  return (
    <>
      <table>
        <Head columns={["log", "index", "stored at", "type", "messageId"]} />
        <tbody>
          {hits.map((h) => {
            const key = `${h.type}/${h.index}`;
            const load = async () => {
              const path = `/audit/messages/${h.type.toLowerCase()}/${h.index}?partition=${h.partition}${logQuery(h.topic ?? "")}`;
              setOpen({ key, value: (await api<{ message: unknown }>(projectPath(project, path))).message });
            };
            return (
              <tr key={key} onClick={load} class={open?.key === key ? "selected" : ""}>
                <td>{h.topic ? `${h.type}/${h.topic}` : h.type}</td>
                <td class="mono">{h.index}</td>
                <td>{formatTime(h.appendedAt)}</td>
                <td>{shortType(h.payloadType)}</td>
                <td class="mono">{h.messageId}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {open && <Json value={open.value} />}
    </>
  );
}

/** The audit trail around a message: what caused it (its `$correlationId`) and what it caused. */
export function Correlation({ message }: { message: StoredMessage }) {
  const { project } = useContext(Session);
  const [state, setState] = useState<{ trigger: AuditHit[]; caused: AuditHit[] } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => setState(null), [message]);
  const follow = async () => {
    try {
      const search = (q: string) =>
        api<{ hits: AuditHit[] }>(projectPath(project, `/audit/messages?${q}&limit=100`)).then((p) => p.hits);
      const triggerId = message.metadata?.$correlationId;
      const [trigger, caused] = await Promise.all([
        triggerId && triggerId !== message.messageId ? search(`messageId=${encodeURIComponent(triggerId)}`) : Promise.resolve([]),
        search(`correlationId=${encodeURIComponent(message.messageId)}`),
      ]);
      setState({ trigger, caused: caused.filter((h) => h.messageId !== message.messageId) });
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <div>
      <button onClick={follow}>Follow correlation</button>
      <ErrorNote error={error} />
      {state && (
        <>
          <h4>Caused by</h4>
          <AuditList hits={state.trigger} />
          <h4>Caused (commands, events, results with $correlationId = this messageId)</h4>
          <AuditList hits={state.caused} />
        </>
      )}
    </div>
  );
}

/** A message in full: ids, times, metadata and the decoded payload. */
export function MessageDetails({ message }: { message: StoredMessage }) {
  const { payload, data, metadata, ...ids } = message;
  return (
    <div class="details" data-testid="message-details">
      <table class="kv">
        <tbody>
          <tr>
            <th>index</th>
            <td class="mono">
              {String(ids.index)} ({formatTime(indexTime(ids.index))})
            </td>
          </tr>
          <tr>
            <th>messageId</th>
            <td class="mono">{ids.messageId}</td>
          </tr>
          <tr>
            <th>type</th>
            <td>
              {data.type} {data.revision ? `rev ${data.revision}` : ""}
            </td>
          </tr>
          <tr>
            <th>timestamp</th>
            <td>{formatTime(ids.timestamp)}</td>
          </tr>
          <tr>
            <th>segment</th>
            <td>{ids.segment}</td>
          </tr>
          {ids.source && (
            <tr>
              <th>source</th>
              <td>{ids.source}</td>
            </tr>
          )}
          {ids.target && (
            <tr>
              <th>target</th>
              <td>{ids.target}</td>
            </tr>
          )}
        </tbody>
      </table>
      <h4>Payload</h4>
      {payload === undefined ? <pre class="json">{data.value}</pre> : <Json value={payload} />}
      <h4>Metadata</h4>
      <table class="kv">
        <tbody>
          {Object.entries(metadata ?? {}).map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td class="mono">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Correlation message={message} />
    </div>
  );
}

/** Polls the log from the time the tail started and keeps the newest messages on top. */
function LiveTail(props: {
  type: string;
  topic: string;
  filter: string;
  onOpen: (m: StoredMessage) => void;
  selected: StoredMessage | null;
}) {
  const { project } = useContext(Session);
  const [messages, setMessages] = useState<StoredMessage[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const cursor = useRef(indexAt(Date.now() - 1000));
  useEffect(() => {
    let live = true;
    const poll = async () => {
      try {
        const page = await readLog(project, props.type, props.topic, cursor.current, 200);
        if (!live) return;
        if (page.nextIndex) cursor.current = page.nextIndex;
        if (page.messages.length) setMessages((old) => [...page.messages.reverse(), ...old].slice(0, 500));
        setError(null);
      } catch (e) {
        if (live) setError(e as Error);
      }
      if (live) timer = setTimeout(poll, 1000);
    };
    let timer = setTimeout(poll, 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [project, props.type, props.topic]);
  const shown = messages.filter((m) => matches(m, props.filter));
  return (
    <Section
      title={`Live tail of ${props.type}${props.topic ? `/${props.topic}` : ""}`}
      actions={<span class="live">● live</span>}
    >
      <ErrorNote error={error} />
      {shown.length === 0 ? (
        <p class="hint">Waiting for messages…</p>
      ) : (
        <MessageTable messages={shown} selected={props.selected} onOpen={props.onOpen} testId="tail" />
      )}
    </Section>
  );
}

function matches(m: StoredMessage, filter: string): boolean {
  return !filter || (m.data.type ?? "").toLowerCase().includes(filter.toLowerCase());
}

export function Messages() {
  const { project, generation } = useContext(Session);
  const params = new URLSearchParams(useSearch());
  const [type, setType] = useState(params.get("type") ?? "event");
  const [topic, setTopic] = useState(params.get("topic") ?? "");
  const [from, setFrom] = useState("0");
  const [time, setTime] = useState("");
  const [limit, setLimit] = useState(50);
  const [filter, setFilter] = useState("");
  const [tail, setTail] = useState(false);
  const [page, setPage] = useState<Page | null>(null);
  const [history, setHistory] = useState<string[]>([]);
  const [selected, setSelected] = useState<StoredMessage | null>(null);
  const [error, setError] = useState<Error | null>(null);

  const load = async (start: string, back: string[]) => {
    try {
      setError(null);
      setPage(await readLog(project, type, topic, start, limit));
      setHistory(back);
      setFrom(start);
    } catch (e) {
      setPage(null);
      setError(e as Error);
    }
  };
  useEffect(() => void load("0", []), [project, type, topic, generation]);

  const shown = page?.messages.filter((m) => matches(m, filter)) ?? [];
  return (
    <>
      <h1>Messages</h1>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void load(time ? indexAt(Date.parse(time)) : from, []);
        }}
      >
        <label>
          log{" "}
          <select value={type} onChange={(e) => setType(e.currentTarget.value)} name="type">
            {LOG_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          topic{" "}
          <input
            value={topic}
            onChange={(e) => setTopic(e.currentTarget.value)}
            placeholder="custom topic / collection"
            size={14}
          />
        </label>
        <label>
          from index{" "}
          <input
            value={from}
            onInput={(e) => {
              setFrom(e.currentTarget.value);
              setTime("");
            }}
            size={20}
            class="mono"
            name="from"
          />
        </label>
        <label>
          or from time{" "}
          <input type="datetime-local" step="1" value={time} onInput={(e) => setTime(e.currentTarget.value)} name="time" />
        </label>
        <label>
          limit{" "}
          <input
            type="number"
            min={1}
            max={1000}
            value={limit}
            onInput={(e) => setLimit(Number(e.currentTarget.value))}
            style="width:5em"
          />
        </label>
        <label>
          message type{" "}
          <input
            value={filter}
            onInput={(e) => setFilter(e.currentTarget.value)}
            placeholder="filter, e.g. OrderPlaced"
            name="filter"
          />
        </label>
        <button type="submit">Read</button>
        <label class="check">
          <input type="checkbox" checked={tail} onChange={(e) => setTail(e.currentTarget.checked)} name="tail" /> live tail
        </label>
      </form>
      <ErrorNote error={error} />
      {tail && <LiveTail type={type} topic={topic} filter={filter} onOpen={setSelected} selected={selected} />}
      <div class="split">
        <Section
          title={`${type}${topic ? `/${topic}` : ""} from ${from}`}
          actions={
            <span class="row">
              <button
                class="secondary"
                disabled={history.length === 0}
                onClick={() => void load(history[history.length - 1], history.slice(0, -1))}
              >
                ◀ previous
              </button>
              <button
                class="secondary"
                disabled={!page?.nextIndex || page.messages.length < limit}
                onClick={() => page?.nextIndex && void load(page.nextIndex, [...history, from])}
              >
                next ▶
              </button>
            </span>
          }
        >
          {shown.length === 0 ? (
            <p class="hint">No messages here.</p>
          ) : (
            <MessageTable messages={shown} selected={selected} onOpen={setSelected} testId="messages" />
          )}
        </Section>
        {selected && (
          <Section title="Message">
            <MessageDetails message={selected} />
          </Section>
        )}
      </div>
    </>
  );
}
