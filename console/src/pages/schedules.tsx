/** Schedules: pending schedules by due time, each cancellable after confirmation. */
import { useContext, useState } from "preact/hooks";
import { api, projectPath } from "../api";
import { Session } from "../session";
import { ActionNote, ErrorNote, Head, Json, Section, formatTime, shortType, useAction, useLoad } from "../ui";

interface Summary {
  scheduleId: string;
  deadline: number;
  type: string | null;
  recurrence: unknown;
}

export function Schedules() {
  const { project } = useContext(Session);
  const [after, setAfter] = useState<string[]>([]);
  const cursor = after[after.length - 1];
  const list = useLoad(
    () =>
      api<{ schedules: Summary[]; next: string | null }>(
        projectPath(project, `/schedules?limit=100${cursor ? `&after=${encodeURIComponent(cursor)}` : ""}`),
      ),
    [project, cursor],
    5000,
  );
  const action = useAction();
  const [open, setOpen] = useState<unknown>(null);
  const cancel = (s: Summary) =>
    action.run(
      `Cancel schedule ${s.scheduleId}, due ${formatTime(s.deadline)}?`,
      async () => {
        await api(projectPath(project, `/schedules/${encodeURIComponent(s.scheduleId)}`), { method: "DELETE" });
        return `Schedule ${s.scheduleId} cancelled.`;
      },
      list.reload,
    );
  const show = async (s: Summary) => setOpen(await api(projectPath(project, `/schedules/${encodeURIComponent(s.scheduleId)}`)));
  return (
    <>
      <h1>Schedules</h1>
      <ErrorNote error={list.error} />
      <ActionNote action={action} />
      <Section
        title="Pending, by due time"
        actions={
          <span class="row">
            <button class="secondary" disabled={!after.length} onClick={() => setAfter(after.slice(0, -1))}>
              ◀ earlier
            </button>
            <button
              class="secondary"
              disabled={!list.data?.next}
              onClick={() => list.data?.next && setAfter([...after, list.data.next])}
            >
              later ▶
            </button>
          </span>
        }
      >
        {list.data &&
          (list.data.schedules.length === 0 ? (
            <p class="hint">Nothing scheduled.</p>
          ) : (
            <table data-testid="schedules">
              <Head columns={["due", "scheduleId", "type", "recurrence", ""]} />
              <tbody>
                {list.data.schedules.map((s) => (
                  <tr key={s.scheduleId}>
                    <td>{formatTime(s.deadline)}</td>
                    <td class="mono">
                      <a
                        href="#"
                        onClick={(e) => {
                          e.preventDefault();
                          void show(s);
                        }}
                      >
                        {s.scheduleId}
                      </a>
                    </td>
                    <td>{shortType(s.type)}</td>
                    <td>{s.recurrence ? JSON.stringify(s.recurrence) : ""}</td>
                    <td>
                      <button class="danger" onClick={() => void cancel(s)}>
                        Cancel
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
      </Section>
      {open !== null && (
        <Section title="Schedule">
          <Json value={open} />
        </Section>
      )}
    </>
  );
}
