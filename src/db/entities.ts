import { Account } from '../modules/accounts/account.entity';
import { ApiToken } from '../modules/accounts/api-token.entity';
import { User } from '../modules/accounts/user.entity';
import { IosDevice } from '../modules/channels/ios-device.entity';
import { StackChannel } from '../modules/channels/stack-channel.entity';
import { WebPushSubscription } from '../modules/channels/web-push-subscription.entity';
import { StackPreference, UserPreference } from '../modules/preferences/preference.entities';
import { Stack } from '../modules/stacks/stack.entity';

export const entities = [Account, User, ApiToken, Stack, StackChannel, IosDevice, WebPushSubscription, StackPreference, UserPreference];
