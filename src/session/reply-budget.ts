/**
 * Bounds the replies of one frame. A tiny frame can ask for a lot (130 readFromIndex of 100 large
 * messages each); without a bound the session builds one string past what the runtime can hold.
 * Queries past the bound are answered with an error naming it; Commands always run, so that no
 * write is dropped, and their replies are small.
 */
import { PayloadTooLarge } from "../errors";
import { COMMAND_TYPES, type FluxRequest } from "../protocol/endpoint";
import { errorResult, resultText } from "./result-text";

/** The most characters of result JSON the replies to one frame may hold. */
export const MAX_REPLY_CHARS = 16 * 1024 * 1024;

/** What the replies of one frame have used so far. */
export class ReplyBudget {
  private spent = 0;

  /** Whether `request` is refused without running because the budget is spent. */
  refuses(request: FluxRequest): boolean {
    return this.spent >= MAX_REPLY_CHARS && !COMMAND_TYPES.has(request["@type"]);
  }

  /** The error answering a request that the budget refuses. */
  async refusal(request: FluxRequest): Promise<string> {
    return this.error(request, "the replies to earlier requests of this frame used it up");
  }

  /** Counts `text`, the reply to `request`; a query's reply that does not fit becomes an error. */
  take(text: string, request: FluxRequest): string {
    const fits = this.spent + text.length <= MAX_REPLY_CHARS || COMMAND_TYPES.has(request["@type"]);
    if (fits) {
      this.spent += text.length;
      return text;
    }
    // The queries after one that did not fit would most likely not fit either: refuse them unrun.
    this.spent = MAX_REPLY_CHARS;
    return this.error(request, `this reply would take ${text.length} characters; ask for fewer or smaller messages`);
  }

  private error(request: FluxRequest, why: string): string {
    const e = new PayloadTooLarge(`the replies to one frame may hold at most ${MAX_REPLY_CHARS} characters of JSON: ${why}`);
    return resultText(errorResult(e), request.requestId);
  }
}
