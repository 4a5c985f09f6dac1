/**
 * The contract between the UI and the privileged side. Every call has a zod schema for its input
 * and its output; every event pushed to the UI has one for its payload.
 *
 * It is implemented twice: by the Electron preload over `ipcRenderer.invoke` (handlers registered in
 * the main process through one wrapper that checks the sender and parses the input), and by the web
 * harness over HTTP on 127.0.0.1. The renderer's `window.importer` type is derived from it.
 */
import { z } from 'zod';
import { FIELD_NAMES } from './schema/fields';
import { preparedIssueSchema, submissionSchema } from './prepared';
import { accountSnapshotSchema, accountStopSchema } from './account/snapshot';
import { REFERENCE_FIELDS, type ReferenceField } from './account/resolve';

export const bytesSchema = z.custom<Uint8Array>((v) => v instanceof Uint8Array, {
  message: 'Expected file bytes',
});
const fieldName = z.enum(FIELD_NAMES);
export const mappingSchema = z.object({ columns: z.array(fieldName.nullable()) });
const none = z.undefined();

/** One finding about one cell (the same shape wherever it travels: bridge, journal, prepared rows). */
export const issueSchema = preparedIssueSchema;

export const fileWarningSchema = z.object({ code: z.string(), message: z.string() });

/** A file the user opened: its bytes, and where it lives when the side that read it knows. */
export const openedFileSchema = z.object({
  name: z.string(),
  path: z.string().nullable(),
  bytes: bytesSchema,
});

const cancelled = z.object({ cancelled: z.literal(true) });

/**
 * A file in the recent list. The UI opens it again by its opaque `id`: the privileged side reads only
 * files the user chose (in the dialog, or by dropping them), never a path the window names.
 */
export const recentFileSchema = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  openedAt: z.string(),
});
export type RecentFile = z.output<typeof recentFileSchema>;

/** The id of a run: what the app itself generates, so it can never name a path outside its folder. */
export const RUN_ID_PATTERN = /^[0-9A-Za-z][0-9A-Za-z-]{0,99}$/;
export const runIdSchema = z.string().regex(RUN_ID_PATTERN, 'not a run of this app');

export const environmentSchema = z.enum(['production', 'sandbox', 'custom']);

export const settingsSchema = z.object({
  environment: environmentSchema,
  customBaseUrl: z.string(),
  defaultOrganizationId: z.string(),
});

export const settingsViewSchema = settingsSchema.extend({
  /** The UI never sees the key, only whether one is stored for the server in force. */
  hasApiKey: z.boolean(),
  /**
   * Where the stored key was saved for, when that is not the server in force (the key is not sent
   * here: the user enters the key for this server); null otherwise.
   */
  keySavedFor: z.string().nullable(),
  /**
   * How the stored key is protected: by the OS keychain; by nothing (Linux `basic_text` backend:
   * warn the user); kept in memory only until the app stops (web harness); or not storable at all.
   */
  keyProtection: z.enum(['os', 'basic_text', 'memory', 'unavailable']),
  /** The base URL in force for the chosen environment (for Sandbox, the local simulator's). */
  baseUrl: z.string().nullable(),
});

/** What a submission sends: the prepared rows as the user sees them now (see `prepared.ts`). */
export const submissionInputSchema = submissionSchema;

export const waitSchema = z.object({
  reason: z.enum(['rate_limit', 'backoff']),
  until: z.number(),
  secondsLeft: z.number(),
});

export const runPhaseSchema = z.enum([
  'preparing',
  'preflight',
  'sending',
  'paused',
  'done',
  'stopped',
  'cancelled',
]);

export const progressSchema = z.object({
  runId: z.string(),
  phase: runPhaseSchema,
  rows: z.number(),
  total: z.number(),
  done: z.number(),
  created: z.number(),
  failed: z.number(),
  invalid: z.number(),
  skipped: z.number(),
  currentRow: z.number().nullable(),
  /** The row key of the row in flight. */
  currentRowKey: z.string().nullable(),
  attempt: z.number().nullable(),
  waiting: waitSchema.nullable(),
  etaSeconds: z.number().nullable(),
});

export const rowStatusSchema = z.enum(['created', 'failed', 'invalid', 'skipped', 'not_sent']);

export const rowResultSchema = z.object({
  /** The row's identity from reading to results (see `prepared.ts`). */
  rowKey: z.string(),
  row: z.number(),
  status: rowStatusSchema,
  projectId: z.string().optional(),
  projectStatus: z.string().optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  httpStatus: z.number().optional(),
  attempts: z.number(),
  submittedAt: z.string().optional(),
  sentIds: z.string().max(100_000).optional(),
});

export const rowEventSchema = z.object({
  runId: z.string(),
  result: rowResultSchema,
  issues: z.array(issueSchema),
});

