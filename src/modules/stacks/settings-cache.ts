// Repeated reads of a stack's settings (its channels and the preference matrix: what a settings page asks for
// again and again) are answered from memory while the stack's settings_version is unchanged. Database triggers bump
// that counter in the writing transaction on every change such an answer can show (migrations 1764400000000 and
// 1764500000000), so one indexed read of it tells whether a remembered answer is current, whichever instance or code
// path wrote the change. Only queries made of the fields in SETTINGS_FIELDS are remembered; anything else, and every
// answer with an error, runs as usual.
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import {
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FormattedExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { DataSource, Repository } from 'typeorm';
import type { Context } from '../../context';
import { CompiledQuery } from '../../db/compiled-query';
import type { Viewer } from '../accounts/tokens.service';
import { Stack } from './stack.entity';

/**
 * The fields a remembered answer may contain, by type: each shows only what settings_version covers (the stack's
 * name and environment, its channels, preferences, users' emails, iOS devices and Web Push subscriptions). A field
 * added to one of these types is not remembered until it is listed here, after checking that a write to what it
 * shows bumps the counter.
 */
export const SETTINGS_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Stack: ['id', 'name', 'environment', 'createdAt', 'channels', 'preferences'],
  Channel: ['id', 'kind', 'scope', 'configured', 'enabled', 'disabledReason'],
  BrowserChannel: ['id', 'kind', 'scope', 'configured', 'enabled', 'disabledReason', 'webPushSubscriptions'],
  EmailChannel: ['id', 'kind', 'scope', 'configured', 'enabled', 'disabledReason', 'address'],
  HipchatChannel: ['id', 'kind', 'scope', 'configured', 'enabled', 'disabledReason', 'room', 'tokenHint'],
  IosChannel: ['id', 'kind', 'scope', 'configured', 'enabled', 'disabledReason', 'devices'],
  SlackChannel: ['id', 'kind', 'scope', 'configured', 'enabled', 'disabledReason', 'channelName', 'urlHint'],
  WebhookChannel: [
    'id',
    'kind',
    'scope',
    'configured',
    'enabled',
    'disabledReason',
    'url',
    'urlHint',
    'secretHint',
  ],
  IosDevice: ['id', 'deviceName', 'tokenHint', 'createdAt'],
  WebPushSubscription: ['id', 'endpoint', 'createdAt'],
  EventPreferenceRow: ['id', 'eventType', 'key', 'description', 'cells'],
  PreferenceCell: ['id', 'eventType', 'channel', 'enabled', 'scope', 'isDefault'],
};

const ALLOWED = new Map(Object.entries(SETTINGS_FIELDS).map(([type, fields]) => [type, new Set(fields)]));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The settings_version of a stack of the account: one indexed read before every answer from the cache. */
const settingsVersion = new CompiledQuery(['stackId', 'accountId'], (manager) =>
  manager
    .createQueryBuilder(Stack, 'stack')
    .select('stack.settingsVersion', 'version')
    .where('stack.id = :stackId AND stack.accountId = :accountId'),
);

/** Where a cacheable document takes its stack id from. */
type StackIdSource = { variable: string } | { literal: string };

interface Entry {
  version: number;
  result: FormattedExecutionResult;
}

/**
 * The stack id argument of a document that only reads one stack's settings, or null when the document reads
 * anything else. Works on the validated document, so every field has a known parent type.
 */
export function stackIdSource(schema: GraphQLSchema, document: DocumentNode): StackIdSource | null {
  const queryType = schema.getQueryType();
  const typeInfo = new TypeInfo(schema);
  let stackField: FieldNode | null = null;
  let cacheable = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        if (node.operation !== 'query') cacheable = false;
      },
      Field(node) {
        const name = node.name.value;
        if (name === '__typename') return;
        const parent = typeInfo.getParentType();
        if (parent && parent === queryType) {
          if (name !== 'stack' || stackField) cacheable = false;
          else stackField = node;
        } else if (!parent || !ALLOWED.get(parent.name)?.has(name)) {
          cacheable = false;
        }
      },
    }),
  );
  if (!cacheable || !stackField) return null;
  const argument = (stackField as FieldNode).arguments?.find((arg) => arg.name.value === 'id');
  if (argument?.value.kind === Kind.VARIABLE) return { variable: argument.value.name.value };
  if (argument?.value.kind === Kind.STRING) return { literal: argument.value.value };
  return null;
}

