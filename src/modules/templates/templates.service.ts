// Message templates: a stack's own Liquid text per channel and event type, set and removed by OWNER or ADMIN,
// previewed by anyone who reads the stack, and attached to each delivery's target by the worker.
import { type DataSource, type FindOptionsWhere, IsNull, type Repository } from 'typeorm';
import { type Clock, systemClock } from '../../lib/clock';
import { BadUserInputError, NotFoundError } from '../../lib/errors';
import { parseDerivedId } from '../../lib/global-id';
import { TemplateError } from '../../lib/liquid-sandbox';
import { previewMessage } from '../../transports/message-preview';
import {
  MESSAGE_FORMATS,
  type MessageFormat,
  type MessageLinks,
  type MessageTemplate as TemplateText,
  MessageTemplateError,
  renderMessageText,
  stackLinks,
  templateVariablePaths,
} from '../../transports/message-templates';
import { requireAdmin } from '../accounts/accounts.service';
import type { Viewer } from '../accounts/tokens.service';
import type { HipchatSettings, SlackSettings } from '../channels/stack-channel.entity';
import { StackChannel } from '../channels/stack-channel.entity';
import { SAMPLE_EVENT_DATA, sampleNotification } from '../events/event-samples';
import { ChannelKind, EVENT_TYPES, type EventType, eventTypeName } from '../events/event-types';
import { MAX_EVENT_DATA_BYTES } from '../events/events.service';
import type { StacksService } from '../stacks/stacks.service';
import type { Stack } from '../stacks/stack.entity';
import { ALL_EVENT_TYPES, MessageTemplateRow } from './message-template.entity';
import { messageFormatOf, pickTemplate } from './delivery-templates';
import { MessagePreview, MessageTemplate, MessageTemplateSource } from './templates.types';
import { isUniqueViolation } from '../../db/sql';

/** A template that does not parse or render: BAD_USER_INPUT with where in it (1-based line and column). */
export class TemplateInputError extends BadUserInputError {
  constructor(
    message: string,
    field: string,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message, field);
  }
  override extensions(): Record<string, unknown> {
    return { field: this.field, line: this.line, column: this.column };
  }
}

