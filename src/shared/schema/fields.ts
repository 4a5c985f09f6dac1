/**
 * The field catalogue: every body field of `POST /v1/projects`, with the label, synonyms and help
 * text the mapping, the template and the UI show. The order is the order of the template's columns.
 */
export type FieldKind = 'text' | 'list' | 'boolean' | 'enum';

export interface FieldSpec {
  /** The API's own name for the field, as sent in the request body. */
  readonly name: FieldName;
  readonly label: string;
  readonly kind: FieldKind;
  /** Needed on every row (organization_id may instead come from a default organization). */
  readonly required: boolean;
  /** Other headers people use for this column; matched ignoring case, spaces, dashes and underscores. */
  readonly synonyms: readonly string[];
  /** Headers written as a yes/no question ("Link?", "Opt out?") that mean this field. */
  readonly questions?: readonly string[];
  readonly help: string;
  readonly example: string;
}

export const FIELD_NAMES = [
  'organization_id',
  'name',
  'protocol',
  'channel',
  'brand_id',
  'campaign_id',
  'toll_free_verification_id',
  'phone_number_ids',
  'phone_number_id',
  'contact_list_ids',
  'suppression_list_ids',
  'media_ids',
  'message_text',
  'link_tracking_enabled',
  'link_tracking_destination_url',
  'link_tracking_domain_id',
  'link_tracking_param_field',
  'link_tracking_fallback_url',
  'opt_out_footer_enabled',
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];

/** A mapped spreadsheet row: the text of each cell, keyed by the API field its column maps to. */
export type RawRow = Partial<Record<FieldName, string>>;

