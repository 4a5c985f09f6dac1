/**
 * Every IPC handler goes through `registerBridge`: it checks that the call comes from the app's own
 * main frame, parses the input with the contract's schema, and returns `{ ok, value | error }` so the
 * preload can throw a plain Error in the page.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { BRIDGE, CHANNEL_PREFIX, type BridgeHandlers, type CallName } from '../shared/bridge';

export type IpcAnswer = { ok: true; value: unknown } | { ok: false; error: string };

export type SenderCheck = (event: Pick<IpcMainInvokeEvent, 'senderFrame'>) => boolean;

export function makeBridgeHandler(name: CallName, handlers: BridgeHandlers, isTrusted: SenderCheck) {
  const contract = BRIDGE[name];
  return async (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, input: unknown): Promise<IpcAnswer> => {
    if (!isTrusted(event))
      return { ok: false, error: 'Refused: this call did not come from the app window.' };
    const parsed = contract.input.safeParse(input);
    if (!parsed.success) return { ok: false, error: `Invalid input for ${name}: ${parsed.error.message}` };
    try {
      const handler = handlers[name] as (i: unknown) => Promise<unknown>;
      return { ok: true, value: contract.output.parse(await handler(parsed.data)) };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  };
}

export function registerBridge(
  ipcMain: Pick<IpcMain, 'handle'>,
  handlers: BridgeHandlers,
  isTrusted: SenderCheck,
): string[] {
  const channels: string[] = [];
  for (const name of Object.keys(BRIDGE) as CallName[]) {
    const channel = CHANNEL_PREFIX + name;
    ipcMain.handle(channel, makeBridgeHandler(name, handlers, isTrusted));
    channels.push(channel);
  }
  return channels;
}
