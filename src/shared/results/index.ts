/**
 * The results sheet: one row per input row, the original columns, then RESULT_COLUMNS. Pure (no
 * Node), so the renderer can build it as well as the CLI.
 */
export { RESULT_COLUMNS, type ResultColumn, type RowStatus } from './columns';
export { formulaSafe, unescapeFormula } from './formula';
export { sentIdsOf } from './sent-ids';
export {
  buildResultsTable,
  fromResultsSheet,
  isResultColumn,
  isResultsSheet,
  stripResultColumns,
  type PreviousResult,
  type ResultCell,
  type ResultsSource,
  type ResultsTable,
  type RowResult,
} from './table';
export {
  STATUS_COLOURS,
  resultsFormatOf,
  tableToCsv,
  tableToXlsx,
  writeResults,
  type ResultsFormat,
} from './write';
