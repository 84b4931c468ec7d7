/**
 * A small order service on the Flux client SDK. Every instance runs the same three consumers, and
 * instances with the same consumer names split the segments between them:
 *
 * - `order-commands` handles PlaceOrder commands: it checks them and appends an OrderPlaced event
 *   to the order's event stream (which also puts it on the EVENT log). The order id is the result.
 * - `order-projection` reads OrderPlaced events and keeps a view of each order in the key-value store.
 * - `order-queries` answers GetOrder queries from that view.
 */
import { type Consumer, type FluxClient, message } from "../../src/client";

/** The PlaceOrder command. */
export interface PlaceOrder {
  orderId: string;
  item: string;
  quantity: number;
}

/** The OrderPlaced event. */
export interface OrderPlaced extends PlaceOrder {
  placedAt: number;
}

/** The GetOrder query. */
export interface GetOrder {
  orderId: string;
}

/** The view the projection keeps and GetOrder returns. */
export interface OrderView extends OrderPlaced {
  status: "placed";
}

/** A running service instance. */
export interface OrderService {
  /** Commands, events and queries this instance handled. */
  readonly handled: { commands: number; events: number; queries: number };
  /** Stops the instance's consumers. */
  stop(): Promise<void>;
}

const viewKey = (orderId: string) => `order/${orderId}`;

/** Starts one instance of the order service on `flux`. */
export function startOrderService(flux: FluxClient): OrderService {
  const handled = { commands: 0, events: 0, queries: 0 };
  const consumers: Consumer[] = [
    flux.consume<PlaceOrder>({
      consumer: "order-commands",
      messageType: "COMMAND",
      typeFilter: "PlaceOrder",
      handler: async ({ payload: command }) => {
        handled.commands++;
        if (!command.orderId || !(command.quantity > 0)) throw new Error("an order needs an id and a positive quantity");
        const event: OrderPlaced = { ...command, placedAt: Date.now() };
        await flux.eventStore.appendEvents(command.orderId, [message(event, { type: "OrderPlaced" })]);
        return { orderId: command.orderId };
      },
    }),
    flux.consume<OrderPlaced>({
      consumer: "order-projection",
      messageType: "EVENT",
      typeFilter: "OrderPlaced",
      handler: async ({ payload: event }) => {
        handled.events++;
        await flux.keyValue.storeValues({ [viewKey(event.orderId)]: { ...event, status: "placed" } satisfies OrderView });
      },
    }),
    flux.consume<GetOrder>({
      consumer: "order-queries",
      messageType: "QUERY",
      typeFilter: "GetOrder",
      handler: async ({ payload: query }) => {
        handled.queries++;
        return (await flux.keyValue.getValue<OrderView>(viewKey(query.orderId))) ?? null;
      },
    }),
  ];
  return {
    handled,
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}

/** Places an order through any running instance; resolves with the order id. */
export async function placeOrder(flux: FluxClient, order: PlaceOrder): Promise<string> {
  const { orderId } = await flux.send<{ orderId: string }>(order, { type: "PlaceOrder" });
  return orderId;
}

/** Asks any running instance for an order's view; null until the projection has it. */
export function getOrder(flux: FluxClient, orderId: string): Promise<OrderView | null> {
  return flux.query<OrderView | null>({ orderId } satisfies GetOrder, { type: "GetOrder" });
}