export const FIELDS: readonly FieldSpec[] = [
  {
    name: 'organization_id',
    label: 'Organization ID',
    kind: 'text',
    required: true,
    synonyms: ['organization', 'org', 'org id', 'organisation id', 'organisation'],
    help: 'The organization that owns the project. Leave the column out to use the default organization.',
    example: 'org_01HR5QQ3PY9HTZMKN1ZMBN7JR0',
  },
  {
    name: 'name',
    label: 'Project name',
    kind: 'text',
    required: true,
    synonyms: ['project name', 'project', 'title', 'broadcast name'],
    help: 'The name shown in the dashboard. Keep it unique within the organization.',
    example: 'GOTV reminder — Precinct 12',
  },
  {
    name: 'protocol',
    label: 'Protocol',
    kind: 'enum',
    required: true,
    synonyms: ['message type', 'sms or mms', 'type'],
    help: 'sms or mms.',
    example: 'sms',
  },
  {
    name: 'channel',
    label: 'Channel',
    kind: 'enum',
    required: false,
    synonyms: ['messaging channel', 'route'],
    help: '10dlc (the default when empty) or toll-free.',
    example: '10dlc',
  },
  {
    name: 'brand_id',
    label: 'Brand ID',
    kind: 'text',
    required: false,
    synonyms: ['brand'],
    help: 'Required for 10DLC projects; must be empty for toll-free projects.',
    example: 'brand_01HR77TXQCN3JZF2DZYTBBGTM9',
  },
  {
    name: 'campaign_id',
    label: 'Campaign ID',
    kind: 'text',
    required: false,
    synonyms: ['campaign', '10dlc campaign', 'tcr campaign'],
    help: 'Required for 10DLC projects; must be empty for toll-free projects.',
    example: 'camp_01HR9G1HX1EN9R9RS5X0FZS0PB',
  },
  {
    name: 'toll_free_verification_id',
    label: 'Toll-free verification ID',
    kind: 'text',
    required: false,
    synonyms: [
      'toll free verification',
      'verification id',
      'tfv id',
      'toll free verification id',
      'verification',
    ],
    help: 'Required for toll-free projects; must be empty for 10DLC projects.',
    example: '',
  },
  {
    name: 'phone_number_ids',
    label: 'Phone number IDs',
    kind: 'list',
    required: false,
    synonyms: ['phone numbers', 'phone number ids', 'numbers', 'sending numbers', 'from numbers', 'phones'],
    help: '1 to 49 sending number ids, separated by commas, semicolons, spaces or new lines.',
    example: 'pn_01HRCGB4W8GJACYA1SCX5GNW8R, pn_01HRD8DYP3DFY0SDWCHF9Q1YYS',
  },
  {
    name: 'phone_number_id',
    label: 'Phone number ID (deprecated)',
    kind: 'text',
    required: false,
    synonyms: ['phone number', 'phone', 'sending number', 'from number'],
    help: 'A single sending number id. Deprecated: use phone_number_ids.',
    example: '',
  },
  {
    name: 'contact_list_ids',
    label: 'Contact list IDs',
    kind: 'list',
    required: false,
    synonyms: ['contact lists', 'lists', 'list ids', 'contact list', 'audience'],
    help: 'Optional. Without a list the project stays a draft until one is attached.',
    example: 'cl_01HSRXEPVE6SFVNHFREW4BS3KS',
  },
  {
    name: 'suppression_list_ids',
    label: 'Suppression list IDs',
    kind: 'list',
    required: false,
    synonyms: [
      'suppression lists',
      'suppressions',
      'exclude lists',
      'suppression list',
      'suppress',
      'do not contact',
      'dnc',
      'exclude',
    ],
    help: 'Optional lists of contacts who must not receive this project.',
    example: '',
  },
  {
    name: 'media_ids',
    label: 'Media IDs',
    kind: 'list',
    required: false,
    synonyms: ['media', 'images', 'attachments', 'media files'],
    help: 'Optional media for MMS projects.',
    example: '',
  },
  {
    name: 'message_text',
    label: 'Message',
    kind: 'text',
    required: true,
    synonyms: ['message', 'text', 'body', 'script', 'message body', 'sms text', 'content'],
    help: 'The text sent. Merge tags go in braces, e.g. {first_name}; the tracked link is {link}.',
    example: 'Hi {first_name}, polls are open until 8pm. Find your polling place: {link}',
  },
  {
    name: 'link_tracking_enabled',
    label: 'Link tracking',
    kind: 'boolean',
    required: false,
    synonyms: ['link tracking', 'track links', 'tracking', 'tracking enabled', 'link tracking enabled'],
    questions: [
      'link',
      'links',
      'track',
      'tracked',
      'track links',
      'tracking',
      'link tracking',
      'tracked link',
    ],
    help: 'yes/no. When yes, a destination URL and a tracking domain are required.',
    example: 'yes',
  },
  {
    name: 'link_tracking_destination_url',
    label: 'Link destination URL',
    kind: 'text',
    required: false,
    synonyms: ['destination url', 'link url', 'url', 'link', 'tracking url', 'destination'],
    help: 'Where tracked links redirect: an absolute http(s) URL, optionally with one {field} placeholder.',
    example: 'https://rivera-senate.example/vote?utm_source=sms',
  },
  {
    name: 'link_tracking_domain_id',
    label: 'Tracking domain ID',
    kind: 'text',
    required: false,
    synonyms: ['tracking domain', 'link domain', 'domain id', 'short domain', 'tracking domain id'],
    help: 'The id of a tracking domain of the organization.',
    example: 'td_01HSPN5FHMQBSYEBV1FMAT7V9V',
  },
  {
    name: 'link_tracking_param_field',
    label: 'Link parameter field',
    kind: 'text',
    required: false,
    synonyms: ['param field', 'link param', 'tracking parameter', 'link parameter', 'tracking param field'],
    help: '"phone" or a contact custom-field name (at most 64 characters); empty for none.',
    example: '',
  },
  {
    name: 'link_tracking_fallback_url',
    label: 'Link fallback URL',
    kind: 'text',
    required: false,
    synonyms: ['fallback url', 'fallback', 'link fallback'],
    help: 'Only with a whole-URL placeholder destination such as https://{custom_url}.',
    example: '',
  },
  {
    name: 'opt_out_footer_enabled',
    label: 'Opt-out footer',
    kind: 'boolean',
    required: false,
    synonyms: ['opt out footer', 'stop footer', 'footer', 'opt-out', 'opt out'],
    questions: ['opt out', 'footer', 'opt out footer', 'stop footer', 'add footer'],
    help: 'yes/no. Appends "STOP=END" to every message; yes when empty.',
    example: '',
  },
];

export const FIELD_BY_NAME: ReadonlyMap<FieldName, FieldSpec> = new Map(FIELDS.map((f) => [f.name, f]));

export function isFieldName(value: string): value is FieldName {
  return (FIELD_NAMES as readonly string[]).includes(value);
}
