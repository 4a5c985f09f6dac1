/**
 * The privileged side of the bridge contract, written once: the Electron main process and the web
 * harness each pass their platform (dialogs, secret storage, notifications, the event sink) and
 * expose these handlers to the UI. Node only, no Electron.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { PoliticalCommsClient, PoliticalCommsError } from '@political-comms/sdk';
import {
  mappingSchema,
  recentFileSchema,
  settingsSchema,
  type BridgeHandlers,
  type EventName,
  type EventPayload,
} from '../../shared/bridge';
import type { Mapping } from '../../shared/mapping';
import { writeResults } from '../../shared/results';
import { createRun, openKeys, PRODUCTION_BASE_URL, type Run, type RunSummary } from '../index';
import { hashBytes } from '../input';
import { inspectJournal } from '../inspect';
import { JsonStore } from './store';

/** What differs between the Electron app and the web harness. */
export interface Platform {
  runtime: 'electron' | 'web';
  version: string;
  platform: string;
  /** Settings, recent files, saved mappings, run journals. */
  dataDir: string;
  /** The bundled example spreadsheets. */
  examplesDir: string;
  /** A path the user chose to open, or null (cancelled, or no dialog on this side). */
  chooseFileToOpen(): Promise<string | null>;
  /** A path to save to, or null when the user cancelled. */
  chooseSavePath(suggestedName: string): Promise<string | null>;
  showInFolder(path: string): boolean;
  openExternal(url: string): Promise<boolean>;
  notify(title: string, body: string): boolean;
  secrets: SecretStore;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Start the local API simulator for Sandbox mode. */
  startSandbox(): Promise<{ baseUrl: string; apiKey: string; close(): Promise<void> }>;
  /** The window's document has unsaved edits (or not): closing it then asks the UI first. */
  setDocumentState(state: { dirty: boolean; title: string }): boolean;
  /** Close the window now; a run in progress is cancelled cleanly first. */
  closeWindow(): Promise<boolean>;
}

export interface SecretStore {
  protection(): Promise<'os' | 'basic_text' | 'memory' | 'unavailable'>;
  save(secret: string): Promise<void>;
  load(): Promise<string | null>;
  clear(): Promise<void>;
}

/** Links the app may open in the system browser: https documentation pages only. */
export const EXTERNAL_LINK_HOSTS = [
  'docs.politicalcomms.com',
  'politicalcomms.com',
  'www.politicalcomms.com',
];

export function isAllowedExternalLink(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && EXTERNAL_LINK_HOSTS.includes(u.hostname) && !u.username && !u.password;
  } catch {
    return false;
  }
}

const MAX_RECENT = 10;
const recentListSchema = z.array(recentFileSchema);
const mappingsSchema = z.record(z.string(), mappingSchema);
const DEFAULT_SETTINGS = { environment: 'sandbox' as const, customBaseUrl: '', defaultOrganizationId: '' };

const runMetaSchema = z.object({
  runId: z.string(),
  fileName: z.string(),
  fileHash: z.string(),
  startedAt: z.string(),
  environment: z.string(),
  baseUrl: z.string(),
  mapping: mappingSchema,
  defaultOrganizationId: z.string().optional(),
});
type RunMeta = z.infer<typeof runMetaSchema>;

