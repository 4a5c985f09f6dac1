/**
 * The sheet worker itself, for the app: a module Web Worker running `worker.ts`.
 */
import { SheetWorker, type WorkerPort } from './client';

export function startSheetWorker(): SheetWorker {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'sheet' });
  return new SheetWorker(worker as unknown as WorkerPort);
}
