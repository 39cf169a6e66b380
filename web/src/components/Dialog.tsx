// A modal dialog on the native <dialog>: focus moves in and is kept there, Escape closes, focus returns after.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

export interface DialogProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** "drawer": a panel along the side of the screen; "wide": a larger box, for an editor. @default a box in the middle */
  variant?: 'drawer' | 'wide';
}

export function Dialog({ title, onClose, children, variant }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    dialog?.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      class={variant ? `dialog dialog-${variant}` : 'dialog'}
      aria-labelledby={titleId}
      onClose={onClose}
    >
      <div class="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="button-quiet" onClick={() => ref.current?.close()}>
          Close
        </button>
      </div>
      {children}
    </dialog>
  );
}
