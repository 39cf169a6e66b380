// Chooses the stack the page shows; offers to create one.
import { useId } from 'preact/hooks';
import type { StackSummary } from './Shell';

export interface StackPickerProps {
  stacks: readonly StackSummary[];
  currentId: string | null;
  onSelect: (stackId: string) => void;
  /** Null when the viewer may not create stacks. */
  onCreate: (() => void) | null;
}

export function StackPicker({ stacks, currentId, onSelect, onCreate }: StackPickerProps) {
  const id = useId();
  const known = stacks.some((stack) => stack.id === currentId);
  return (
    <div class="stack-picker">
      <label for={id}>Stack</label>
      <select
        id={id}
        value={known ? (currentId ?? '') : ''}
        onChange={(event) => onSelect(event.currentTarget.value)}
      >
        {!known && (
          <option value="" disabled>
            {stacks.length ? 'Choose a stack' : 'No stacks'}
          </option>
        )}
        {stacks.map((stack) => (
          <option key={stack.id} value={stack.id}>
            {stack.name} ({stack.environment})
          </option>
        ))}
      </select>
      {onCreate && (
        <button type="button" class="button-quiet" onClick={onCreate}>
          New stack
        </button>
      )}
    </div>
  );
}
