// A form's submission: busy while it runs; the API's BAD_USER_INPUT messages by field, anything else for the form.
import { useCallback, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/errors';

export interface FormAction {
  busy: boolean;
  /** Messages for the fields the form shows, by input path (e.g. "input.url"). */
  fields: Readonly<Record<string, string>>;
  /** A message for the form as a whole: errors that name no field the form shows. */
  error: string | null;
  run: (action: () => Promise<void>) => Promise<void>;
}

export function useFormAction(shownFields: readonly string[]): FormAction {
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Readonly<Record<string, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const shown = shownFields.join('\n');

  const run = useCallback(
    async (action: () => Promise<void>) => {
      setBusy(true);
      setFields({});
      setError(null);
      try {
        await action();
      } catch (thrown) {
        const named = thrown instanceof ApiError ? thrown.fields : {};
        const paths = Object.keys(named);
        setFields(named);
        const allShown = paths.length > 0 && paths.every((path) => shown.split('\n').includes(path));
        setError(allShown ? null : errorMessage(thrown));
      } finally {
        setBusy(false);
      }
    },
    [shown],
  );

  return { busy, fields, error, run };
}
