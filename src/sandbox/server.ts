/**
 * The Sandbox: a real HTTP server on 127.0.0.1 that answers like the parts of the Political Comms API
 * the importer uses, with rate limits and seeded, scriptable faults so tests are exact and repeatable.
 *
 * Per request, in this order:
 *   read body → latency (fixed + jitter) → rate limit (per key, reads and writes apart; 429 when full)
 *   → fault "before" (connection reset, 5xx, scripted 429; nothing is changed) → authentication (401)
 *   → route → [POST /projects: idempotency replay/refusal → organization access (403) → onboarding
 *   (403) → sending paused (409) → body rules → create] → fault "after" (connection reset after the
 *   work is done, or a slow answer) → answer.
 *
 * Idempotency-Key (POST only), scoped per API key:
 *  - same key, same body (compared as canonical JSON) → the stored answer again, same status, with
 *    `Idempotent-Replayed: true`; nothing is created, even if the first attempt's connection was reset
 *    after the project was created;
 *  - same key, different body → 422 `IDEMPOTENCY_KEY_REUSED` (422, not 409: the request is well-formed
 *    but cannot be processed as sent, and 409 is already SENDING_PAUSED, which tells a client to stop
 *    the whole run, whereas a reused key only concerns one row);
 *  - stored answers: 201 and the body-rule refusals (400, 404). Answers that depend on a state that can
 *    change (401, 403, 409, 429, 5xx, resets before the work) are not stored, so a retry with the same
 *    key after the cause is fixed creates the project.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { checkAccount, checkPlaceholders, checkShape, type CreateBody, type RuleFailure } from './rules';
import { SlidingWindowLimiter, type RateDecision } from './rate-limit';
import { createRng, ulidLike } from './rng';
import { SANDBOX_API_KEY, SANDBOX_KEYS, seedAccount, type SandboxKey, type SeedAccount } from './seed';

export type FaultName =
  | 'none'
  | 'reset_before'
  | 'reset_after'
  | 'slow'
  | '500'
  | '502'
  | '503'
  | '504'
  | '429'
  | 'sending_paused'
  | 'onboarding_incomplete';

export const FAULT_NAMES: readonly FaultName[] = [
  'none',
  'reset_before',
  'reset_after',
  'slow',
  '500',
  '502',
  '503',
  '504',
  '429',
  'sending_paused',
  'onboarding_incomplete',
];

/** What a fault plan sees about each request. */
export interface SandboxRequestInfo {
  /** 1-based count of all requests the server has received. */
  seq: number;
  /** 1-based count of writes (POST); null for reads. */
  writeSeq: number | null;
  method: string;
  /** The path without the query string, e.g. `/v1/projects`. */
  path: string;
  apiKey: string | undefined;
  idempotencyKey: string | undefined;
  /** The parsed JSON body (undefined when none or not JSON). */
  body: unknown;
}

export interface SandboxFaultScript {
  /** Faults for the next writes, in order (one per POST; `'none'` lets one through). */
  next?: FaultName[];
  /** A fault for any request (reads too); wins over `next` when it returns a fault. */
  plan?: (req: SandboxRequestInfo) => FaultName | null | undefined;
}