/** A message a person understands for a refused connection test. */
function connectionMessage(e: unknown): string {
  if (e instanceof PoliticalCommsError) {
    if (e.statusCode === 401)
      return 'The API key was refused. Check it in Settings, or create a new one in the dashboard (Admin > API).';
    if (e.statusCode === 403) return `This key may not list organizations (${e.code}): ${e.message}`;
    if (e.statusCode === 0)
      return `Could not reach the API: ${e.message}. Check the network connection and the base URL.`;
    return `The API answered ${e.statusCode} ${e.code}: ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

export interface Service {
  handlers: BridgeHandlers;
  /** Stop every run (they stay resumable) and the Sandbox. */
  close(): Promise<void>;
}

export function createService(platform: Platform): Service {
  const store = new JsonStore(platform.dataDir);
  const runsDir = join(platform.dataDir, 'runs');
  mkdirSync(runsDir, { recursive: true });
  const active = new Map<string, Run>();
  const summaries = new Map<string, { summary: RunSummary; meta: RunMeta }>();
  let sandbox: Awaited<ReturnType<Platform['startSandbox']>> | null = null;
  let sandboxStarting: Promise<Awaited<ReturnType<Platform['startSandbox']>>> | null = null;

  const settings = () => store.read('settings.json', settingsSchema, DEFAULT_SETTINGS);

  async function ensureSandbox() {
    if (sandbox) return sandbox;
    sandboxStarting ??= platform.startSandbox();
    sandbox = await sandboxStarting;
    return sandbox;
  }

  /** Where requests go and with which key, for the environment in force. Throws a plain message. */
  async function connection(): Promise<{ baseUrl: string; apiKey: string }> {
    const s = settings();
    if (s.environment === 'sandbox') {
      const sb = await ensureSandbox();
      return { baseUrl: sb.baseUrl, apiKey: sb.apiKey };
    }
    const apiKey = await platform.secrets.load();
    if (!apiKey)
      throw new Error(
        'There is no API key yet: add yours in Settings (or switch to the Sandbox to try things out).',
      );
    if (s.environment === 'custom') {
      if (!/^https?:\/\//.test(s.customBaseUrl))
        throw new Error('Set a custom base URL (https://…) in Settings.');
      return { baseUrl: s.customBaseUrl, apiKey };
    }
    return { baseUrl: PRODUCTION_BASE_URL, apiKey };
  }

  async function settingsView() {
    const s = settings();
    const [hasKey, protection] = await Promise.all([platform.secrets.load(), platform.secrets.protection()]);
    const baseUrl =
      s.environment === 'sandbox'
        ? (sandbox?.baseUrl ?? null)
        : s.environment === 'custom'
          ? s.customBaseUrl || null
          : PRODUCTION_BASE_URL;
    return { ...s, hasApiKey: hasKey !== null, keyProtection: protection, baseUrl };
  }

  function addRecent(name: string, path: string) {
    const list = store.read('recent.json', recentListSchema, []).filter((r) => r.path !== path);
    list.unshift({ name, path, openedAt: new Date().toISOString() });
    const trimmed = list.slice(0, MAX_RECENT);
    store.write('recent.json', trimmed);
    return trimmed;
  }

  const metaPath = (runId: string) => join(runsDir, `${runId}.json`);
  const journalPath = (runId: string) => join(runsDir, `${runId}.jsonl`);
  /** The sheet exactly as it was sent, so the run can be continued after a restart. */
  const inputPath = (runId: string) => join(runsDir, `${runId}.input`);

  function readMeta(runId: string): RunMeta | null {
    try {
      const parsed = runMetaSchema.safeParse(JSON.parse(readFileSync(metaPath(runId), 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  function allMetas(): RunMeta[] {
    return readdirSync(runsDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => readMeta(f.slice(0, -'.json'.length)))
      .filter((m): m is RunMeta => m !== null);
  }

  function toBridgeSummary(runId: string, s: RunSummary): EventPayload<'runFinished'> {
    return {
      runId,
      state: s.state,
      resumed: s.resumed,
      stop: s.stop,
      counts: s.counts,
      results: s.results,
      issues: s.issues,
      fileName: s.fileName,
    };
  }

  const handlers: BridgeHandlers = {
    async getAppInfo() {
      return { version: platform.version, platform: platform.platform, runtime: platform.runtime };
    },

    async openFile({ path }) {
      const chosen = path ?? (await platform.chooseFileToOpen());
      if (!chosen) return { cancelled: true as const };
      const bytes = new Uint8Array(await readFile(chosen));
      addRecent(basename(chosen), chosen);
      return { name: basename(chosen), path: chosen, bytes };
    },

    async openExample({ format }) {
      const path = join(platform.examplesDir, `projects.${format}`);
      return { name: basename(path), path, bytes: new Uint8Array(await readFile(path)) };
    },

    async noteRecentFile({ name, path }) {
      return addRecent(name, path);
    },

    async listRecentFiles() {
      return store.read('recent.json', recentListSchema, []).filter((r) => existsSync(r.path));
    },

    async saveFile({ suggestedName, bytes }) {
      const target = await platform.chooseSavePath(basename(suggestedName));
      if (!target) return { cancelled: true as const };
      await writeFile(target, bytes);
      return { path: target };
    },

    async showInFolder({ path }) {
      return platform.showInFolder(path);
    },

    async openExternal({ url }) {
      if (!isAllowedExternalLink(url)) return false;
      return platform.openExternal(url);
    },

    async getSettings() {
      return settingsView();
    },

    async setSettings(partial) {
      const next = settingsSchema.parse({ ...settings(), ...partial });
      store.write('settings.json', next);
      if (next.environment === 'sandbox') await ensureSandbox();
      return settingsView();
    },

    async setApiKey({ apiKey }) {
      await platform.secrets.save(apiKey.trim());
      return settingsView();
    },

    async clearApiKey() {
      await platform.secrets.clear();
      return settingsView();
    },

    async testConnection() {
      let conn;
      try {
        conn = await connection();
      } catch (e) {
        return { ok: false, message: (e as Error).message, organizations: [] };
      }
      const client = new PoliticalCommsClient({ ...conn, maxRetries: 0 });
      try {
        const res = await client.listOrganizations({ signal: AbortSignal.timeout(15_000) });
        const organizations = res.data.map((o) => ({
          id: String(o.id ?? ''),
          name: String(o.display_name ?? o.id ?? ''),
        }));
        return {
          ok: true,
          message: `Connected: this key reaches ${organizations.length} organization${organizations.length === 1 ? '' : 's'}.`,
          organizations,
        };
      } catch (e) {
        return { ok: false, message: connectionMessage(e), organizations: [] };
      }
    },

    async getSavedMapping({ signature }) {
      return store.read('mappings.json', mappingsSchema, {})[signature] ?? null;
    },

    async saveMapping({ signature, mapping }) {
      const all = store.read('mappings.json', mappingsSchema, {});
      all[signature] = mapping;
      store.write('mappings.json', all);
      return true;
    },

    async preflight({ fileName, bytes, mapping, defaultOrganizationId }) {
      const conn = await connection();
      const run = createRun({
        file: { bytes, fileName },
        mapping: mapping as Mapping,
        ...(defaultOrganizationId ? { defaultOrganizationId } : {}),
        ...conn,
        dryRun: true,
      });
      const summary = await run.start();
      const issues = summary.accountIssues;
      const resolved = issues
        .filter((i) => i.code === 'phone_number_resolved')
        .flatMap((i) => {
          const m = /^(.+) was sent as its id (\S+)\.$/.exec(i.message);
          return m ? [{ row: i.row, from: m[1]!, to: m[2]! }] : [];
        });
      return { issues, fileWarnings: summary.fileWarnings, resolved, stop: summary.stop };
    },

    async startRun({ fileName, bytes, mapping, defaultOrganizationId }) {
      const conn = await connection();
      const fileHash = hashBytes(bytes);
      // The same sheet sent again while an earlier run of it is unfinished: continue that run.
      const previous = allMetas().find(
        (m) =>
          m.fileHash === fileHash &&
          m.baseUrl === conn.baseUrl &&
          !inspectJournal(journalPath(m.runId))?.ended,
      );
      const runId =
        previous?.runId ?? `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
      if (active.has(runId)) return { runId };
      if (!previous) {
        store.writeBytes(`runs/${basename(inputPath(runId))}`, bytes);
        const meta: RunMeta = {
          runId,
          fileName,
          fileHash,
          startedAt: new Date().toISOString(),
          environment: settings().environment,
          baseUrl: conn.baseUrl,
          mapping: mapping as Mapping,
          ...(defaultOrganizationId ? { defaultOrganizationId } : {}),
        };
        store.write(`runs/${runId}.json`, meta);
      }
      const meta = readMeta(runId)!;
      // Rows earlier runs sent without learning the outcome keep their keys if sent again from here.
      const priorKeys = openKeys(
        allMetas()
          .filter((m) => m.runId !== runId && m.baseUrl === conn.baseUrl)
          .map((m) => journalPath(m.runId)),
      );
      const run = createRun({
        file: { bytes, fileName },
        mapping: mapping as Mapping,
        ...(defaultOrganizationId ? { defaultOrganizationId } : {}),
        ...conn,
        journalPath: journalPath(runId),
        priorKeys,
      });
      active.set(runId, run);
      run.on('progress', (p) => platform.emit('runProgress', { runId, ...p }));
      run.on('row', (r) => platform.emit('runRow', { runId, result: r.result, issues: r.issues }));
      void run
        .start()
        .then((summary) => {
          summaries.set(runId, { summary, meta });
          platform.emit('runFinished', toBridgeSummary(runId, summary));
          if (summary.counts.rows >= 20 || summary.state !== 'completed') {
            platform.notify(
              summary.state === 'completed' ? 'Projects created' : 'The run stopped',
              summary.state === 'completed'
                ? `${summary.counts.created} created, ${summary.counts.failed} failed, ${summary.counts.invalid} invalid.`
                : (summary.stop?.message ?? 'Open the app to resume it.'),
            );
          }
        })
        .catch((e: unknown) => platform.emit('runFailed', { runId, message: (e as Error).message }))
        .finally(() => active.delete(runId));
      return { runId };
    },

    async pauseRun({ runId }) {
      const run = active.get(runId);
      run?.pause();
      return !!run;
    },

    async resumeRun({ runId }) {
      const run = active.get(runId);
      run?.resume();
      return !!run;
    },

    async cancelRun({ runId }) {
      const run = active.get(runId);
      run?.cancel({ waitForInFlight: true });
      return !!run;
    },

    async listUnfinishedRuns() {
      return allMetas()
        .filter((m) => !active.has(m.runId))
        .flatMap((m) => {
          const info = inspectJournal(journalPath(m.runId));
          if (!info || info.ended) return [];
          return [
            {
              runId: m.runId,
              fileName: m.fileName,
              startedAt: m.startedAt,
              total: info.run.rows,
              done: info.finished,
              created: info.created,
              failed: info.finished - info.created,
            },
          ];
        })
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    },

    async continueRun({ runId }) {
      const meta = readMeta(runId);
      const bytes = store.readBytes(`runs/${basename(inputPath(runId))}`);
      if (!meta || !bytes) throw new Error('This run can no longer be found: its files were removed.');
      return {
        runId,
        file: { name: meta.fileName, path: null, bytes },
        mapping: meta.mapping,
        defaultOrganizationId: meta.defaultOrganizationId ?? '',
      };
    },

    async discardRun({ runId }) {
      if (active.has(runId)) return false;
      for (const p of [metaPath(runId), journalPath(runId), inputPath(runId)]) rmSync(p, { force: true });
      summaries.delete(runId);
      return true;
    },

    async exportResults({ runId, format }) {
      const done = summaries.get(runId);
      if (!done) throw new Error('This run has no results yet: let it finish (or resume it) first.');
      const bytes = writeResults(done.summary.source, done.summary.results, format);
      const stem = done.meta.fileName.replace(/\.[^.]+$/, '');
      const target = await platform.chooseSavePath(`${stem} results.${format}`);
      if (!target) return { cancelled: true as const };
      await writeFile(target, bytes);
      return { path: target };
    },

    async notify({ title, body }) {
      return platform.notify(title, body);
    },

    async setDocumentState(state) {
      return platform.setDocumentState(state);
    },

    async closeWindow() {
      return platform.closeWindow();
    },
  };

  return {
    handlers,
    async close() {
      for (const run of active.values()) run.cancel({ waitForInFlight: false });
      active.clear();
      if (sandbox) await sandbox.close();
      sandbox = null;
    },
  };
}
