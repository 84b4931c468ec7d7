/**
 * Runs decoded requests against an endpoint and applies Flux's reply rules: every request gets a
 * result carrying its `requestId`, except Commands without guarantee STORED, which are not
 * acknowledged. Failures become `ErrorResult`s; nothing here closes the session.
 */
import { HubError } from "../errors";
import { COMMAND_TYPES, CONCURRENT_TYPES, type EncodingEndpoint, type FluxRequest, type FluxResult, type SessionInfo } from "../protocol/endpoint";
import { refusalOf } from "../protocol/request-check";
import { ReplyBudget } from "./reply-budget";
import { errorResult, resultText } from "./result-text";

/**
 * Runs `requests` in order and returns the result texts to send. The replies of one frame are
 * bounded (see ReplyBudget): once they are spent, the remaining queries are answered with an
 * error naming the limit instead of being run. `started` is called once the last request has been
 * issued (each earlier one answered), so that the caller may start its next frame.
 */
export async function dispatch<E>(
  requests: FluxRequest[],
  endpoint: EncodingEndpoint<E>,
  session: SessionInfo,
  env: E,
  started: () => void = () => {},
): Promise<string[]> {
  const out: string[] = [];
  const budget = new ReplyBudget();
  for (let i = 0; i < requests.length; ) {
    // A run of requests that may start together (appends), or a single request.
    let end = i + 1;
    if (CONCURRENT_TYPES.has(requests[i]["@type"])) {
      while (end < requests.length && requests[end]["@type"] === requests[i]["@type"]) end++;
    }
    const run = requests.slice(i, end);
    const answering = Promise.all(run.map((r) => (budget.refuses(r) ? budget.refusal(r) : answer(r, endpoint, session, env))));
    if (end >= requests.length) started();
    const texts = await answering;
    run.forEach((r, k) => {
      const text = texts[k];
      if (text !== null) out.push(budget.take(text, r));
    });
    i = end;
  }
  return out;
}

/** Runs one request; the result text to send, or null when nothing is sent (now). */
async function answer<E>(request: FluxRequest, endpoint: EncodingEndpoint<E>, session: SessionInfo, env: E): Promise<string | null> {
  const refusal = refusalOf(request);
  if (refusal) return resultText(errorResult(refusal), request.requestId);
  const type = request["@type"];
  const handler = Object.hasOwn(endpoint, type) ? endpoint[type] : undefined;
  let result: FluxResult | string | null;
  try {
    if (!handler) throw new HubError("bad_request", `unknown request type "${type}" on /${session.path}`);
    result = await handler(request, session, env);
  } catch (e) {
    return resultText(errorResult(e), request.requestId);
  }
  if (result === null) return null;
  if (COMMAND_TYPES.has(type) && request.guarantee !== "STORED" && type !== "storeValueIfAbsent") return null;
  return resultText(result, request.requestId);
}
