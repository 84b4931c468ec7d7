import { DurableObject } from "cloudflare:workers";

export class ClientSession extends DurableObject<Cloudflare.Env> {}
