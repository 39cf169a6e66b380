// The services of every module, built once per process and handed to resolvers through the context.
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import type { Clock } from './lib/clock';
import type { LiveBus } from './lib/live-bus/live-bus';
import type { SecretBox } from './lib/secret-box';
import { AccountsService } from './modules/accounts/accounts.service';
import { TokensService } from './modules/accounts/tokens.service';
import { ViewerChanges } from './modules/accounts/viewer-changes';
import { ChannelsService, type OwnerNotifier, type TargetPolicy } from './modules/channels/channels.service';
import type { VapidKeys } from './modules/channels/vapid-keys';
import { DeliveriesService } from './modules/deliveries/deliveries.service';
import type { DeliveryTransports } from './modules/deliveries/targets';
import { EventsService, type LiveNotification } from './modules/events/events.service';
import { NoiseService } from './modules/noise/noise.service';
import { IncidentsService } from './modules/incidents/incidents.service';
import { PreferencesService } from './modules/preferences/preferences.service';
import { StacksService } from './modules/stacks/stacks.service';
import { TemplatesService } from './modules/templates/templates.service';

export interface Services {
  config: Config;
  /** Where every rule that depends on the time reads it. */
  clock: Clock;
  dataSource: DataSource;
  bus: LiveBus<LiveNotification>;
  vapid: VapidKeys;
  /** Encrypts and decrypts the secrets stored in the database. */
  secrets: SecretBox;
  tokens: TokensService;
  accounts: AccountsService;
  stacks: StacksService;
  channels: ChannelsService;
  preferences: PreferencesService;
  events: EventsService;
  incidents: IncidentsService;
  deliveries: DeliveriesService;
  noise: NoiseService;
  templates: TemplatesService;
}

export interface ServiceDependencies {
  config: Config;
  dataSource: DataSource;
  bus: LiveBus<LiveNotification>;
  vapid: VapidKeys;
  transports: DeliveryTransports;
  targetPolicy: TargetPolicy;
  notifier: OwnerNotifier;
  secrets: SecretBox;
  clock: Clock;
}

export function createServices(deps: ServiceDependencies): Services {
  const { config, dataSource, bus, secrets, clock } = deps;
  const tokens = new TokensService(dataSource, config.authCacheMs, new ViewerChanges(bus));
  const stacks = new StacksService(dataSource);
  const preferences = new PreferencesService(dataSource);
  const incidents = new IncidentsService(dataSource, clock);
  const events = new EventsService(
    dataSource,
    stacks,
    bus,
    incidents,
    config.limits.subscriptionReplayMax,
    clock,
    config.flapping,
  );
  return {
    config,
    clock,
    dataSource,
    bus,
    vapid: deps.vapid,
    secrets,
    tokens,
    accounts: new AccountsService(dataSource, tokens),
    stacks,
    channels: new ChannelsService(
      dataSource,
      secrets,
      deps.targetPolicy,
      {
        disableAfterHours: config.delivery.channelDisableAfterHours,
        notifier: deps.notifier,
      },
      clock,
    ),
    preferences,
    events,
    incidents,
    noise: new NoiseService(dataSource, clock, config.flapping),
    deliveries: new DeliveriesService(dataSource, events, deps.transports, config.publicUrl, secrets, clock),
    templates: new TemplatesService(dataSource, stacks, config.publicUrl, clock),
  };
}
