// A labelled text input with its hint and the API's validation message for it.
import type { TargetedEvent } from 'preact';
import { useId } from 'preact/hooks';

export interface TextFieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string;
  hint?: string;
  type?: 'text' | 'url' | 'password';
  placeholder?: string;
  autoFocus?: boolean;
}

export function TextField({
  label,
  value,
  onInput,
  error,
  hint,
  type = 'text',
  placeholder,
  autoFocus,
}: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  const attributes = {
    id,
    value,
    placeholder,
    autoFocus,
    autoComplete: 'off',
    spellcheck: false,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
    onInput: (event: TargetedEvent<HTMLInputElement>) => onInput(event.currentTarget.value),
  };
  // Preact types each input type on its own, so the element is written out per type.
  const input =
    type === 'password' ? (
      <input type="password" {...attributes} />
    ) : type === 'url' ? (
      <input type="url" {...attributes} />
    ) : (
      <input type="text" {...attributes} />
    );
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {input}
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
