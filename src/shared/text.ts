/**
 * A copy of a string that shares no memory with the text it was cut from. Cells from the CSV reader
 * are slices of whole chunks of the file; anything kept for long (a map key, an issue message that
 * quotes a cell) must be detached, or it keeps those chunks alive.
 */
export function detach(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
