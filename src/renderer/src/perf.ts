/**
 * Timing marks read by the end-to-end tests and benchmarks (User Timing API, visible in DevTools):
 *   bi:first-paint  from choosing a file to the grid's first rows in the DOM
 *   bi:first-frame  the same, to the next animation frame (the rows on screen)
 *   bi:edit         from the key that commits an edit to the grid re-rendered with its new checks
 *   bi:edit-frame   the same, to the next animation frame
 */
let openAt: number | null = null;
let editAt: number | null = null;

export function markOpen(at: number = performance.now()): void {
  openAt = at;
  performance.mark('bi:open', { startTime: at });
}

export function markEdit(at: number): void {
  editAt = at;
}

/** Called by the grid after it rendered rows (layout effect: the DOM is up to date, not yet painted). */
export function gridRendered(hasRows: boolean): void {
  const now = performance.now();
  if (openAt !== null && hasRows) {
    const start = openAt;
    openAt = null;
    performance.measure('bi:first-paint', { start, end: now });
    requestAnimationFrame(() => performance.measure('bi:first-frame', { start, end: performance.now() }));
  }
  if (editAt !== null) {
    const start = editAt;
    editAt = null;
    performance.measure('bi:edit', { start, end: now });
    requestAnimationFrame(() => performance.measure('bi:edit-frame', { start, end: performance.now() }));
  }
}
