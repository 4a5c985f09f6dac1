import type { CreateProjectRequest } from '@political-comms/sdk';
import {
  BRAND_RIVERA,
  CAMP_RIVERA_GOTV,
  CL_RIVERA_SUPPORTERS,
  ORG_SENATE,
  PHONE_NUMBER_IDS,
  TFV_VERIFIED,
} from '../../../src/sandbox';

/** A body the Sandbox accepts: a 10DLC project of the Senate campaign. */
export function tenDlcBody(overrides: Record<string, unknown> = {}): CreateProjectRequest {
  return {
    organization_id: ORG_SENATE,
    name: 'GOTV reminder',
    protocol: 'sms',
    message_text: 'Polls are open until 8pm. Find your polling place: {link}',
    channel: '10dlc',
    brand_id: BRAND_RIVERA,
    campaign_id: CAMP_RIVERA_GOTV,
    phone_number_ids: [...PHONE_NUMBER_IDS.riveraGotv.slice(0, 3)],
    contact_list_ids: [CL_RIVERA_SUPPORTERS],
    ...overrides,
  } as CreateProjectRequest;
}

/** A body the Sandbox accepts: a toll-free project under the Verified verification. */
export function tollFreeBody(overrides: Record<string, unknown> = {}): CreateProjectRequest {
  return {
    organization_id: ORG_SENATE,
    name: 'Toll-free update',
    protocol: 'sms',
    message_text: 'Thanks for volunteering!',
    channel: 'toll-free',
    toll_free_verification_id: TFV_VERIFIED,
    phone_number_ids: [...PHONE_NUMBER_IDS.tollFreeVerified.slice(0, 2)],
    ...overrides,
  } as CreateProjectRequest;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** A request with fetch, so tests see headers and raw bodies the SDK client hides. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  opts: {
    apiKey?: string;
    body?: unknown;
    rawBody?: string;
    idempotencyKey?: string;
    signal?: AbortSignal;
  } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.apiKey !== undefined) headers['X-API-Key'] = opts.apiKey;
  if (opts.idempotencyKey !== undefined) headers['Idempotency-Key'] = opts.idempotencyKey;
  let payload: string | undefined = opts.rawBody;
  if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(baseUrl + path, { method, headers, body: payload, signal: opts.signal });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

export function errorOf(answer: RawAnswer): {
  code?: string;
  details?: Array<{ field: string; code?: string; message: string }>;
} {
  return answer.body as { code?: string; details?: Array<{ field: string; code?: string; message: string }> };
}
