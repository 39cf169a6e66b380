// Which subscribers share one execution per event: those whose operations differ only in what the root field's
// arguments read (the stream they chose, where they resumed), not in anything their selection reads.
import { buildSchema, parse, type ExecutionArgs } from 'graphql';
import { operationKey, streamOnlyVariables } from './shared-execution';

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
