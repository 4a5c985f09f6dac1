/// <reference lib="webworker" />
import '../jitless';
import { createWorkerCore } from './core';
import type { ToWorker } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const core = createWorkerCore((message, transfer) => scope.postMessage(message, transfer ?? []));
scope.onmessage = (event: MessageEvent<ToWorker>) => core.handle(event.data);
