import { DurableObject } from "cloudflare:workers";

export class Aggregate extends DurableObject<Cloudflare.Env> {}
