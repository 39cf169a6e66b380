// Saving one cell of the event x channel grid at once: shown as changed straight away, flipped back on failure.
import { useCallback, useState } from 'preact/hooks';
import { errorMessage } from '../api/errors';
import {
  SetEventPreferenceDocument,
  type ChannelKind,
  type EventType,
  type StackSettingsQuery,
} from '../graphql/generated';
import type { QueryState } from './useQuery';
import { useSession } from './session';

export interface PreferenceToggles {
  /** Cells being saved, as cellKey(eventType, channel). */
  saving: ReadonlySet<string>;
  error: string | null;
  toggle: (eventType: EventType, channel: ChannelKind, enabled: boolean) => Promise<void>;
}

export const cellKey = (eventType: EventType, channel: ChannelKind): string => `${eventType} by ${channel}`;

function withCell(
  data: StackSettingsQuery,
  eventType: EventType,
  channel: ChannelKind,
  enabled: boolean,
): StackSettingsQuery {
  const preferences = data.stack.preferences.map((row) =>
    row.eventType !== eventType
      ? row
      : { ...row, cells: row.cells.map((cell) => (cell.channel === channel ? { ...cell, enabled } : cell)) },
  );
  return { stack: { ...data.stack, preferences } };
}

export function usePreferenceToggles(
  stackId: string,
  settings: QueryState<StackSettingsQuery>,
): PreferenceToggles {
  const { api } = useSession();
  const [saving, setSaving] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const { update } = settings;

  const toggle = useCallback(
    async (eventType: EventType, channel: ChannelKind, enabled: boolean) => {
      const key = cellKey(eventType, channel);
      if (saving.has(key)) return;
      update((data) => withCell(data, eventType, channel, enabled));
      setSaving((current) => new Set(current).add(key));
      try {
        await api.request(SetEventPreferenceDocument, { stackId, eventType, channel, enabled });
        setError(null);
      } catch (thrown) {
        update((data) => withCell(data, eventType, channel, !enabled));
        setError(`${key} was not saved: ${errorMessage(thrown)}`);
      } finally {
        setSaving((current) => {
          const next = new Set(current);
          next.delete(key);
          return next;
        });
      }
    },
    [api, saving, stackId, update],
  );

  return { saving, error, toggle };
}
