/**
 * The columns a results sheet adds after the original ones. Reading a results sheet back ignores
 * them, so "fix the failed rows and submit only them" works on the exported file. The original
 * columns keep what the user typed (names stay names); `sent_ids` says which ids were sent for the
 * cells that named things ("brand_id: brand_…; phone_number_ids: pn_…, pn_…").
 */
export const RESULT_COLUMNS = [
  'status',
  'project_id',
  'project_status',
  'error_code',
  'error_message',
  'http_status',
  'attempts',
  'submitted_at',
  'sent_ids',
] as const;

export type ResultColumn = (typeof RESULT_COLUMNS)[number];

export type RowStatus = 'created' | 'failed' | 'invalid' | 'skipped' | 'not_sent';
