// The services of every module, built once per process and handed to resolvers through the context.
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { AccountsService } from './modules/accounts/accounts.service';
import { TokensService } from './modules/accounts/tokens.service';
import { ChannelsService } from './modules/channels/channels.service';
import { PreferencesService } from './modules/preferences/preferences.service';
import { StacksService } from './modules/stacks/stacks.service';

export interface Services {
  config: Config;
  dataSource: DataSource;
  tokens: TokensService;
  accounts: AccountsService;
  stacks: StacksService;
  channels: ChannelsService;
  preferences: PreferencesService;
}

export function createServices(config: Config, dataSource: DataSource): Services {
  const tokens = new TokensService(dataSource);
  return {
    config,
    dataSource,
    tokens,
    accounts: new AccountsService(dataSource, tokens),
    stacks: new StacksService(dataSource),
    channels: new ChannelsService(dataSource),
    preferences: new PreferencesService(dataSource),
  };
}
