/**
 * Errors: the ERROR log, searchable by error type and time, each error beside the message that
 * caused it. Flux clients publish errors with the trigger's correlation data (`$correlationId` is
 * the trigger's messageId, `$trigger` its payload class), so the audit trail finds the trigger.
 */
import { useContext, useEffect, useState } from "preact/hooks";
import { api, decodeData, indexAt, projectPath } from "../api";
import { Session } from "../session";
import type { AuditHit, StoredMessage } from "../types";
import { ErrorNote, Json, Section, formatTime, shortType } from "../ui";
import { MessageDetails, MessageTable, readLog } from "./messages";

/** The message that caused `error`, found by the audit trail. */
function Trigger({ error }: { error: StoredMessage }) {
  const { project } = useContext(Session);
  const [trigger, setTrigger] = useState<{ hit: AuditHit; message: unknown } | "none" | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const triggerId = error.metadata?.$correlationId;
  useEffect(() => {
    setTrigger(null);
    if (!triggerId) return setTrigger("none");
    void (async () => {
      try {
        const { hits } = await api<{ hits: AuditHit[] }>(
          projectPath(project, `/audit/messages?messageId=${encodeURIComponent(triggerId)}&limit=1`),
        );
        if (!hits.length) return setTrigger("none");
        const h = hits[0];
        const full = await api<{ message: unknown }>(
          projectPath(
            project,
            `/audit/messages/${h.type.toLowerCase()}/${h.index}?partition=${h.partition}${h.topic ? `&topic=${encodeURIComponent(h.topic)}` : ""}`,
          ),
        );
        const m = full.message as StoredMessage | null;
        setTrigger({
          hit: h,
          message: m && { type: m.data?.type, payload: decodeData(m.data?.value), metadata: m.metadata, messageId: m.messageId },
        });
      } catch (e) {
        setFailure(e as Error);
      }
    })();
  }, [error, project]);
  return (
    <div data-testid="trigger">
      <h4>Caused by {error.metadata?.$trigger ? shortType(error.metadata.$trigger) : ""}</h4>
      <ErrorNote error={failure} />
      {trigger === "none" && <p class="hint">No trigger recorded ($correlationId {triggerId ?? "absent"}).</p>}
      {trigger && trigger !== "none" && (
        <>
          <p>
            {trigger.hit.type} message {trigger.hit.index} at {formatTime(trigger.hit.appendedAt)}
          </p>
          <Json value={trigger.message} />
        </>
      )}
    </div>
  );
}

export function Errors() {
  const { project, generation } = useContext(Session);
  const [type, setType] = useState("");
  const [since, setSince] = useState("");
  const [messages, setMessages] = useState<StoredMessage[] | null>(null);
  const [selected, setSelected] = useState<StoredMessage | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const load = async () => {
    try {
      setError(null);
      const page = await readLog(project, "error", "", since ? indexAt(Date.parse(since)) : "0", 500);
      setMessages(page.messages);
    } catch (e) {
      setError(e as Error);
    }
  };
  useEffect(() => void load(), [project, generation]);
  const shown = (messages ?? []).filter(
    (m) => !type || `${m.data.type ?? ""} ${JSON.stringify(m.payload ?? "")}`.toLowerCase().includes(type.toLowerCase()),
  );
  return (
    <>
      <h1>Errors</h1>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          error type or text <input value={type} onInput={(e) => setType(e.currentTarget.value)} name="type" />
        </label>
        <label>
          since <input type="datetime-local" step="1" value={since} onInput={(e) => setSince(e.currentTarget.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={error} />
      <div class="split">
        <Section title={`Errors (${shown.length})`}>
          {shown.length === 0 ? (
            <p class="hint">No errors.</p>
          ) : (
            <MessageTable messages={shown} selected={selected} onOpen={setSelected} testId="errors" />
          )}
        </Section>
        {selected && (
          <Section title="Error and its trigger">
            <Trigger error={selected} />
            <MessageDetails message={selected} />
          </Section>
        )}
      </div>
    </>
  );
}
