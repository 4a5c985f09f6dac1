/**
 * Security policy applied to every web contents: no navigation away from the app, no new windows,
 * no permission grants, no webviews. Links to the documentation open in the system browser through
 * the allowlist of the service.
 */
import type { Session, WebContents } from 'electron';
import { isBundleUrl } from './protocol';

/**
 * The pages the app itself serves: the built renderer on its own origin (`app://bundle`), or, while
 * developing, the dev server's origin. Never `file:`: any local HTML file would pass for the app.
 */
export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  if (devServerUrl) {
    try {
      return new URL(url).origin === new URL(devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return isBundleUrl(url);
}

export function applySecurity(
  contents: WebContents,
  devServerUrl: string | undefined,
  openExternal: (url: string) => void,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** The secure options of every window. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  spellcheck: false,
} as const;
