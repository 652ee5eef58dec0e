// The worker thread's entry point: expose the task runner over comlink and wait for requests.
import { parentPort } from "node:worker_threads";
import { expose } from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { createTaskHost } from "./task_host.js";

const port = parentPort;
if (port === null) throw new Error("worker_entry: must be started as a worker thread");
expose(
  createTaskHost((message) => port.postMessage(message)),
  nodeEndpoint(port),
);
