import { IsOptional, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { MAX_URL_LENGTH } from '../../lib/urls';
import { MAX_CHANNEL_NAME_LENGTH } from './stack-channel.entity';

@InputType()
export class HipchatInput {
  @Field({ description: 'A Hipchat API v1 token (Account settings > API access).' })
  @Length(8, 100)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'token must be letters, digits, - or _' })
  token: string;

  @Field({ description: 'The room id or name notifications appear in.' })
  @Length(1, 100, { message: 'room must be 1 to 100 characters' })
  @Matches(/\S/, { message: 'room must not be blank' })
  room: string;
}

@InputType()
export class SlackInput {
  @Field({ description: 'The incoming-webhook URL Slack gave when the integration was added.' })
  @MaxLength(MAX_URL_LENGTH)
  url: string;

  @Field(() => String, { nullable: true, description: 'The channel to post in, e.g. #deploys.' })
  @IsOptional()
  @Length(1, 80)
  @Matches(/^[#@]?[\w.-]+$/, { message: 'channel must be a Slack channel name such as #deploys' })
  channel?: string | null;
}

@InputType()
export class WebhookInput {
  @Field({ description: 'The endpoint that receives an HTTP POST per notification.' })
  @MaxLength(MAX_URL_LENGTH)
  url: string;
}

@InputType()
export class TeamsInput {
  @Field({
    description: 'The Teams incoming-webhook or Workflows URL. It is the secret: only a hint is shown.',
  })
  @MaxLength(MAX_URL_LENGTH)
  url: string;
}

@InputType()
export class DiscordInput {
  @Field({
    description:
      'The Discord channel-webhook URL (Server settings > Integrations). It is the secret: only a hint is shown.',
  })
  @MaxLength(MAX_URL_LENGTH)
  url: string;
}

@InputType({
  description:
    'A shared channel: its name and the settings of its kind, one of hipchat, slack, webhook, teams or discord. ' +
    "createChannel needs the settings; updateChannel takes a new name, new settings of the channel's kind, or both.",
})
export class ChannelInput {
  @Field(() => String, {
    nullable: true,
    description: `Unique in the stack, 1 to ${MAX_CHANNEL_NAME_LENGTH} characters. Default: the kind's name, numbered when taken.`,
  })
  @IsOptional()
  @Length(1, MAX_CHANNEL_NAME_LENGTH, {
    message: `name must be 1 to ${MAX_CHANNEL_NAME_LENGTH} characters`,
  })
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string | null;

  @Field(() => HipchatInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  hipchat?: HipchatInput | null;

  @Field(() => SlackInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  slack?: SlackInput | null;

  @Field(() => WebhookInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  webhook?: WebhookInput | null;

  @Field(() => TeamsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  teams?: TeamsInput | null;

  @Field(() => DiscordInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  discord?: DiscordInput | null;
}

@InputType()
export class IosDeviceInput {
  @Field({ description: 'The APNs device token, in hex.' })
  @Matches(/^[0-9a-fA-F]{64,200}$/, { message: 'token must be an APNs device token: 64 to 200 hex digits' })
  token: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  deviceName?: string | null;
}

@InputType()
export class WebPushKeysInput {
  @Field({ description: "The subscription's P-256 public key, base64url." })
  @Matches(/^[A-Za-z0-9_-]{80,100}={0,2}$/, { message: 'p256dh must be a base64url P-256 public key' })
  p256dh: string;

  @Field({ description: "The subscription's auth secret, base64url." })
  @Matches(/^[A-Za-z0-9_-]{16,30}={0,2}$/, { message: 'auth must be a base64url 16-byte secret' })
  auth: string;
}

@InputType({ description: 'What PushSubscription.toJSON() gives in the browser.' })
export class WebPushSubscriptionInput {
  @Field()
  @MaxLength(MAX_URL_LENGTH)
  endpoint: string;

  @Field(() => WebPushKeysInput)
  @ValidateNested()
  keys: WebPushKeysInput;
}
