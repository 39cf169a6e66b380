// Query.node's routing: every Node type has a loader, row ids go to every row loader, derived ids to their type's.
import { isObjectType } from 'graphql';
import { derivedId } from '../lib/global-id';
import type { Viewer } from '../modules/accounts/tokens.service';
import { createSchema } from '../schema';
import type { Services } from '../services';
import { NodeFinder, rowLoader, type NodeLoader } from './node';
import { nodeFinder } from './node.resolver';

const viewer = {} as Viewer;
const services = {} as Services;
const ROW = '0190c1f2-7a1e-7cc0-8b1a-5f0e6a9d2c11';
const OTHER_ROW = '0190c1f2-7a1e-7cc0-8b1a-5f0e6a9d2c12';

test('every object type implementing Node has a loader, and every loader loads a Node type', async () => {
  const schema = await createSchema();
  const node = schema.getType('Node');
  const implementing = Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => type.getInterfaces().some((each) => each === node))
    .map((type) => type.name)
    .sort();
  expect(implementing).toEqual(
    expect.arrayContaining([
      'Account',
      'ApiToken',
      'BrowserChannel',
      'Delivery',
      'DeliveryAttempt',
      'EmailChannel',
      'EventPreferenceRow',
      'HipchatChannel',
      'IosChannel',
      'IosDevice',
      'Notification',
      'PreferenceCell',
      'SlackChannel',
      'Stack',
      'User',
      'WebhookChannel',
      'WebPushSubscription',
    ]),
  );
  expect(nodeFinder.types.sort()).toEqual(implementing);
});

test('a row id is looked for by every row loader; a derived id only by its type', async () => {
  const asked: string[] = [];
  const loaders: NodeLoader[] = [
    rowLoader('Stack', async (_viewer, ids) => {
      asked.push(`Stack ${ids.join(',')}`);
      return ids.filter((id) => id === ROW).map((id) => ({ id }));
    }),
    {
      typeNames: ['EmailChannel', 'SlackChannel'],
      byRowIds: async (_viewer, ids) => {
        asked.push(`channels ${ids.join(',')}`);
        return ids
          .filter((id) => id === OTHER_ROW)
          .map((id) => ({ typeName: 'SlackChannel', value: { id } }));
      },
      byDerivedId: async (_viewer, id) => {
        asked.push(`derived ${id.typeName} ${id.parts.join(',')}`);
        // A loader that answers for another type than the id names is not believed.
        if (id.parts[0] === 'confused')
          return { typeName: 'SlackChannel', value: { id: derivedId(id.typeName, ...id.parts) } };
        return { typeName: id.typeName, value: { id: derivedId(id.typeName, ...id.parts) } };
      },
    },
  ];
  const finder = new NodeFinder(loaders);
  const found = await finder.find(
    viewer,
    [ROW, OTHER_ROW, 'EmailChannel:s:u', 'EmailChannel:confused', 'Stack:x', 'Unknown:x', 'garbage'],
    services,
  );
  expect(found).toEqual([{ id: ROW }, { id: OTHER_ROW }, { id: 'EmailChannel:s:u' }, null, null, null, null]);
  expect(asked.sort()).toEqual(
    [
      `Stack ${ROW},${OTHER_ROW}`,
      `channels ${ROW},${OTHER_ROW}`,
      'derived EmailChannel confused',
      'derived EmailChannel s,u',
    ].sort(),
  );
});

test('two loaders of one type are refused when the finder is built', () => {
  const load = async () => [];
  expect(() => new NodeFinder([rowLoader('Stack', load), rowLoader('Stack', load)])).toThrow(/Stack/);
});