export const stopSchema = z.object({
  reason: z.enum(['account', 'unreachable', 'cancelled']),
  /** The row the stop happened on (its key, and its number for messages). */
  rowKey: z.string().optional(),
  row: z.number().optional(),
  httpStatus: z.number().optional(),
  code: z.string().optional(),
  message: z.string(),
});

export const runSummarySchema = z.object({
  runId: z.string(),
  state: z.enum(['completed', 'stopped', 'cancelled']),
  resumed: z.boolean(),
  /** Every row has a final outcome: the run is not offered for resuming. */
  finished: z.boolean().optional(),
  stop: stopSchema.nullable(),
  counts: z.object({
    rows: z.number(),
    created: z.number(),
    failed: z.number(),
    invalid: z.number(),
    skipped: z.number(),
    notSent: z.number(),
  }),
  results: z.array(rowResultSchema),
  issues: z.array(issueSchema),
  fileName: z.string(),
});

export const unfinishedRunSchema = z.object({
  runId: z.string(),
  fileName: z.string(),
  startedAt: z.string(),
  total: z.number(),
  done: z.number(),
  created: z.number(),
  failed: z.number(),
});

/** An account check: the reference data fetched (kept by the UI for the session), or why it could not be. */
export const accountResultSchema = z.object({
  snapshot: accountSnapshotSchema.nullable(),
  /** Set when the account itself refused (bad key, no access) or could not be reached. */
  stop: accountStopSchema.nullable(),
});

/** The fields whose cells name an account entity (`REFERENCE_FIELDS`), for the contract's schemas. */
export const REFERENCE_FIELD_NAMES = Object.keys(REFERENCE_FIELDS) as [ReferenceField, ...ReferenceField[]];

/** The organizations an account's key reaches: with the server, what names an account. */
export const accountOrganizationsSchema = z.array(z.string().min(1).max(200)).min(1).max(1000);

/** A value matched by hand: the typed text of a field, where it was looked up, and the entity chosen. */
export const savedMatchSchema = z.strictObject({
  field: z.enum(REFERENCE_FIELD_NAMES),
  /** The ids the look-up depended on (organization, brand…), joined. */
  scope: z.string().max(1000),
  text: z.string().min(1).max(1000),
  id: z.string().min(1).max(200),
});
export type SavedMatch = z.output<typeof savedMatchSchema>;

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

