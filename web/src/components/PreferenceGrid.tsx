// The event x channel grid: one checkbox per cell, saved as soon as it changes.
import { CHANNEL_KINDS, CHANNEL_LABELS, channelState, type ChannelState } from '../channels';
import type { ChannelKind, ChannelSettingsFragment, PreferenceRowFragment } from '../graphql/generated';
import { cellKey, type PreferenceToggles } from '../hooks/usePreferenceToggles';

export interface PreferenceGridProps {
  rows: readonly PreferenceRowFragment[];
  channels: readonly ChannelSettingsFragment[];
  toggles: PreferenceToggles;
}

export function PreferenceGrid({ rows, channels, toggles }: PreferenceGridProps) {
  const states = new Map(channels.map((channel) => [channel.kind, channelState(channel)]));
  return (
    <div class="grid-scroller">
      <table class="preference-grid">
        <caption class="visually-hidden">Which events are sent on which channels</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            {CHANNEL_KINDS.map((kind) => (
              <th scope="col" key={kind} class={`is-${states.get(kind) ?? 'ready'}`}>
                {CHANNEL_LABELS[kind]}
                {states.get(kind) === 'not-set-up' && <span class="badge">not set up</span>}
                {states.get(kind) === 'disabled' && <span class="badge">disabled</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.eventType}>
              <th scope="row">
                <code class="event-key">{row.key}</code>
                <span class="event-description">{row.description}</span>
              </th>
              {CHANNEL_KINDS.map((kind) => (
                <Cell key={kind} row={row} kind={kind} state={states.get(kind)} toggles={toggles} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface CellProps {
  row: PreferenceRowFragment;
  kind: ChannelKind;
  state: ChannelState | undefined;
  toggles: PreferenceToggles;
}

function Cell({ row, kind, state, toggles }: CellProps) {
  const cell = row.cells.find((candidate) => candidate.channel === kind);
  if (!cell) return <td />;
  const key = cellKey(row.eventType, kind);
  const saving = toggles.saving.has(key);
  return (
    <td class={`is-${state ?? 'ready'}`}>
      <label class="cell">
        <input
          type="checkbox"
          checked={cell.enabled}
          aria-label={key}
          aria-busy={saving}
          onChange={(event) => {
            // One save per cell at a time: a change while one is in flight is undone on the spot.
            if (saving) event.currentTarget.checked = cell.enabled;
            else void toggles.toggle(row.eventType, kind, event.currentTarget.checked);
          }}
        />
        <span class="cell-label" aria-hidden="true">
          {CHANNEL_LABELS[kind]}
        </span>
      </label>
    </td>
  );
}