export interface SandboxOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Only 127.0.0.1: the Sandbox never listens beyond this machine. */
  host?: '127.0.0.1';
  /** Seed of the fault and id generators (default 1): the same seed and request order give the same run. */
  seed?: number;
  /** Added to every answer. */
  latencyMs?: number;
  /** Up to this much more, uniformly at random (seeded). */
  jitterMs?: number;
  /** Share (0–1) of requests in the fault scope answered 500/502/503 without doing anything. */
  failRate?: number;
  /** Share of requests whose connection is reset before anything happens. */
  resetBeforeRate?: number;
  /** Share of requests whose connection is reset after the work is done (the project IS created). */
  resetAfterRate?: number;
  /** Share of requests answered only after `slowMs` (the work is done at once). */
  slowRate?: number;
  /** Delay of a slow answer (default 15 000 ms). */
  slowMs?: number;
  /** Which requests the random faults hit: writes only (default) or all. Latency hits all. */
  faultScope?: 'writes' | 'all';
  /** Writes allowed per key per window; absent: no limit. */
  writeLimit?: number;
  /** Reads allowed per key per window; absent: no limit. */
  readLimit?: number;
  /** The sliding window (default 60 000 ms). */
  windowMs?: number;
  /** Refuse creates with 409 SENDING_PAUSED (`details.scope`). */
  sendingPaused?: false | 'organization' | 'platform';
  /** Refuse creates with 403 ONBOARDING_INCOMPLETE. */
  onboardingIncomplete?: boolean;
  /** Refuse toll-free verifications that are not `Verified` (default false: drafts are allowed). */
  requireVerifiedTollFree?: boolean;
  /** Answer 401/403 auth errors as `{ error, message }` without `code`, as the API's auth layer sometimes does. */
  authErrorsWithoutCode?: boolean;
  /** Scripted faults, for exact tests. */
  faults?: SandboxFaultScript;
  /** The account to serve (default: a fresh copy of the seed). */
  account?: SeedAccount;
  /** The accepted API keys (default: the seed's keys). */
  keys?: readonly SandboxKey[];
  /** The clock (ms since epoch); default Date.now. Rate-limit windows and timestamps use it. */
  clock?: () => number;
  /** Called once per answered (or reset) request. */
  onRequest?: (entry: SandboxLogEntry) => void;
}

export interface SandboxLogEntry {
  seq: number;
  writeSeq: number | null;
  method: string;
  path: string;
  /** The HTTP status, or 'reset' when the connection was destroyed without an answer. */
  status: number | 'reset';
  code?: string;
  fault: FaultName;
  /** The latency added before the answer (fixed + jitter), in ms. */
  delayMs: number;
  idempotencyKey?: string;
  replayed: boolean;
  projectId?: string;
}

export interface SandboxProject {
  /** The full project, shaped like `GET /projects/{id}`. */
  detail: Record<string, unknown> & { project_id: string; name: string; organization_id: string };
  /** The body as received. */
  body: unknown;
  apiKey: string;
  idempotencyKey?: string;
  createdAt: number;
}

interface StoredAnswer {
  hash: string;
  status: number;
  body: unknown;
}

/** The live state of one Sandbox: what was created, what happened, and settings tests may change. */
export class SandboxState {
  readonly account: SeedAccount;
  readonly projects: SandboxProject[] = [];
  readonly log: SandboxLogEntry[] = [];
  /** Settings that can be changed while the server runs. */
  readonly config: {
    sendingPaused: false | 'organization' | 'platform';
    onboardingIncomplete: boolean;
    requireVerifiedTollFree: boolean;
    failRate: number;
    resetBeforeRate: number;
    resetAfterRate: number;
    slowRate: number;
    slowMs: number;
    latencyMs: number;
    jitterMs: number;
  };
  /** Faults waiting for the next writes (see `SandboxFaultScript.next`). */
  readonly pendingFaults: FaultName[];
  /** @internal */
  readonly idempotency = new Map<string, StoredAnswer>();

  constructor(account: SeedAccount, options: SandboxOptions) {
    this.account = account;
    this.config = {
      sendingPaused: options.sendingPaused ?? false,
      onboardingIncomplete: options.onboardingIncomplete ?? false,
      requireVerifiedTollFree: options.requireVerifiedTollFree ?? false,
      failRate: options.failRate ?? 0,
      resetBeforeRate: options.resetBeforeRate ?? 0,
      resetAfterRate: options.resetAfterRate ?? 0,
      slowRate: options.slowRate ?? 0,
      slowMs: options.slowMs ?? 15_000,
      latencyMs: options.latencyMs ?? 0,
      jitterMs: options.jitterMs ?? 0,
    };
    this.pendingFaults = [...(options.faults?.next ?? [])];
  }

  /** Queue faults for the next writes. */
  pushFaults(...faults: FaultName[]): void {
    this.pendingFaults.push(...faults);
  }

  /** Projects created, optionally only those of one name or organization. */
  listProjects(filter: { name?: string; organizationId?: string } = {}): SandboxProject[] {
    return this.projects.filter(
      (p) =>
        (filter.name === undefined || p.detail.name === filter.name) &&
        (filter.organizationId === undefined || p.detail.organization_id === filter.organizationId),
    );
  }

