import { isObjectType, isInterfaceType, parse, type GraphQLSchema } from 'graphql';
import { createSchema } from '../../schema';
import { SETTINGS_FIELDS, stackIdSource } from './settings-cache';

let schema: GraphQLSchema;

beforeAll(async () => {
  schema = await createSchema();
});

const plan = (query: string) => stackIdSource(schema, parse(query));

describe('which queries the settings cache may answer', () => {
  it('takes the stack id from a variable or a literal', () => {
    expect(plan('query($id: ID!) { stack(id: $id) { name channels { kind } } }')).toEqual({ variable: 'id' });
    expect(plan('{ s: stack(id: "0190a0b0-0000-7000-8000-000000000000") { id __typename } }')).toEqual({
      literal: '0190a0b0-0000-7000-8000-000000000000',
    });
  });

  it('follows fragments, inline fragments and aliases', () => {
    const query = `
      query Settings($id: ID!) { ...Root }
      fragment Root on Query { current: stack(id: $id) { channels { ...C } preferences { cells { enabled } } } }
      fragment C on Channel { kind ... on WebhookChannel { url secretHint } ... on IosChannel { devices { id } } }`;
    expect(plan(query)).toEqual({ variable: 'id' });
  });

  it('refuses anything that reads more than settings', () => {
    expect(plan('query($id: ID!) { stack(id: $id) { name unreadCount } }')).toBeNull();
    expect(plan('query($id: ID!) { stack(id: $id) { notifications { totalCount } } }')).toBeNull();
    expect(plan('query($id: ID!) { stack(id: $id) { name } me { email } }')).toBeNull();
    expect(
      plan('query($a: ID!, $b: ID!) { a: stack(id: $a) { name } b: stack(id: $b) { name } }'),
    ).toBeNull();
    expect(plan('mutation($id: ID!) { deleteStack(id: $id) }')).toBeNull();
    expect(plan('{ eventTypes { key } }')).toBeNull();
  });

  it('lists only fields the schema has', () => {
    for (const [typeName, fields] of Object.entries(SETTINGS_FIELDS)) {
      const type = schema.getType(typeName);
      expect(isObjectType(type) || isInterfaceType(type)).toBe(true);
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      expect(fields.filter((field) => !type.getFields()[field])).toEqual([]);
    }
  });
});
