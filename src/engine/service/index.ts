/**
 * The privileged side of the bridge contract, written once: the Electron main process and the web
 * harness each pass their platform (dialogs, secret storage, notifications, the event sink) and
 * expose these handlers to the UI. Node only, no Electron.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { PoliticalCommsClient, PoliticalCommsError } from '@political-comms/sdk';
import {
  mappingSchema,
  savedMatchSchema,
  RUN_ID_PATTERN,
  settingsSchema,
  type BridgeHandlers,
  type EventName,
  type EventPayload,
} from '../../shared/bridge';
import { writeResults } from '../../shared/results';
import {
  createRun,
  loadAccount,
  openKeysAsync,
  PRODUCTION_BASE_URL,
  submissionHash,
  type Run,
  type RunSummary,
} from '../index';
import { CSV_MAX_FILE_BYTES, WORKBOOK_MAX_FILE_BYTES } from '../../shared/sheet';
import { migrateLegacyRuns } from './legacy';
import { RunIndex, type RunCounts, type RunEntry } from './runs';
import { JsonStore } from './store';
import { normalizeName } from '../../shared/account/names';
import { checkApiKey, checkCustomBaseUrl, decodeBoundKey, encodeBoundKey } from './key';
import { readRegularFile } from './safe-open';

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
  /**
   * Whether a path given to `noteRecentFile` comes from the platform itself (the Electron preload
   * asks Electron where a dropped File lives) rather than from the page (the web harness: refused).
   */
  knowsDroppedFilePaths: boolean;
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
/** The largest spreadsheet the app reads: more than any sheet it accepts. */
export const MAX_OPEN_BYTES = Math.max(CSV_MAX_FILE_BYTES, WORKBOOK_MAX_FILE_BYTES);
/** Recent files as kept on disk (lists written before ids existed get theirs when next read). */
const recentListSchema = z.array(
  z.object({ id: z.string().optional(), name: z.string(), path: z.string(), openedAt: z.string() }),
);

const isFileNow = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A name the window suggests for a saved file, reduced to a plain file name: no folder part (`/`,
 * `\\`, `..`), no control or direction-changing characters, none of the characters Windows refuses,
 * no leading dot (a hidden file) and not too long. The extension is kept.
 */
export function safeFileName(suggested: string, fallback = 'Untitled'): string {
  const last = suggested.split(/[/\\]/).pop() ?? '';
  let name = last
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  if (!name) return fallback;
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  if (name.length > 150) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, 150 - ext.length).trimEnd() + ext;
  }
  return name;
}

