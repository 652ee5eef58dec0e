// comlink 4.4.2 ships no `exports` map and only a `.d.ts` next to its ESM node adapter, so under
// NodeNext resolution `comlink/dist/esm/node-adapter.mjs` has no types (TS7016). This declares the
// module's one export with Node-only types (comlink's own declaration names DOM listener types).
declare module "comlink/dist/esm/node-adapter.mjs" {
  import type { Endpoint } from "comlink";

  /** The part of a Node `Worker` or `MessagePort` the adapter uses. */
  export interface NodeEndpoint {
    postMessage(message: unknown, transfer?: readonly unknown[]): void;
    on(type: "message", listener: (data: unknown) => void): unknown;
    off(type: "message", listener: (data: unknown) => void): unknown;
    start?: () => void;
  }

  /** Adapts a Node `Worker`, `parentPort` or `MessagePort` to comlink's DOM-style `Endpoint`. */
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
