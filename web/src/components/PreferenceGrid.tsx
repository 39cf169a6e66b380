// The event x channel grid: a column per channel the viewer has on this stack, a row per event type in its group,
// each box saved as soon as it changes. It is one tab stop: arrow keys move between its boxes and buttons.
import { useId, useRef, useState } from 'preact/hooks';
import { columnBlock, columnKey, type ColumnBlock, type ColumnContext, type ColumnFix } from '../channels';
import { byEventGroup } from '../event-groups';
import type { GridChannelFragment, PreferenceRowFragment } from '../graphql/generated';
import {
  cellTarget,
  columnTarget,
  rowTarget,
  type CellChange,
  type PreferenceToggles,
  type SaveNote,
} from '../hooks/usePreferenceToggles';

export interface PreferenceGridProps {
  rows: readonly PreferenceRowFragment[];
  /** The viewer's personal channels, then the stack's shared ones. */
  columns: readonly GridChannelFragment[];
  /** Whether the viewer may change the shared channels' cells (OWNER or ADMIN). */
  canChangeShared: boolean;
  context: ColumnContext;
  toggles: PreferenceToggles;
  /** What "Set up" does for a column that cannot send; null where the page offers no way. */
  setUpAction: (column: GridChannelFragment, fix: ColumnFix) => (() => void) | null;
}

interface Column {
  channel: GridChannelFragment;
  block: ColumnBlock | null;
  editable: boolean;
  /** Describes the column's cells when they cannot be changed or send nothing. */
  statusId: string;
}

type Position = readonly [row: number, column: number];

