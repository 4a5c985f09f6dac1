/**
 * A modal dialog on the native <dialog> element: focus moves into it and stays there, Escape closes
 * it, and the page behind is inert.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function Dialog(props: {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { onClose } = props;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (!el.open) el.showModal();
    const cancel = (e: Event) => {
      e.preventDefault();
      onClose();
    };
    el.addEventListener('cancel', cancel);
    return () => el.removeEventListener('cancel', cancel);
  }, [onClose]);
  return (
    <dialog
      ref={ref}
      className={`dialog${props.wide ? ' wide' : ''}`}
      aria-labelledby="dialog-title"
      data-testid={props.testId}
    >
      <header className="dialog-head">
        <h2 id="dialog-title">{props.title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="dialog-body">{props.children}</div>
      {props.footer && <footer className="dialog-foot">{props.footer}</footer>}
    </dialog>
  );
}

export interface ConfirmOptions {
  title: string;
  body: ReactNode;
  confirm: string;
  cancel?: string;
  danger?: boolean;
}

export function ConfirmDialog(props: { options: ConfirmOptions; onAnswer(ok: boolean): void }) {
  const { options, onAnswer } = props;
  return (
    <Dialog
      title={options.title}
      onClose={() => onAnswer(false)}
      footer={
        <>
          <button type="button" onClick={() => onAnswer(false)}>
            {options.cancel ?? 'Cancel'}
          </button>
          <button
            type="button"
            className={options.danger ? 'danger' : 'primary'}
            onClick={() => onAnswer(true)}
            autoFocus
          >
            {options.confirm}
          </button>
        </>
      }
    >
      {options.body}
    </Dialog>
  );
}
