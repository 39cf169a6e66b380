// Asks before something that cannot be undone (removing a person, revoking a token); says why it failed if it does.
import type { ComponentChildren } from 'preact';
import { useFormAction } from '../hooks/useFormAction';
import { Dialog } from './Dialog';
import { FormError } from './FormError';

export interface ConfirmDialogProps {
  title: string;
  /** The button that does it, e.g. "Remove Ada". */
  confirmLabel: string;
  children: ComponentChildren;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

export function ConfirmDialog({ title, confirmLabel, children, onConfirm, onClose }: ConfirmDialogProps) {
  const action = useFormAction([]);
  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      <FormError message={action.error} />
      <div class="actions">
        <button type="button" class="button-quiet" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          class="button-danger"
          disabled={action.busy}
          onClick={() => void action.run(onConfirm)}
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
