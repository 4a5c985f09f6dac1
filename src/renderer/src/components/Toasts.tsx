/** Short messages in the corner: what just happened, with an action when there is one. */
export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
  action?: { label: string; run(): void };
}

export function Toasts(props: { toasts: Toast[]; onDismiss(id: number): void }) {
  return (
    <div className="toasts" aria-live="polite" aria-atomic="false">
      {props.toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <span className="toast-text">{t.text}</span>
          {t.action && (
            <button
              type="button"
              className="link"
              onClick={() => {
                t.action!.run();
                props.onDismiss(t.id);
              }}
            >
              {t.action.label}
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => props.onDismiss(t.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
