/**
 * The Sandbox: a local simulator of the Political Comms API on 127.0.0.1, for tests, benchmarks,
 * demos and the app's Sandbox mode. It implements the API rules on its own (see `rules.ts`) and must
 * not import anything from `src/shared/`.
 */
export {
  startSandbox,
  SandboxState,
  FAULT_NAMES,
  type FaultName,
  type RunningSandbox,
  type SandboxFaultScript,
  type SandboxLogEntry,
  type SandboxOptions,
  type SandboxProject,
  type SandboxRequestInfo,
} from './server';
export * from './seed';
export {
  checkAccount,
  checkPlaceholders,
  checkShape,
  CREATE_FIELDS,
  MAX_PARAM_FIELD_LENGTH,
  MAX_PHONE_NUMBERS,
  type CreateBody,
  type FieldIssue,
  type RuleFailure,
} from './rules';