  /** Names created more than once, with their counts (the duplicate check of engine tests). */
  duplicateNames(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const p of this.projects) counts.set(p.detail.name, (counts.get(p.detail.name) ?? 0) + 1);
    return new Map([...counts].filter(([, n]) => n > 1));
  }
}

export interface RunningSandbox {
  /** `http://127.0.0.1:PORT/v1` */
  baseUrl: string;
  /** A key for the whole seed account. */
  apiKey: string;
  port: number;
  state: SandboxState;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;
const MAX_IDEMPOTENCY_KEY = 255;

function checkRate(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new RangeError(`${name} must be between 0 and 1`);
}
function checkCount(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number ≥ 0`);
}

/** Canonical JSON (sorted keys) so that key order and spacing do not make two bodies differ. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function errorBody(status: number, code: string, error: string, details?: unknown): Record<string, unknown> {
  const body: Record<string, unknown> = { success: false, error, code, statusCode: status };
  if (details !== undefined) body.details = details;
  return body;
}

function fromFailure(f: RuleFailure): { status: number; body: Record<string, unknown> } {
  return { status: f.status, body: errorBody(f.status, f.code, f.error, f.details) };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('The Sandbox only listens on 127.0.0.1');
  for (const k of ['failRate', 'resetBeforeRate', 'resetAfterRate', 'slowRate'] as const)
    checkRate(k, options[k]);
  for (const k of [
    'latencyMs',
    'jitterMs',
    'slowMs',
    'writeLimit',
    'readLimit',
    'windowMs',
    'port',
  ] as const) {
    checkCount(k, options[k]);
  }
  const clock = options.clock ?? Date.now;
  const seed = options.seed ?? 1;
  const faultRng = createRng(seed);
  const latencyRng = createRng(seed ^ 0x5eed1a7e);
  const idRng = createRng(seed ^ 0x1d5eed00);
  const windowMs = options.windowMs ?? 60_000;
  const writeLimiter = new SlidingWindowLimiter(options.writeLimit, windowMs);
  const readLimiter = new SlidingWindowLimiter(options.readLimit, windowMs);
  const keys = new Map((options.keys ?? SANDBOX_KEYS).map((k) => [k.key, k]));
  const state = new SandboxState(options.account ?? seedAccount(), options);
  const faultScope = options.faultScope ?? 'writes';
  const account = state.account;
  const orgName = (id: string) => account.organizations.find((o) => o.id === id)?.display_name ?? null;

  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const sleep = (ms: number) =>
    ms <= 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, ms);
          timers.add(t);
        });

  let seq = 0;
  let writeSeq = 0;

  function randomFault(isWrite: boolean): FaultName {
    if (!(isWrite || faultScope === 'all')) return 'none';
    const c = state.config;
    const r = faultRng();
    const bands: [number, FaultName][] = [
      [c.failRate, '500'],
      [c.resetBeforeRate, 'reset_before'],
      [c.resetAfterRate, 'reset_after'],
      [c.slowRate, 'slow'],
    ];
    let edge = 0;
    for (const [share, fault] of bands) {
      edge += share;
      if (r >= edge) continue;
      if (fault !== '500') return fault;
      const codes: FaultName[] = ['500', '502', '503'];
      return codes[Math.min(2, Math.floor(faultRng() * 3))] as FaultName;
    }
    return 'none';
  }

  function visibleOrgs(key: SandboxKey): Set<string> {
    return new Set(key.organizationIds);
  }

  function createProject(body: CreateBody, rawBody: unknown, apiKey: string, idemKey: string | undefined) {
    const now = clock();
    const id = ulidLike('proj', now, idRng);
    const iso = new Date(now).toISOString();
    const brand = account.brands.find((b) => b.id === body.brand_id);
    const campaign = account.campaigns.find((c) => c.id === body.campaign_id);
    const detail = {
      project_id: id,
      organization_id: body.organization_id,
      channel: body.channel,
      brand_id: body.brand_id ?? null,
      brand_name: brand?.brand_name ?? null,
      campaign_id: body.campaign_id ?? null,
      campaign_name: campaign?.name ?? null,
      toll_free_verification_id: body.toll_free_verification_id ?? null,
      phone_number_ids: body.phone_number_ids,
      name: body.name,
      status: 'draft',
      type: 'broadcast',
      protocol: body.protocol,
      message_text: body.message_text,
      contact_list_ids: body.contact_list_ids ?? [],
      suppression_list_ids: body.suppression_list_ids ?? [],
      media_ids: [],
      media_urls: [],
      link_tracking_enabled: body.link_tracking_enabled,
      link_tracking_destination_url: body.link_tracking_destination_url ?? null,
      link_tracking_domain_id: body.link_tracking_domain_id ?? null,
      link_tracking_param_field: body.link_tracking_param_field ?? null,
      link_tracking_fallback_url: body.link_tracking_fallback_url ?? null,
      opt_out_footer_enabled: body.opt_out_footer_enabled,
      ai_survey_analysis_enabled: false,
      total_recipients: 0,
      estimated_cost_cents: 0,
      scheduled_at: null,
      scheduled_timezone: null,
      created_via_api: true,
      created_at: iso,
      updated_at: iso,
    };
    state.projects.push({ detail, body: rawBody, apiKey, idempotencyKey: idemKey, createdAt: now });
    const hasList = detail.contact_list_ids.length > 0;
    return {
      status: 201,
      body: {
        success: true,
        data: {
          project_id: id,
          id,
          name: detail.name,
          type: 'broadcast',
          status: 'draft',
          channel: detail.channel,
          organization_id: detail.organization_id,
          created_via_api: true,
          estimated_cost_cents: 0,
          total_recipients: 0,
          completeness: {
            has_list: hasList,
            has_message: true,
            has_phone_number: true,
            ready_to_test: hasList,
          },
        },
      },
    };
  }

  function projectListItem(p: SandboxProject) {
    const d = p.detail;
    return {
      id: d.project_id,
      name: d.name,
      type: 'broadcast',
      status: d.status,
      channel: d.channel,
      campaign_id: d.campaign_id,
      campaign_name: d.campaign_name,
      brand_id: d.brand_id,
      brand_name: d.brand_name,
      toll_free_verification_id: d.toll_free_verification_id,
      contact_list_ids: d.contact_list_ids,
      org_id: d.organization_id,
      org_name: orgName(d.organization_id),
      message_text: d.message_text,
      created_at: d.created_at,
    };
  }

  type Answer = {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
    raw?: string;
    code?: string;
  };

  function handleRead(path: string, query: URLSearchParams, key: SandboxKey): Answer {
    const orgs = visibleOrgs(key);
    const orgFilter = query.get('organization_id');
    if (orgFilter !== null && !orgs.has(orgFilter)) return orgDenied(orgFilter);
    const inScope = (orgId: unknown) =>
      typeof orgId === 'string' && orgs.has(orgId) && (orgFilter === null || orgId === orgFilter);
    const eq = (name: string, value: unknown) => query.get(name) === null || query.get(name) === value;
    const ok = (data: unknown): Answer => ({ status: 200, body: { success: true, data } });

    switch (path) {
      case '/organizations':
        return ok(account.organizations.filter((o) => orgs.has(o.id as string)));
      case '/brands':
        return ok(account.brands.filter((b) => inScope(b.org_id)));
      case '/campaigns':
        return ok(account.campaigns.filter((c) => inScope(c.org_id) && eq('brand_id', c.brand_id)));
      case '/phone-numbers':
        return ok(
          account.phone_numbers.filter(
            (p) =>
              inScope(p.org_id) &&
              eq('brand_id', p.brand_id) &&
              eq('campaign_id', p.campaign_id) &&
              eq('channel', p.channel) &&
              eq('owner_type', p.owner_type),
          ),
        );
      case '/toll-free-verifications':
        return ok(account.toll_free_verifications.filter((v) => inScope(v.org_id) && eq('status', v.status)));
      case '/tracking-domains':
        return ok(
          account.tracking_domains
            .filter((d) => inScope(d.org_id))
            .map((d) => {
              const copy: Record<string, unknown> = { ...d };
              delete copy.org_id; // the API's list answer does not carry the owner
              return copy;
            }),
        );
      case '/contact-lists':
        return ok(account.contact_lists.filter((l) => inScope(l.org_id) && eq('brand_id', l.brand_id)));
      case '/projects':
        return ok(
          state.projects
            .filter(
              (p) =>
                inScope(p.detail.organization_id) &&
                eq('brand_id', p.detail.brand_id) &&
                eq('campaign_id', p.detail.campaign_id) &&
                eq('type', 'broadcast'),
            )
            .map(projectListItem),
        );
    }
    const project = /^\/projects\/([^/]+)$/.exec(path);
    if (project) {
      const id = decodeURIComponent(project[1] as string);
      const p = state.projects.find((x) => x.detail.project_id === id && orgs.has(x.detail.organization_id));
      return p ? ok(p.detail) : notFound(`Project "${id}" was not found.`);
    }
    const tfv = /^\/toll-free-verifications\/([^/]+)$/.exec(path);
    if (tfv) {
      const id = decodeURIComponent(tfv[1] as string);
      const v = account.toll_free_verifications.find((x) => x.id === id && orgs.has(x.org_id as string));
      if (!v) return notFound(`Toll-free verification "${id}" was not found.`);
      const numbers = account.phone_numbers
        .filter((p) => p.toll_free_verification_id === id)
        .map((p) => p.id);
      return ok({
        ...v,
        phone_number_ids: numbers,
        rejection_reason: v.status === 'Rejected' ? 'Use case unclear' : null,
      });
    }
    return notFound(`No route for GET /v1${path}.`);
  }

  function notFound(message: string): Answer {
    return { status: 404, body: errorBody(404, 'NOT_FOUND', message), code: 'NOT_FOUND' };
  }
  function orgDenied(orgId: string): Answer {
    const message = `This API key cannot access organization "${orgId}".`;
    if (options.authErrorsWithoutCode) return { status: 403, body: { error: 'Forbidden', message } };
    return { status: 403, body: errorBody(403, 'ORG_ACCESS_DENIED', message), code: 'ORG_ACCESS_DENIED' };
  }

  function handleCreate(
    parsed: unknown,
    rawText: string,
    parseError: boolean,
    key: SandboxKey,
    idemKey: string | undefined,
    fault: FaultName,
  ): Answer & { replayed?: boolean; projectId?: string } {
    const scope = `${key.key}\n${idemKey ?? ''}`;
    const hash = createHash('sha256')
      .update(parseError ? `raw:${rawText}` : canonical(parsed))
      .digest('hex');
    if (idemKey !== undefined) {
      const stored = state.idempotency.get(scope);
      if (stored) {
        if (stored.hash !== hash) {
          const status = 422;
          return {
            status,
            body: errorBody(
              status,
              'IDEMPOTENCY_KEY_REUSED',
              'This Idempotency-Key was already used with a different request body.',
            ),
            code: 'IDEMPOTENCY_KEY_REUSED',
          };
        }
        return {
          status: stored.status,
          body: stored.body,
          replayed: true,
          headers: { 'Idempotent-Replayed': 'true' },
        };
      }
    }

    const answer = ((): Answer & { projectId?: string; store: boolean } => {
      if (parseError) {
        const f = {
          status: 400,
          code: 'VALIDATION_ERROR',
          error: 'The request body is not valid JSON',
          details: [{ field: 'body', code: 'invalid_json', message: 'The request body is not valid JSON.' }],
        };
        return { ...fromFailure(f), code: f.code, store: true };
      }
      const orgId =
        parsed && typeof parsed === 'object' && !Array.isArray(parsed)
          ? (parsed as Record<string, unknown>).organization_id
          : undefined;
      if (typeof orgId === 'string' && orgId.trim() && !key.organizationIds.includes(orgId)) {
        return { ...orgDenied(orgId), store: false };
      }
      if (state.config.onboardingIncomplete || fault === 'onboarding_incomplete') {
        const status = 403;
        return {
          status,
          body: errorBody(
            status,
            'ONBOARDING_INCOMPLETE',
            'Finish setting up your organization (business profile and funding) before creating projects.',
            {
              missingSteps: ['profile', 'funding'],
              onboardingUrl: 'https://app.politicalcomms.com/onboarding',
            },
          ),
          code: 'ONBOARDING_INCOMPLETE',
          store: false,
        };
      }
      const paused = fault === 'sending_paused' ? 'organization' : state.config.sendingPaused;
      if (paused) {
        const status = 409;
        return {
          status,
          body: errorBody(
            status,
            'SENDING_PAUSED',
            paused === 'platform'
              ? 'Sending is paused platform-wide.'
              : 'Sending is paused for this organization.',
            { scope: paused },
          ),
          code: 'SENDING_PAUSED',
          store: false,
        };
      }
      const shape = checkShape(parsed);
      if (!shape.ok) return { ...fromFailure(shape.failure), code: shape.failure.code, store: true };
      const placeholder = checkPlaceholders(shape.body);
      if (placeholder) return { ...fromFailure(placeholder), code: placeholder.code, store: true };
      const acc = checkAccount(shape.body, account, {
        visibleOrganizationIds: visibleOrgs(key),
        requireVerifiedTollFree: state.config.requireVerifiedTollFree,
      });
      if (acc) return { ...fromFailure(acc), code: acc.code, store: true };
      const created = createProject(shape.body, parsed, key.key, idemKey);
      return { ...created, projectId: (created.body.data as { project_id: string }).project_id, store: true };
    })();
    if (idemKey !== undefined && answer.store) {
      state.idempotency.set(scope, { hash, status: answer.status, body: answer.body });
    }
    return answer;
  }

  function readBody(req: http.IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) tooLarge = true;
        else chunks.push(c);
      });
      req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge }));
      req.on('error', reject);
      req.on('close', () => {
        if (!req.complete) reject(new Error('request aborted'));
      });
    });
  }

  function resetSocket(socket: Socket): void {
    const s = socket as Socket & { resetAndDestroy?: () => Socket };
    if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
    else socket.destroy();
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const isWrite = method !== 'GET' && method !== 'HEAD';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const apiKeyHeader = req.headers['x-api-key'];
    const apiKey = typeof apiKeyHeader === 'string' ? apiKeyHeader : undefined;
    const idemHeader = req.headers['idempotency-key'];
    const idemKey = method === 'POST' && typeof idemHeader === 'string' ? idemHeader : undefined;
    const entry: SandboxLogEntry = {
      seq: ++seq,
      writeSeq: isWrite ? ++writeSeq : null,
      method,
      path: url.pathname,
      status: 0,
      fault: 'none',
      delayMs: 0,
      replayed: false,
    };
    if (idemKey !== undefined) entry.idempotencyKey = idemKey;

    const { text, tooLarge } = await readBody(req);
    let parsed: unknown = undefined;
    let parseError = false;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parseError = true;
      }
    }

    // Faults are decided on arrival, in arrival order, so a seed gives the same run every time.
    let fault = randomFault(isWrite);
    const info: SandboxRequestInfo = {
      seq: entry.seq,
      writeSeq: entry.writeSeq,
      method,
      path: url.pathname,
      apiKey,
      idempotencyKey: idemKey,
      body: parsed,
    };
    const planned = options.faults?.plan?.(info);
    if (planned) fault = planned;
    else if (isWrite && state.pendingFaults.length > 0) fault = state.pendingFaults.shift() as FaultName;
    entry.fault = fault;

    const c = state.config;
    entry.delayMs = Math.round(c.latencyMs + (c.jitterMs > 0 ? latencyRng() * c.jitterMs : 0));
    await sleep(entry.delayMs);
    if (closed) return;

    const limiter = isWrite ? writeLimiter : readLimiter;
    const bucket = apiKey ?? '';
    const rate: RateDecision =
      fault === '429' ? limiter.peek(bucket, clock()) : limiter.take(bucket, clock());
    const rateHeaders: Record<string, string> = {
      'X-RateLimit-Limit': String(rate.limit),
      'X-RateLimit-Remaining': String(fault === '429' ? 0 : rate.remaining),
      'X-RateLimit-Reset': String(rate.reset),
    };

    const finish = (a: Answer) => {
      entry.status = a.status;
      if (a.code !== undefined) entry.code = a.code;
      else if (
        a.body &&
        typeof a.body === 'object' &&
        typeof (a.body as { code?: unknown }).code === 'string'
      ) {
        entry.code = (a.body as { code: string }).code;
      }
      state.log.push(entry);
      options.onRequest?.(entry);
      if (res.destroyed || res.writableEnded) return;
      const payload = a.raw ?? JSON.stringify(a.body);
      res.writeHead(a.status, {
        'Content-Type': a.raw !== undefined ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(payload)),
        'X-Correlation-Id': randomUUID(),
        ...rateHeaders,
        ...(a.headers ?? {}),
      });
      res.end(payload);
    };
    const reset = () => {
      entry.status = 'reset';
      state.log.push(entry);
      options.onRequest?.(entry);
      resetSocket(req.socket);
    };

    if (!rate.allowed || fault === '429') {
      const status = 429;
      return finish({
        status,
        body: {
          ...errorBody(status, 'RATE_LIMIT_EXCEEDED', 'Too many requests, slow down.'),
          retryAfter: rate.retryAfter,
        },
        headers: { 'Retry-After': String(rate.retryAfter) },
        code: 'RATE_LIMIT_EXCEEDED',
      });
    }
    if (fault === 'reset_before') return reset();
    if (fault === '500') {
      return finish({ status: 500, body: errorBody(500, 'INTERNAL_ERROR', 'Internal server error') });
    }
    if (fault === '503') {
      return finish({
        status: 503,
        body: errorBody(503, 'SERVICE_UNAVAILABLE', 'Service temporarily unavailable'),
        headers: { 'Retry-After': '1' },
      });
    }
    if (fault === '502' || fault === '504') {
      // Gateways answer with HTML, not the API's JSON envelope: clients must parse defensively.
      const title = fault === '502' ? '502 Bad Gateway' : '504 Gateway Timeout';
      return finish({
        status: Number(fault),
        body: null,
        raw: `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`,
      });
    }

    const answer = ((): Answer & { replayed?: boolean; projectId?: string } => {
      const key = apiKey !== undefined ? keys.get(apiKey) : undefined;
      if (!key) {
        const message = apiKey
          ? 'The API key is not valid.'
          : 'Missing API key: send it in the X-API-Key header.';
        if (options.authErrorsWithoutCode) return { status: 401, body: { error: 'Unauthorized', message } };
        return {
          status: 401,
          body: { ...errorBody(401, 'INVALID_API_KEY', 'Invalid API key'), message },
          code: 'INVALID_API_KEY',
        };
      }
      if (tooLarge)
        return { status: 413, body: errorBody(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large') };
      if (!url.pathname.startsWith('/v1/')) return notFound(`No route for ${method} ${url.pathname}.`);
      const path = url.pathname.slice(3).replace(/\/+$/, '');
      if (method === 'GET') return handleRead(path, url.searchParams, key);
      if (method === 'POST' && path === '/projects') {
        if (idemKey !== undefined && (idemKey.length === 0 || idemKey.length > MAX_IDEMPOTENCY_KEY)) {
          return {
            status: 400,
            body: errorBody(400, 'VALIDATION_ERROR', 'Validation failed', [
              {
                field: 'Idempotency-Key',
                code: 'invalid_header',
                message: `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY} characters.`,
              },
            ]),
            code: 'VALIDATION_ERROR',
          };
        }
        return handleCreate(parsed, text, parseError, key, idemKey, fault);
      }
      return notFound(`No route for ${method} /v1${path}.`);
    })();
    if (answer.replayed) entry.replayed = true;
    if (answer.projectId) entry.projectId = answer.projectId;

    if (fault === 'reset_after') return reset();
    if (fault === 'slow') {
      await sleep(c.slowMs);
      if (closed) return;
    }
    finish(answer);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(errorBody(500, 'INTERNAL_ERROR', 'Internal server error')));
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://${host}:${port}/v1`,
    apiKey: options.keys?.[0]?.key ?? SANDBOX_API_KEY,
    port,
    state,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // The listening handle is released just after the 'close' callback: wait for it, so that a
      // caller checking for open handles right after close() finds none.
      await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    },
  };
}
