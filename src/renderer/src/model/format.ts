/** Plain-English numbers, counts and durations for the UI. */

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 row", "2 rows", "1,000 rows". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** "45 s", "3 min 20 s", "2 h 5 min". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "projects.xlsx" -> "projects". */
export function baseName(fileName: string): string {
  return fileName.replace(/\.[^./\\]+$/, '');
}

/** Excel's column letters: 0 -> A, 26 -> AA. */
export { columnName as columnLetter } from '../../../shared/sheet/grid';
