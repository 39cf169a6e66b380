// How a cell of the event x channel matrix is decided: the stored choice, else the seed's default.
import {
  ALL_CHANNELS,
  ChannelKind,
  defaultEnabled,
  EVENT_TYPES,
  EventType,
  isSharedChannel,
  PERSONAL_CHANNELS,
  SHARED_CHANNELS,
} from '../events/event-types';
import { cellKey, resolveCell } from './preferences.service';

const everyCell = EVENT_TYPES.flatMap((info) => ALL_CHANNELS.map((channel) => [info.type, channel] as const));

describe('defaultEnabled', () => {
  it('starts every channel on for every event type but stack.deploy.started', () => {
    for (const [eventType, channel] of everyCell) {
      expect(defaultEnabled(eventType, channel)).toBe(eventType !== EventType.STACK_DEPLOY_STARTED);
    }
  });

  it('starts stack.deploy.started off on all six channels, email included', () => {
    expect(ALL_CHANNELS.filter((channel) => defaultEnabled(EventType.STACK_DEPLOY_STARTED, channel))).toEqual(
      [],
    );
  });
});

describe('resolveCell', () => {
  it('follows the default while nothing is stored', () => {
    for (const [eventType, channel] of everyCell) {
      expect(resolveCell(undefined, eventType, channel)).toBe(defaultEnabled(eventType, channel));
    }
  });

  it('prefers a stored choice over the default, whichever way it goes', () => {
    for (const [eventType, channel] of everyCell) {
      expect(resolveCell(false, eventType, channel)).toBe(false);
      expect(resolveCell(true, eventType, channel)).toBe(true);
    }
  });
});

describe('cellKey', () => {
  it('gives each cell of every kind its own key', () => {
    const keys = new Set(everyCell.map(([eventType, channel]) => cellKey(eventType, channel)));
    expect(keys.size).toBe(EVENT_TYPES.length * 8);
  });
});

describe('the channel catalogue', () => {
  it('splits the eight kinds into shared (per stack) and personal (per user)', () => {
    expect([...SHARED_CHANNELS].sort()).toEqual([
      ChannelKind.DISCORD,
      ChannelKind.HIPCHAT,
      ChannelKind.SLACK,
      ChannelKind.TEAMS,
      ChannelKind.WEBHOOK,
    ]);
    expect([...PERSONAL_CHANNELS].sort()).toEqual([ChannelKind.BROWSER, ChannelKind.EMAIL, ChannelKind.IOS]);
    for (const channel of ALL_CHANNELS) {
      expect(isSharedChannel(channel)).toBe(SHARED_CHANNELS.includes(channel));
    }
  });

  it('lists the fourteen event types of the seed, each with its dotted key and a description', () => {
    expect(EVENT_TYPES).toHaveLength(14);
    for (const info of EVENT_TYPES) {
      expect(info.key).toMatch(/^[a-z]+(\.[a-z]+)+$/);
      expect(info.description).not.toBe('');
    }
  });
});
