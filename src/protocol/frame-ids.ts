/**
 * Finds the requestIds of a frame too large to parse, in the part of its JSON text the hub did
 * read, so that each of its requests can be refused under its own id. One linear pass that keeps
 * only a stack of key names: nothing of the frame is built.
 */
import { parseJson } from "./json";
import { isLong } from "./request-check";

/**
 * The requestIds of the requests in `text`, a possibly cut-off frame: the top-level request's
 * own, or those of a `requestBatch`'s entries. Ids cut off by the end are left out.
 */
export function requestIdsIn(text: string): (number | bigint)[] {
  const top: (number | bigint)[] = [];
  const entries: (number | bigint)[] = [];
  let topType: string | null = null;
  // One slot per open container: the key being read in an object, or null in an array.
  const keys: (string | null)[] = [];
  const inArray: boolean[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      keys.push(null);
      inArray.push(c === 0x5b);
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      keys.pop();
      inArray.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = !inArray[inArray.length - 1];
    } else if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      if (end < 0) break;
      if (expectKey) {
        keys[keys.length - 1] = text.slice(i + 1, end);
        expectKey = false;
      } else if (keys.length === 1 && keys[0] === "@type") {
        topType = text.slice(i + 1, end);
      }
      i = end;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i;
      while (end < text.length && /[-+.eE0-9]/.test(text[end])) end++;
      if (end === text.length) break; // the number may be cut off
      const depth = keys.length;
      const key = keys[depth - 1];
      if (key === "requestId") {
        const value = parseJson(text.slice(i, end));
        const entry = depth === 3 && inArray[1] && keys[0] === "requests";
        if (isLong(value)) (depth === 1 ? top : entry ? entries : []).push(value);
      }
      i = end - 1;
    }
  }
  return topType === "requestBatch" ? entries : top.slice(0, 1);
}

/** The index of the quote closing the string that opens at `start`, or -1 when cut off. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}
