/**
 * The web console: a Preact application served by the hub at `/`, talking only to the HTTP API.
 * Routes are client-side (wouter); a navigation to any of them gets index.html from the assets.
 */
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { Link, Route, Switch, useLocation } from "wouter-preact";
import { onUnauthorized, remember } from "./api";
import { Aggregates } from "./pages/aggregates";
import { ConsumerPage, Consumers } from "./pages/consumers";
import { Documents } from "./pages/documents";
import { Errors } from "./pages/errors";
import { Keys } from "./pages/keys";
import { KeyValue } from "./pages/keyvalue";
import { Messages } from "./pages/messages";
import { Overview } from "./pages/overview";
import { Schedules } from "./pages/schedules";
import { Session, type SessionState } from "./session";
import "./style.css";

const PROJECT = "flux-console-project";

const PAGES: [string, string][] = [
  ["/", "Overview"],
  ["/messages", "Messages"],
  ["/consumers", "Consumers"],
  ["/errors", "Errors"],
  ["/schedules", "Schedules"],
  ["/aggregates", "Aggregates"],
  ["/documents", "Search"],
  ["/kv", "Key-value"],
  ["/keys", "API keys"],
];

/** The prompt for a project key or the admin secret, shown when the hub answers 401. */
function AccessDialog(props: { reason: string; onDone: () => void }) {
  const [value, setValue] = useState("");
  const [kind, setKind] = useState<"key" | "admin">("key");
  return (
    <div class="overlay">
      <form
        class="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          remember(kind, value.trim());
          props.onDone();
        }}
      >
        <h2>Access</h2>
        <p>{props.reason}</p>
        <label>
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as "key" | "admin")} aria-label="credential kind">
            <option value="key">Project API key</option>
            <option value="admin">Admin secret</option>
          </select>
        </label>
        <input
          type="password"
          name="credential"
          placeholder="fxk_…"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          autoFocus
        />
        <p class="hint">Kept in this tab only (sessionStorage), never in the URL.</p>
        <div class="row">
          <button type="submit">Use</button>
          <button type="button" class="secondary" onClick={props.onDone}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}

function App() {
  const [location] = useLocation();
  const [project, setProject] = useState(localStorage.getItem(PROJECT) ?? "public");
  const [generation, setGeneration] = useState(0);
  const [asking, setAsking] = useState<string | null>(null);
  const session = useMemo<SessionState>(() => ({ project, generation }), [project, generation]);
  useEffect(() => onUnauthorized((reason) => setAsking(reason)), []);
  const changeProject = (value: string) => {
    localStorage.setItem(PROJECT, value);
    setProject(value);
  };
  return (
    <Session.Provider value={session}>
      <nav class="top">
        <strong class="brand">flux-edge</strong>
        {PAGES.map(([href, label]) => (
          <Link key={href} href={href} class={(href === "/" ? location === "/" : location.startsWith(href)) ? "active" : ""}>
            {label}
          </Link>
        ))}
        <span class="spacer" />
        <label class="project">
          project
          <input value={project} onChange={(e) => changeProject(e.currentTarget.value.trim() || "public")} aria-label="project" />
        </label>
        <button class="secondary" onClick={() => setAsking("Enter a project API key, or the admin secret for API keys.")}>
          Access
        </button>
        <a href="/reference.html">API reference</a>
      </nav>
      <main>
        <Switch>
          <Route path="/" component={Overview} />
          <Route path="/messages" component={Messages} />
          <Route path="/consumers" component={Consumers} />
          <Route path="/consumers/:type/:consumer">
            {(params) => <ConsumerPage type={params.type} consumer={params.consumer} />}
          </Route>
          <Route path="/errors" component={Errors} />
          <Route path="/schedules" component={Schedules} />
          <Route path="/aggregates" component={Aggregates} />
          <Route path="/documents" component={Documents} />
          <Route path="/kv" component={KeyValue} />
          <Route path="/keys" component={Keys} />
          <Route>
            <p>No such page.</p>
          </Route>
        </Switch>
      </main>
      {asking !== null && (
        <AccessDialog
          reason={asking}
          onDone={() => {
            setAsking(null);
            setGeneration((g) => g + 1);
          }}
        />
      )}
    </Session.Provider>
  );
}

render(<App />, document.getElementById("app")!);
