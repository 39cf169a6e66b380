// The webhook signing secret, shown the one time the API returns it.
import { useId, useState } from 'preact/hooks';

export function SigningSecret({ secret }: { secret: string }) {
  const id = useId();
  const [copied, setCopied] = useState(false);

  function copy() {
    // The clipboard API exists only in secure contexts; the field can still be selected and copied by hand.
    if (!('clipboard' in navigator)) return;
    navigator.clipboard.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }

  return (
    <div class="secret">
      <label for={id}>Signing secret</label>
      <div class="secret-row">
        <input id={id} readOnly value={secret} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" class="button-quiet" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p class="hint">Shown this once: store it now to verify the webhook signatures.</p>
    </div>
  );
}
