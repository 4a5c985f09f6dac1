/**
 * The account for the commands that resolve names: `validate --account` reads the account's reference
 * data once (the key from POLITICAL_COMMS_API_KEY, `--base-url` as `submit` takes it), and every
 * command that resolves names says what each became, once per distinct name.
 */
import type { CreateProjectRequest } from '@political-comms/sdk';
import { loadAccount } from '../engine/account';
import { PRODUCTION_BASE_URL } from '../engine/api';
import type { ResolvedReference } from '../shared/account/check';
import { looksLikeId } from '../shared/account/names';
import { describeResolved, REFERENCE_FIELDS, type ReferenceField } from '../shared/account/resolve';
import type { AccountSnapshot } from '../shared/account/snapshot';
import type { Fix } from '../shared/validate/types';
import { parseBaseUrlOption, readApiKeyFromEnv } from './args';

/**
 * The account's reference data for `--account [--base-url URL]`, read once: every organization the
 * key reaches, each of their lists once. Null after saying on stderr what stopped it (no key, a bad
 * base URL, a key the API refuses, an API that cannot be reached), followed by `unchecked` (what was
 * left undone, e.g. "No row was checked.").
 */
export async function readAccountForCli(
  baseUrlOption: string | undefined,
  unchecked = '',
): Promise<AccountSnapshot | null> {
  const baseUrl = parseBaseUrlOption(baseUrlOption ?? PRODUCTION_BASE_URL);
  if (baseUrl === null) return null;
  const apiKey = readApiKeyFromEnv();
  if (apiKey === null) return null;
  const fetched = await loadAccount({
    apiKey,
    baseUrl,
    // Names in the organization column are only known once the organizations are read: every
    // organization the key reaches, each list once.
    organizationIds: 'all',
    source: baseUrl,
    audience: 'cli-check',
  });
  if (!fetched.snapshot) {
    const said = fetched.stop?.message ?? `The account could not be read from ${baseUrl}.`;
    process.stderr.write(`${unchecked ? `${said} ${unchecked}` : said}\n`);
    return null;
  }
  return fetched.snapshot;
}

/** A fix for people: "Did you mean Rivera GOTV 2026? (“Rivera GOTV 2062” → “Rivera GOTV 2026”)". */
export function describeFix(f: Fix, field: string): string {
  const where = f.field && f.field !== field ? ` in ${f.field}` : '';
  return `${f.label} (“${f.replace}” → “${f.with}”${where})`;
}

/** What each distinct name became, with how many rows use it. */
export interface NameOutcome {
  field: ReferenceField;
  from: string;
  to: string;
  label: string;
  rows: number;
}

/** Collects resolved references, one entry per distinct (field, typed text, id), in first-seen order. */
export class NameSummary {
  // By field, then typed text, then id: no key string built per reference (100,000 rows, 800,000 names).
  private readonly byField = new Map<string, Map<string, Map<string, NameOutcome & { lastRow: number }>>>();
  private readonly order: Array<NameOutcome & { lastRow: number }> = [];

  add(refs: readonly ResolvedReference[]): void {
    for (const r of refs) {
      let byText = this.byField.get(r.field);
      if (!byText) this.byField.set(r.field, (byText = new Map()));
      let byId = byText.get(r.from);
      if (!byId) byText.set(r.from, (byId = new Map()));
      const seen = byId.get(r.to);
      if (!seen) {
        const o = { field: r.field, from: r.from, to: r.to, label: r.label, rows: 1, lastRow: r.row };
        byId.set(r.to, o);
        this.order.push(o);
      } else if (seen.lastRow !== r.row) {
        seen.rows++;
        seen.lastRow = r.row;
      }
    }
  }

  get size(): number {
    return this.order.length;
  }

  outcomes(): NameOutcome[] {
    return this.order.map(({ lastRow: _, ...o }) => o);
  }

  /** "campaign “rivera gotv 2026” is Rivera GOTV 2026 (camp_…), 12 rows", one line each. */
  lines(): string[] {
    return this.outcomes().map((o) => {
      const said =
        describeResolved(o.field, { kind: 'name', text: o.from, id: o.to, label: o.label }) ??
        `“${o.from}” is ${o.to}`;
      return `${said}: ${o.rows} row${o.rows === 1 ? '' : 's'}`;
    });
  }
}

/** Counts the reference cells that hold names, which only the account can turn into ids. */
export class NamesWithoutAccount {
  cells = 0;
  rows = 0;
  private readonly examples: string[] = [];

  add(body: CreateProjectRequest): void {
    const b = body as unknown as Record<string, unknown>;
    let found = 0;
    for (const field of Object.keys(REFERENCE_FIELDS) as ReferenceField[]) {
      const v = b[field];
      const items = typeof v === 'string' ? [v] : Array.isArray(v) ? (v as unknown[]) : [];
      for (const item of items) {
        if (typeof item !== 'string' || item === '' || looksLikeId(item)) continue;
        found++;
        if (this.examples.length < 3) {
          const example = `${field} “${item.length > 60 ? `${item.slice(0, 57)}…` : item}”`;
          if (!this.examples.includes(example)) this.examples.push(example);
        }
      }
    }
    if (found > 0) {
      this.cells += found;
      this.rows++;
    }
  }

  /** One message for the whole file, or null when every reference is an id. */
  message(): string | null {
    if (this.cells === 0) return null;
    return (
      `${this.cells} reference${this.cells === 1 ? '' : 's'} in ${this.rows} row${this.rows === 1 ? '' : 's'} ` +
      `${this.cells === 1 ? 'is a name' : 'are names'} (${this.examples.join(', ')}${this.cells > this.examples.length ? ', …' : ''}), ` +
      'which only your account can turn into ids: they were not checked. To resolve and check them, set ' +
      'POLITICAL_COMMS_API_KEY and run validate again with --account (and --base-url URL for the Sandbox).'
    );
  }
}
