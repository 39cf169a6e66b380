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
      {/* Each option says whether it is selected: a value on the select, set before its options exist, selects none
          (on the account pages, where no stack is current, the select showed empty). */}
      <select id={id} onChange={(event) => onSelect(event.currentTarget.value)}>
        {!known && (
          <option value="" disabled selected>
            {stacks.length ? 'Choose a stack' : 'No stacks'}
          </option>
        )}
        {stacks.map((stack) => (
          <option key={stack.id} value={stack.id} selected={stack.id === currentId}>
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
