/**
 * A modal dialog on the native <dialog> element: focus moves into it and stays there, Escape closes
 * it, and the page behind is inert. When it goes, focus goes back to what had it before (or to the
 * grid, when that is gone or disabled meanwhile).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { focusLost, returnFocus } from './focus';

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
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      // After the dialog is gone, and after whatever its answer started has rendered.
      setTimeout(() => {
        if (focusLost()) returnFocus(opener);
      }, 0);
    };
  }, []);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (!el.open) {
      el.showModal();
      // showModal focuses the first control (the × button): the dialog's main answer goes first.
      el.querySelector<HTMLElement>('[data-autofocus]:not(:disabled)')?.focus();
    }
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
            data-autofocus
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
