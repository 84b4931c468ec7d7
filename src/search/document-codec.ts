/**
 * Documents as the hub reads them from requests: Flux's DefaultDocumentSerializer format (encoded
 * and decoded in src/protocol/document.ts), where a malformed document is the client's fault and
 * so a BadRequest.
 */
import { BadRequest } from "../errors";
import { type FluxDocument, decodeDocument as decode } from "../protocol/document";

export { encodeDocument } from "../protocol/document";

/** Decodes the base64 `document.value` of a SerializedDocument. Throws BadRequest on malformed input. */
export function decodeDocument(base64: string): FluxDocument {
  try {
    return decode(base64);
  } catch (e) {
    throw new BadRequest(`Could not deserialize document: ${(e as Error).message}`);
  }
}
