import { Settings1764200000000 } from './1764200000000-settings';
import { Events1764300000000 } from './1764300000000-events';
import { SettingsVersion1764400000000 } from './1764400000000-settings-version';
import { SettingsVersionView1764500000000 } from './1764500000000-settings-version-view';
import { PendingDeliveriesIndex1764600000000 } from './1764600000000-pending-deliveries-index';
import { AttemptIds1764700000000 } from './1764700000000-attempt-ids';
import { PerUserDevices1764800000000 } from './1764800000000-per-user-devices';
import { SettingsVersionRecipientsOnly1764900000000 } from './1764900000000-settings-version-recipients-only';
import { EventSeverity1765010000000 } from './1765010000000-event-severity';
import { NoiseHolds1765020000000 } from './1765020000000-noise-holds';
import { Incidents1765030000000 } from './1765030000000-incidents';
import { ChannelInstances1765100000000 } from './1765100000000-channel-instances';
import { MessageTemplates1765200000000 } from './1765200000000-message-templates';
import { AttemptExchanges1765300000000 } from './1765300000000-attempt-exchanges';
import { Flapping1765400000000 } from './1765400000000-flapping';
import { ChannelHealth1765500000000 } from './1765500000000-channel-health';

/** In the order they apply. */
export const migrations = [
  Settings1764200000000,
  Events1764300000000,
  SettingsVersion1764400000000,
  SettingsVersionView1764500000000,
  PendingDeliveriesIndex1764600000000,
  AttemptIds1764700000000,
  PerUserDevices1764800000000,
  SettingsVersionRecipientsOnly1764900000000,
  EventSeverity1765010000000,
  NoiseHolds1765020000000,
  Incidents1765030000000,
  ChannelInstances1765100000000,
  MessageTemplates1765200000000,
  AttemptExchanges1765300000000,
  Flapping1765400000000,
  ChannelHealth1765500000000,
];
