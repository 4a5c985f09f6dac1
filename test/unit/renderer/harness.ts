/**
 * The sheet worker's core and the grid model wired together in one Node process, the way the
 * renderer wires them across the worker boundary.
 */
import { readFileSync } from 'node:fs';
import { autoMap, type Mapping } from '../../../src/shared/mapping';
import { createWorkerCore } from '../../../src/renderer/src/worker/core';
import type { FromWorker, SourceOptions } from '../../../src/renderer/src/worker/protocol';
import { SheetModel } from '../../../src/renderer/src/model/sheet';
import type { FindOptions } from '../../../src/renderer/src/model/find';

export const EXAMPLE_CSV = new Uint8Array(
  readFileSync(new URL('../../../examples/projects.csv', import.meta.url)),
);
export const EXAMPLE_XLSX = new Uint8Array(
  readFileSync(new URL('../../../examples/projects.xlsx', import.meta.url)),
);

export interface Loaded {
  model: SheetModel;
  core: ReturnType<typeof createWorkerCore>;
  messages: FromWorker[];
  /** Wait for every validation pass to end and its results to reach the model. */
  settle(): Promise<void>;
  build: (request: Parameters<ReturnType<typeof createWorkerCore>['handle']>[0]) => FromWorker | undefined;
  /** Find, as the worker answers it. */
  find(query: string, options: FindOptions): number[];
}

export async function load(
  bytes: Uint8Array,
  fileName: string,
  opts: { mapping?: Mapping; defaultOrg?: string; options?: SourceOptions } = {},
): Promise<Loaded> {
  const messages: FromWorker[] = [];
  let model: SheetModel | null = null;
  let pass = 0;
  const core = createWorkerCore((m) => {
    messages.push(m);
    if (!model) return;
    if (m.t === 'checked') model.applyChecked(m.pass, m.start, m.count, m.rows, m.sev, m.flags);
    if (m.t === 'dups') model.applyDups(m.rows, m.flags, m.full);
  });
  core.handle({ t: 'open', id: 1, bytes, fileName, options: opts.options ?? {} });
  const sheet = messages.find((m) => m.t === 'sheet');
  if (!sheet || sheet.t !== 'sheet') {
    const failed = messages.find((m) => m.t === 'failed');
    throw new Error(failed && failed.t === 'failed' ? failed.message : 'no sheet');
  }
  const mapping = opts.mapping ?? autoMap(sheet.headers);
  const defaultOrg = opts.defaultOrg ?? '';
  const columns = messages.find((m) => m.t === 'columns');
  model = new SheetModel(sheet, mapping, defaultOrg, {
    cells: (keys, values) => core.handle({ t: 'cells', keys: keys.slice(), values: [...values] }),
    order: (order) => core.handle({ t: 'order', order: order.slice() }),
    validate: (rows) => {
      pass++;
      core.handle({ t: 'validate', pass, mapping: model!.mapping, defaultOrg: model!.defaultOrg, rows });
      return pass;
    },
    lastPass: () => pass,
    columns: (change) => core.handle({ t: 'column', change }),
    remapped: (mapping) => {
      pass++;
      core.handle({ t: 'validate', pass, mapping, defaultOrg: model!.defaultOrg, rows: null });
    },
  });
  if (columns?.t === 'columns') model.setColumns(columns.cols, columns.offs);
  pass++;
  core.handle({ t: 'validate', pass, mapping, defaultOrg, rows: null });
  const m = model;
  let nextId = 100;
  const build: Loaded['build'] = (request) => {
    const before = messages.length;
    const id = nextId++;
    core.handle({ ...request, id } as never);
    return messages.slice(before).find((x) => 'id' in x && x.id === id);
  };
  return {
    model: m,
    core,
    messages,
    settle: () => core.idle(),
    find(query, options) {
      const found = build({ t: 'find', id: 0, query, options });
      return found?.t === 'found' ? Array.from(found.keys) : [];
    },
    build,
  };
}

export function csvBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