const mappingsSchema = z.record(z.string(), mappingSchema);
/** Saved matches per account: the newest last, at most `MATCHES_PER_ACCOUNT` each, `MATCH_ACCOUNTS` accounts. */
const matchesSchema = z.record(z.string(), z.array(savedMatchSchema));
const MATCHES_PER_ACCOUNT = 2000;
const MATCH_ACCOUNTS = 50;
const DEFAULT_SETTINGS = { environment: 'sandbox' as const, customBaseUrl: '', defaultOrganizationId: '' };

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
  const summaries = new Map<string, { summary: RunSummary; meta: RunEntry }>();
  const index = new RunIndex(runsDir);
  /** The manifest is read (and runs of older versions moved into it) before any run call. */
  const ready = index
    .load()
    .then(() => migrateLegacyRuns(index))
    .then(() => index.prune())
    .then(
      () => undefined,
      () => undefined,
    );
  let sandbox: Awaited<ReturnType<Platform['startSandbox']>> | null = null;
  let sandboxStarting: Promise<Awaited<ReturnType<Platform['startSandbox']>>> | null = null;

  const settings = () => store.read('settings.json', settingsSchema, DEFAULT_SETTINGS);

  async function ensureSandbox() {
    if (sandbox) return sandbox;
    sandboxStarting ??= platform.startSandbox();
    sandbox = await sandboxStarting;
    return sandbox;
  }

  /**
   * Where a key is sent for Production or the custom server (never for the Sandbox, which has its own
   * key), or the message saying what to set first.
   */
  function keyTarget(
    s: z.output<typeof settingsSchema>,
  ): { ok: true; baseUrl: string } | { ok: false; message: string } {
    if (s.environment === 'production') return { ok: true, baseUrl: PRODUCTION_BASE_URL };
    if (s.environment === 'custom') {
      if (!s.customBaseUrl.trim())
        return { ok: false, message: 'Enter the custom server’s address (https://…) in Settings.' };
      return checkCustomBaseUrl(s.customBaseUrl);
    }
    return { ok: false, message: 'The Sandbox needs no key.' };
  }

  const storedKey = async () => decodeBoundKey(await platform.secrets.load(), PRODUCTION_BASE_URL);

  /**
   * Where requests go and with which key, for the environment in force. Throws a plain message. The
   * stored key goes only to the base URL it was saved for: pointing the settings elsewhere does not
   * take the key along.
   */
  async function connection(): Promise<{ baseUrl: string; apiKey: string }> {
    const s = settings();
    if (s.environment === 'sandbox') {
      const sb = await ensureSandbox();
      return { baseUrl: sb.baseUrl, apiKey: sb.apiKey };
    }
    const target = keyTarget(s);
    if (!target.ok) throw new Error(target.message);
    const key = await storedKey();
    if (!key)
      throw new Error(
        'There is no API key yet: add yours in Settings (or switch to the Sandbox to try things out).',
      );
    if (key.baseUrl !== target.baseUrl)
      throw new Error(
        `The stored API key was saved for ${key.baseUrl}, and the app sends a key only where it was saved for. Enter the key for ${target.baseUrl} in Settings.`,
      );
    return { baseUrl: target.baseUrl, apiKey: key.apiKey };
  }

  /**
   * What names an account for remembered matches: the server (the Sandbox as such, whatever its
   * port) and the organizations its key reaches, never the key. Null when no connection is set up.
   */
  async function accountKey(organizationIds: readonly string[]): Promise<string | null> {
    let server: string;
    if (settings().environment === 'sandbox') server = 'sandbox';
    else {
      try {
        server = (await connection()).baseUrl;
      } catch {
        return null;
      }
    }
    const orgs = [...new Set(organizationIds)].sort().join(',');
    return createHash('sha256').update(`${server}\n${orgs}`).digest('hex');
  }

  async function settingsView() {
    const s = settings();
    const [key, protection] = await Promise.all([storedKey(), platform.secrets.protection()]);
    const target = keyTarget(s);
    const baseUrl =
      s.environment === 'sandbox' ? (sandbox?.baseUrl ?? null) : target.ok ? target.baseUrl : null;
    // "A key is stored" means: one that will be sent here.
    const hasApiKey = key !== null && target.ok && key.baseUrl === target.baseUrl;
    const keySavedFor = key !== null && !hasApiKey ? key.baseUrl : null;
    return { ...s, hasApiKey, keySavedFor, keyProtection: protection, baseUrl };
  }

  /** The recent files, each with its id (given now to entries written before ids existed). */
  function recentList() {
    const stored = store.read('recent.json', recentListSchema, []);
    const list = stored.map((r) => ({ ...r, id: r.id ?? randomBytes(12).toString('base64url') }));
    if (stored.some((r) => !r.id)) store.write('recent.json', list);
    return list;
  }

  function addRecent(name: string, path: string) {
    const list = recentList().filter((r) => r.path !== path);
    list.unshift({
      id: randomBytes(12).toString('base64url'),
      name,
      path,
      openedAt: new Date().toISOString(),
    });
    const trimmed = list.slice(0, MAX_RECENT);
    store.write('recent.json', trimmed);
    return trimmed;
  }

  /** Paths the app saved in this session: the only ones "Show in folder" reveals. */
  const savedThisSession = new Set<string>();

  async function saveBytes(suggestedName: string, bytes: Uint8Array) {
    const target = await platform.chooseSavePath(safeFileName(suggestedName));
    if (!target) return { cancelled: true as const };
    await writeFile(target, bytes);
    savedThisSession.add(resolve(target));
    return { path: target };
  }

  /** A run id names a run of this app's own folder: the id's pattern, and its entry in the manifest. */
  function isOwnRun(runId: string): boolean {
    return RUN_ID_PATTERN.test(runId) && index.get(runId) !== undefined;
  }

  /** Files of runs stored by earlier versions (removed with the run). */
  const metaPath = (runId: string) => join(runsDir, `${runId}.json`);
  const journalPath = (runId: string) => index.journalPath(runId);
  /** The submission exactly as it was sent, so the run can be continued after a restart. */
  const inputPath = (runId: string) => index.submissionPath(runId);

  /** The manifest's counts out of a progress report (which carries more). */
  function countsOf(p: RunCounts): RunCounts {
    const { rows, total, done, created, failed, invalid, skipped } = p;
    return { rows, total, done, created, failed, invalid, skipped };
  }

  function toBridgeSummary(runId: string, s: RunSummary): EventPayload<'runFinished'> {
    return {
      runId,
      state: s.state,
      resumed: s.resumed,
      finished: s.finished,
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

    async openFile({ id }) {
      let chosen: string | null;
      if (id !== undefined) {
        const recent = recentList().find((r) => r.id === id);
        if (!recent)
          throw new Error('That file is no longer in the recent files: open it with Open… instead.');
        chosen = recent.path;
      } else chosen = await platform.chooseFileToOpen();
      if (!chosen) return { cancelled: true as const };
      const bytes = await readRegularFile(chosen, MAX_OPEN_BYTES);
      addRecent(basename(chosen), chosen);
      return { name: basename(chosen), path: chosen, bytes };
    },

    async openExample({ format }) {
      const path = join(platform.examplesDir, `projects.${format}`);
      return { name: basename(path), path, bytes: new Uint8Array(await readFile(path)) };
    },

    async noteRecentFile({ name, path }) {
      if (!platform.knowsDroppedFilePaths)
        throw new Error('In a browser the app does not learn where a file lives, so it cannot list it.');
      if (!isFileNow(path)) throw new Error(`${safeFileName(name)} is not a file the app can open again.`);
      return addRecent(safeFileName(name, basename(path)), path);
    },

    async listRecentFiles() {
      return recentList().filter((r) => isFileNow(r.path));
    },

    async saveFile({ suggestedName, bytes }) {
      return saveBytes(suggestedName, bytes);
    },

    async showInFolder({ path }) {
      if (!savedThisSession.has(resolve(path))) return false;
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
      if (partial.customBaseUrl !== undefined && partial.customBaseUrl.trim() !== '') {
        const checked = checkCustomBaseUrl(partial.customBaseUrl);
        if (!checked.ok) throw new Error(checked.message);
        next.customBaseUrl = checked.baseUrl;
      }
      store.write('settings.json', next);
      if (next.environment === 'sandbox') await ensureSandbox();
      return settingsView();
    },

    async setApiKey({ apiKey }) {
      const checked = checkApiKey(apiKey);
      if (!checked.ok) throw new Error(checked.message);
      const target = keyTarget(settings());
      if (!target.ok)
        throw new Error(
          settings().environment === 'sandbox'
            ? 'The Sandbox needs no key. Choose Production (or a custom server) first, then save the key for it.'
            : target.message,
        );
      await platform.secrets.save(encodeBoundKey({ apiKey: checked.apiKey, baseUrl: target.baseUrl }));
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

    async getSavedMatches({ organizationIds }) {
      const key = await accountKey(organizationIds);
      if (!key) return [];
      return store.read('matches.json', matchesSchema, {})[key] ?? [];
    },

    async saveMatches({ organizationIds, matches }) {
      const key = await accountKey(organizationIds);
      if (!key) return false;
      const all = store.read('matches.json', matchesSchema, {});
      // One choice per field, scope and text (case and spacing forgiven); the newest goes last.
      const keyOf = (m: { field: string; scope: string; text: string }) =>
        `${m.field}\u0000${m.scope}\u0000${normalizeName(m.text)}`;
      const list = new Map((all[key] ?? []).map((m) => [keyOf(m), m]));
      for (const m of matches) {
        const k = keyOf(m);
        list.delete(k);
        if (m.id !== null) list.set(k, { field: m.field, scope: m.scope, text: m.text, id: m.id });
      }
      // The account used last goes last: the accounts unused longest are dropped first.
      delete all[key];
      all[key] = [...list.values()].slice(-MATCHES_PER_ACCOUNT);
      const keys = Object.keys(all);
      for (const k of keys.slice(0, Math.max(0, keys.length - MATCH_ACCOUNTS))) delete all[k];
      store.write('matches.json', all);
      return true;
    },

    async loadAccount({ organizationIds }) {
      let conn;
      try {
        conn = await connection();
      } catch (e) {
        return { snapshot: null, stop: { reason: 'account' as const, message: (e as Error).message } };
      }
      const source = settings().environment === 'sandbox' ? 'Sandbox' : conn.baseUrl;
      const { snapshot, stop } = await loadAccount({
        ...conn,
        organizationIds,
        source,
        audience: 'app-check',
      });
      return { snapshot, stop };
    },

    async startRun(submission) {
      await ready;
      const conn = await connection();
      const hash = submissionHash(submission);
      // The same rows sent again while an earlier run of them is unfinished: continue that run.
      const previous = index
        .list()
        .find(
          (e) => e.submissionHash === hash && e.baseUrl === conn.baseUrl && !e.finished && !e.supersededBy,
        );
      const runId =
        previous?.runId ?? `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
      if (active.has(runId)) return { runId };
      const startedAt = new Date().toISOString();
      let entry: RunEntry = previous ?? {
        runId,
        fileName: submission.fileName,
        startedAt,
        baseUrl: conn.baseUrl,
        environment: settings().environment,
        inputHash: hash,
        submissionHash: hash,
        counts: {
          rows: submission.rows.length,
          total: 0,
          done: 0,
          created: 0,
          failed: 0,
          invalid: 0,
          skipped: 0,
        },
        finished: false,
        endedAt: null,
        updatedAt: startedAt,
      };
      if (!previous) await index.saveSubmission(runId, submission);
      entry = { ...entry, endedAt: null };
      index.put(entry);
      // An unfinished earlier run of these rows (the same file, rows with the same keys) is taken
      // over by this one: resuming it later would send rows this run sends.
      if (!previous) {
        const keys = new Set(submission.rows.map((r) => r.rowKey));
        for (const e of index.list()) {
          if (e.finished || e.supersededBy || e.runId === runId || active.has(e.runId)) continue;
          if (e.baseUrl !== conn.baseUrl || e.fileName !== submission.fileName) continue;
          const theirs = await index.readSubmission(e.runId);
          if (theirs?.rows.some((r) => keys.has(r.rowKey))) index.put({ ...e, supersededBy: runId });
        }
      }
      await index.flush();
      // Rows earlier runs sent without learning the outcome keep their keys if sent again from here.
      const priorKeys = await openKeysAsync(
        index
          .list()
          .filter((e) => e.runId !== runId && e.baseUrl === conn.baseUrl && !e.finished)
          .map((e) => journalPath(e.runId)),
      );
      const run = createRun({
        submission,
        inputHash: entry.inputHash,
        audience: 'app',
        ...conn,
        journalPath: journalPath(runId),
        priorKeys,
      });
      active.set(runId, run);
      run.on('progress', (p) => {
        platform.emit('runProgress', { runId, ...p });
        entry = { ...entry, counts: countsOf(p) };
        index.put(entry);
      });
      run.on('row', (r) => platform.emit('runRow', { runId, result: r.result, issues: r.issues }));
      void run
        .start()
        .then(async (summary) => {
          active.delete(runId);
          entry = {
            ...entry,
            counts: { ...countsOf({ ...run.progress(), ...summary.counts }), rows: summary.counts.rows },
            finished: summary.finished,
            endedAt: new Date().toISOString(),
          };
          index.put(entry);
          await index.flush().catch(() => undefined);
          summaries.set(runId, { summary, meta: entry });
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
        .catch(async (e: unknown) => {
          active.delete(runId);
          entry = { ...entry, endedAt: new Date().toISOString() };
          index.put(entry);
          await index.flush().catch(() => undefined);
          platform.emit('runFailed', { runId, message: (e as Error).message });
        })
        .finally(() => {
          active.delete(runId);
          void index.prune(new Set(active.keys())).catch(() => undefined);
        });
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
      await ready;
      return index
        .list()
        .filter((e) => !e.finished && !e.supersededBy && !active.has(e.runId))
        .map((e) => ({
          runId: e.runId,
          fileName: e.fileName,
          startedAt: e.startedAt,
          total: e.counts.total,
          done: e.counts.done,
          created: e.counts.created,
          failed: e.counts.failed,
        }));
    },

    async continueRun({ runId }) {
      await ready;
      const submission = index.get(runId) ? await index.readSubmission(runId) : null;
      if (!submission) throw new Error('This run can no longer be found: its files were removed.');
      return { runId, submission };
    },

    async discardRun({ runId }) {
      await ready;
      if (!isOwnRun(runId) || active.has(runId)) return false;
      for (const p of [metaPath(runId), journalPath(runId), inputPath(runId)]) rmSync(p, { force: true });
      await index.remove(runId);
      summaries.delete(runId);
      return true;
    },

    async exportResults({ runId, format }) {
      const done = summaries.get(runId);
      if (!done) throw new Error('This run has no results yet: let it finish (or resume it) first.');
      const bytes = writeResults(done.summary.source, done.summary.results, format);
      const stem = safeFileName(done.meta.fileName, 'Projects').replace(/\.[^.]+$/, '');
      return saveBytes(`${stem} results.${format}`, bytes);
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
      await index.flush().catch(() => undefined);
      if (sandbox) await sandbox.close();
      sandbox = null;
    },
  };
}
