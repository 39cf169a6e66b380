// Which subscribers share one execution per event: those whose operations differ only in what the root field's
// arguments read (the stream they chose, where they resumed), not in anything their selection reads.
import {
  buildSchema,
  GraphQLID,
  GraphQLInt,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  parse,
  type ExecutionArgs,
} from 'graphql';
import { EVENT_DATA, operationKey, selectsEventDataOnly, streamOnlyVariables } from './shared-execution';

const schema = buildSchema(`
  type Notification { id: ID! title: String! }
  type Query { ok: Boolean }
  type Subscription { notificationReceived(stackId: ID, after: ID): Notification! }
`);

const document = parse(`
  subscription Live($stackId: ID, $after: ID, $withTitle: Boolean!) {
    notificationReceived(stackId: $stackId, after: $after) {
      id
      ...Title
    }
  }
  fragment Title on Notification { title @include(if: $withTitle) }
`);

const args = (variableValues: Record<string, unknown>): ExecutionArgs => ({
  schema,
  document,
  operationName: 'Live',
  variableValues,
});

describe('the sharing key of a subscription', () => {
  it('leaves out the variables only the root field reads', () => {
    expect([...streamOnlyVariables(document, 'Live')].sort()).toEqual(['after', 'stackId']);
  });

  it('is the same for subscribers that resume from different notifications, or watch different stacks', () => {
    const fresh = operationKey(args({ stackId: 's1', withTitle: true }));
    expect(operationKey(args({ stackId: 's1', after: 'n1', withTitle: true }))).toBe(fresh);
    expect(operationKey(args({ stackId: 's2', after: 'n2', withTitle: true }))).toBe(fresh);
  });

  it('differs when a variable the selection reads differs', () => {
    expect(operationKey(args({ withTitle: true }))).not.toBe(operationKey(args({ withTitle: false })));
  });

  it('keeps in the key a variable that the selection, a directive or a fragment also reads', () => {
    const mixed = parse(`
      subscription ($s: ID, $t: Boolean!) {
        notificationReceived(stackId: $s) { id title @skip(if: $t) }
      }
    `);
    expect([...streamOnlyVariables(mixed)]).toEqual(['s']);
    const shared = parse(`
      subscription ($s: ID) {
        notificationReceived(stackId: $s) { id }
        other: notificationReceived(after: null) @include(if: true) { id }
      }
      fragment F on Notification { title @include(if: $s) }
    `);
    expect([...streamOnlyVariables(shared)]).toEqual([]);
  });
});

describe('which subscriptions share at all', () => {
  // A notification is event data through and through; its stack has an id of its own and a count that is the viewer's.
  const Stack = new GraphQLObjectType({
    name: 'Stack',
    fields: {
      id: { type: new GraphQLNonNull(GraphQLID), extensions: EVENT_DATA },
      unreadCount: { type: GraphQLInt },
    },
  });
  const Notification = new GraphQLObjectType({
    name: 'Notification',
    extensions: EVENT_DATA,
    fields: { id: { type: new GraphQLNonNull(GraphQLID) }, stack: { type: Stack } },
  });
  const marked = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: { notificationReceived: { type: Notification } },
    }),
  });
  const shares = (source: string, on: GraphQLSchema = marked) =>
    selectsEventDataOnly({ schema: on, document: parse(source) });

  it('shares a selection of event data only', () => {
    expect(shares('subscription { notificationReceived { __typename id stack { id } } }')).toBe(true);
  });

  it("runs once per subscriber a selection that reaches a viewer's field, directly or through a fragment", () => {
    expect(shares('subscription { notificationReceived { id stack { unreadCount } } }')).toBe(false);
    expect(
      shares(`
        subscription { notificationReceived { id stack { ...Count } } }
        fragment Count on Stack { unreadCount }
      `),
    ).toBe(false);
  });

  it('shares nothing of a schema that marks nothing', () => {
    expect(shares('subscription { notificationReceived { id } }', schema)).toBe(false);
  });
});
