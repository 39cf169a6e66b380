// The services of every module, built once per process and handed to resolvers through the context.
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { AccountsService } from './modules/accounts/accounts.service';
import { TokensService } from './modules/accounts/tokens.service';
import { ChannelsService } from './modules/channels/channels.service';
import { PreferencesService } from './modules/preferences/preferences.service';
import { StacksService } from './modules/stacks/stacks.service';
import { EventsService, type LiveNotification } from './modules/events/events.service';
import type { LiveBus } from './lib/live-bus/live-bus';

export interface Services {
  config: Config;
  dataSource: DataSource;
  tokens: TokensService;
  accounts: AccountsService;
  stacks: StacksService;
  channels: ChannelsService;
  preferences: PreferencesService;
  events: EventsService;
  bus: LiveBus<LiveNotification>;
}

export function createServices(
  config: Config,
  dataSource: DataSource,
  bus: LiveBus<LiveNotification>,
): Services {
  const tokens = new TokensService(dataSource);
  const stacks = new StacksService(dataSource);
  const preferences = new PreferencesService(dataSource);
  return {
    config,
    dataSource,
    bus,
    tokens,
    accounts: new AccountsService(dataSource, tokens),
    stacks,
    channels: new ChannelsService(dataSource),
    preferences,
    events: new EventsService(dataSource, stacks, preferences, bus),
  };
}