/** The GraphQL type name of today's per-stack channel ids (SlackChannel:<stackId>), by kind. */
const KIND_OF_CHANNEL_TYPE: Record<string, ChannelKind> = {
  SlackChannel: ChannelKind.SLACK,
  HipchatChannel: ChannelKind.HIPCHAT,
  WebhookChannel: ChannelKind.WEBHOOK,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The channel a template belongs to: a shared channel's row, or the stack's email (channelId null). */
interface TemplateChannel {
  channelId: string | null;
  kind: string;
  format: MessageFormat;
  settings: StackChannel['settings'] | null;
}

/** A placeholder for a data field the sample lacks: shows where the field goes. */
function placeholder(name: string | number): string {
  return `‹${name}›`;
}

/**
 * The sample's data, with a placeholder for each data path the template names that the sample lacks, so a template
 * for fields of the producer's own is checked (and previewed) without them.
 */
export function withPlaceholders(
  data: Record<string, unknown>,
  paths: readonly (string | number)[][],
): Record<string, unknown> {
  const filled = structuredClone(data);
  for (const path of paths) {
    if (path[0] !== 'data' || path.length < 2) continue;
    let node: Record<string, unknown> = filled;
    for (let index = 1; index < path.length; index++) {
      const key = String(path[index]);
      const last = index === path.length - 1;
      if (!Object.hasOwn(node, key)) node[key] = last ? placeholder(key) : {};
      const next = node[key];
      if (last || next === null || typeof next !== 'object') break;
      node = next as Record<string, unknown>;
    }
  }
  return filled;
}

function toView(row: MessageTemplateRow): MessageTemplate {
  return Object.assign(new MessageTemplate(), {
    id: row.id,
    channelId: row.channelId,
    channel: row.channel as ChannelKind,
    eventType: row.eventType === ALL_EVENT_TYPES ? null : (row.eventType as EventType),
    template: row.body,
    subject: row.subject,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
}

export class TemplatesService {
  private readonly templates: Repository<MessageTemplateRow>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly stacks: StacksService,
    private readonly publicUrl: string,
    private readonly clock: Clock = systemClock,
  ) {
    this.templates = dataSource.getRepository(MessageTemplateRow);
  }

  /** The stack's templates, of one channel when asked, by channel and event type. */
  async list(
    stack: Stack,
    filter: { channelId?: string | null; channel?: ChannelKind | null },
  ): Promise<MessageTemplate[]> {
    const where: FindOptionsWhere<MessageTemplateRow> = { stackId: stack.id };
    if ((filter.channelId ?? null) !== null || filter.channel) {
      const channel = await this.channelOf(stack, filter, 'channelId');
      where.channelId = channel.channelId ?? IsNull();
    }
    const rows = await this.templates.find({ where, order: { channel: 'ASC', eventType: 'ASC', id: 'ASC' } });
    return rows.map(toView);
  }

  async set(
    viewer: Viewer,
    input: {
      stackId: string;
      channelId?: string | null;
      channel?: ChannelKind | null;
      eventType?: EventType | null;
      template: string;
      subject?: string | null;
    },
  ): Promise<MessageTemplate> {
    const stack = await this.stacks.get(viewer, input.stackId);
    requireAdmin(viewer, "change a stack's message templates");
    const channel = await this.channelOf(stack, input, 'input.channelId');
    const text = this.templateText(channel, input.template, input.subject ?? null, 'input');
    const eventTypes = input.eventType ? [input.eventType] : EVENT_TYPES.map((info) => info.type);
    for (const eventType of eventTypes) this.check(channel.format, stack, eventType, text, 'input');
    const key = {
      stackId: stack.id,
      channelId: channel.channelId ?? IsNull(),
      eventType: input.eventType ?? ALL_EVENT_TYPES,
    };
    const now = this.clock.now();
    for (let tries = 0; ; tries++) {
      const existing = await this.templates.findOneBy(key);
      if (existing) {
        Object.assign(existing, {
          body: text.body,
          subject: text.subject,
          channel: channel.kind,
          updatedAt: now,
        });
        await this.templates.save(existing);
        return toView(existing);
      }
      const row = this.templates.create({
        stackId: stack.id,
        channelId: channel.channelId,
        channel: channel.kind,
        eventType: key.eventType,
        body: text.body,
        subject: text.subject,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await this.templates.insert(row);
        return toView(row);
      } catch (error) {
        // Set at the same time by someone else: theirs is updated instead.
        if (tries > 0 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  /** Removes a template; the channel's messages go back to the "all event types" one, or the built-in text. */
  async remove(
    viewer: Viewer,
    input: {
      stackId: string;
      channelId?: string | null;
      channel?: ChannelKind | null;
      eventType?: EventType | null;
    },
  ): Promise<MessageTemplate> {
    const stack = await this.stacks.get(viewer, input.stackId);
    requireAdmin(viewer, "change a stack's message templates");
    const channel = await this.channelOf(stack, input, 'input.channelId');
    const row = await this.templates.findOneBy({
      stackId: stack.id,
      channelId: channel.channelId ?? IsNull(),
      eventType: input.eventType ?? ALL_EVENT_TYPES,
    });
    if (!row) throw new NotFoundError('Message template');
    await this.templates.delete({ id: row.id });
    return toView(row);
  }

  /** What the channel would be sent for a notification of this type, rendered and not sent. */
  async preview(
    viewer: Viewer,
    input: {
      stackId: string;
      channelId?: string | null;
      channel?: ChannelKind | null;
      eventType: EventType;
      template?: string | null;
      subject?: string | null;
      data?: unknown;
    },
  ): Promise<MessagePreview> {
    const stack = await this.stacks.get(viewer, input.stackId);
    const channel = await this.channelOf(stack, input, 'input.channelId');
    let source = MessageTemplateSource.BUILT_IN;
    let text: TemplateText | null;
    if (input.template !== null && input.template !== undefined) {
      text = this.templateText(channel, input.template, input.subject ?? null, 'input');
      source = MessageTemplateSource.GIVEN;
    } else {
      text = await this.storedFor(stack, channel, input.eventType);
      if (text) source = MessageTemplateSource.STORED;
    }
    const data =
      input.data === undefined || input.data === null
        ? withPlaceholders(SAMPLE_EVENT_DATA[input.eventType], this.paths(channel.format, text, 'input'))
        : eventData(input.data);
    const notification = sampleNotification(input.eventType, stack, this.clock.now(), data);
    let previewed;
    try {
      previewed = previewMessage(channel.format, notification, text, this.links(stack), {
        slackChannel: channel.kind === ChannelKind.SLACK ? (channel.settings as SlackSettings).channel : null,
        hipchatRoom:
          channel.kind === ChannelKind.HIPCHAT ? (channel.settings as HipchatSettings).room : undefined,
      });
    } catch (error) {
      throw inputError(error, 'input');
    }
    return Object.assign(new MessagePreview(), {
      ...previewed,
      source,
      template: text?.body ?? MESSAGE_FORMATS[channel.format].body,
      subjectTemplate:
        MESSAGE_FORMATS[channel.format].subject === undefined
          ? null
          : (text?.subject ?? MESSAGE_FORMATS[channel.format].subject),
    });
  }

  private links(stack: Stack): MessageLinks {
    return stackLinks(this.publicUrl, stack.id);
  }

  /** The stored template a delivery of this event type would use, or null for the built-in text. */
  private async storedFor(
    stack: Stack,
    channel: TemplateChannel,
    eventType: EventType,
  ): Promise<TemplateText | null> {
    const rows = await this.templates.findBy({ stackId: stack.id, channelId: channel.channelId ?? IsNull() });
    const map = new Map(rows.map((row) => [`x|${row.eventType}`, { body: row.body, subject: row.subject }]));
    return pickTemplate(map, 'x', eventType);
  }

  private templateText(
    channel: TemplateChannel,
    body: string,
    subject: string | null,
    field: string,
  ): TemplateText {
    if (subject !== null && channel.format !== 'EMAIL') {
      throw new BadUserInputError('only an email template has a subject', `${field}.subject`);
    }
    if (body.trim() === '') throw new BadUserInputError('must not be blank', `${field}.template`);
    if (subject !== null && subject.trim() === '') {
      throw new BadUserInputError('must not be blank: null keeps the built-in subject', `${field}.subject`);
    }
    return { body, subject };
  }

  private paths(format: MessageFormat, text: TemplateText | null, field: string): (string | number)[][] {
    if (!text) return [];
    try {
      return templateVariablePaths(format, text);
    } catch (error) {
      throw inputError(error, field);
    }
  }

  /** Renders the template with the event type's sample (its missing data fields as placeholders), or refuses it. */
  private check(
    format: MessageFormat,
    stack: Stack,
    eventType: EventType,
    text: TemplateText,
    field: string,
  ): void {
    const data = withPlaceholders(SAMPLE_EVENT_DATA[eventType], this.paths(format, text, field));
    const notification = sampleNotification(eventType, stack, this.clock.now(), data);
    try {
      renderMessageText(format, notification, text, this.links(stack));
    } catch (error) {
      throw inputError(error, field, eventTypeName(eventType));
    }
  }

  /**
   * The channel named by `channelId` (a shared channel of this stack: its row id, or today's Channel.id of the
   * stack's channel of a kind) or by `channel: EMAIL`. Another stack's (or account's) channel is NOT_FOUND.
   */
  private async channelOf(
    stack: Stack,
    input: { channelId?: string | null; channel?: ChannelKind | null },
    field: string,
  ): Promise<TemplateChannel> {
    const { channelId, channel } = input;
    const named = channelId !== null && channelId !== undefined;
    if (named && channel) throw new BadUserInputError('give channelId or channel, not both', field);
    if (!named) {
      if (channel !== ChannelKind.EMAIL) {
        throw new BadUserInputError('name a shared channel by channelId, or give channel: EMAIL', field);
      }
      return { channelId: null, kind: ChannelKind.EMAIL, format: 'EMAIL', settings: null };
    }
    const row = await this.sharedChannel(stack, channelId);
    if (!row) throw new NotFoundError('Channel');
    const format = messageFormatOf(row.kind);
    if (!format) {
      throw new BadUserInputError(
        `a ${row.kind} channel sends the notification object itself: it has no message text to template`,
        field,
      );
    }
    return { channelId: row.id, kind: row.kind, format, settings: row.settings };
  }

  private async sharedChannel(stack: Stack, channelId: string): Promise<StackChannel | null> {
    const channels = this.dataSource.getRepository(StackChannel);
    const select = { id: true, kind: true, settings: true } as const;
    if (UUID.test(channelId))
      return channels.findOne({ select, where: { id: channelId, stackId: stack.id } });
    const derived = parseDerivedId(channelId);
    const kind = derived ? KIND_OF_CHANNEL_TYPE[derived.typeName] : undefined;
    if (!derived || !kind || derived.parts.join(':') !== stack.id) return null;
    return channels.findOne({ select, where: { stackId: stack.id, kind } });
  }
}

/** The preview's data: a JSON object no larger than an event's. */
function eventData(data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new BadUserInputError('must be a JSON object', 'input.data');
  }
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_EVENT_DATA_BYTES) {
    throw new BadUserInputError(`must be at most ${MAX_EVENT_DATA_BYTES / 1024} KiB of JSON`, 'input.data');
  }
  return data as Record<string, unknown>;
}

/** A template's error as BAD_USER_INPUT naming the part, line and column (and the sample's event type). */
function inputError(error: unknown, field: string, eventType?: string): unknown {
  if (!(error instanceof TemplateError)) return error;
  const part = error instanceof MessageTemplateError ? error.part : 'template';
  const sample = eventType ? ` (rendering a ${eventType} notification)` : '';
  return new TemplateInputError(`${error.message}${sample}`, `${field}.${part}`, error.line, error.column);
}
