import { Account } from '../modules/accounts/account.entity';
import { ApiToken } from '../modules/accounts/api-token.entity';
import { User } from '../modules/accounts/user.entity';
import { IosDevice } from '../modules/channels/ios-device.entity';
import { StackChannel } from '../modules/channels/stack-channel.entity';
import { WebPushSubscription } from '../modules/channels/web-push-subscription.entity';
import {
  ChannelPreference,
  StackEventSeverity,
  StackPreference,
  UserPreference,
} from '../modules/preferences/preference.entities';
import { Stack } from '../modules/stacks/stack.entity';
import {
  Notification,
  NotificationRead,
  NotificationReadMarker,
} from '../modules/events/notification.entity';
import { Delivery, DeliveryAttempt } from '../modules/deliveries/delivery.entity';
import { ServerSecret } from '../modules/channels/server-secret.entity';
import { QuietHoursRow, StackDigest, StackFlapping } from '../modules/noise/noise.entities';
import { Incident } from '../modules/incidents/incident.entity';
import { MessageTemplateRow } from '../modules/templates/message-template.entity';

export const entities = [
  Account,
  User,
  ApiToken,
  Stack,
  StackChannel,
  IosDevice,
  WebPushSubscription,
  StackPreference,
  ChannelPreference,
  UserPreference,
  StackEventSeverity,
  Notification,
  NotificationReadMarker,
  NotificationRead,
  Delivery,
  DeliveryAttempt,
  ServerSecret,
  QuietHoursRow,
  StackDigest,
  StackFlapping,
  Incident,
  MessageTemplateRow,
];
