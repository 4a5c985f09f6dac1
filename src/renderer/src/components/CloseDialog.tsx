/**
 * Asked when the window is closing (or the app quitting) over unsaved edits or a run under way:
 * save first, discard and close, or stay.
 */
import { useState } from 'react';
import { Dialog } from './Dialog';

export function CloseDialog(props: {
  fileName: string;
  dirty: boolean;
  running: boolean;
  quitting: boolean;
  /** Resolves true once saved (false: the user cancelled the save, or it failed). */
  onSave(): Promise<boolean>;
  onDiscard(): Promise<void>;
  onCancel(): void;
}) {
  const { fileName, dirty, running } = props;
  const [busy, setBusy] = useState<'saving' | 'closing' | null>(null);
  const closeWord = props.quitting ? 'quit' : 'close';
  const runNote = running ? (
    <p>
      Projects are being created: {closeWord === 'quit' ? 'quitting' : 'closing'} stops the run once the
      request under way is answered. The rows not sent yet are offered for resume at the next start.
    </p>
  ) : null;
  const discard = () => {
    setBusy('closing');
    void props.onDiscard().finally(() => setBusy(null));
  };
  return (
    <Dialog
      title={dirty ? `Save your edits to ${fileName}?` : `Stop creating projects and ${closeWord}?`}
      onClose={props.onCancel}
      testId="close-dialog"
      footer={
        <>
          <button type="button" onClick={props.onCancel} disabled={busy !== null}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={discard} disabled={busy !== null}>
            {busy === 'closing'
              ? running
                ? 'Stopping the run…'
                : 'Closing…'
              : dirty
                ? 'Discard and close'
                : 'Stop the run and close'}
          </button>
          {dirty && (
            <button
              type="button"
              className="primary"
              disabled={busy !== null}
              data-autofocus
              onClick={() => {
                setBusy('saving');
                void props.onSave().then((saved) => {
                  if (saved) discard();
                  else setBusy(null);
                });
              }}
            >
              {busy === 'saving' ? 'Saving…' : 'Save'}
            </button>
          )}
        </>
      }
    >
      {dirty && <p>{fileName} has edits that are not saved. They are lost if you do not save them.</p>}
      {runNote}
    </Dialog>
  );
}
