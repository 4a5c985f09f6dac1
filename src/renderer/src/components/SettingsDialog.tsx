/**
 * Settings: where projects are created (Production, the local Sandbox, or a custom server), the
 * API key (the UI only ever learns whether one is stored), the default organization, and a
 * connection test.
 */
import { useState } from 'react';
import type { CallOutput } from '../../../shared/bridge';
import { importer } from '../importer';
import type { SettingsView } from '../App';
import { Dialog } from './Dialog';

type TestResult = CallOutput<'testConnection'>;

export function SettingsDialog(props: {
  settings: SettingsView;
  onChange(settings: SettingsView): void;
  onClose(): void;
}) {
  const { settings, onChange } = props;
  const [customUrl, setCustomUrl] = useState(settings.customBaseUrl);
  const [org, setOrg] = useState(settings.defaultOrganizationId);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<TestResult | null>(null);

  const run = async (f: () => Promise<SettingsView>) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await f());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const setEnvironment = (environment: SettingsView['environment']) => {
    setTest(null);
    void run(() =>
      importer.setSettings(
        environment === 'custom' ? { environment, customBaseUrl: customUrl } : { environment },
      ),
    );
  };

  const saveOrg = (value: string) => {
    if (value.trim() === settings.defaultOrganizationId) return;
    void run(() => importer.setSettings({ defaultOrganizationId: value.trim() }));
  };

  const testConnection = async () => {
    setBusy(true);
    setError(null);
    setTest(null);
    try {
      setTest(await importer.testConnection());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const sandbox = settings.environment === 'sandbox';

  return (
    <Dialog
      title="Settings"
      onClose={props.onClose}
      testId="settings"
      footer={
        <button type="button" className="primary" onClick={props.onClose}>
          Done
        </button>
      }
    >
      <fieldset className="settings-group">
        <legend>Where projects are created</legend>
        <label className="radio">
          <input
            type="radio"
            name="env"
            checked={settings.environment === 'sandbox'}
            onChange={() => setEnvironment('sandbox')}
          />
          <span>
            <strong>Sandbox</strong> — a simulator on this computer. Nothing is sent anywhere and no API key
            is needed: use it to try the app and the example file.
          </span>
        </label>
        <label className="radio">
          <input
            type="radio"
            name="env"
            checked={settings.environment === 'production'}
            onChange={() => setEnvironment('production')}
          />
          <span>
            <strong>Production</strong> — creates real projects in your Political Comms account.
          </span>
        </label>
        <label className="radio">
          <input
            type="radio"
            name="env"
            checked={settings.environment === 'custom'}
            onChange={() => setEnvironment('custom')}
          />
          <span>
            <strong>Custom server</strong>
          </span>
        </label>
        {settings.environment === 'custom' && (
          <div className="indent">
            <label className="stack">
              Base URL
              <input
                type="url"
                value={customUrl}
                placeholder="https://api.example.org"
                onChange={(e) => setCustomUrl(e.target.value)}
                onBlur={() => customUrl !== settings.customBaseUrl && setEnvironment('custom')}
              />
            </label>
          </div>
        )}
        {settings.baseUrl && <p className="muted small">Requests go to {settings.baseUrl}</p>}
      </fieldset>

      <fieldset className="settings-group" disabled={busy}>
        <legend>API key</legend>
        {sandbox ? (
          <p className="muted">The Sandbox needs no key.</p>
        ) : (
          <p>
            {settings.hasApiKey ? (
              <>
                <span className="pill ok">A key is stored</span>{' '}
                {settings.keyProtection === 'os' && 'protected by your system’s keychain.'}
              </>
            ) : settings.keySavedFor ? (
              <>
                <span className="pill off">No key for this server</span> The stored key was saved for{' '}
                {settings.keySavedFor} and is sent only there: enter the key for this server.
              </>
            ) : (
              <span className="pill off">No key stored</span>
            )}
          </p>
        )}
        {settings.keyProtection === 'basic_text' && (
          <p className="banner warning small" role="alert">
            This system has no keychain the app can use, so a key saved here is stored without encryption and
            could be read by other programs running as you. Prefer a computer with a keychain (GNOME Keyring
            or KWallet on Linux), or remove the key when you are done.
          </p>
        )}
        {settings.keyProtection === 'unavailable' && (
          <p className="banner warning small" role="alert">
            Keys cannot be stored on this system.
          </p>
        )}
        <div className="inline-form">
          <input
            type="password"
            aria-label="API key"
            placeholder={settings.hasApiKey ? 'Paste a new key to replace it' : 'pc_live_…'}
            value={key}
            autoComplete="off"
            onChange={(e) => setKey(e.target.value)}
            disabled={settings.keyProtection === 'unavailable'}
          />
          <button
            type="button"
            disabled={!key.trim()}
            onClick={() =>
              void run(async () => {
                const s = await importer.setApiKey({ apiKey: key.trim() });
                setKey('');
                return s;
              })
            }
          >
            Save key
          </button>
          {settings.hasApiKey && (
            <button
              type="button"
              className="danger-link"
              onClick={() => void run(() => importer.clearApiKey())}
            >
              Remove key
            </button>
          )}
        </div>
      </fieldset>

      <fieldset className="settings-group" disabled={busy}>
        <legend>Default organization</legend>
        <p className="muted small">
          Used for rows whose Organization ID cell is empty (or files without that column).
        </p>
        <div className="inline-form">
          <input
            type="text"
            aria-label="Default organization ID"
            placeholder="org_…"
            value={org}
            onChange={(e) => setOrg(e.target.value)}
            onBlur={() => saveOrg(org)}
            onKeyDown={(e) => e.key === 'Enter' && saveOrg(org)}
          />
          {test && test.organizations.length > 0 && (
            <select
              aria-label="Choose an organization"
              value=""
              onChange={(e) => {
                setOrg(e.target.value);
                saveOrg(e.target.value);
              }}
            >
              <option value="">Choose from your account…</option>
              {test.organizations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name} ({o.id})
                </option>
              ))}
            </select>
          )}
        </div>
      </fieldset>

      <div className="settings-test">
        <button type="button" onClick={() => void testConnection()} disabled={busy}>
          Test connection
        </button>
        {busy && <span className="muted">Working…</span>}
        {test && (
          <span className={test.ok ? 'ok-text' : 'err-text'} role="status">
            {test.ok ? '✓ ' : '✕ '}
            {test.message}
          </span>
        )}
        {error && (
          <span className="err-text" role="alert">
            {error}
          </span>
        )}
      </div>
    </Dialog>
  );
}