export class SettingsCache {
  private readonly entries: LRUCache<string, Entry>;
  /** Per parsed document (Apollo keeps one per query text): where its stack id comes from, or null. */
  private readonly plans = new WeakMap<DocumentNode, StackIdSource | null>();
  /** The JSON of remembered results, made on the first send. */
  private readonly json = new WeakMap<object, string | null>();
  private readonly stacks: Repository<Stack>;

  constructor(
    dataSource: DataSource,
    private readonly schema: GraphQLSchema,
    /** At most this many answers are kept; 0 turns the cache off. */
    private readonly maxEntries: number,
    private readonly onLookup: (result: 'hit' | 'miss') => void = () => undefined,
  ) {
    this.stacks = dataSource.getRepository(Stack);
    // LRUCache refuses a max of 0; with maxEntries 0 the plugin never reads or fills it.
    this.entries = new LRUCache({ max: Math.max(maxEntries, 1) });
  }

  /** The Apollo Server plugin that answers from the cache and fills it. */
  plugin(): ApolloServerPlugin<Context> {
    return {
      requestDidStart: async () => (this.maxEntries === 0 ? undefined : this.listener()),
    };
  }

  private listener(): GraphQLRequestListener<Context> {
    let pending: { key: string; version: number } | null = null;
    return {
      responseForOperation: async ({ document, operationName, source, request, contextValue }) => {
        const viewer = contextValue.viewer;
        if (!viewer) return null;
        const stackId = this.stackIdOf(document, request.variables);
        if (!stackId) return null;
        const version = await this.versionOf(stackId, viewer);
        if (version === null) return null;
        const key = this.keyOf(stackId, viewer, operationName, request.variables, source);
        const entry = this.entries.get(key);
        if (entry && entry.version === version) {
          this.onLookup('hit');
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: entry.result },
          };
        }
        this.onLookup('miss');
        // Remembered under the version read before executing: a write committed meanwhile has bumped the counter,
        // so the next read misses rather than getting an answer older than the write.
        pending = { key, version };
        return null;
      },
      willSendResponse: async ({ response }) => {
        if (!pending || response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        if (result.errors || !result.data) return;
        this.remember(pending.key, { version: pending.version, result });
      },
    };
  }

  /**
   * For Apollo's stringifyResult: a remembered answer is serialized once, not on every hit. Anything else is
   * serialized as Apollo does by default.
   */
  stringify(value: FormattedExecutionResult): string {
    const data = value.data;
    if (data && !value.errors && !value.extensions && this.json.has(data)) {
      let json = this.json.get(data);
      if (!json) this.json.set(data, (json = JSON.stringify(value) + '\n'));
      return json;
    }
    return JSON.stringify(value) + '\n';
  }

  private remember(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    if (entry.result.data) this.json.set(entry.result.data, null);
  }

  private stackIdOf(document: DocumentNode, variables: Record<string, unknown> | undefined): string | null {
    let plan = this.plans.get(document);
    if (plan === undefined) this.plans.set(document, (plan = stackIdSource(this.schema, document)));
    if (!plan) return null;
    const id = 'literal' in plan ? plan.literal : variables?.[plan.variable];
    return typeof id === 'string' && UUID.test(id) ? id : null;
  }

  /** The stack's settings_version, or null when it is not a stack of the viewer's account. */
  private async versionOf(stackId: string, viewer: Viewer): Promise<number | null> {
    const { records } = await settingsVersion.run(this.stacks.manager, {
      stackId,
      accountId: viewer.account.id,
    });
    const [row] = records as { version: number | string }[];
    return row ? Number(row.version) : null;
  }

  /** Everything an answer depends on besides the stored settings: who asks, with which rights, and what. */
  private keyOf(
    stackId: string,
    viewer: Viewer,
    operationName: string | null,
    variables: Record<string, unknown> | undefined,
    source: string,
  ): string {
    const scopes = [...viewer.scopes].sort().join(',');
    return [
      stackId,
      viewer.user.id,
      viewer.user.role,
      scopes,
      operationName ?? '',
      JSON.stringify(variables ?? {}),
      source,
    ].join('\n');
  }
}
