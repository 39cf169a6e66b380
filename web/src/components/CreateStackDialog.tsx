// Creates a stack: a name and an environment.
import { useState } from 'preact/hooks';
import { CreateStackDocument } from '../graphql/generated';
import { useSession } from '../hooks/session';
import { useFormAction } from '../hooks/useFormAction';
import { Dialog } from './Dialog';
import { FormError } from './FormError';
import type { StackSummary } from './Shell';
import { TextField } from './TextField';

export interface CreateStackDialogProps {
  onClose: () => void;
  onCreated: (stack: StackSummary) => void;
}

export function CreateStackDialog({ onClose, onCreated }: CreateStackDialogProps) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [environment, setEnvironment] = useState('production');
  const form = useFormAction(['input.name', 'input.environment']);

  function submit(event: Event) {
    event.preventDefault();
    void form.run(async () => {
      const { createStack } = await api.request(CreateStackDocument, { input: { name, environment } });
      onCreated(createStack);
    });
  }

  return (
    <Dialog title="New stack" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TextField label="Name" value={name} onInput={setName} error={form.fields['input.name']} autoFocus />
        <TextField
          label="Environment"
          value={environment}
          onInput={setEnvironment}
          error={form.fields['input.environment']}
          hint="e.g. production, staging"
        />
        <FormError message={form.error} />
        <div class="actions">
          <button type="submit" class="button-primary" disabled={form.busy}>
            Create stack
          </button>
        </div>
      </form>
    </Dialog>
  );
}
