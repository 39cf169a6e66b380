// The Relay Node interface and the loaders Query.node and Query.nodes find objects with. Each module that has Node
// types exports its loaders (a `<module>.nodes.ts` file), and src/graphql/node.resolver.ts lists them.
//
// Ids are of two kinds. A row id is the UUID of a row; UUIDs are unique across tables in practice, so a row id is
// looked for by every loader of row ids, each in its own table and within the viewer's account. A derived id
// (src/lib/global-id.ts) names its type, so it goes to that type's loader alone.
import { Field, ID, InterfaceType } from 'type-graphql';
import { parseDerivedId } from '../lib/global-id';
import type { Viewer } from '../modules/accounts/tokens.service';
import type { Services } from '../services';

/** The GraphQL type of each object the loaders found, for Node's resolveType. */
const typeNames = new WeakMap<object, string>();

@InterfaceType('Node', {
  description:
    'An object with an id that Query.node fetches again (the Relay Global Object Identification specification).',
  resolveType: (value: object) => typeNames.get(value),
})
export abstract class Node {
  @Field(() => ID, { description: 'Unique among all objects of every type; give it to Query.node.' })
  id: string;
}

/** An object a loader found, with its GraphQL type (an object type implementing Node). */
export interface FoundNode {
  typeName: string;
  value: { id: string };
}

export interface NodeLoader {
  /** The object types whose objects it loads. A derived id with one of these type names is routed to it. */
  readonly typeNames: readonly string[];
  /**
   * The objects with these row ids that are of its types and that the viewer may see, by id. Ids it does not know,
   * of another account or hidden from the viewer are left out: Query.node answers null for them.
   */
  byRowIds?(viewer: Viewer, ids: readonly string[], services: Services): Promise<FoundNode[]>;
  /** The object a derived id of one of its types names, if the viewer may see it. */
  byDerivedId?(
    viewer: Viewer,
    id: { typeName: string; parts: string[] },
    services: Services,
  ): Promise<FoundNode | null>;
}

/** A loader of one type's objects by row id: `load` returns those of the ids the viewer may see. */
export function rowLoader(
  typeName: string,
  load: (viewer: Viewer, ids: readonly string[], services: Services) => Promise<{ id: string }[]>,
): NodeLoader {
  return {
    typeNames: [typeName],
    byRowIds: async (viewer, ids, services) =>
      (await load(viewer, ids, services)).map((value) => ({ typeName, value })),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Longer ids name nothing: no lookup is made for them. */
const MAX_ID_LENGTH = 200;

/** Finds objects by id among the loaders' types, for one viewer. */
export class NodeFinder {
  private readonly byTypeName = new Map<string, NodeLoader>();

  constructor(private readonly loaders: readonly NodeLoader[]) {
    for (const loader of loaders) {
      for (const typeName of loader.typeNames) {
        if (this.byTypeName.has(typeName)) throw new Error(`Two node loaders for ${typeName}`);
        this.byTypeName.set(typeName, loader);
      }
    }
  }

  /** The type names the loaders cover. */
  get types(): string[] {
    return [...this.byTypeName.keys()];
  }

  /** The objects of `ids` in the same order, null for each the viewer may not see or that names nothing. */
  async find(viewer: Viewer, ids: readonly string[], services: Services): Promise<(object | null)[]> {
    const rowIds = [...new Set(ids.filter((id) => UUID.test(id)))];
    const found = new Map<string, FoundNode>();
    if (rowIds.length > 0) {
      const perLoader = await Promise.all(
        this.loaders.map((loader) => loader.byRowIds?.(viewer, rowIds, services) ?? []),
      );
      // In the loaders' order: were a UUID ever in two tables, the same one would win every time.
      for (const nodes of perLoader) {
        for (const node of nodes) if (!found.has(node.value.id)) found.set(node.value.id, node);
      }
    }
    const derived = await Promise.all(
      ids.map((id) => (UUID.test(id) ? null : this.findDerived(viewer, id, services))),
    );
    return ids.map((id, index) => {
      const node = found.get(id) ?? derived[index];
      if (!node) return null;
      typeNames.set(node.value, node.typeName);
      return node.value;
    });
  }

  private async findDerived(viewer: Viewer, id: string, services: Services): Promise<FoundNode | null> {
    if (id.length > MAX_ID_LENGTH) return null;
    const parsed = parseDerivedId(id);
    const loader = parsed && this.byTypeName.get(parsed.typeName);
    if (!parsed || !loader?.byDerivedId) return null;
    const node = await loader.byDerivedId(viewer, parsed, services);
    // A loader answers for its own types only.
    return node && node.typeName === parsed.typeName && node.value.id === id ? node : null;
  }
}
