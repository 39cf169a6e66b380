// Saving cells of the event x channel grid: one cell, or a whole row or column in one mutation (all or none). Shown
// as changed straight away, flipped back on failure, and the outcome said next to what changed.
import { useCallback, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/errors';
import { columnKey } from '../channels';
import {
  SetEventPreferenceDocument,
  SetEventPreferencesDocument,
  type EventType,
  type GridChannelFragment,
  type PreferenceChange,
  type StackSettingsQuery,
} from '../graphql/generated';
import type { QueryState } from './useQuery';
import { useSession } from './session';

export interface CellChange {
  eventType: EventType;
  column: GridChannelFragment;
  enabled: boolean;
}

/** What a save changed, where its outcome is shown: one cell, a row's button or a column's button. */
export type SaveTarget = string;

type ColumnRef = Pick<GridChannelFragment, 'kind' | 'channelId'>;

export const cellTarget = (eventType: EventType, column: ColumnRef): SaveTarget =>
  `cell:${eventType}:${columnKey(column)}`;
export const rowTarget = (eventType: EventType): SaveTarget => `row:${eventType}`;
export const columnTarget = (column: ColumnRef): SaveTarget => `column:${columnKey(column)}`;

/** The outcome of the latest save, shown next to what changed. */
export interface SaveNote {
  target: SaveTarget;
  ok: boolean;
  /** "Saved", or "Not saved: " and why. */
  text: string;
  /** The same, with what was changed, for the live region. */
  announcement: string;
}

export interface PreferenceToggles {
  /** Cells being saved, as cellTarget(eventType, column). */
  saving: ReadonlySet<SaveTarget>;
  note: SaveNote | null;
  /** Saves `changes` as one: `target` is where the outcome is shown, `what` names the change in words. */
  save: (target: SaveTarget, what: string, changes: readonly CellChange[]) => Promise<void>;
}

function withCells(data: StackSettingsQuery, changes: readonly CellChange[]): StackSettingsQuery {
  const wanted = new Map(
    changes.map((change) => [cellTarget(change.eventType, change.column), change.enabled]),
  );
  const preferences = data.stack.preferences.map((row) => ({
    ...row,
    channelCells: row.channelCells.map((cell) => {
      const enabled = wanted.get(
        cellTarget(row.eventType, { kind: cell.channel, channelId: cell.channelId }),
      );
      return enabled === undefined ? cell : { ...cell, enabled };
    }),
  }));
  return { stack: { ...data.stack, preferences } };
}

function preferenceChange({ eventType, column, enabled }: CellChange): PreferenceChange {
  return column.channelId
    ? { eventType, channelId: column.channelId, enabled }
    : { eventType, channel: column.kind, enabled };
}

/** The API's error in words for the person who changed the box. */
function reasonNotSaved(error: unknown): string {
  if (error instanceof ApiError && error.code === 'FORBIDDEN')
    return 'only owners and admins change shared channels.';
  if (error instanceof ApiError && error.code === 'NOT_FOUND')
    return 'this channel is gone; reload the page.';
  return errorMessage(error);
}

export function usePreferenceToggles(
  stackId: string,
  settings: QueryState<StackSettingsQuery>,
): PreferenceToggles {
  const { api } = useSession();
  const [saving, setSaving] = useState<ReadonlySet<SaveTarget>>(new Set());
  const [note, setNote] = useState<SaveNote | null>(null);
  const { update } = settings;

  const save = useCallback(
    async (target: SaveTarget, what: string, changes: readonly CellChange[]) => {
      const keys = changes.map((change) => cellTarget(change.eventType, change.column));
      // One save per cell at a time.
      if (changes.length === 0 || keys.some((key) => saving.has(key))) return;
      const before = settings.data;
      const undo = changes.map((change) => ({
        ...change,
        enabled:
          before?.stack.preferences
            .find((row) => row.eventType === change.eventType)
            ?.channelCells.find((cell) => (cell.channelId ?? cell.channel) === columnKey(change.column))
            ?.enabled ?? !change.enabled,
      }));
      update((data) => withCells(data, changes));
      setSaving((current) => new Set([...current, ...keys]));
      setNote(null);
      try {
        if (changes.length === 1) {
          const [change] = changes;
          await api.request(SetEventPreferenceDocument, {
            stackId,
            eventType: change.eventType,
            ...(change.column.channelId
              ? { channelId: change.column.channelId }
              : { channel: change.column.kind }),
            enabled: change.enabled,
          });
        } else {
          await api.request(SetEventPreferencesDocument, { stackId, changes: changes.map(preferenceChange) });
        }
        setNote({ target, ok: true, text: 'Saved', announcement: `Saved: ${what}` });
      } catch (thrown) {
        update((data) => withCells(data, undo));
        const reason = reasonNotSaved(thrown);
        setNote({
          target,
          ok: false,
          text: `Not saved: ${reason}`,
          announcement: `${what} was not saved: ${reason}`,
        });
      } finally {
        setSaving((current) => {
          const next = new Set(current);
          for (const key of keys) next.delete(key);
          return next;
        });
      }
    },
    [api, saving, settings.data, stackId, update],
  );

  return { saving, note, save };
}