export function PreferenceGrid(props: PreferenceGridProps) {
  const { rows, canChangeShared, context, toggles, setUpAction } = props;
  const baseId = useId();
  const table = useRef<HTMLTableElement>(null);
  const [active, setActive] = useState<Position>([1, 1]);

  const columns: Column[] = props.columns.map((channel, index) => ({
    channel,
    block: columnBlock(channel, context),
    editable: channel.scope === 'PERSONAL' || canChangeShared,
    statusId: `${baseId}-status-${index}`,
  }));
  const groups = byEventGroup(rows).map(({ label, items }) => ({ label, rows: items }));
  const ordered = groups.flatMap((group) => group.rows);
  // The cells a row's or column's button changes: those the viewer may change and that send.
  const live = columns.filter((column) => column.editable && !column.block);

  const enabledOf = (row: PreferenceRowFragment, channel: GridChannelFragment): boolean =>
    row.channelCells.find((cell) => (cell.channelId ?? cell.channel) === columnKey(channel))?.enabled ??
    false;

  const headerAction = (column: Column): (() => void) | null =>
    column.block ? setUpAction(column.channel, column.block.fix) : null;
  const positions = new Set<string>();
  columns.forEach((column, index) => {
    if (headerAction(column) || (!column.block && column.editable)) positions.add(`0:${index + 1}`);
  });
  ordered.forEach((_, index) => {
    if (live.length > 0) positions.add(`${index + 1}:0`);
    columns.forEach((_, column) => positions.add(`${index + 1}:${column + 1}`));
  });
  const current: Position = positions.has(`${active[0]}:${active[1]}`) ? active : [1, 1];
  const focusProps = (row: number, column: number) => ({
    'data-grid-row': row,
    'data-grid-col': column,
    tabIndex: current[0] === row && current[1] === column ? 0 : -1,
  });

  function elementAt([row, column]: Position): HTMLElement | null {
    return table.current?.querySelector(`[data-grid-row="${row}"][data-grid-col="${column}"]`) ?? null;
  }

  /** The first position from `from` (excluded) in direction (dRow, dColumn) that holds a control. */
  function step(from: Position, dRow: number, dColumn: number): Position | null {
    let [row, column] = from;
    for (;;) {
      row += dRow;
      column += dColumn;
      if (row < 0 || row > ordered.length || column < 0 || column > columns.length) return null;
      if (positions.has(`${row}:${column}`)) return [row, column];
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    const target = event.target as HTMLElement;
    if (target.dataset.gridRow === undefined) return;
    const at: Position = [Number(target.dataset.gridRow), Number(target.dataset.gridCol)];
    const moves: Record<string, () => Position | null> = {
      ArrowRight: () => step(at, 0, 1),
      ArrowLeft: () => step(at, 0, -1),
      ArrowDown: () => step(at, 1, 0),
      ArrowUp: () => step(at, -1, 0),
      Home: () => (event.ctrlKey ? step([0, -1], 0, 1) : step([at[0], -1], 0, 1)),
      End: () =>
        event.ctrlKey
          ? step([ordered.length, columns.length + 1], 0, -1)
          : step([at[0], columns.length + 1], 0, -1),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const next = move();
    if (!next) return;
    setActive(next);
    elementAt(next)?.focus();
  }

  function onFocusIn(event: FocusEvent) {
    const target = event.target as HTMLElement;
    if (target.dataset.gridRow === undefined) return;
    const at: Position = [Number(target.dataset.gridRow), Number(target.dataset.gridCol)];
    if (at[0] !== current[0] || at[1] !== current[1]) setActive(at);
  }

  function saveMany(target: string, what: string, changes: CellChange[]) {
    void toggles.save(target, what, changes);
  }

  return (
    <>
      <p class="hint" id={`${baseId}-keys`}>
        Arrow keys move between the boxes, Space ticks one, Home and End go to the row&apos;s ends.
      </p>
      <div class="grid-scroller">
        <table
          ref={table}
          class="preference-grid"
          role="grid"
          aria-label="Which events are sent on which channels"
          aria-describedby={`${baseId}-keys`}
          onKeyDown={onKeyDown}
          onFocusIn={onFocusIn}
        >
          <thead>
            <tr>
              <th scope="col" class="event-column">
                Event
              </th>
              {columns.map((column, index) => {
                const allOn = ordered.every((row) => enabledOf(row, column.channel));
                const action = headerAction(column);
                return (
                  <th
                    scope="col"
                    key={columnKey(column.channel)}
                    class={column.block ? 'is-blocked' : undefined}
                    data-column={column.channel.name}
                  >
                    <span class="column-name">{column.channel.name}</span>
                    {column.block && (
                      <span class="column-status" title={column.block.detail}>
                        {column.block.label}
                      </span>
                    )}
                    <span id={column.statusId} class="visually-hidden">
                      {column.block
                        ? `Sends nothing: ${column.block.detail}`
                        : column.editable
                          ? ''
                          : 'Only owners and admins change shared channels.'}
                    </span>
                    {!column.block && !column.editable && (
                      <span class="column-status is-muted" aria-hidden="true">
                        Owners and admins set it
                      </span>
                    )}
                    {action && (
                      <button
                        type="button"
                        class="grid-button"
                        aria-label={`Set up ${column.channel.name}`}
                        title={column.block?.detail}
                        onClick={action}
                        {...focusProps(0, index + 1)}
                      >
                        Set up
                      </button>
                    )}
                    {!column.block && column.editable && (
                      <button
                        type="button"
                        class="grid-button"
                        aria-label={`${allOn ? 'All off' : 'All on'}: ${column.channel.name}`}
                        title={`${allOn ? 'Turns off' : 'Turns on'} every event on ${column.channel.name}`}
                        aria-busy={ordered.some((row) =>
                          toggles.saving.has(cellTarget(row.eventType, column.channel)),
                        )}
                        onClick={() =>
                          saveMany(
                            columnTarget(column.channel),
                            `${column.channel.name}: every event ${allOn ? 'off' : 'on'}`,
                            ordered.map((row) => ({
                              eventType: row.eventType,
                              column: column.channel,
                              enabled: !allOn,
                            })),
                          )
                        }
                        {...focusProps(0, index + 1)}
                      >
                        {allOn ? 'All off' : 'All on'}
                      </button>
                    )}
                    <Note note={toggles.note} target={columnTarget(column.channel)} />
                  </th>
                );
              })}
            </tr>
          </thead>
          {groups.map((group) => (
            <tbody key={group.label}>
              <tr class="group-row">
                <th scope="rowgroup" colSpan={columns.length + 1}>
                  {group.label}
                </th>
              </tr>
              {group.rows.map((row) => {
                const rowIndex = ordered.indexOf(row) + 1;
                const allOn = live.every((column) => enabledOf(row, column.channel));
                return (
                  <tr key={row.eventType}>
                    <th scope="row" class="event-cell">
                      <div class="event-row-header">
                        <span class="event-text">
                          <span class="event-title">{row.title}</span>
                          <code class="event-key">{row.key}</code>
                        </span>
                        {live.length > 0 && (
                          <button
                            type="button"
                            class="grid-button"
                            aria-label={`${allOn ? 'All off' : 'All on'}: ${row.title}`}
                            title={`${allOn ? 'Turns off' : 'Turns on'} this event on every channel here that sends and that you can change`}
                            onClick={() =>
                              saveMany(
                                rowTarget(row.eventType),
                                `${row.title} ${allOn ? 'off' : 'on'} everywhere`,
                                live.map((column) => ({
                                  eventType: row.eventType,
                                  column: column.channel,
                                  enabled: !allOn,
                                })),
                              )
                            }
                            {...focusProps(rowIndex, 0)}
                          >
                            {allOn ? 'All off' : 'All on'}
                          </button>
                        )}
                      </div>
                      <Note note={toggles.note} target={rowTarget(row.eventType)} />
                    </th>
                    {columns.map((column, index) => (
                      <Cell
                        key={columnKey(column.channel)}
                        row={row}
                        column={column}
                        enabled={enabledOf(row, column.channel)}
                        toggles={toggles}
                        focus={focusProps(rowIndex, index + 1)}
                      />
                    ))}
                  </tr>
                );
              })}
            </tbody>
          ))}
        </table>
      </div>
      <p class="visually-hidden" role="status">
        {toggles.note?.announcement ?? ''}
      </p>
    </>
  );
}

function Note({ note, target }: { note: SaveNote | null; target: string }) {
  if (note?.target !== target) return null;
  return (
    <span class={note.ok ? 'grid-note' : 'grid-note is-error'} aria-hidden="true">
      {note.text}
    </span>
  );
}

interface CellProps {
  row: PreferenceRowFragment;
  column: Column;
  enabled: boolean;
  toggles: PreferenceToggles;
  focus: { 'data-grid-row': number; 'data-grid-col': number; tabIndex: number };
}

function Cell({ row, column, enabled, toggles, focus }: CellProps) {
  const { channel, block } = column;
  const target = cellTarget(row.eventType, channel);
  const saving = toggles.saving.has(target);
  const readOnly = block !== null || !column.editable;
  const name = `${row.title} — ${channel.name}`;
  return (
    <td class={block ? 'is-blocked' : readOnly ? 'is-read-only' : undefined}>
      <label class="cell">
        <input
          type="checkbox"
          // A channel that cannot send shows no tick: nothing is sent there.
          checked={block ? false : enabled}
          aria-label={name}
          aria-describedby={readOnly ? column.statusId : undefined}
          aria-disabled={readOnly || undefined}
          aria-busy={saving}
          onClick={(event) => {
            if (readOnly || saving) event.preventDefault();
          }}
          onChange={(event) => {
            const on = event.currentTarget.checked;
            void toggles.save(target, `${name} ${on ? 'on' : 'off'}`, [
              { eventType: row.eventType, column: channel, enabled: on },
            ]);
          }}
          {...focus}
        />
      </label>
      <Note note={toggles.note} target={target} />
    </td>
  );
}
