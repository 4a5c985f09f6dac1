/** Saving the edited sheet: the same for Ctrl+S, the Save dialog and "Save" when closing. */
import { importer } from '../importer';
import { baseName } from '../model/format';
import type { Session } from '../session';

/** The format Ctrl+S keeps: the file's own when it is a CSV, else a workbook. */
export function ownFormat(session: Session): 'csv' | 'xlsx' {
  return session.fileMeta?.format === 'csv' ? 'csv' : 'xlsx';
}

/** Build the sheet as the grid shows it and save it; null when the user cancelled. Throws on failure. */
export async function saveSheet(session: Session, format: 'csv' | 'xlsx'): Promise<{ path: string } | null> {
  const bytes = await session.build({
    kind: 'sheet',
    format,
    sheetName: session.readMeta?.sheet ?? 'Projects',
  });
  const same = session.fileMeta?.format === format;
  const name = same ? session.fileName : `${baseName(session.fileName)}.${format}`;
  const result = await importer.saveFile({ suggestedName: name, bytes });
  if ('cancelled' in result) return null;
  session.model?.markSaved();
  return { path: result.path };
}
