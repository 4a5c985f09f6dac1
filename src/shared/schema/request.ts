/**
 * The request body of `POST /v1/projects`, as a strict zod schema. Its inferred type is proven equal
 * to the official SDK's `CreateProjectRequest` at compile time (below), so the two cannot drift.
 */
import { z } from 'zod';
import type { CreateProjectRequest } from '@political-comms/sdk';

const id = z.string().min(1);
const ids = z.array(id);

export const createProjectRequestSchema = z.strictObject({
  organization_id: id,
  channel: z.enum(['10dlc', 'toll-free']).optional(),
  brand_id: id.optional(),
  campaign_id: id.optional(),
  toll_free_verification_id: id.optional(),
  phone_number_ids: ids.min(1).max(49).optional(),
  phone_number_id: id.optional(),
  name: z.string().min(1),
  protocol: z.enum(['sms', 'mms']),
  contact_list_ids: ids.min(1).optional(),
  suppression_list_ids: ids.optional(),
  message_text: z.string().min(1),
  media_ids: ids.optional(),
  link_tracking_enabled: z.boolean().optional(),
  link_tracking_destination_url: z.string().min(1).optional(),
  link_tracking_domain_id: id.optional(),
  link_tracking_param_field: z.string().min(1).max(64).optional(),
  link_tracking_fallback_url: z.string().min(1).optional(),
  opt_out_footer_enabled: z.boolean().optional(),
});

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compile-time proof: this line fails to type-check if the schema and the SDK type differ. */
export const SCHEMA_MATCHES_SDK: Equals<
  z.infer<typeof createProjectRequestSchema>,
  CreateProjectRequest
> = true;