/** Every call the UI can make. Names are the IPC channel names (prefixed with `importer:`). */
export const BRIDGE = {
  getAppInfo: call(
    none,
    z.object({ version: z.string(), platform: z.string(), runtime: z.enum(['electron', 'web']) }),
  ),
  /** Open a spreadsheet: a recent file by its id, or (no id) through the system dialog. */
  openFile: call(
    z.strictObject({ id: z.string().max(100).optional() }),
    z.union([openedFileSchema, cancelled]),
  ),
  /** The bundled example spreadsheet for the Sandbox account. */
  openExample: call(z.object({ format: z.enum(['csv', 'xlsx']) }), openedFileSchema),
  /**
   * Note a file the user dropped or picked in the recent files. The page never sends a path: the
   * Electron preload asks Electron where that File object lives (`webUtils`), and the web harness,
   * which cannot know, refuses the call.
   */
  noteRecentFile: call(
    z.strictObject({ name: z.string().max(1000), path: z.string().min(1).max(4096) }),
    z.array(recentFileSchema),
  ),
  listRecentFiles: call(none, z.array(recentFileSchema)),
  /** Save bytes the UI built (template, edited sheet, results) through the system save dialog. */
  saveFile: call(
    z.object({ suggestedName: z.string().min(1), bytes: bytesSchema }),
    z.union([z.object({ path: z.string() }), cancelled]),
  ),
  /** Show a file the app saved in this session (saveFile, exportResults); any other path is refused. */
  showInFolder: call(z.object({ path: z.string().max(4096) }), z.boolean()),
  openExternal: call(z.object({ url: z.string() }), z.boolean()),

  getSettings: call(none, settingsViewSchema),
  setSettings: call(settingsSchema.partial(), settingsViewSchema),
  /** Save the key for the environment in force: it is sent only there (see `connection`). */
  setApiKey: call(z.object({ apiKey: z.string().min(1).max(1000) }), settingsViewSchema),
  clearApiKey: call(none, settingsViewSchema),
  testConnection: call(
    none,
    z.object({
      ok: z.boolean(),
      message: z.string(),
      organizations: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  ),

  /** A mapping the user confirmed for this set of headers before, if any. */
  getSavedMapping: call(z.object({ signature: z.string() }), mappingSchema.nullable()),
  saveMapping: call(z.object({ signature: z.string(), mapping: mappingSchema }), z.boolean()),

  /**
   * The values matched by hand before in this account (the server in force and this set of
   * organizations; never the key): each typed text of a field, in its scope, and the entity chosen.
   */
  getSavedMatches: call(
    z.strictObject({ organizationIds: accountOrganizationsSchema }),
    z.array(savedMatchSchema),
  ),
  /** Remember choices for this account (`id: null` forgets one); the oldest go past a limit. */
  saveMatches: call(
    z.strictObject({
      organizationIds: accountOrganizationsSchema,
      matches: z.array(savedMatchSchema.extend({ id: savedMatchSchema.shape.id.nullable() })).max(500),
    }),
    z.boolean(),
  ),

  /**
   * Fetch the account's reference data for these organizations (and the list of organizations the
   * key reaches). The UI checks rows against it itself, at once on every edit.
   */
  loadAccount: call(
    z.object({
      /** The organizations the rows name (ids or names), or every one the key reaches. */
      organizationIds: z.union([z.array(z.string().max(200)).max(1000), z.literal('all')]),
    }),
    accountResultSchema,
  ),
  startRun: call(submissionInputSchema, z.object({ runId: z.string() })),
  pauseRun: call(z.object({ runId: z.string() }), z.boolean()),
  resumeRun: call(z.object({ runId: z.string() }), z.boolean()),
  cancelRun: call(z.object({ runId: z.string() }), z.boolean()),
  /** Runs a previous session left unfinished (crash, quit, stop): offered for resume at start. */
  listUnfinishedRuns: call(none, z.array(unfinishedRunSchema)),
  /** Continue an unfinished run from its journal; the sheet it sent comes back with it. */
  continueRun: call(
    z.object({ runId: z.string() }),
    z.object({
      runId: z.string(),
      /** Exactly the rows that run sends, with their keys, as it recorded them. */
      submission: submissionInputSchema,
    }),
  ),
  discardRun: call(z.object({ runId: runIdSchema }), z.boolean()),
  exportResults: call(
    z.object({ runId: runIdSchema, format: z.enum(['csv', 'xlsx']) }),
    z.union([z.object({ path: z.string() }), cancelled]),
  ),
  notify: call(z.object({ title: z.string(), body: z.string() }), z.boolean()),
  /**
   * The window's document has unsaved edits (or not). Closing a window whose document is dirty asks
   * the UI first (the `closeRequested` event); nothing else traps the close.
   */
  setDocumentState: call(z.object({ dirty: z.boolean(), title: z.string().max(1000) }), z.boolean()),
  /** Close the window now (after the user chose "Discard and close"); a run in progress is cancelled cleanly. */
  closeWindow: call(none, z.boolean()),
} as const;

export type BridgeCalls = typeof BRIDGE;
export type CallName = keyof BridgeCalls;
export type CallInput<K extends CallName> = z.input<BridgeCalls[K]['input']>;
export type CallOutput<K extends CallName> = z.output<BridgeCalls[K]['output']>;

export const MENU_COMMANDS = [
  'open',
  'save',
  'saveAs',
  'exportResults',
  'undo',
  'redo',
  'find',
  'settings',
  'template',
] as const;

/** Every event pushed to the UI. */
export const BRIDGE_EVENTS = {
  runProgress: progressSchema,
  runRow: rowEventSchema,
  runFinished: runSummarySchema,
  runFailed: z.object({ runId: z.string(), message: z.string() }),
  menu: z.enum(MENU_COMMANDS),
  /** The user asked to close the window (or quit) while the document has unsaved edits. */
  closeRequested: z.object({ quitting: z.boolean() }),
} as const;

export type EventName = keyof typeof BRIDGE_EVENTS;
export type EventPayload<E extends EventName> = z.output<(typeof BRIDGE_EVENTS)[E]>;

/**
 * What `window.importer` offers: one async function per call, and a subscription to events.
 * `noteRecentFile` takes the File the user dropped or picked, not a path (Electron only).
 */
export type ImporterApi = {
  [K in Exclude<CallName, 'noteRecentFile'>]: CallInput<K> extends undefined
    ? () => Promise<CallOutput<K>>
    : (input: CallInput<K>) => Promise<CallOutput<K>>;
} & {
  noteRecentFile?: (file: File) => Promise<CallOutput<'noteRecentFile'>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Where a file the user dropped or picked lives on disk (Electron only, for recent files); no
   * privileged call: the preload asks Electron's webUtils for the path of that File object.
   */
  pathForFile?: (file: File) => string | null;
};

/** The privileged side implements this, once, for Electron and the web harness alike. */
export type BridgeHandlers = {
  [K in CallName]: (input: z.output<BridgeCalls[K]['input']>) => Promise<z.input<BridgeCalls[K]['output']>>;
};

export const CHANNEL_PREFIX = 'importer:';
export const EVENT_CHANNEL = 'importer:event';

/** An answer that failed on the privileged side, carried back as data so the UI can show it. */
export const bridgeErrorSchema = z.object({ error: z.string() });
