// A stack's noise control: each event type's severity (which decides what quiet hours let through), and digests per
// channel kind. OWNER and ADMIN change them; members see them.
import { useId } from 'preact/hooks';
import { StackNoiseDocument } from '../graphql/generated';
import { canManageStacks, useSession } from '../hooks/session';
import { useQuery } from '../hooks/useQuery';
import { DigestSettings } from './DigestSettings';
import { FlappingSettings } from './FlappingSettings';
import { FormError } from './FormError';
import { SeveritySettings } from './SeveritySettings';
import '../noise.css';

export function NoiseView({ stackId }: { stackId: string }) {
  const { viewer } = useSession();
  const noise = useQuery(StackNoiseDocument, { id: stackId });
  const severityHeading = useId();
  const digestHeading = useId();
  const flappingHeading = useId();
  const editable = canManageStacks(viewer);
  const stack = noise.data?.stack;

  if (!stack) {
    return (
      <>
        <FormError message={noise.error?.message ?? null} />
        {!noise.error && <p class="hint">Loading noise control…</p>}
      </>
    );
  }

  return (
    <>
      {!editable && (
        <p class="notice">
          You can see this stack's noise control; an owner or admin of the account changes it.
        </p>
      )}
      <section aria-labelledby={severityHeading}>
        <h2 id={severityHeading}>Severity</h2>
        <p class="hint">
          Critical notifications reach people at once, even during their quiet hours; warnings and info wait
          for the summary when quiet hours end. A change applies to notifications published after it.
        </p>
        <SeveritySettings
          stackId={stackId}
          settings={stack.eventSeverities}
          events={noise.data?.eventTypes ?? []}
          editable={editable}
          onChanged={(changed) =>
            noise.update((data) => ({
              ...data,
              stack: {
                ...data.stack,
                eventSeverities: data.stack.eventSeverities.map((setting) =>
                  setting.eventType === changed.eventType ? changed : setting,
                ),
              },
            }))
          }
        />
      </section>
      <section aria-labelledby={digestHeading}>
        <h2 id={digestHeading}>Digests</h2>
        <p class="hint">
          A digest lets a few notifications through in each window and sends the rest together when it ends.
          {editable && ' Every change is saved at once.'}
        </p>
        <DigestSettings
          stackId={stackId}
          digests={stack.digests}
          sharedChannels={stack.sharedChannels}
          editable={editable}
          onChanged={(change) =>
            noise.update((data) => ({
              ...data,
              stack: { ...data.stack, digests: change(data.stack.digests) },
            }))
          }
        />
      </section>
      <section aria-labelledby={flappingHeading}>
        <h2 id={flappingHeading}>Flapping</h2>
        <p class="hint">
          A server, job or process that fails and recovers over and over flaps: its notifications, critical
          ones too, are summarised once per window until it settles.
        </p>
        <FlappingSettings
          stackId={stackId}
          settings={stack.flapping}
          editable={editable}
          onChanged={(flapping) => noise.update((data) => ({ ...data, stack: { ...data.stack, flapping } }))}
        />
      </section>
    </>
  );
}
