/**
 * Where the keyboard focus goes back to when the element holding it goes away (a dialog closes, the
 * find bar closes, a button is disabled while its work runs, a panel is replaced): the grid, so F8
 * and the arrow keys keep working. Focus the user moved elsewhere on purpose is left alone.
 */

let home: (() => void) | null = null;

/** The grid registers itself as the place focus returns to; the returned function unregisters it. */
export function setFocusHome(focus: () => void): () => void {
  home = focus;
  return () => {
    if (home === focus) home = null;
  };
}

/** True when nothing useful holds the focus: the page body, an element gone or disabled. */
export function focusLost(): boolean {
  const a = document.activeElement;
  if (!a || a === document.body || a === document.documentElement || !a.isConnected) return true;
  if ((a as HTMLButtonElement).disabled === true) return true;
  return a.closest('[inert]') !== null;
}

function usable(el: HTMLElement | null | undefined): el is HTMLElement {
  return (
    !!el && el.isConnected && (el as HTMLButtonElement).disabled !== true && el.closest('[inert]') === null
  );
}

/** Give the focus back: to `preferred` when it can still take it, else to the grid. */
export function returnFocus(preferred?: HTMLElement | null): void {
  if (usable(preferred)) preferred.focus({ preventScroll: true });
  else home?.();
}

/** Give the focus back only if it was lost (after work that disabled or removed what held it). */
export function rescueFocus(): void {
  if (focusLost()) returnFocus();
}
