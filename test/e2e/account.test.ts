/**
 * An account that refuses the key, as the app tells it: no environment variable, no "run the same
 * command"; the way out is Settings, and once the key is fixed there the stop is not shown any more.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SANDBOX_API_KEY } from '../../src/sandbox/seed';
import { decodeWire, encodeWire, TOKEN_HEADER } from '../../src/shared/wire';
import { dropFile, launchApp, waitChecked, shot, type App } from './helpers';

const CLI = /POLITICAL_COMMS_API_KEY|same command|--base-url|environment variable/;
let app: App;

/**
 * A bridge call made the way the page makes it: from the page itself (so the browser names its own
 * origin), with the harness's token in its header. A refused call fails the test, with the reason.
 */
async function call(name: string, input?: unknown): Promise<unknown> {
  const { status, text } = await app.page.evaluate(
    async ([callName, header, token, body]) => {
      const res = await fetch(`/api/call/${callName}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [header]: token },
        body,
      });
      return { status: res.status, text: await res.text() };
    },
    [name, TOKEN_HEADER, app.harness.token, encodeWire({ input })] as const,
  );
  if (status !== 200) throw new Error(`${name} was refused (${status}): ${text}`);
  return (decodeWire(text) as { output: unknown }).output;
}

async function saveKey(key: string) {
  const { page } = app;
  const settings = page.getByTestId('settings');
  await settings.getByRole('textbox', { name: 'API key' }).fill(key);
  await settings.getByRole('button', { name: 'Save key' }).click();
  await settings.getByRole('button', { name: 'Done' }).click();
  await settings.waitFor({ state: 'detached' });
}

beforeAll(async () => {
  app = await launchApp();
  // A server of one's own (here the Sandbox's address) with a key it does not know.
  await call('setSettings', { environment: 'sandbox' });
  const { baseUrl } = (await call('getSettings')) as { baseUrl: string };
  await call('setSettings', { environment: 'custom', customBaseUrl: baseUrl });
  await call('setApiKey', { apiKey: 'pc_live_not_a_key_of_this_account' });
  await app.page.reload();
  await app.page.getByRole('heading', { name: 'Create broadcast projects from a spreadsheet' }).waitFor();
});

afterAll(async () => {
  await app?.close();
});

describe('a refused key, in the app’s words', () => {
  test('the account check: the banner points at Settings, and goes once the key is fixed', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Open example', exact: true }).click();
    await page.getByRole('button', { name: 'Review 20 rows →' }).click();
    await waitChecked(page);
    await page.getByRole('button', { name: 'Check with account' }).click();
    const banner = page.locator('.banner.error').filter({ hasText: 'The account check stopped' });
    await banner.waitFor();
    const text = (await banner.textContent()) ?? '';
    expect(text).toMatch(/Settings/);
    expect(text).not.toMatch(CLI);
    // Nothing else repeats it in a toast that outlives the file.
    await expect(
      page
        .locator('.toast')
        .filter({ hasText: /refused/ })
        .count(),
    ).resolves.toBe(0);
    await shot(page, 'account-refused');

    // Another file: the stop belonged to the other one.
    await dropFile(page, 'other.csv', 'Project name,Message\r\nHello,Hi\r\n');
    await page.getByRole('heading', { name: 'Check the columns' }).waitFor();
    await expect(banner.count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Review 1 row →' }).click();
    await page.getByRole('grid').waitFor();
    await expect(banner.count()).resolves.toBe(0);

    // Back to the example (its columns are remembered): checked again, refused again.
    await page.getByRole('button', { name: 'Close file' }).click();
    await page.getByRole('button', { name: 'Open example', exact: true }).click();
    await page.getByRole('grid').waitFor();
    await waitChecked(page);
    await page.getByRole('button', { name: 'Check with account' }).click();
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Open settings' }).click();
    await saveKey(SANDBOX_API_KEY);
    await banner.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Check with account' }).click();
    await page.getByText(/The account check found \d+ problems? in \d+ rows?/).waitFor();
    await expect(page.locator('.banner.error').count()).resolves.toBe(0);
  });

  test('a run the key stops: the same words, and Create goes on once it is fixed', async () => {
    const { page } = app;
    await page.locator('.env-badge').click();
    await saveKey('pc_live_not_a_key_of_this_account');
    await page.locator('.toolbar .primary').click();
    await page
      .getByTestId('submit-dialog')
      .getByRole('button', { name: /^Create \d+ projects$/ })
      .click();
    const stopped = page.locator('.run-panel .run-title');
    await stopped.getByText(/^Stopped: /).waitFor({ timeout: 60_000 });
    const text = (await stopped.textContent()) ?? '';
    expect(text).toMatch(/Settings/);
    expect(text).toMatch(/Create again/);
    expect(text).not.toMatch(CLI);
    await shot(page, 'run-refused');

    await page.locator('.env-badge').click();
    await saveKey(SANDBOX_API_KEY);
    await expect(stopped.textContent()).resolves.toMatch(/The settings changed since/);
    await page.locator('.toolbar .primary').click();
    await page
      .getByTestId('submit-dialog')
      .getByRole('button', { name: /^Create \d+ projects$/ })
      .click();
    await page.getByText(/^Done: \d+ projects created/).waitFor({ timeout: 120_000 });
    expect(app.errors).toEqual([]);
  });
});
