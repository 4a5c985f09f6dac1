/** The preload (Electron mocked): what the page can hand to the privileged side. */
import { beforeAll, describe, expect, it, vi } from 'vitest';

const exposed: Record<string, unknown> = {};
const invoked: Array<[string, unknown]> = [];
/** Files the user really dropped, and where they live; anything else has no path. */
const onDisk = new WeakMap<object, string>();

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: Record<string, unknown>) => (exposed[key] = api),
  },
  ipcRenderer: {
    invoke: async (channel: string, input: unknown) => {
      invoked.push([channel, input]);
      return { ok: true, value: [] };
    },
    on: vi.fn(),
    removeListener: vi.fn(),
  },
  webUtils: {
    getPathForFile: (file: object) => {
      if (!(file instanceof File)) throw new TypeError('not a File');
      return onDisk.get(file) ?? '';
    },
  },
}));

type Api = {
  noteRecentFile(file: unknown): Promise<unknown>;
  openFile(input: unknown): Promise<unknown>;
};
let api: Api;
beforeAll(async () => {
  await import('../../../src/preload/index');
  api = exposed['importer'] as Api;
});

describe('the preload', () => {
  it('notes a dropped file by the path Electron gives for it, never a path the page names', async () => {
    const dropped = new File(['a,b'], 'dropped.csv');
    onDisk.set(dropped, '/home/staffer/dropped.csv');
    await api.noteRecentFile(dropped);
    expect(invoked).toEqual([
      ['importer:noteRecentFile', { name: 'dropped.csv', path: '/home/staffer/dropped.csv' }],
    ]);
    invoked.length = 0;
    await expect(api.noteRecentFile({ name: 'x', path: '/etc/shadow' })).rejects.toThrow(/cannot be listed/);
    await expect(api.noteRecentFile(new File(['made up'], 'shadow'))).rejects.toThrow(/cannot be listed/);
    expect(invoked).toEqual([]);
  });

  it('passes the other calls through as they are', async () => {
    await api.openFile({ id: 'abc' });
    expect(invoked).toEqual([['importer:openFile', { id: 'abc' }]]);
  });
});
