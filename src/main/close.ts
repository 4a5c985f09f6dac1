/**
 * The window's close, held back by the close guard (src/engine/service/close.ts) while the document
 * has unsaved edits or a run is under way; the guard asks the UI instead.
 */
import type { CloseGuard } from '../engine/service/close';

/** The part of a BrowserWindow the close handling uses. */
export interface ClosableWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  webContents: { on(event: 'render-process-gone', listener: () => void): unknown };
}

export function guardWindowClose(win: ClosableWindow, guard: CloseGuard): void {
  guard.windowOpened();
  win.on('close', (event) => {
    if (guard.onWindowClose() === 'prevent') event.preventDefault();
  });
  // A page that is gone cannot answer: its edits are lost already, and nothing may hold the window.
  win.webContents.on('render-process-gone', () => guard.pageGone());
}
