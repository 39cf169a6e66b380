// A modal dialog on the native <dialog>: focus moves in and is kept there, Escape closes, focus returns after.
import type { ComponentChildren, TargetedKeyboardEvent } from 'preact';
import { useId, useLayoutEffect, useRef } from 'preact/hooks';

export interface DialogProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** "drawer": a panel along the side of the screen; "wide": a larger box, for an editor. @default a box in the middle */
  variant?: 'drawer' | 'wide';
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), ' +
  '[tabindex]:not([tabindex="-1"])';

/** A modal dialog keeps the page inert, but Tab would still leave it for the browser's own controls: wrap around. */
function keepTabInside(event: TargetedKeyboardEvent<HTMLDialogElement>) {
  if (event.key !== 'Tab') return;
  const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.getClientRects().length > 0,
  );
  if (focusable.length === 0) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = document.activeElement;
  if (event.shiftKey && (active === first || active === event.currentTarget)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}

export function Dialog({ title, onClose, children, variant }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  // A layout effect: its cleanup runs before the dialog leaves the document (an effect's would run after), and
  // close() gives focus back to the opener only while the dialog is still in it.
  useLayoutEffect(() => {
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
      onKeyDown={keepTabInside}
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
