/**
 * The account's reference data, as fetched once per session by an account check: what the pure
 * account checks (`checkAgainstAccount`) need to re-check an edited row at once, offline. The
 * privileged side fetches it (the window never talks to the network); the renderer keeps it for the
 * session with the time it was fetched ("checked 3 min ago · Refresh").
 *
 * Each list is per organization; a list that could not be read is absent and named in `unavailable`,
 * so the checks that need it are skipped (the API still checks every row when it is sent).
 */
import { z } from 'zod';

const id = z.string().max(200);
const text = z.string().max(2000);
const opt = <T extends z.ZodType>(t: T) => t.nullable().optional();

export const accountOrganizationSchema = z.object({ id, name: text });
export const accountBrandSchema = z.object({ id, name: text, status: opt(text) });
export const accountCampaignSchema = z.object({
  id,
  name: text,
  brandId: opt(id),
  status: opt(text),
});
export const accountPhoneNumberSchema = z.object({
  id,
  /** E.164 */
  number: text,
  channel: opt(text),
  campaignId: opt(id),
  brandId: opt(id),
  tollFreeVerificationId: opt(id),
  status: opt(text),
  shared: z.boolean().optional(),
  nickname: opt(text),
});
export const accountVerificationSchema = z.object({ id, name: text, status: opt(text) });
export const accountDomainSchema = z.object({ id, domain: text, status: opt(text) });
export const accountListSchema = z.object({ id, name: text });
export const accountProjectSchema = z.object({ id, name: text });
export const accountMediaSchema = z.object({ id, name: text });

/** Lists of one organization. A list missing here could not be read (see `unavailable`). */
export const organizationDataSchema = z.object({
  brands: z.array(accountBrandSchema).optional(),
  campaigns: z.array(accountCampaignSchema).optional(),
  phoneNumbers: z.array(accountPhoneNumberSchema).optional(),
  verifications: z.array(accountVerificationSchema).optional(),
  trackingDomains: z.array(accountDomainSchema).optional(),
  contactLists: z.array(accountListSchema).optional(),
  projects: z.array(accountProjectSchema).optional(),
  /** Media files (`GET /media`); absent where the API offers no media list. */
  media: z.array(accountMediaSchema).optional(),
  /** The key may not act for this organization (403 ORG_ACCESS_DENIED on its lists). */
  denied: z.boolean().optional(),
});

export const accountSnapshotSchema = z.object({
  /** Where the data came from, e.g. "Sandbox" or the base URL (for "checked … against …"). */
  source: text,
  /** ms since the epoch. */
  fetchedAt: z.number(),
  /** The organizations the key reaches; null when they could not be listed. */
  organizations: z.array(accountOrganizationSchema).nullable(),
  byOrganization: z.record(id, organizationDataSchema),
  /** Plain messages about lists that could not be read (one each). */
  unavailable: z.array(z.object({ code: z.string().max(100), message: text })),
});

export type AccountSnapshot = z.infer<typeof accountSnapshotSchema>;
export type OrganizationData = z.infer<typeof organizationDataSchema>;
export type AccountPhoneNumber = z.infer<typeof accountPhoneNumberSchema>;

/** An account check the account refused as a whole (bad key, no access): nothing else could be checked. */
export const accountStopSchema = z.object({
  reason: z.enum(['account', 'unreachable', 'cancelled']),
  httpStatus: z.number().optional(),
  code: z.string().optional(),
  message: z.string(),
});
