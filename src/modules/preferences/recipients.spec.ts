// Who gets a notification, decided from the matrix without a database: each shared channel by its own column.
import { ChannelKind, EventType } from '../events/event-types';
import { decideRecipients } from './recipients';

const channel = (id: string, kind: ChannelKind, enabled = true) => ({ id, kind, enabled });

describe('decideRecipients', () => {
  const slackA = channel('slack-a', ChannelKind.SLACK);
  const slackB = channel('slack-b', ChannelKind.SLACK);
  const teams = channel('teams', ChannelKind.TEAMS);
  const discordOff = channel('discord', ChannelKind.DISCORD, false);
  const sharedChannels = [slackA, slackB, teams, discordOff];

  it("reads each shared channel's own cell, not its kind's", () => {
    const decided = decideRecipients({
      eventType: EventType.JOB_FAIL,
      stackCells: new Map([['slack-a', false]]),
      userCells: new Map(),
      userIds: [],
      sharedChannels,
    });
    expect(decided.sharedChannels).toEqual([slackB, teams]);
  });

  it('follows the default for a channel without a stored cell, and skips disabled channels whatever their cell', () => {
    const deployStarted = decideRecipients({
      eventType: EventType.STACK_DEPLOY_STARTED,
      stackCells: new Map([
        ['slack-b', true],
        ['discord', true],
      ]),
      userCells: new Map(),
      userIds: [],
      sharedChannels,
    });
    expect(deployStarted.sharedChannels).toEqual([slackB]);
  });

  it('leaves personal cells to each user, whatever the shared ones say', () => {
    const decided = decideRecipients({
      eventType: EventType.JOB_FAIL,
      stackCells: new Map([
        ['slack-a', false],
        ['slack-b', false],
      ]),
      userCells: new Map([['ada', new Map([[ChannelKind.EMAIL, false]])]]),
      userIds: ['ada', 'bob'],
      sharedChannels: [slackA, slackB],
    });
    expect(decided.sharedChannels).toEqual([]);
    expect(decided.users).toEqual({ BROWSER: ['ada', 'bob'], EMAIL: ['bob'], IOS: ['ada', 'bob'] });
  });
});
